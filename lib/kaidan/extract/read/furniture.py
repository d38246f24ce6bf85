"""Site furniture: the lines of a saved page that are not the article (rankings,
recommendations, promos, share prompts, AI disclaimers, author boxes, menus), marked so that
`body` keeps the article and `boilerplate` what was cut."""
from __future__ import annotations

import re
from dataclasses import dataclass


# Single lines that are furniture wherever they stand.
_LINE_FURNITURE = re.compile(r"""(?x)
    (?:見出し画像|トップ画像|サムネイル|(?:画像|写真)を?拡大(?:する)?)$   # image placeholders
  | コメント\s*[0-9０-９]+\s*件?$                                    # comment counters
  | [※＊*]?(?:本|当)(?:サイト|記事|ページ)の.{0,40}(?:AI|ＡＩ)        # AI-content disclaimers
  | [※＊*][^。]{0,40}イメージ                                        # "※…visualised image" notes
  | ニュースはAIで                                                     # an AI site's tagline
  | この記事が気に入ったら                                             # share and support prompts
  | メールマガジンの?(?:ご)?登録
  | .{0,30}(?:はこちら|こちらから)(?:[。.!！]|$)                       # link prompts
  | (?:シェア|ツイート|ポスト|LINEで送る|ブックマーク|フォロー)(?:する)?$
  | \[[^\]]{0,20}\]$                                                 # bare [link] buttons
  | (?:Copyright|©|\(c\)\s*\d{4})
  | (?:ページの?)?(?:トップ|先頭)へ(?:戻る)?$
""", re.IGNORECASE)
_DISCLAIMER = re.compile(r"[※＊*]?(?:本|当)(?:サイト|記事|ページ)の.{0,40}(?:AI|ＡＩ)|ニュースはAIで")
_HEADING_SUFFIX = r"(?:\s*[:：（(|｜／/].{0,40}|\s.{0,20})?"
# Headings over lists of other articles: cut together with the short lines under them.
_LIST_HEADING = re.compile(r"""(?xi)(?:
    (?:人気|アクセス|総合)?(?:記事)?ランキング
  | (?:今、?)?あなたに(?:オススメ|おすすめ)
  | (?:編集部の)?(?:オススメ|おすすめ)(?:の)?(?:記事|ニュース)?
  | こちらも(?:オススメ|おすすめ|読まれています)
  | ニュース速報 | 最新(?:の)?(?:ニュース|記事) | 注目(?:の)?(?:記事|ニュース|トピックス)
  | よく読まれている記事 | この記事を読んだ人は.{0,12} | ピックアップ | PICK\s?UP
  | MAGAZINE | 特集 | PR | Recommended | Most\s(?:Read|Popular|Viewed) | Trending
  | Related\s(?:Articles|Stories|News) | Read\s(?:more|next)
)""" + _HEADING_SUFFIX)
# Headings whose lists are cut, but which some sites follow with summaries worth keeping.
_RELATED_HEADING = re.compile(r"(?:関連|参考)(?:記事|ニュース|リンク|情報)|(?:あわせて|合わせて)読みたい"
                              + _HEADING_SUFFIX)
_PROFILE_HEADING = re.compile(r"(?i)(?:著者|筆者|執筆者|記者)(?:プロフィール|紹介)|プロフィール|この記事を書いた人"
                              r"|About\s+the\s+authors?|Profile")
_SOURCE_LABEL = re.compile(r"(?i)(?:References?|Sources?)(?:\(s\))?\s*[:：]?|参考・出典|出典・参考|出典|参考文献")
_SECTION_LABEL = re.compile(r"(?i)コラム|社説|解説|論説|オピニオン|インタビュー|ニュース|速報|国際|政治|経済|社会"
                            r"|ワールド|ビジネス|連載|分析|World|Politics|Opinion|Column|News|Analysis")
_BREADCRUMB = re.compile(r"(?:[^\s>＞›»]{1,12}\s*[>＞›»]\s*){1,6}[^\s>＞›»]{1,30}")
_TERMINAL_PROMPT = re.compile(r"この記事が気に入ったら|メールマガジン|この記事を(?:シェア|共有)|Copyright|©")
_PROSE_END = "。"
_CLOSING = "」』）)"
MAX_MARKER_LINE = 300
MAX_HEADING_LINE = 50
# A related-articles heading followed by prose within this many short lines introduces summaries.
RELATED_LEAD_LINES = 2
# Furniture at a terminal marker runs to the end when the prose after it is at most this share.
TRAILING_PROSE_SHARE = 0.25
DISCLAIMER_LINES = 4
# Above the first paragraph, this many very short lines in a row are a menu.
MENU_MIN_ITEMS = 3
MAX_MENU_ITEM = 10
_MENU_BREAKER = re.compile(r"[0-9０-９。、,.!?！？「」()（）]")


def is_prose(line: str) -> bool:
    """A line of article prose, as opposed to a headline or list item: it ends a sentence or runs long."""
    return len(line) > 100 or line.rstrip(_CLOSING).endswith(_PROSE_END) or (
        len(line) >= 40 and _PROSE_END in line)


def _is_heading(line: str, pattern: re.Pattern) -> bool:
    """A short line that is wholly one of the pattern's headings."""
    return len(line) <= MAX_HEADING_LINE and pattern.fullmatch(line) is not None


@dataclass
class Layout:
    """The text's lines and which of them are site furniture."""

    lines: list[str]
    cut: list[bool]

    def kept_lines(self) -> list[str]:
        """The lines `body` joins: the kept ones, a run of blank lines as one "", none at the ends."""
        out: list[str] = []
        for line, cut in zip(self.lines, self.cut):
            if cut:
                continue
            if line.strip():
                out.append(line)
            elif out and out[-1]:
                out.append("")
        while out and not out[-1]:
            out.pop()
        return out

    @property
    def body(self) -> str:
        """The kept lines, runs of blank lines collapsed to one."""
        return "\n".join(self.kept_lines())

    @property
    def boilerplate(self) -> str:
        """The cut lines, in order."""
        return "\n".join(line for line, cut in zip(self.lines, self.cut) if cut and line.strip())


def layout(text: str) -> Layout:
    """Mark the furniture lines of a text: line markers, list blocks, a leading label, trailing furniture."""
    lines = text.split("\n")
    stripped = [line.strip() for line in lines]
    kinds = [_heading_kind(line) if line else None for line in stripped]
    cut = [False] * len(lines)
    _mark_lines(stripped, cut)
    _mark_leading_label(stripped, cut)
    _mark_menus(stripped, cut)
    _mark_blocks(stripped, kinds, cut)
    _mark_trailing(stripped, kinds, cut)
    return Layout(lines, cut)


def split_boilerplate(text: str) -> tuple[str, str]:
    """(body, boilerplate) of a text: the article, and the furniture cut from it."""
    marked = layout(text)
    return marked.body, marked.boilerplate


def _mark_lines(stripped: list[str], cut: list[bool]) -> None:
    """Cut single furniture lines; a disclaimer takes the short paragraph it opens with it."""
    for i, line in enumerate(stripped):
        if not line or len(line) > MAX_MARKER_LINE or not _LINE_FURNITURE.match(line):
            continue
        cut[i] = True
        if _DISCLAIMER.match(line):
            end = i + 1
            while end < len(stripped) and stripped[end] and end - i < DISCLAIMER_LINES:
                end += 1
            if end == len(stripped) or not stripped[end]:  # the paragraph ends within reach
                cut[i:end] = [True] * (end - i)


def _mark_leading_label(stripped: list[str], cut: list[bool]) -> None:
    """Cut a section label or breadcrumb standing above the headline (コラム, 国際 > アジア)."""
    for i, line in enumerate(stripped):
        if line and not cut[i]:
            if len(line) <= MAX_HEADING_LINE and (_SECTION_LABEL.fullmatch(line) or _BREADCRUMB.fullmatch(line)):
                cut[i] = True
            return


def _is_menu_item(line: str) -> bool:
    """A navigation entry: a word or two, no digits, no punctuation."""
    return 0 < len(line) <= MAX_MENU_ITEM and not _MENU_BREAKER.search(line)


def _mark_menus(stripped: list[str], cut: list[bool]) -> None:
    """Cut runs of menu entries (ホーム / 国際 / 政治) above the first paragraph, not a short headline."""
    first_prose = next((i for i, line in enumerate(stripped) if line and is_prose(line)), len(stripped))
    run: list[int] = []
    for i in range(first_prose + 1):
        if i < first_prose and stripped[i] and not cut[i] and _is_menu_item(stripped[i]):
            run.append(i)
        elif i == first_prose or stripped[i]:
            if i == first_prose:
                run = run[:-1]  # the short line right above the first paragraph is its headline
            if len(run) >= MENU_MIN_ITEMS:
                for j in run:
                    cut[j] = True
            run = []


def _list_run(stripped: list[str], kinds: list[str | None], cut: list[bool], start: int) -> int:
    """Index after the run of short, headline-like lines from start (stops at prose or a heading)."""
    end = start
    while end < len(stripped):
        if stripped[end] and not cut[end] and (kinds[end] or is_prose(stripped[end])):
            break
        end += 1
    return end


def _heading_kind(line: str) -> str | None:
    """'list', 'related' or 'profile' for a heading line, else None."""
    if _is_heading(line, _LIST_HEADING):
        return "list"
    if _is_heading(line, _RELATED_HEADING):
        return "related"
    if _is_heading(line, _PROFILE_HEADING):
        return "profile"
    return None


def _mark_blocks(stripped: list[str], kinds: list[str | None], cut: list[bool]) -> None:
    """Cut headings over lists of other articles, with their lists; keep related-article summaries."""
    i = 0
    while i < len(stripped):
        kind = None if cut[i] else kinds[i]
        if kind is None:
            i += 1
            continue
        end = _list_run(stripped, kinds, cut, i + 1)
        items = sum(1 for line in stripped[i + 1:end] if line)
        summaries = end < len(stripped) and is_prose(stripped[end]) and items <= RELATED_LEAD_LINES
        if not (kind == "related" and summaries):
            cut[i:end] = [True] * (end - i)
        i = end


def _is_terminal(line: str, kind: str | None) -> bool:
    """A marker after which, near the end, a page has only furniture left."""
    return bool(kind in ("list", "profile") or _SOURCE_LABEL.fullmatch(line) or _TERMINAL_PROMPT.match(line))


def _mark_trailing(stripped: list[str], kinds: list[str | None], cut: list[bool]) -> None:
    """Cut everything from the first terminal marker after which little prose remains."""
    weights = [len(line) if line and not cut[i] and is_prose(line) else 0 for i, line in enumerate(stripped)]
    total = sum(weights)
    before = 0
    for i, line in enumerate(stripped):
        if line and len(line) <= MAX_MARKER_LINE and _is_terminal(line, kinds[i]):
            after = total - before - weights[i]
            if before and after <= before * TRAILING_PROSE_SHARE:
                cut[i:] = [True] * (len(stripped) - i)
                return
        before += weights[i]

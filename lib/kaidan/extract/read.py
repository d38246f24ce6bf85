"""Read a folder of news texts into the articles table: one row for every file found.

Nothing disappears: a file that cannot be read is still a row, with status `error` and
a message saying why, and the run goes on. Reading takes the fast path for the usual
case (valid UTF-8) and only then asks charset-normalizer. Each text is split into the
article `body`, which later stages read, and `boilerplate`, the site furniture cut from
it (rankings, recommendations, promos, share prompts, AI disclaimers, author boxes),
kept so the analyst sees what was cut. Title, outlet, author and the dateline are read
from the text; an optional metadata CSV overrides them.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import hashlib
import logging
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pandas as pd
from charset_normalizer import from_bytes

from kaidan import schemas
from kaidan.extract.dates import find_dates, parse_date
from kaidan.text import fold, japanese_share, normalize

log = logging.getLogger("kaidan")

SUFFIXES = (".txt", ".md")
METADATA_COLUMNS = ("file", "url", "published", "outlet", "title")
_SEVERITY = {"ok": 0, "warning": 1, "error": 2}


class CorpusError(Exception):
    """A corpus folder or metadata file that cannot be used at all (the CLI exits 2)."""


# --- finding files -----------------------------------------------------------------

@dataclass
class _File:
    """A found file: its relative path, what to read, or why it is refused."""

    rel: str
    path: Path
    refusal: str | None = None
    note: str | None = None      # a warning about the name itself (not UTF-8)


def _as_text(path: str | os.PathLike) -> str:
    """A path as text that can be stored and printed: bytes that are not UTF-8 (Python keeps
    them as lone surrogates) written as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _name_note(rel: str) -> str | None:
    """Why a relative path found on disk is not shown as it is: its bytes are not UTF-8 (many
    zip tools leave Japanese names in Shift_JIS). None for a UTF-8 name."""
    if not any("\udc80" <= char <= "\udcff" for char in rel):
        return None
    note = "file name is not UTF-8: its bytes are written as \\xNN in path and article_id"
    try:
        guess = os.fsencode(rel).decode("cp932")
    except UnicodeDecodeError:
        return note
    return f"{note} (as Shift_JIS it reads {guess})" if guess.isprintable() else note


def _judge(root: Path, path: Path, rel: str) -> _File:
    """A found name, refused with a reason when it is a loop, a link out, or not a file."""
    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports a loop this way
            return _File(rel, path, "symlink loop; not followed")
        except OSError as error:
            if error.errno == errno.ELOOP:
                return _File(rel, path, "symlink loop; not followed")
            return _File(rel, path, "broken link: its target does not exist")
        if not target.is_relative_to(root):
            return _File(rel, path, f"link points outside the corpus folder (to {_as_text(target)}); not followed")
    try:
        mode = os.stat(target).st_mode
    except OSError as error:
        return _File(rel, path, _os_reason(error))
    if stat.S_ISDIR(mode):
        return _File(rel, path, "is a directory")
    if not stat.S_ISREG(mode):
        return _File(rel, path, "not a regular file")
    return _File(rel, target)


def _find_files(root: Path, problems: list[str]) -> list[_File]:
    """Every *.txt and *.md under root, sorted by relative POSIX path; links are judged, not walked."""
    def unlistable(error: OSError) -> None:
        problems.append(f"cannot list folder {_as_text(error.filename)}: {_os_reason(error)}")

    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlistable):
        for name in dirnames + filenames:
            if name.lower().endswith(SUFFIXES):
                path = Path(dirpath, name)
                rel = path.relative_to(root).as_posix()
                file = _judge(root, path, _as_text(rel))
                file.note = _name_note(rel)
                found.append(file)
    return sorted(found, key=lambda f: f.rel)


def _article_ids(rels: list[str]) -> list[str]:
    """Stems, or the relative path without suffix where stems clash (with suffix if that clashes too)."""
    stems = Counter(PurePosixPath(rel).stem for rel in rels)
    ids = [PurePosixPath(rel).stem if stems[PurePosixPath(rel).stem] == 1
           else str(PurePosixPath(rel).with_suffix("")) for rel in rels]
    clashes = Counter(ids)
    return [ident if clashes[ident] == 1 else rel for ident, rel in zip(ids, rels)]


def _os_reason(error: OSError) -> str:
    """An OSError in the words an analyst reads."""
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {(error.strerror or str(error)).lower()}"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes (one place to read, so tests can make it fail)."""
    with open(path, "rb") as handle:
        return handle.read()


# --- decoding ------------------------------------------------------------------------

@dataclass
class Decoded:
    """Text decoded from bytes, the encoding used, and what was notable (status, message)."""

    text: str | None
    encoding: str | None
    status: str = "ok"
    message: str = ""


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive or Office document"),
          (b"\x1f\x8b", "gzip data"), (b"\x7fELF", "a program"))
_CONTROL_BYTES = bytes(set(range(32)) - set(b"\t\n\v\f\r\x1b") | {0x7f})
_ASCII = bytes(range(128))
# At most this share of the non-ASCII bytes may be invalid for a text to count as damaged UTF-8.
UTF8_DAMAGE_SHARE = 0.10
# charset-normalizer matches this close in chaos to the best count as equally clean.
CHAOS_TIE = 0.01


def _binary_kind(data: bytes) -> str | None:
    """What binary data looks like (an image, an archive...), or None when it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if b"\x00" in head or controls > len(head) // 20:
        return "control bytes"
    return None


# UTF-16 without a BOM: ASCII characters put a NUL in every other byte. At least this share of
# the NULs must fall on one side (CJK characters such as 一 U+4E00 put a few on the other).
UTF16_NUL_SIDE_SHARE = 0.8
_UTF16_JUNK = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ue000-\uf8ff\ufffe\uffff]")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 LE or BE text saved without a byte order mark, told by where its NUL bytes fall."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even + odd == 0:
        return None
    encoding = "utf-16-le" if odd >= UTF16_NUL_SIDE_SHARE * (even + odd) else \
        "utf-16-be" if even >= UTF16_NUL_SIDE_SHARE * (even + odd) else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _UTF16_JUNK.search(text) or not any(ch.isspace() for ch in text[:4096]):
        return None
    return Decoded(text, encoding)


def _utf8_errors(data: bytes, limit: int) -> list[tuple[int, int]] | None:
    """Byte ranges where UTF-8 fails, or None past `limit` (then it is another encoding)."""
    view = memoryview(data)
    errors: list[tuple[int, int]] = []
    pos = 0
    while True:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            return errors
        except UnicodeDecodeError as error:
            errors.append((pos + error.start, pos + error.end))
            if len(errors) > limit:
                return None
            pos += error.end


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes (a truncated or partly broken file), read with replacement."""
    non_ascii = len(data.translate(None, _ASCII))
    errors = _utf8_errors(data, limit=int(non_ascii * UTF8_DAMAGE_SHARE))
    if not errors:
        return None
    bad = sum(end - start for start, end in errors)
    if bad > non_ascii * UTF8_DAMAGE_SHARE:
        return None
    truncated = errors[-1][1] == len(data) and len(errors) == 1
    where = "the file looks truncated" if truncated else _plural(len(errors), "place")
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", "warning",
                   f"invalid UTF-8: {_plural(bad, 'byte')} replaced ({where})")


def _plural(count: int, noun: str) -> str:
    """3 bytes, 1 byte."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def decode_bytes(data: bytes) -> Decoded:
    """Bytes to text: a BOM first, UTF-16 without one, binary data refused, the UTF-8 fast path,
    then charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if "\x00" in data[len(bom):len(bom) + 8192].decode(encoding, errors="ignore"):  # text has no NUL
                return Decoded(None, None, "error", "binary data (NUL characters after a byte order mark), not text")
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError:
                return Decoded(data[len(bom):].decode(encoding, errors="replace"), encoding, "warning",
                               f"invalid {encoding}: undecodable bytes replaced")
    kind = _binary_kind(data)
    if kind == "control bytes":
        kind = None if (utf16 := _utf16_without_bom(data)) else kind
        if utf16:
            return utf16
    if kind:
        return Decoded(None, None, "error", f"binary data ({kind}), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged:
        return damaged
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return Decoded(None, None, "error", "undecodable bytes: not text in any known encoding")
    # Short EUC-JP reads as cleanly in Korean; where both are as clean, this is a Japanese corpus.
    match = next((m for m in matches if m.language == "Japanese" and m.chaos <= best.chaos + CHAOS_TIE), best)
    return Decoded(str(match), codecs.lookup(match.encoding).name)


# --- HTML ----------------------------------------------------------------------------

_HTML_START = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def looks_like_html(text: str) -> bool:
    """A saved web page rather than article text: an <html>, <head> or <body> near the top."""
    head = text[:4096]
    return bool(_HTML_START.search(head)) and "</" in text


class _VisibleText(HTMLParser):
    """Collects what a browser shows: no script, style or head (but the title), blocks on their own lines."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                        "table", "section", "article", "header", "footer", "nav", "aside", "main",
                        "title", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.in_title = self.in_title or tag == "title"
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(self.skipping - 1, 0)
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping or self.in_title:
            self.parts.append(_HTML_SPACE.sub(" ", data))


def html_to_text(page: str) -> str:
    """The visible text of an HTML page, one block per line, blank lines dropped."""
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --- language ------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|in|is|that|for|with|on|was|are)\b", re.IGNORECASE)
LANGUAGE_SAMPLE = 20_000
# Japanese prose has kana in a third or more of its letters; Chinese has none.
JAPANESE_KANA_SHARE = 0.1
_LANGUAGE_NAMES = {"en": "English", "zh": "Chinese: Han characters without kana"}


def detect_language(text: str) -> str:
    """ja when kana are there; zh for Han without kana; en for English; else unknown."""
    sample = text[:LANGUAGE_SAMPLE]
    letters = sum(map(str.isalpha, sample))
    if not letters:
        return "unknown"
    if japanese_share(sample) >= JAPANESE_KANA_SHARE:
        return "ja"
    if len(_HAN.findall(sample)) >= letters / 2:
        return "zh"
    latin = len(_LATIN.findall(sample))
    if latin >= letters / 2 and len(_ENGLISH_WORDS.findall(sample)) * 100 >= latin:
        return "en"
    return "unknown"


def _language_note(language: str) -> str:
    """The warning for a text that is not Japanese."""
    return f"not Japanese (looks like {_LANGUAGE_NAMES.get(language, 'an unknown language')})"


# --- site furniture ------------------------------------------------------------------

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


# --- metadata in the text ------------------------------------------------------------

# A dateline needs a year: a cheap test before the date finder runs on a short line.
_YEAR_HINT = re.compile(r"[0-9０-９]{4}|令和|平成|昭和")
_TIME = re.compile(r"(?i)[0-9０-９]{1,2}(?:[:：][0-9０-９]{2}){1,2}|[0-9０-９]{1,2}時(?:[0-9０-９]{1,2}分)?|\bJST\b")
_DATELINE_WORDS = re.compile(r"(?i)\b(?:date|published|updated|posted)\b|最終更新|配信|公開|掲載|更新|投稿|発行|日付")
_DATELINE_PUNCT = re.compile(r"[\s「」『』【】\[\]()（）<>〈〉《》|｜/／:：,，、・=＝-]+")
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_DIGIT = re.compile(r"\d")
MAX_DATELINE = 60
MAX_OUTLET = 40
_MEDIA_WORD = re.compile(r"新聞|通信|放送|テレビ|日報|新報|タイムズ|ニュース|網|日本語版|オンライン|ジャーナル"
                         r"|\b(?:news|times|post|journal|herald|diplomacy|agency|press|review|tv|online|daily)\b"
                         r"|\.(?:com|jp|cn|org|net)\b")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z.&'’-]*(?:\s[A-Za-z.&'’-]+){0,4}")
_LATIN_PERSON = re.compile(r"(?:(?i:by)\s+)?(?P<name>(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?\s+)?"
                           r"[A-Z][A-Za-z.'’-]*(?:\s[A-Z][A-Za-z.'’-]*){1,3})")
_HONORIFIC = re.compile(r"(?:Dr|Prof|Mr|Ms|Mrs)\.?\s|(?i:by)\s")
_JAPANESE_BYLINE = re.compile(r"(?:文|筆者|著者|執筆|寄稿|取材・文)\s*[:：・／/]\s*(?P<name>[^\s、。]{2,20})"
                              r"|[（(]?(?P<reporter>[\u4e00-\u9fffァ-ヶー・]{2,15})\s*(?:記者|特派員|編集委員)[）)]?")
_DOMAIN = re.compile(r"(?i)(?:https?://)?(?:www\.)?(?P<domain>(?:[a-z0-9-]+\.)+[a-z]{2,})(?:/\S*)?")
_COPYRIGHT = re.compile(r"(?i)(?:copyright|©)\s*(?:\(c\)|©)?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
                        r"(?P<name>.+?)\s*(?:\.?\s*all rights reserved\.?)?$")
_TITLE_SUFFIX = re.compile(r"(?P<head>.{5,}?)\s*(?:\s[|\-–]\s|｜)\s*(?P<tail>[^|｜]{2,40})")
MAX_TITLE = 200
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
HEADER_LINES = 12
# Datelines stand above or below the article: only this many lines at each end are searched.
DATELINE_ZONE = 15
FOOTER_LINES = 5


@dataclass
class Dateline:
    """The date a dateline gives, and the outlet named beside it."""

    iso: str
    precision: str
    outlet: str | None


def find_dateline(line: str) -> Dateline | None:
    """A line that is a dateline: mostly a date, or a date with a place or outlet name and no sentence."""
    if len(line) > MAX_DATELINE or not _YEAR_HINT.search(line):
        return None
    date = next((m for m in find_dates(line) if m.kind == "absolute" and m.date), None)
    if date is None:
        return None
    rest = _TIME.sub(" ", line[:date.start] + " " + line[date.end:])
    rest = _DATELINE_PUNCT.sub(" ", _DATELINE_WORDS.sub(" ", rest)).strip()
    if len(rest) > 25 or _HIRAGANA.search(rest) or _DIGIT.search(rest) or "。" in rest:
        return None
    outlet = rest if rest and _is_outlet(rest, media_word_required=False) else None
    return Dateline(date.date, date.precision, outlet)


def _is_outlet(line: str, media_word_required: bool) -> bool:
    """A short name with no sentence in it that reads like a publication."""
    if not 2 <= len(line) <= MAX_OUTLET or _HIRAGANA.search(line) or "。" in line or "、" in line:
        return False
    if _MEDIA_WORD.search(fold(line)):
        return True
    return not media_word_required and _LATIN_NAME.fullmatch(line) is not None and _person(line) is None


def _person(line: str) -> str | None:
    """The author a byline names: Dr. Andrey KORTUNOV, By Jane Doe, 文・山田太郎, (山田太郎記者)."""
    if len(line) > MAX_OUTLET:
        return None
    latin = _LATIN_PERSON.fullmatch(line)
    if latin:
        words = latin.group("name").split()
        capitals = any(len(w) >= 3 and w.isupper() for w in words)
        titled = any(w[0].isupper() and w[1:].islower() for w in words if len(w) > 1)
        return latin.group("name") if _HONORIFIC.match(line) or (capitals and titled) else None
    japanese = _JAPANESE_BYLINE.fullmatch(line)
    return (japanese.group("name") or japanese.group("reporter")) if japanese else None


@dataclass
class TextMetadata:
    """What the text itself says about the article."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    dateline: Dateline | None = None


def _read_header(kept: list[str], meta: TextMetadata) -> list[str]:
    """Title and author from the lines above the first paragraph; returns the outlet bylines found there."""
    outlets = []
    for line in kept[:HEADER_LINES]:
        if find_dateline(line):
            continue
        person = _person(line)
        if person:
            meta.author = meta.author or person
        elif _is_outlet(line, media_word_required=meta.title is None):
            outlets.append(line)
        elif meta.title is None:
            if len(line) > MAX_TITLE:
                break
            meta.title = _MARKDOWN_HEADING.sub("", line)
        if is_prose(line):
            break
    return outlets


def _source_outlet(stripped: list[str]) -> str | None:
    """The domain under a Reference(s): / 参考・出典 label (cgtn.com)."""
    for i, line in enumerate(stripped):
        if line and len(line) <= MAX_HEADING_LINE and _SOURCE_LABEL.fullmatch(line):
            for below in stripped[i + 1:i + 6]:
                match = _DOMAIN.fullmatch(below) if below else None
                if match:
                    return match.group("domain")
    return None


def _profile_author(stripped: list[str]) -> str | None:
    """The name under an author box heading (プロフィール → 小泉悠)."""
    for i, line in enumerate(stripped):
        if line and _is_heading(line, _PROFILE_HEADING):
            below = next((b for b in stripped[i + 1:i + 4] if b), None)
            if below and len(below) <= 30 and "。" not in below and "、" not in below:
                return _person(below) or below
    return None


def _copyright_outlet(stripped: list[str]) -> str | None:
    """The holder a copyright line names (Copyright (C) Nikkei Inc. → Nikkei Inc)."""
    for line in stripped:
        match = _COPYRIGHT.match(line) if line and len(line) <= MAX_MARKER_LINE else None
        if match and match.group("name"):
            return match.group("name")
    return None


def _split_title(title: str | None) -> tuple[str | None, str | None]:
    """A headline and the site name some pages append to it ("… | TBS NEWS DIG")."""
    match = _TITLE_SUFFIX.fullmatch(title) if title else None
    if match and _is_outlet(match.group("tail").strip(), media_word_required=False):
        return match.group("head").strip(), match.group("tail").strip()
    return title, None


def text_metadata(marked: Layout) -> TextMetadata:
    """Title, outlet, author and dateline as the text states them."""
    meta = TextMetadata()
    stripped = [line.strip() for line in marked.lines]
    kept = [line for line, cut in zip(stripped, marked.cut) if line and not cut]
    header_outlets = _read_header(kept, meta)
    meta.title, title_outlet = _split_title(meta.title)
    zone = kept if len(kept) <= 2 * DATELINE_ZONE else kept[:DATELINE_ZONE] + kept[-DATELINE_ZONE:]
    datelines = [d for d in map(find_dateline, zone) if d]
    meta.dateline = datelines[0] if datelines else None
    footer_outlets = [line for line in kept[-FOOTER_LINES:] if _is_outlet(line, media_word_required=True)]
    outlets = [_source_outlet(stripped), *(d.outlet for d in datelines), *header_outlets, *footer_outlets,
               title_outlet, _copyright_outlet(stripped)]
    meta.outlet = next((o for o in outlets if o), None)
    meta.author = meta.author or _profile_author(stripped)
    return meta


# --- dates in URLs -------------------------------------------------------------------

_URL_DAY = (
    re.compile(r"(?<!\d)(20[0-3]\d)[/-](\d{1,2})[/-](\d{1,2})(?!\d)"),  # /2018/08/02/, 2014-06/07
    re.compile(r"(?<!\d)(20[0-3]\d)/(\d{2})(\d{2})(?!\d)"),               # /n3/2023/0110/
    re.compile(r"(?<!\d)(20[0-3]\d)(\d{2})(\d{2})(?!\d)"),                # 20250831
    re.compile(r"(?<=[A-Za-z_])(20[0-3]\d)(\d{2})(\d{2})\d+"),             # fnn20230109468543
)
_URL_YYMMDD = re.compile(r"(?:^|/)([0-3]\d)(\d{2})(\d{2})(?=/|\.|$)")   # /131106/
_URL_MONTH = re.compile(r"(?<!\d)(20[0-3]\d)/(\d{1,2})/(?!\d)")          # /2019/05/slug


def _valid_date(year: int, month: int, day: int) -> str | None:
    """The ISO date, when it is a real day."""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_from_url(url: str) -> tuple[str, str] | None:
    """(iso, precision) of a date the URL's path carries unambiguously, else None."""
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    days = {iso for pattern in _URL_DAY for m in pattern.finditer(path)
            if (iso := _valid_date(int(m[1]), int(m[2]), int(m[3])))}
    days |= {iso for m in _URL_YYMMDD.finditer(path) if (iso := _valid_date(2000 + int(m[1]), int(m[2]), int(m[3])))}
    if len(days) == 1:
        return days.pop(), "day"
    if days:
        return None
    months = {f"{int(m[1]):04d}-{int(m[2]):02d}" for m in _URL_MONTH.finditer(path) if 1 <= int(m[2]) <= 12}
    return (months.pop(), "month") if len(months) == 1 else None


# --- the metadata CSV ----------------------------------------------------------------

def _match_file(name: str, rels: list[str], by_name: dict[str, list[str]]) -> tuple[str | None, str | None]:
    """The corpus file a metadata row names (relative path, else a unique file name), or why none."""
    name = name.replace("\\", "/").removeprefix("./")
    if name in rels:
        return name, None
    candidates = by_name.get(PurePosixPath(name).name, [])
    if len(candidates) == 1:
        return candidates[0], None
    if candidates:
        return None, f"'{name}' names several files ({', '.join(candidates)}); give the relative path"
    return None, f"no file '{name}' in the corpus"


def _open_metadata(path: Path) -> list[list[str]]:
    """The CSV's rows; a file that cannot be read at all is a CorpusError."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError:
        raise CorpusError(f"metadata file {path} is not UTF-8 text") from None
    except (OSError, csv.Error) as error:
        reason = _os_reason(error) if isinstance(error, OSError) else str(error)
        raise CorpusError(f"cannot read metadata file {path}: {reason}") from None


def read_metadata(path: str | Path, rels: list[str]) -> tuple[dict[str, dict], list[str]]:
    """Metadata rows keyed by the relative path they name, and the problems found on the way."""
    path = Path(path)
    rows = _open_metadata(path)
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    problems = []
    if "file" not in header:
        return {}, [f"metadata {path.name}: no 'file' column, so no row can be matched; metadata ignored"]
    extra = [name for name in header if name not in METADATA_COLUMNS]
    if extra:
        problems.append(f"metadata {path.name}: unknown column(s) {', '.join(map(repr, extra))} ignored "
                        f"(expected {', '.join(METADATA_COLUMNS)})")
    by_name: dict[str, list[str]] = {}
    for rel in rels:
        by_name.setdefault(PurePosixPath(rel).name, []).append(rel)
    found: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line_no, cells in enumerate(rows[1:], start=2):
        record = {name: cell.strip() for name, cell in zip(header, cells) if name in METADATA_COLUMNS}
        if not any(record.values()):
            continue
        where = f"metadata {path.name} line {line_no}"
        if len(cells) != len(header):
            fate = "the missing ones left empty" if len(cells) < len(header) else "the extra ones ignored"
            problems.append(f"{where}: {_plural(len(cells), 'cell')} where the header has {len(header)}; {fate}")
        rel, why = _match_file(record.get("file", ""), rels, by_name)
        if rel is None:
            problems.append(f"{where}: {why}")
            continue
        if rel in found:
            problems.append(f"{where}: '{rel}' was already given on line {first_line[rel]}; row ignored")
            continue
        published = record.get("published")
        record["published"] = parse_date(published) if published else None
        if published and record["published"] is None:
            problems.append(f"{where}: published '{published}' is not a date; ignored")
        found[rel], first_line[rel] = record, line_no
    return found, problems


# --- articles ------------------------------------------------------------------------

def _worst(notes: list[tuple[str, str]]) -> tuple[str, str]:
    """The most severe status among the notes, and all their messages in one line."""
    status = max((s for s, _ in notes), key=_SEVERITY.__getitem__, default="ok")
    return status, "; ".join(m for _, m in notes if m)


def _refused(row: dict, message: str) -> dict:
    """A row for a file that yielded no text."""
    return {**row, "status": "error", "message": message, "text": "", "body": "", "boilerplate": ""}


# A text longer than this is listed with its text but not analysed: it is not one article (a
# dump, a log, a concatenation), and the later stages are built for article-sized bodies.
MAX_ANALYSED_CHARS = 100_000


def read_article(data: bytes) -> dict:
    """Every articles field that the bytes of one file decide (not article_id, path, url, duplicates)."""
    decoded = decode_bytes(data)
    if decoded.text is None:
        return _refused({"encoding": decoded.encoding}, decoded.message)
    notes = [(decoded.status, decoded.message)]
    text = normalize(decoded.text)
    if looks_like_html(text):
        text = normalize(html_to_text(text))
        notes.append(("warning", "HTML page: tags stripped"))
    row = {"encoding": decoded.encoding, "text": text, "n_chars": len(text),
           "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    if not text.strip():
        notes.append(("error", "empty file" + (" (whitespace only)" if text else "")))
        status, message = _worst(notes)
        return {**row, "status": status, "message": message, "body": "", "boilerplate": ""}
    if len(text) > MAX_ANALYSED_CHARS:
        notes.append(("warning", f"too long to analyse as one article ({len(text):,} characters; the limit is "
                                 f"{MAX_ANALYSED_CHARS:,}): listed with its text, not analysed"))
        language = detect_language(text)
        if language != "ja":
            notes.append(("warning", _language_note(language)))
        status, message = _worst(notes)
        return {**row, "status": status, "message": message, "language": language, "body": "", "boilerplate": ""}
    marked = layout(text)
    body = marked.body
    meta = text_metadata(marked)
    language = detect_language(body or text)
    if not body:
        notes.append(("warning", "no article text: every line is site furniture"))
    if language != "ja":
        notes.append(("warning", _language_note(language)))
    status, message = _worst(notes)
    dateline = meta.dateline
    return {**row, "status": status, "message": message, "language": language, "title": meta.title,
            "outlet": meta.outlet, "author": meta.author, "body": body, "boilerplate": marked.boilerplate,
            "published": dateline.iso if dateline else None,
            "published_source": "dateline" if dateline else None}


def file_bytes(file: _File) -> bytes | str:
    """The file's bytes, or the reason it yields none (a refusal, an OSError in words)."""
    if file.refusal:
        return file.refusal
    try:
        return _read_bytes(file.path)
    except OSError as error:
        return _os_reason(error)


def _apply_metadata(row: dict, record: dict) -> None:
    """Metadata overrides the text: title, outlet, url, and the date (metadata > dateline > url)."""
    for name in ("title", "outlet", "url"):
        if record.get(name):
            row[name] = record[name]
    if record.get("published"):
        row["published"], row["published_source"] = record["published"][0], "metadata"
    elif not row.get("published") and record.get("url"):
        from_url = date_from_url(record["url"])
        if from_url:
            row["published"], row["published_source"] = from_url[0], "url"


def _mark_duplicates(rows: list[dict], first: dict[str, str] | None = None) -> None:
    """Flag every readable file whose normalised text equals an earlier file's (`first` holds
    the earlier files' hashes, for marking a corpus one chunk at a time)."""
    first = {} if first is None else first
    for row in rows:
        digest = row.get("content_hash")
        if row["status"] == "error" or not digest:
            continue
        if digest in first:
            row["duplicate_of"] = first[digest]
            row["status"], row["message"] = _worst([(row["status"], row["message"]),
                                                    ("warning", f"duplicate of {first[digest]}")])
        else:
            first[digest] = row["article_id"]


@dataclass
class Planned:
    """A file of the corpus to read: what `read_one` needs, so workers can read it anywhere."""

    file: _File
    article_id: str
    record: dict | None = None   # the metadata row that overrides the text, if any


def plan_corpus(folder: str | Path, metadata: str | Path | None = None) -> tuple[list[Planned], list[str]]:
    """Every *.txt and *.md under folder, in order, with its article_id and metadata row; and the
    problems found (unlistable folders, metadata rows that match nothing). Reads no file's text."""
    root = Path(folder)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {root}")
    root = root.resolve()
    problems: list[str] = []
    files = _find_files(root, problems)
    rels = [f.rel for f in files]
    records, meta_problems = read_metadata(metadata, rels) if metadata is not None else ({}, [])
    problems += meta_problems
    return [Planned(file, article_id, records.get(file.rel)) for file, article_id in zip(files, _article_ids(rels))], problems


def row_of(item: Planned, data: bytes | str) -> dict:
    """The articles row of one planned file from its bytes (or the reason it has none), before
    duplicates are marked: a pure function of the bytes, the article_id, path and metadata row."""
    read = _refused({}, data) if isinstance(data, str) else read_article(data)
    row = {"article_id": item.article_id, "path": item.file.rel, **read}
    if item.file.note:
        row["status"], row["message"] = _worst([(row["status"], row["message"]), ("warning", item.file.note)])
    if item.record is not None:
        _apply_metadata(row, item.record)
    return row


def read_one(item: Planned) -> dict:
    """The articles row of one planned file, whatever happens to it (duplicates not yet marked)."""
    return row_of(item, file_bytes(item.file))


def duplicate_marker():
    """A function that marks one row after another, in corpus order, as `_mark_duplicates` does:
    for runs that see the rows one chunk at a time."""
    first: dict[str, str] = {}

    def mark(row: dict) -> None:
        _mark_duplicates([row], first)
    return mark


def articles_table(rows: list[dict], problems: list[str]) -> pd.DataFrame:
    """The validated articles table of rows in corpus order, duplicates marked, problems logged."""
    _mark_duplicates(rows)
    for problem in problems:
        log.warning(problem)
    frame = schemas.from_records("articles", rows)
    frame.attrs["problems"] = problems
    return frame


def read_corpus(folder: str | Path, metadata: str | Path | None = None) -> pd.DataFrame:
    """The articles table: one validated row for every *.txt and *.md under folder."""
    items, problems = plan_corpus(folder, metadata)
    return articles_table([read_one(item) for item in items], problems)

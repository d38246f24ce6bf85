"""What the text says about itself: title, outlet, author and dateline, read from the lines
above and below the article."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from kaidan.extract.dates import find_dates
from kaidan.extract.read.furniture import _PROFILE_HEADING, MAX_HEADING_LINE, MAX_MARKER_LINE, _SOURCE_LABEL, \
    Layout, _is_heading, is_prose
from kaidan.text import fold


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


def _read_header(kept: list[str], meta: TextMetadata, dateline_of: Callable[[str], Dateline | None]) -> list[str]:
    """Title and author from the lines above the first paragraph; returns the outlet bylines found there."""
    outlets = []
    for line in kept[:HEADER_LINES]:
        if dateline_of(line):
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
    # The header's lines are also in the dateline zone: each line is read for a date once.
    dateline_of = lru_cache(maxsize=None)(find_dateline)
    header_outlets = _read_header(kept, meta, dateline_of)
    meta.title, title_outlet = _split_title(meta.title)
    zone = kept if len(kept) <= 2 * DATELINE_ZONE else kept[:DATELINE_ZONE] + kept[-DATELINE_ZONE:]
    datelines = [d for d in map(dateline_of, zone) if d]
    meta.dateline = datelines[0] if datelines else None
    footer_outlets = [line for line in kept[-FOOTER_LINES:] if _is_outlet(line, media_word_required=True)]
    outlets = [_source_outlet(stripped), *(d.outlet for d in datelines), *header_outlets, *footer_outlets,
               title_outlet, _copyright_outlet(stripped)]
    meta.outlet = next((o for o in outlets if o), None)
    meta.author = meta.author or _profile_author(stripped)
    return meta

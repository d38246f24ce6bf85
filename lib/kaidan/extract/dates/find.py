"""The date mentions of a text (``find_dates``), and dates that stand on their own
(``parse_date``: a metadata cell, a dateline).

Every rule runs over the width-folded text; of overlapping candidates the leftmost, then
the longest, wins, and a handler turning its match down leaves the place to the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

from kaidan.extract.dates.anchors import _Anchor, _parse_anchor, _resolved
from kaidan.extract.dates.handlers import _RULES, _TENSED, Handler, _num, _on_short_year
from kaidan.extract.dates.patterns import _FIRST_CHARS, _FOLLOWERS, _P_ABOUT, _WORD_HEADS, number_head
from kaidan.extract.dates.tense import clause_tense
from kaidan.text import fold


@dataclass(frozen=True)
class DateMention:
    """One temporal expression: where it is, what it says, and the date it resolves to."""

    start: int
    end: int
    text: str
    kind: str
    date: str | None
    precision: str | None
    end_date: str | None = None
    year: int | None = None       # as written: 2025, the Western year of an era year, 24 for 24年
    month: int | None = None
    day: int | None = None
    offset_years: int | None = None   # since: N years back (positive); year words: signed (昨年 -1)
    offset_months: int | None = None  # likewise (3年4カ月ぶり 4; 先月 -1)
    approximate: bool = False         # since: the span is approximate (約, 余り, 半), so it dates nothing
    base: str | None = None           # chained: the expression it was resolved from (同日 ← 1日)
    basis: str | None = None          # how the date was reached, for an analyst to audit (set by callers)


def _coarser(fields: dict) -> dict:
    """The date of an approximate expression one precision coarser (day → month → year → none)."""
    iso = fields.get("date")
    if iso is None:
        return {}
    shorter = {10: iso[:7], 7: iso[:4], 4: None}[len(iso)]
    return {"date": shorter, "precision": {7: "month", 4: "year"}.get(len(shorter or "")),
            "approximate": True}



# ---------------------------------------------------------------------------- entry points
def find_dates(text: str, anchor: str | None = None) -> list[DateMention]:
    """Every temporal expression in text, in order, resolved against anchor (the article's
    own date, ISO at any precision) where they need one. Overlaps go to the leftmost, then
    the longest. ValueError only for a malformed anchor; any text is fine."""
    parsed = _parse_anchor(anchor) if anchor is not None else None
    folded, candidates = _candidates(text)
    mentions, taken = [], 0
    full_years: dict[int, None] = {}  # the full years written so far, the last written last
    for start, neg_end, _, match, handler in candidates:
        if start < taken:
            continue
        seen = parsed
        if parsed is not None and handler in _TENSED:
            seen = replace(parsed, direction=clause_tense(folded, -neg_end))
        # A handler turning its match down leaves the place to the next candidate.
        fields = _short_year(match, parsed, full_years) if handler is _on_short_year else handler(match.groupdict(), seen)
        if fields is not None:
            if _P_ABOUT.match(folded, -neg_end):
                fields |= _coarser(fields)
            taken = -neg_end
            mentions.append(DateMention(start, taken, text[start:taken], **fields))
            year = mentions[-1].year
            if mentions[-1].kind in _FULL_YEAR_KINDS and year and year > 99:
                full_years.pop(year, None)
                full_years[year] = None
    return mentions


@lru_cache(maxsize=4)
def _candidates(text: str) -> tuple[str, list[tuple]]:
    """The folded text and every rule's matches in it, in order: the same whatever the anchor,
    so a body read unanchored for its own date and then anchored is scanned once."""
    folded = fold(text)
    candidates = list(_rule_matches(folded))
    candidates.sort(key=lambda c: c[:3])
    return folded, candidates


# Where any rule's match can start, found by the one pass over the text: a character some rule
# starts with, where some rule's head holds. At a number (a run of numerals followed by a
# character some rule reads after one) group 1 keeps that character, and only the rules it
# allows are tried there; a word's head (今年, 金曜, 一昨日) keeps none. One character is
# taken, so the next place may be the next character. It is taken first, and the heads read
# from its place by a lookbehind over it: a pattern that opens with a character class lets sre
# skip to those characters at once instead of trying every place of the text.
_AFTER_NUMBERS = re.escape("".join(sorted(set("".join(_FOLLOWERS.values())))))
_ANY_FIRST = re.compile(
    "(?s:[" + "".join(_FIRST_CHARS[pattern] for pattern, _ in _RULES) + "]"
    f"(?<=(?:(?={number_head(_AFTER_NUMBERS, keep=True)})"
    "|(?=" + "|".join(dict.fromkeys(_WORD_HEADS[pattern] for pattern, _ in _RULES if _WORD_HEADS[pattern])) + "))"
    "."
    "))")


def _rule_matches(folded: str) -> Iterator[tuple]:
    """Every rule's matches, each rule's as its finditer gives them (in order, none overlapping
    another of the same rule), from one pass over the text instead of one per rule: a rule is
    tried only where a character it starts with stands and some head holds (`_ANY_FIRST`), at a
    number only if the character after it is one the rule reads there, and not inside its own
    last match."""
    free = [0] * len(_RULES)  # by rule: where its next match may start
    for place in _ANY_FIRST.finditer(folded):
        start = place.start()
        for order, pattern, handler in _rules_starting(folded[start], place.group(1)):
            if start >= free[order] and (match := pattern.match(folded, start)):
                free[order] = match.end()
                yield start, -match.end(), order, match, handler


@lru_cache(maxsize=None)  # one entry for each character in _ANY_FIRST, and each after a number
def _rules_starting(char: str, after_number: str | None = None) -> tuple[tuple[int, re.Pattern, Handler], ...]:
    """The rules (their order, regex and handler) whose matches can start with char and, when
    char begins a number followed by after_number, can read that character after it."""
    return tuple((order, pattern, handler) for order, (pattern, handler) in enumerate(_RULES)
                 if re.fullmatch(f"[{_FIRST_CHARS[pattern]}]", char)
                 and (after_number is None or after_number in _FOLLOWERS[pattern]))


_FULL_YEAR_KINDS = frozenset({"absolute", "range", "present_year"})
_SHORT_YEAR_SPAN = 10   # how far from a full year written before it a two-digit year may lie


def _short_year(match: re.Match, anchor: _Anchor | None, full: dict[int, None]) -> dict | None:
    """A two-digit year standing alone (24年に) is a year only after the text has written a
    full year (2024年) within ten years of it: the writer shortens a century already given.
    Its century is the anchor's, else that of the full year written last (`full`: the full
    years written before it, each once, the last written last)."""
    if not full:
        return None
    fields = _on_short_year(match.groupdict(), anchor or _parse_anchor(f"{next(reversed(full)):04d}"))
    if fields is None or not any(abs(int(fields["date"]) - year) <= _SHORT_YEAR_SPAN for year in full):
        return None
    return fields


_STANDALONE_KINDS = frozenset({"absolute", "range", "present_year"})
_LABEL = r"(?:[a-z_]+ ?[:=]? ?)?"   # "date 2025-12", "published: 2019"
_P_BARE = re.compile(rf"{_LABEL}(?P<y>[12][0-9]{{3}})(?:[-/.](?P<m>1[0-2]|0?[1-9]))?")
_P_COMPACT = re.compile(rf"{_LABEL}(?P<y>[12][0-9]{{3}})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])")


def dates_agree(a: str | None, b: str | None) -> bool:
    """Two ISO dates at any precision agree at the precision both have (2024, 2024-05 and
    2024-05-03 agree; 2024-05 and 2024-06 do not); an unknown date contradicts nothing."""
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def parse_date(value: str) -> tuple[str, str] | None:
    """A standalone date (metadata cell, dateline) in any common form → (iso, precision):
    '2025-12-03', '2023/4/20', '2017年03月24日(金)21時30分', 'November 19, 2024',
    '令和元年5月30日', '2024年11月', '2019', '20251203'. None when it is not a date
    that stands on its own (12月2日 needs an anchor)."""
    if not isinstance(value, str):
        return None
    for mention in find_dates(value):
        if mention.kind in _STANDALONE_KINDS and mention.date is not None:
            return mention.date, mention.precision
    bare = fold(value).strip()
    if m := _P_COMPACT.fullmatch(bare):
        return _resolved(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _P_BARE.fullmatch(bare):
        return _resolved(int(m["y"]), _num(m["m"]))
    return None

"""What each match means: one handler per form, turning a regex match and the anchor into
a mention's fields (or None: the match is no date after all), and the rules that pair them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from kaidan.extract.dates.anchors import (
    Resolved, _add_days, _Anchor, _calendar, _date, _day_resolved, _iso, _resolved, _shift_month,
    _two_digit_year, _weekday_on_or_before)
from kaidan.extract.dates.patterns import (
    _CHAINED, _CHAINED_KINDS, _DAY_WORD, _EN_MONTH, _ERA_BASE, _P_CHAINED_DAY, _P_DAY_LED, _P_DAY_RANGE,
    _P_DAY_WORD, _P_EN_DMY, _P_EN_MDY, _P_EN_MY, _P_MONTH_LED, _P_MONTH_RANGE, _P_NUMERIC, _P_PRESENT,
    _P_SHORT_YEAR, _P_SINCE, _P_WEEK, _P_WEEKDAY, _P_YEAR_LED, _P_YEAR_RANGE, _P_YEAR_WORD, _REL_MONTH, _REL_YEAR,
    _WEEK_DAYS, _WEEK_OFFSET, _WEEKDAYS, _YEAR_END)
from kaidan.text import kanji_to_int

# ---------------------------------------------------------------------------- reading match groups
Groups = dict[str, str | None]   # a match's groupdict()


def _num(token: str | None) -> int | None:
    return None if token is None else kanji_to_int(token)


def _weekday(g: Groups, name: str = "wd") -> int | None:
    ch = g.get(name) or g.get(name.replace("wd", "wdb", 1))
    return None if ch is None else _WEEKDAYS[ch]


def _given_year(g: Groups, n: str = "") -> tuple[bool, int | None, int | None]:
    """(ok, year, two_digit) from a ``_year`` piece; ok is False when the number is no year."""
    if (era := g.get(f"era{n}")) is not None:
        number = _num(g[f"ey{n}"])
        return bool(number), _ERA_BASE[era] + number, None
    if (year := _num(g.get(f"y{n}"))) is not None:
        return 1600 <= year <= 2199, year, None
    return True, None, _num(g.get(f"yy{n}"))


@dataclass
class _Head:
    """The year and month a date starts with, as far as the text and anchor fix them."""

    kind: str = "relative"     # absolute when the text gives the year; a chained kind for 同年, 翌月 …
    year: int | None = None    # the full year to resolve with
    month: int | None = None   # the month to resolve with
    open: bool = False         # the text ties the date to an anchor that is missing
    parts: dict = field(default_factory=dict)   # DateMention parts as the text gives them


def _head(g: Groups, anchor: _Anchor | None, n: str = "") -> _Head | None:
    """Read the year (2025年, 令和7年, 24年, 今年, 同年) and month (12月, 先月, 同月, 同)
    groups; None when the number is no year after all."""
    ok, year, two_digit = _given_year(g, n)
    if not ok:
        return None
    head = _Head()
    if year is not None:
        head.kind, head.year, head.parts["year"] = "absolute", year, year
    elif two_digit is not None:
        head.year, head.parts["year"] = _two_digit_year(two_digit, anchor), two_digit
        head.open = head.year is None
    elif (word := g.get(f"ry{n}")) is not None:
        if word in _CHAINED:
            head.kind, offset = _CHAINED[word]
        else:
            offset = _REL_YEAR[word]
            head.year = anchor.year + offset if anchor else None
            head.open = anchor is None
        head.parts["offset_years"] = offset
    if (month := _num(g.get(f"m{n}"))) is not None:
        head.month = head.parts["month"] = month
    if (word := g.get(f"rm{n}") or g.get(f"same{n}")) is not None:
        if word in _CHAINED:
            head.kind, offset = _CHAINED[word]
        else:
            offset = _REL_MONTH[word]
            if anchor is None or anchor.month is None:
                head.open = True
            else:
                head.year, head.month = _shift_month(anchor.year, anchor.month, offset)
        head.parts["offset_months"] = offset
    return head


def _fields(kind: str, resolved: Resolved = None, **parts) -> dict:
    iso, precision = resolved or (None, None)
    return {"kind": kind, "date": iso, "precision": precision, **parts}


# ---------------------------------------------------------------------------- handlers
# Each takes the match's groups and the anchor and returns DateMention fields, or None:
# the match is not a date after all. Handlers shared by several rules read groups with .get.

def _on_present(g: Groups, anchor: _Anchor | None) -> dict | None:
    year = _num(g["y"])
    if not 1600 <= year <= 2199:
        return None
    return _fields("present_year", _resolved(year), year=year)


def _on_calendar(g: Groups, anchor: _Anchor | None) -> dict | None:
    """One date: 2025年7月10日, 今年6月, 昨年末, 12月2日, 先月下旬, 同21日, 28日夜."""
    head = _head(g, anchor)
    if head is None:
        return None
    day = _num(g.get("d") or g.get("dk"))
    if g.get("same") and day is None:
        return None   # 同 alone is no date; 同21日 is
    parts = head.parts | {"day": day}
    month = head.month
    if g.get("yq") in _YEAR_END:
        month = parts["month"] = 12
    if head.kind in _CHAINED_KINDS or head.open:
        return _fields(head.kind, None, **parts)
    return _fields(head.kind, _calendar(head.year, month, day, anchor, _weekday(g)), **parts)


def _range_kind(head: _Head) -> str:
    return head.kind if head.kind in _CHAINED_KINDS else "range"


def _second_year(g: Groups, anchor: _Anchor | None) -> tuple[bool, int | None]:
    """(ok, year) for the year the second half of a range gives (2026年, 26年), if any."""
    ok, year, two_digit = _given_year(g, "2")
    return ok, (_two_digit_year(two_digit, anchor) if two_digit is not None else year)


def _on_day_range(g: Groups, anchor: _Anchor | None) -> dict | None:
    """12月1〜2日, 1日から2日にかけて, 11月30日〜12月2日, 12、13の両日: date is the first
    day, end_date the last. Bare ranges of small numbers (2〜3日) read as durations."""
    head = _head(g, anchor, "1")
    ok, last_year = _second_year(g, anchor)
    if head is None or not ok:
        return None
    first_day, has_month = _num(g["d1"]), "month" in head.parts or "offset_months" in head.parts
    if g["m2"] and not (has_month or g["n1"]):
        return None   # 2、5月9日 is a list
    if g["sep"] == "、" and (g["n1"] or g["m2"] or not (has_month or g["span"] or g["both"])):
        return None   # 1日、2日 is a list; 2、3日 is "two or three days"
    if not (has_month or "year" in head.parts or g["n1"] or g["span"] or g["both"] or first_day >= 10):
        return None
    parts = head.parts | {"day": first_day}
    kind = _range_kind(head)
    if kind != "range" or head.open:
        return _fields(kind, None, **parts)
    resolved = _calendar(head.year, head.month, first_day, anchor, _weekday(g, "wd1"))
    if resolved is None:
        return _fields(kind, None, **parts)
    first = dt.date.fromisoformat(resolved[0])
    last_month = _num(g["m2"])
    last = _date(last_year or first.year, last_month or first.month, _num(g["d2"]))
    if last is not None and last < first and last_year is None:   # 30日〜2日, 12月30日〜1月2日
        year, month = (_shift_month(first.year, first.month, 1) if last_month is None
                       else (first.year + 1, last_month))
        last = _date(year, month, _num(g["d2"]))
    if last is None or last < first:
        return _fields(kind, None, **parts)
    return _fields(kind, resolved, end_date=last.isoformat(), **parts)


def _on_month_range(g: Groups, anchor: _Anchor | None) -> dict | None:
    """6〜7月, 3、4月, 2025年12月〜26年1月: date and end_date at month precision."""
    if g["sep"] == "、" and g["n1"]:
        return None   # 10月、1月 is a list
    head = _head(g, anchor, "1")
    ok, last_year = _second_year(g, anchor)
    if head is None or not ok:
        return None
    kind = _range_kind(head)
    if kind != "range" or head.open:
        return _fields(kind, None, **head.parts)
    resolved = _calendar(head.year, head.month, None, anchor)
    if resolved is None:
        return _fields(kind, None, **head.parts)
    first = (int(resolved[0][:4]), head.month)
    last = (last_year or first[0], _num(g["m2"]))
    if last < first and last_year is None:   # 12月〜1月
        last = (last[0] + 1, last[1])
    if last <= first:
        return _fields(kind, None, **head.parts)
    return _fields(kind, resolved, end_date=_iso(*last), **head.parts)


def _on_year_range(g: Groups, anchor: _Anchor | None) -> dict | None:
    """2014〜2016年, 2014〜16年: year precision. 2013年から20年 is "20 years since", not a range."""
    first, token = int(g["y1"]), g["y2"]
    if len(token) == 2:
        if g["sep"] == "から":
            return None
        last = first - first % 100 + int(token)
    else:
        last = int(token)
    if last <= first:
        return None
    return _fields("range", _resolved(first), end_date=f"{last:04d}", year=first)


def _on_numeric(g: Groups, anchor: _Anchor | None) -> dict | None:
    year, month, day = int(g["y"]), int(g["m"]), int(g["d"])
    return _fields("absolute", _resolved(year, month, day), year=year, month=month, day=day)


def _on_english(g: Groups, anchor: _Anchor | None) -> dict | None:
    """November 19, 2024 / 19 Nov 2024 / November 2024."""
    year, month, day = int(g["y"]), _EN_MONTH[g["mon"]], _num(g.get("d"))
    return _fields("absolute", _resolved(year, month, day), year=year, month=month, day=day)


def _on_year_word(g: Groups, anchor: _Anchor | None) -> dict | None:
    """年末 → December of the article's year; 年初/年頭/年始 → its year; 年明け → the coming
    new year (next year when the article is from the second half of the year)."""
    part = g["yq"]
    if anchor is None:
        resolved = None
    elif part in _YEAR_END:
        resolved = _resolved(anchor.year, 12)
    elif part == "明け":
        resolved = None if anchor.month is None else _resolved(anchor.year + (anchor.month >= 7))
    else:
        resolved = _resolved(anchor.year)
    return _fields("relative", resolved, month=12 if part in _YEAR_END else None, offset_years=0)


def _on_week(g: Groups, anchor: _Anchor | None) -> dict | None:
    """今週, 先週末, 先週金曜: day precision only when a weekday pins the day; else the month
    (or year) that all the days meant lie in. Weeks run Monday to Sunday."""
    resolved = None
    if anchor is not None and anchor.date is not None:
        monday = _add_days(anchor.date, 7 * _WEEK_OFFSET[g["wk"]] - anchor.date.weekday())
        weekday = _weekday(g)
        days = [monday and _add_days(monday, i)
                for i in ([weekday] if weekday is not None else _WEEK_DAYS[g["part"]])]
        if all(days):
            first, last = days[0], days[-1]
            if weekday is not None:
                resolved = _day_resolved(first)
            elif (first.year, first.month) == (last.year, last.month):
                resolved = _resolved(first.year, first.month)
            elif first.year == last.year:
                resolved = _resolved(first.year)
    return _fields("relative", resolved)


def _on_weekday(g: Groups, anchor: _Anchor | None) -> dict | None:
    """金曜日, (金): the nearest such day from a day-precision anchor on the side the
    clause's tense points to (会談した → back, 会談する → ahead); none when it is unclear."""
    weekday = _weekday(g, "wd" if g["wd"] else "wdp")
    resolved = None
    if anchor is not None and anchor.date is not None and anchor.direction < 0:
        resolved = _day_resolved(_weekday_on_or_before(anchor.date, weekday))
    elif anchor is not None and anchor.date is not None and anchor.direction > 0:
        resolved = _day_resolved(_add_days(anchor.date, (weekday - anchor.date.weekday()) % 7))
    return _fields("weekday", resolved)


def _on_day_word(g: Groups, anchor: _Anchor | None) -> dict | None:
    """本日, 昨日, 昨夜: days from a day-precision anchor. (今日 and 明日 are left out:
    in writing they mostly mean "nowadays" and "the future".)"""
    resolved = None
    if anchor is not None and anchor.date is not None:
        resolved = _day_resolved(_add_days(anchor.date, _DAY_WORD[g["rd"]]))
    return _fields("relative", resolved)


def _on_chained_day(g: Groups, anchor: _Anchor | None) -> dict | None:
    return _fields(_CHAINED[g["cd"]][0])


def _on_since(g: Groups, anchor: _Anchor | None) -> dict | None:
    """4年ぶり, 3年4カ月ぶり, 約4年半ぶり, 20年前: the offset, and the anchor minus it at
    year precision, or month precision when the text counts months exactly."""
    years = _num(g["y"])
    months = _num(g["m"] or g["mo"])
    if g["yhalf"] or g["half"]:
        months = (months or 0) + 6
    if g["mhalf"] or not (years or months):
        return None   # 3カ月半: half a month is below what a month date can say
    approx = bool(g["approx"] or g["more"] or g["yhalf"] or g["half"])
    return _fields("since", None if approx else _since(anchor, years or 0, months or 0),
                   offset_years=years, offset_months=months, approximate=approx)


def _since(anchor: _Anchor | None, years: int, months: int) -> Resolved:
    """An exact span back from the anchor: the year, or the month when months are counted.
    (An approximate span, 約4年半ぶり, dates nothing: the codebook.)"""
    if anchor is None:
        return None
    if not months:
        return _resolved(anchor.year - years)
    if anchor.month is None:
        return None
    year, month = _shift_month(anchor.year, anchor.month, -(years * 12 + months))
    return _resolved(year, month)


def _on_short_year(g: Groups, anchor: _Anchor | None) -> dict | None:
    """24年に, 18年以来: the year whose last two digits these are, on the anchor the caller
    gives (the article's date, else the full year the text wrote before it)."""
    written = int(g["yy"])
    year = _two_digit_year(written, anchor)
    return None if year is None else _fields("relative", _resolved(year), year=written)


Handler = Callable[[Groups, _Anchor | None], dict | None]

# Rule order breaks ties between candidates with the same start and length.
_RULES: tuple[tuple[re.Pattern, Handler], ...] = (
    (_P_PRESENT, _on_present),
    (_P_DAY_RANGE, _on_day_range),
    (_P_MONTH_RANGE, _on_month_range),
    (_P_YEAR_RANGE, _on_year_range),
    (_P_YEAR_LED, _on_calendar),
    (_P_MONTH_LED, _on_calendar),
    (_P_DAY_LED, _on_calendar),
    (_P_NUMERIC, _on_numeric),
    (_P_EN_MDY, _on_english),
    (_P_EN_DMY, _on_english),
    (_P_EN_MY, _on_english),
    (_P_YEAR_WORD, _on_year_word),
    (_P_WEEK, _on_week),
    (_P_WEEKDAY, _on_weekday),
    (_P_DAY_WORD, _on_day_word),
    (_P_CHAINED_DAY, _on_chained_day),
    (_P_SINCE, _on_since),
    (_P_SHORT_YEAR, _on_short_year),
)



# The handlers whose dates the clause's tense places (a day or weekday without its month).
_TENSED = frozenset({_on_calendar, _on_day_range, _on_weekday})

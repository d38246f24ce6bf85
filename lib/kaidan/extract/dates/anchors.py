"""The anchor (the article's own date) and placing a partial date (12月2日, 28日) near it.

Deictic expressions resolve against the anchor, never against another date in the text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_UNDIRECTED_DAYS = 7   # a day with no tense to place it is read only this close to the article
_HALF_YEAR_DAYS = 184  # a weekday written with a month and day picks the year only this close


@dataclass(frozen=True)
class _Anchor:
    year: int
    month: int | None
    day: int | None
    direction: int = 0   # the clause's tense: 1 ahead (会談する, 予定), -1 back (会談した), 0 unclear

    @property
    def date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day else None


_ANCHOR_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _parse_anchor(iso: str) -> _Anchor:
    """An ISO date at any precision, or ValueError: a bad anchor is the caller's bug."""
    m = _ANCHOR_ISO.fullmatch(iso.strip()) if isinstance(iso, str) else None
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {iso!r}")
    year, month, day = (int(g) if g else None for g in m.groups())
    if _iso(year, month, day) is None:
        raise ValueError(f"not a valid date: {iso!r}")
    return _Anchor(year, month, day)


def anchor_precision(iso: str) -> str:
    """'day', 'month' or 'year' for an ISO date; ValueError when it is not one."""
    anchor = _parse_anchor(iso)
    return _precision_of(anchor.month, anchor.day)


def weekday_before(anchor_iso: str, weekday: int) -> str:
    """The most recent ``weekday`` (Monday = 0) on or before the anchor day, as ISO."""
    anchor = _parse_anchor(anchor_iso)
    if anchor.date is None or not 0 <= weekday <= 6:
        raise ValueError("weekday_before needs a day-precision anchor and a weekday 0–6")
    found = _weekday_on_or_before(anchor.date, weekday)
    if found is None:
        raise ValueError(f"no such weekday on or before {anchor_iso}")
    return found.isoformat()


# ---------------------------------------------------------------------------- calendar helpers
Resolved = tuple[str, str] | None   # (iso, precision)


def _precision_of(month: int | None, day: int | None) -> str:
    return "day" if day is not None else "month" if month is not None else "year"


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO at the precision of the parts given, or None when they are not a real date."""
    if year is None or not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        return None if day is not None else f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return d.isoformat() if (d := _date(year, month, day)) else None


def _resolved(year: int | None, month: int | None = None, day: int | None = None) -> Resolved:
    iso = _iso(year, month, day)
    return (iso, _precision_of(month, day)) if iso else None


def _day_resolved(day: dt.date | None) -> Resolved:
    return (day.isoformat(), "day") if day else None


def _add_days(day: dt.date, n: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        return None


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date | None:
    return _add_days(day, -((day.weekday() - weekday) % 7))


def _shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    year, month0 = divmod(year * 12 + month - 1 + k, 12)
    return year, month0 + 1


def _year_of_month(month: int, day: int | None, anchor: _Anchor, weekday: int | None) -> Resolved:
    """The year of a month (and day) written without one: the reading nearest the anchor.
    Japanese writes 来年 with a month of the next year, so that reading is open only to a
    clause that points ahead (会談する, 予定); otherwise the month is the anchor's year's or,
    near the turn of the year, the year before's. A weekday the text gives with the day
    (5日(月)) picks among the readings within half a year. Ties go to the side the tense
    points to (the later without one); then the day is checked: 2月29日 in 2025 is no date."""
    readings = [(_months_or_days_from(anchor, year, month, day), year)
                for year in (anchor.year - 1, anchor.year, anchor.year + 1) if _date(year, month, 1)]
    if weekday is not None and day is not None:
        named = [(offset, year) for offset, year in readings if abs(offset) <= _HALF_YEAR_DAYS
                 and (date := _date(year, month, day)) and date.weekday() == weekday]
        readings = named or readings
    if anchor.direction <= 0:
        readings = [(offset, year) for offset, year in readings if year <= anchor.year] or readings
    if not readings:
        return None
    side = -1 if anchor.direction < 0 else 1
    _, year = min(readings, key=lambda reading: (abs(reading[0]), -side * reading[0]))
    return _resolved(year, month, day)


def _months_or_days_from(anchor: _Anchor, year: int, month: int, day: int | None) -> int:
    """How far a reading lies after the anchor (negative: before it): in days when both give
    the day, else in months (the anchor's own month is then neither side)."""
    if day is None or anchor.date is None:
        return (year - anchor.year) * 12 + month - anchor.month
    return (_date(year, month, 1) - anchor.date).days + day - 1


def _day_near(day: int, target: dt.date, weekday: int | None, direction: int) -> Resolved:
    """A day of month (in the anchor's month, the one before or the one after) on the side
    of the anchor day the clause's tense points to, the first such; with the tense unclear,
    the nearest only when it lies within a week of the article (a weekday the text gives
    narrows them)."""
    months = (_shift_month(target.year, target.month, k) for k in (-1, 0, 1))
    candidates = [d for y, m in months if (d := _date(y, m, day))]
    if weekday is not None and any(c.weekday() == weekday for c in candidates):
        candidates = [c for c in candidates if c.weekday() == weekday]
        if len(candidates) == 1:
            return _day_resolved(candidates[0])   # 30日(日): the day and its weekday fix the month
    if direction:
        candidates = [c for c in candidates if (c - target).days * direction >= 0]
    else:
        candidates = [c for c in candidates if abs((c - target).days) <= _UNDIRECTED_DAYS]
    return _day_resolved(min(candidates, key=lambda c: (abs((c - target).days), c), default=None))


def _calendar(year: int | None, month: int | None, day: int | None,
              anchor: _Anchor | None, weekday: int | None = None) -> Resolved:
    """Resolve year/month/day parts; a missing year or month is taken from the anchor, on
    the side of it the clause's tense points to (12月2日, 28日)."""
    if year is not None:
        return _resolved(year, month, day)
    if anchor is None or anchor.month is None or (month is None and day is None):
        return None
    if month is not None:
        return _year_of_month(month, day, anchor, weekday)
    target = anchor.date
    if target is None:   # day of month against a month-precision anchor: that month
        return _resolved(anchor.year, anchor.month, day)
    return _day_near(day, target, weekday, anchor.direction)


def _two_digit_year(yy: int, anchor: _Anchor | None) -> int | None:
    """24年 → the latest year ending in 24 no more than ten years after the article
    (so 45年8月 in a 2017 article is 1945, 19年6月 is 2019). None without an anchor."""
    if anchor is None:
        return None
    limit = anchor.year + 10
    return limit - (limit - yy) % 100


"""Dates at the precision the text supports, and the periods (year, quarter, month) they fall in.

A date counts in a period only when the whole date falls inside it: ``2025-12`` is placed in
2025 and in 2025Q4, but ``2025`` is not placed in any month.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import pandas as pd

from kaidan.analysis.common import is_missing
from kaidan.constants import PERIODS


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Span:
    """An ISO date at its precision, as the first and last day it may mean."""

    first: dt.date
    last: dt.date
    precision: str  # day, month or year


# distinct dates kept parsed and placed: a corpus repeats a few thousand dates across every
# event and article, so a large one parses each once rather than once per row
DATES_CACHED = 65_536


def date_span(value) -> Span | None:
    """``2025`` → 2025-01-01..2025-12-31; ``2025-12`` → the month; a day → that day; else None."""
    if is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Span(value, value, "day")
    return _text_span(str(value))


@lru_cache(maxsize=DATES_CACHED)
def _text_span(text: str) -> Span | None:
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            d = dt.date(int(year), int(month), int(day))
            return Span(d, d, "day")
        if month:
            first = dt.date(int(year), int(month), 1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return Span(first, last, "month")
        return Span(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31), "year")
    except ValueError:
        return None


def parse_bound(value, *, end: bool = False) -> dt.date | None:
    """A start or end parameter as a day: ``2024`` starts on 1 January, or ends on 31 December."""
    if is_missing(value) or str(value).strip() == "":
        return None
    span = date_span(value)
    if span is None:
        raise ValueError(f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return span.last if end else span.first


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"period {period!r} is not one of {', '.join(PERIODS)}")
    return period


@lru_cache(maxsize=DATES_CACHED)
def period_of(day: dt.date, period: str) -> pd.Period:
    return pd.Period(day, freq=PERIODS[check_period(period)])


@lru_cache(maxsize=DATES_CACHED)
def place(span: Span | None, period: str) -> pd.Period | None:
    """The period a date falls in, or None when it is coarser than the period (or missing)."""
    if span is None:
        return None
    first, last = period_of(span.first, period), period_of(span.last, period)
    return first if first == last else None


def period_index(periods: Iterable[pd.Period], period: str, start: dt.date | None = None,
                 end: dt.date | None = None) -> pd.PeriodIndex:
    """Every period from the start (or the first seen) to the end (or the last seen), gaps included."""
    periods = [p for p in periods if p is not None]
    lo = period_of(start, period) if start else (min(periods) if periods else None)
    hi = period_of(end, period) if end else (max(periods) if periods else None)
    if lo is None or hi is None or lo > hi:
        return pd.PeriodIndex([], freq=PERIODS[period])
    return pd.period_range(lo, hi, freq=PERIODS[period])


def overlaps(span: Span | None, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None and end is None:
        return True
    if span is None:
        return False
    return (start is None or span.last >= start) and (end is None or span.first <= end)

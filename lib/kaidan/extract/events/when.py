"""What one report says about its time: the span of days it can have been on, and the day of
the month it writes (the merge rule is in `kaidan.extract.events`)."""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from kaidan.reference import parse_day

UNDATED_WINDOW_DAYS = 45
BUCKET_DAYS = UNDATED_WINDOW_DAYS + 1           # the time index's bucket
PRECISE_DAYS = 2 * UNDATED_WINDOW_DAYS + 1      # the widest span that still places a meeting in time
DAY_ONLY = re.compile(r"^\s*([0-9０-９]{1,2})\s*日")  # 28日, ９日午後: a day with no month
Span = tuple[int, int]  # first and last possible day, as ordinals


def report_span(row: dict, published: dt.date | None) -> Span | None:
    """The days the meeting can have been on: its date at its precision, narrowed to the
    window around its article's publication when it is the article's main meeting and
    the date says less than a month; None when nothing places it."""
    return _span_of(row["date"], row["reported_as"] == "main", published)


@functools.lru_cache(maxsize=1 << 16)  # asked for every pair compared; few distinct arguments
def _span_of(date: str | None, main: bool, published: dt.date | None) -> Span | None:
    span = None
    if date:
        try:
            span = (parse_day(date).toordinal(), parse_day(date, end=True).toordinal())
        except ValueError:
            span = None
    if main and published is not None and (span is None or not is_precise(span)):
        day = published.toordinal()
        window = (day - UNDATED_WINDOW_DAYS, day + UNDATED_WINDOW_DAYS)
        if span is None:
            return window
        if max(span[0], window[0]) <= min(span[1], window[1]):
            return max(span[0], window[0]), min(span[1], window[1])
    return span


def is_precise(span: Span | None) -> bool:
    return span is not None and span[1] - span[0] < PRECISE_DAYS


def overlap(a: Span, b: Span) -> bool:
    """With a day to spare on each side (time zones)."""
    return a[0] <= b[1] + 1 and b[0] <= a[1] + 1


def day_written(row: dict) -> int | None:
    """The day of the month the report gives: its date's, or a day written alone (28日)."""
    return _day_of(row["date"], row.get("date_text"))


@functools.lru_cache(maxsize=1 << 12)
def _day_of(date: str | None, text: str | None) -> int | None:
    if date and len(date) == 10:
        return int(date[8:])
    match = DAY_ONLY.match(text or "")
    day = int(unicodedata.normalize("NFKC", match.group(1))) if match else None
    return day if day and day <= 31 else None


def near_days(day: int) -> tuple[int, int, int]:
    """The day and its neighbours, round the month (31 and 1 are neighbours)."""
    return (day - 2) % 31 + 1, day, day % 31 + 1


def adjacent_days(a: str | None, b: str | None) -> bool:
    if not a or not b or len(a) != 10 or len(b) != 10:
        return False
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) == 1
    except ValueError:
        return False

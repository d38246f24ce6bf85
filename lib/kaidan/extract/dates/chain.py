"""Chained dates (同日, 翌日, 同年12月, 翌年): resolved against the date the narrative
mentioned last, not the article's date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from kaidan.extract.dates.anchors import _iso, _precision_of, _shift_month
from kaidan.extract.dates.find import DateMention
from kaidan.extract.dates.patterns import _CHAINED_KINDS


def resolve_chain(mentions: list[DateMention]) -> list[DateMention]:
    """Resolve 同日, 翌日, 同年12月, 翌年 against the date the text mentioned last, at no more
    precision than both give: the narrative's own chain, not the article's date."""
    resolved: list[DateMention] = []
    last: DateMention | None = None
    for mention in mentions:
        if mention.kind in _CHAINED_KINDS and mention.date is None and last is not None:
            mention = _chained(mention, last) or mention
        if mention.date and mention.kind not in ("since", "present_year"):
            last = mention
        resolved.append(mention)
    return resolved


def _chained(mention: DateMention, last: DateMention) -> DateMention | None:
    base = [int(p) for p in last.date.split("-")]
    unit = mention.kind.split("_")[1]
    offset = {"same": 0, "next": 1, "previous": -1}[mention.kind.split("_")[0]]
    year, month, day = (base + [None, None])[:3]
    if unit == "day":
        if day is None:
            return None
        try:
            moved = dt.date(year, month, day) + dt.timedelta(days=offset)
        except OverflowError:
            return None
        return replace(mention, date=moved.isoformat(), precision="day", base=last.text)
    if unit == "month":
        if month is None:
            return None
        year, month = _shift_month(year, month, offset)
        day = mention.day
    else:
        year += offset
        month, day = mention.month, mention.day if mention.month else None
    iso = _iso(year, month, day)
    if iso is None:
        return None
    return replace(mention, date=iso, precision=_precision_of(month, day), base=last.text)

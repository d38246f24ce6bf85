"""What a meeting being assembled holds (`Draft`) and what the segments of one article share
(`Context`): the state the meetings package's steps read and fill in."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kaidan.extract.dates import DateMention
from kaidan.reference import Reference


@dataclass
class Draft:
    """A meeting being assembled from one or more sentence segments."""

    sentences: list[int]
    countries: set[str]
    participants: list[str]
    date: DateMention | None
    city: str | None
    host_country: str | None
    mode: str
    series: str | None
    session: int | None
    status: str
    forum: str | None
    summit: bool
    background: bool = False   # an earlier meeting named by 以来
    caption: bool = False      # read from a photo caption
    trip_only: bool = False    # only a visit so far: reported only once a meeting joins it
    separate: bool = False     # written as another meeting (とも会談, これに先立ち, その後)
    also_met: bool = False     # とも会談: on the same trip as the meeting before it
    next_round: bool = False   # 次回の会議, 次の会談: the meeting planned to follow
    done: bool = False         # written as having taken place (会談した), not only not planned
    dated_done: bool = False   # its date's clause is written as past (24年に…会談し、…ていた)
    person_country: dict[str, str | None] = field(default_factory=dict)
    evidence_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Context:
    """What the segments of one article share."""

    body: str
    reference: Reference
    mentions: list[dict]
    dates: list[DateMention]
    on: dt.date | None
    anchor_is_year: bool
    anchor: str | None = None     # the article's own date, as ISO
    anchor_source: str = ""       # where it was read: published, dateline, 2018年5月以来5年ぶり …

"""What a meeting being assembled holds (`Draft`) and what the segments of one article share
(`Context`): the state the meetings package's steps read and fill in."""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
from dataclasses import dataclass, field

from kaidan.extract.dates import DateMention
from kaidan.extract.meetings.patterns import TRIGGER
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
    triggers: dict = field(default_factory=dict)  # find_triggers' answers, by (start, end) of body
    trigger_reports: dict = field(default_factory=dict)  # whether a trigger word reports a meeting, by its span

    def __post_init__(self) -> None:
        # where mentions and dates start (both lists are in the text's order) and where forums
        # end, so a segment takes its own by bisection instead of reading the whole article's
        self._mention_starts = [m["start"] for m in self.mentions]
        self._date_starts = [d.start for d in self.dates]
        forums = [m for m in self.mentions if m["kind"] in ("forum", "organisation")]
        self._forum_ends = sorted(m["end"] for m in forums)
        self._forum_starts = [m["start"] for m in forums]
        self._forum_reach = list(itertools.accumulate((m["end"] for m in forums), max))  # furthest end so far
        self._person_at: dict[str, list[int]] = {}  # person id -> which of the mentions name them
        for i, m in enumerate(self.mentions):
            if m["kind"] == "person":
                self._person_at.setdefault(m["id"], []).append(i)
        # the trigger words of the whole body, from one scan: a range takes its own by bisection
        self.trigger_words = list(TRIGGER.finditer(self.body))
        self.trigger_starts = [m.start() for m in self.trigger_words]

    def mentions_in(self, start: int, end: int) -> list[dict]:
        """The mentions that start in body[start:end], in order."""
        starts = self._mention_starts
        return self.mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """The dates that start in body[start:end], in order."""
        starts = self._date_starts
        return self.dates[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def people_before(self, pos: int) -> list[str]:
        """The people named before pos, each at its first and its last mention there, in the
        text's order. Read in order, it gives what every mention would for the countries named
        (their first person) and each country's person named last, whichever people are kept,
        in time that grows with the number of people, not with the length of the text."""
        before = bisect.bisect_left(self._mention_starts, pos)  # the mentions before pos
        found = []
        for person_id, at in self._person_at.items():
            if at[0] < before:
                found += [(at[0], person_id), (at[bisect.bisect_left(at, before) - 1], person_id)]
        return [person_id for _, person_id in sorted(found)]

    def forum_over(self, pos: int) -> bool:
        """Whether a forum (or organisation) named in the article spans pos."""
        before = bisect.bisect_right(self._forum_starts, pos)  # the forums that start at or before pos
        return before > 0 and self._forum_reach[before - 1] > pos

    def forum_ends(self, start: int, end: int) -> list[int]:
        """Where forums (and organisations) named in the article end, between start and end inclusive."""
        ends = self._forum_ends
        return ends[bisect.bisect_left(ends, start):bisect.bisect_right(ends, end)]

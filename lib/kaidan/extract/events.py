"""Merge reports of the same real-world meeting, across articles, into events.

The merge rule. Two reports (of different articles) are one meeting when
- their sides are the same, their rounds and named series do not differ, and they
  were held the same way (in person, or remotely: outlets call one call 電話 or ビデオ);
- if both name people they share one, and nobody else stands for a side;
- their dates agree at their common precision (2024, 2024-05, 2024-05-03), or are
  next-door days with people in common (the local and the Japan-time date of one call);
  a day written without its month (28日) must not contradict the other's day;
- they are placed in time: each report's span of days (its date, or for a report
  without a month the window of UNDATED_WINDOW_DAYS around its article's publication
  when it is the article's main meeting) overlaps the other's, and both spans are
  precise (a month or a window); a report that cannot be placed (a bare year, or no
  date and no publication date) merges only on a strong tie: the same round; people in
  common with the same place (the city, or the host country where one names no city) or
  the same day of the month written; or the same city when one of them names no one
  and has no time of its own;
- they share a person, the city, the round, or a named series (when dated to the month).
Leaders and ministers meet every year, some several times a year: the same people are
never enough without the time. Dated reports placed in time merge pairwise; any other
report joins only the one event it fits best (one placed in time if it can), so it cannot
chain two meetings together. Merging is order-free (union-find), and
an event's id hashes its first report's id, so ids do not change with file order.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import defaultdict

import numpy as np
import pandas as pd
import pyarrow as pa

from kaidan import schemas
from kaidan.extract.dates import dates_agree
from kaidan.reference import Reference, parse_day

UNDATED_WINDOW_DAYS = 45
BUCKET_DAYS = UNDATED_WINDOW_DAYS + 1           # the time index's bucket
PRECISE_DAYS = 2 * UNDATED_WINDOW_DAYS + 1      # the widest span that still places a meeting in time
REMOTE = frozenset({"phone", "video"})
DAY_ONLY = re.compile(r"^\s*([0-9０-９]{1,2})\s*日")  # 28日, ９日午後: a day with no month
# the meetings columns that merging reads
MERGE_COLUMNS = ("article_id", "meeting_id", "date", "date_text", "city", "host_country", "countries", "participants",
                 "mode", "series", "session", "status", "forum", "reported_as")
# and all that `merge_reports` reads: the evidence goes into the events
REPORT_COLUMNS = (*MERGE_COLUMNS, "evidence")
PRECISION_OF = {10: "day", 7: "month", 4: "year"}
# Events are turned into the table this many at a time (their evidence is most of the memory).
EVENT_BATCH_ROWS = 20_000
Span = tuple[int, int]  # first and last possible day, as ordinals


# --- what one report says about its time --------------------------------------------

def _span(row: dict, published: dt.date | None) -> Span | None:
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
    if main and published is not None and (span is None or not _precise(span)):
        day = published.toordinal()
        window = (day - UNDATED_WINDOW_DAYS, day + UNDATED_WINDOW_DAYS)
        if span is None:
            return window
        if max(span[0], window[0]) <= min(span[1], window[1]):
            return max(span[0], window[0]), min(span[1], window[1])
    return span


def _precise(span: Span | None) -> bool:
    return span is not None and span[1] - span[0] < PRECISE_DAYS


def _overlap(a: Span, b: Span) -> bool:
    """With a day to spare on each side (time zones)."""
    return a[0] <= b[1] + 1 and b[0] <= a[1] + 1


def _day_written(row: dict) -> int | None:
    """The day of the month the report gives: its date's, or a day written alone (28日)."""
    return _day_of(row["date"], row.get("date_text"))


@functools.lru_cache(maxsize=1 << 12)
def _day_of(date: str | None, text: str | None) -> int | None:
    if date and len(date) == 10:
        return int(date[8:])
    match = DAY_ONLY.match(text or "")
    day = int(unicodedata.normalize("NFKC", match.group(1))) if match else None
    return day if day and day <= 31 else None


def _near_days(day: int) -> tuple[int, int, int]:
    """The day and its neighbours, round the month (31 and 1 are neighbours)."""
    return (day - 2) % 31 + 1, day, day % 31 + 1


# --- compatibility --------------------------------------------------------------------

def _adjacent_days(a: str | None, b: str | None) -> bool:
    if not a or not b or len(a) != 10 or len(b) != 10:
        return False
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days) == 1
    except ValueError:
        return False


def _modes_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a == b or (a in REMOTE and b in REMOTE)


def _days_conflict(a: dict, b: dict) -> bool:
    """Days of the month written in both, more than a day apart (full dates are compared whole)."""
    if a["date"] and b["date"] and len(a["date"]) == len(b["date"]) == 10:
        return False
    da, db = _day_written(a), _day_written(b)
    return da is not None and db is not None and db not in _near_days(da)


def _strong_tie(a: dict, b: dict, shared_people: set[str], placed: tuple[bool, bool]) -> bool:
    """What places two reports together without their time: the same round; people in
    common with the same place or the same day of the month; or the same city for a report
    that names no one and has no time of its own (a report with its own time keeps it: a
    visit holds several meetings in one city)."""
    if a["session"] is not None and a["session"] == b["session"]:
        return True
    if not shared_people:
        thin = any(not row["participants"] and not in_time for row, in_time in zip((a, b), placed))
        return thin and bool(a["city"]) and a["city"] == b["city"]
    if _same_place(a, b):
        return True
    da, db = _day_written(a), _day_written(b)
    return da is not None and db is not None and db in _near_days(da)


def _same_place(a: dict, b: dict) -> bool:
    """The same place at the precision both give: the city, or the host country where one
    report names no city (ロシアで and カザンで agree)."""
    if a["city"] and b["city"]:
        return a["city"] == b["city"]
    return bool(a.get("host_country")) and a.get("host_country") == b.get("host_country")


def _side_conflict(a: dict, b: dict, people_country: dict[str, str | None]) -> bool:
    """Both name someone for the same side, and not the same people: 王毅–ショイグ vs 王毅–ラブロフ."""
    sides_a: dict[str | None, set[str]] = defaultdict(set)
    sides_b: dict[str | None, set[str]] = defaultdict(set)
    for person in a["participants"]:
        sides_a[people_country.get(person)].add(person)
    for person in b["participants"]:
        sides_b[people_country.get(person)].add(person)
    return any(country in sides_b and not (people & sides_b[country]) for country, people in sides_a.items())


def _same_setting(a: dict, b: dict) -> bool:
    """Same sides, rounds and named series that do not differ, and the same way of meeting."""
    if set(a["countries"]) != set(b["countries"]):
        return False
    if a["session"] is not None and b["session"] is not None and a["session"] != b["session"]:
        return False
    if a["series"] and b["series"] and a["series"] != b["series"] and "summit" not in (a["series"], b["series"]):
        return False
    return _modes_agree(a["mode"], b["mode"])


def _same_time(a: dict, b: dict, article_dates: dict[str, dt.date | None], shared_people: set[str]) -> bool:
    """Dates that agree (or next-door days of the same people), days that do not contradict,
    and spans of time that overlap and place both, or else a strong tie."""
    if not (dates_agree(a["date"], b["date"]) or (shared_people and _adjacent_days(a["date"], b["date"]))):
        return False
    if _days_conflict(a, b):
        return False
    span_a = _span(a, article_dates.get(a["article_id"]))
    span_b = _span(b, article_dates.get(b["article_id"]))
    if span_a and span_b and not _overlap(span_a, span_b):
        return False
    placed = (_precise(span_a), _precise(span_b))
    return all(placed) or _strong_tie(a, b, shared_people, placed)


def same_event(a: dict, b: dict, article_dates: dict[str, dt.date | None],
               people_country: dict[str, str | None] | None = None) -> bool:
    """Whether two meeting rows report the same real-world meeting (the module's rule)."""
    if a["article_id"] == b["article_id"] or not _same_setting(a, b):
        return False
    shared_people = set(a["participants"]) & set(b["participants"])
    if a["participants"] and b["participants"] and not shared_people:
        return False
    if not _same_time(a, b, article_dates, shared_people):
        return False
    if _side_conflict(a, b, people_country or {}):
        return False
    same_city = bool(a["city"]) and a["city"] == b["city"]
    same_round = a["session"] is not None and a["session"] == b["session"]
    same_series = bool(a["series"]) and a["series"] == b["series"] and a["series"] != "summit" \
        and bool(a["date"]) and bool(b["date"]) and min(len(a["date"]), len(b["date"])) >= 7
    return bool(shared_people or same_city or same_round or same_series)


def _fit(a: dict, b: dict) -> float:
    """How well two reports of one event agree, to attach an undated report to one event only."""
    return (len(set(a["participants"]) & set(b["participants"])) + (a["city"] is not None and a["city"] == b["city"])
            + (a["series"] is not None and a["series"] == b["series"]) + (a["reported_as"] == b["reported_as"])
            + 0.5 * (a["mode"] == b["mode"]))


# --- candidates: only reports that share a tie and a time are compared ------------------

def _features(row: dict) -> list[tuple]:
    """What two reports must share for `same_event` to hold: a participant, the city, the
    round, or a named series (not "summit") when dated to the month (distinct, in order)."""
    found = [("person", p) for p in dict.fromkeys(row["participants"])]
    if row["city"]:
        found.append(("city", row["city"]))
    if row["session"] is not None:
        found.append(("session", row["session"]))
    if row["series"] and row["series"] != "summit" and row["date"] and len(row["date"]) >= 7:
        found.append(("series", row["series"]))
    return found


def _strong_keys(row: dict, looking: bool) -> list[tuple]:
    """What two reports must share for `_strong_tie`: a person with the round, the city, the
    host country or the day of the month (its neighbours too, when looking for matches); or
    the round or the city alone, which a report naming people looks for only among reports
    naming no one (two reports that both name people must share one)."""
    keys = []
    people = list(dict.fromkeys(row["participants"]))
    session, city, host, day = row["session"], row["city"], row.get("host_country"), _day_written(row)
    for person in people:
        if session is not None:
            keys.append(("session", person, session))
        if city:
            keys.append(("city", person, city))
        if host:
            keys.append(("host", person, host))
        if day is not None:
            keys += [("day", person, d) for d in (_near_days(day) if looking else (day,))]
    for key in ([("session", session)] if session is not None else []) + ([("city", city)] if city else []):
        if looking:
            keys.append((*key, "naming no one") if people else key)
        else:
            keys += [key] if people else [key, (*key, "naming no one")]
    return keys


def _blocks(sides: list[list[str]]) -> dict[tuple, list[int]]:
    """Only reports with the same sides can merge: the positions of each set of sides (given
    by report, in order), the blocks compared within."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, countries in enumerate(sides):
        blocks[tuple(sorted(countries))].append(i)
    return blocks


def _next_days(date: str) -> list[str]:
    """The days either side of a full date (the same call in another time zone)."""
    if len(date) != 10:
        return []
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return []
    return [(day + dt.timedelta(days=step)).isoformat() for step in (-1, 1)]


def _dated_candidates(rows: list[dict], dated: list[int], features: list[list[tuple]]) -> dict[int, list[int]]:
    """For each dated report, the later dated reports it could be `same_event` with: those
    that share a feature and whose date agrees with its own (one is a prefix of the other:
    2024, 2024-05, 2024-05-03) or is the next day. A report that names people looks up the
    others' places, rounds and series only among reports naming nobody (two reports that
    both name people must share one)."""
    exact: dict[tuple, list[int]] = defaultdict(list)
    under: dict[tuple, list[int]] = defaultdict(list)  # every date that starts with the key
    iso = all(len(rows[i]["date"]) in (4, 7, 10) for i in dated)
    for i in dated:
        date = rows[i]["date"] if iso else rows[i]["date"][:4]
        nobody = not rows[i]["participants"]
        for feature in features[i]:
            for kind in (("all", "nobody") if nobody and feature[0] != "person" else ("all",)):
                exact[(kind, date, feature)].append(i)
                for size in (4, 7):
                    if len(date) > size:
                        under[(kind, date[:size], feature)].append(i)
    found = {}
    for i in dated:
        date = rows[i]["date"] if iso else rows[i]["date"][:4]
        keys = [date[:size] for size in (4, 7) if len(date) > size] + _next_days(date)
        named = bool(rows[i]["participants"])
        later: set[int] = set()
        for feature in features[i]:
            kind = "nobody" if named and feature[0] != "person" else "all"
            for posting in [exact.get((kind, date, feature), ()), under.get((kind, date, feature), ())] + \
                    [exact.get((kind, key, feature), ()) for key in keys]:
                later.update(posting[bisect.bisect_right(posting, i):])
        found[i] = sorted(later)
    return found


class _TimeIndex:
    """The reports of a block by what ties them and when they were: reports placed in time
    by feature and bucket of their first possible day; the others by their strong keys. A
    report with a span of time (a year, say) looks only among the buckets it covers."""

    def __init__(self, rows: list[dict], members: list[int], features: list[list[tuple]], spans: list[Span | None]):
        near: dict[tuple, list[int]] = defaultdict(list)
        near_nobody: dict[tuple, list[int]] = defaultdict(list)  # of reports naming no one
        strong_vague: dict[tuple, list[int]] = defaultdict(list)  # of reports not placed in time
        strong_all: dict[tuple, list[int]] = defaultdict(list)
        person_vague: dict[tuple, list[int]] = defaultdict(list)
        person_all: dict[tuple, list[int]] = defaultdict(list)
        for i in members:
            placed, nobody = _precise(spans[i]), not rows[i]["participants"]
            for feature in features[i]:
                if placed:
                    near[(feature, spans[i][0] // BUCKET_DAYS)].append(i)
                    if nobody:
                        near_nobody[(feature, spans[i][0] // BUCKET_DAYS)].append(i)
                if feature[0] == "person":
                    person_all[feature].append(i)
                    if not placed:
                        person_vague[feature].append(i)
            for key in _strong_keys(rows[i], looking=False):
                strong_all[key].append(i)
                if not placed:
                    strong_vague[key].append(i)
        arrays = lambda index: {key: np.array(value, dtype=np.int64) for key, value in index.items()}  # noqa: E731
        self.near, self.near_nobody = arrays(near), arrays(near_nobody)
        self.strong_vague, self.strong_all = arrays(strong_vague), arrays(strong_all)
        self.person_vague, self.person_all = arrays(person_vague), arrays(person_all)

    def candidates(self, row: dict, features: list[tuple], span: Span | None) -> tuple[list, list]:
        """Postings of the reports that could be `same_event` with row, and those of the
        reports naming each of its people (to count the people in common). A report naming
        people looks up places, rounds and series only among reports naming no one: two
        that both name people must share one."""
        keys = _strong_keys(row, looking=True)
        people = [feature for feature in features if feature[0] == "person"]
        empty = np.empty(0, dtype=np.int64)
        if span is None:  # nothing places it in time: what ties it without the time
            return [self.strong_all.get(key, empty) for key in keys], [self.person_all.get(p, empty) for p in people]
        buckets = range((span[0] - PRECISE_DAYS) // BUCKET_DAYS, (span[1] + 1) // BUCKET_DAYS + 1)
        found = [(self.near if feature[0] == "person" or not people else self.near_nobody).get((feature, b), empty)
                 for feature in features for b in buckets]
        found += [self.strong_vague.get(key, empty) for key in keys]
        named = [self.near.get((p, b), empty) for p in people for b in buckets]
        named += [self.person_vague.get(p, empty) for p in people]
        return found, named


def _codes(rows: list[dict]) -> dict[str, np.ndarray]:
    """City, series, reported_as and mode of every report as integers (-1 for no city or series),
    for computing `_fit` over many reports at once."""
    found = {}
    for name in ("city", "series", "reported_as", "mode"):
        values: dict = {}
        found[name] = np.array([-1 if row[name] is None and name in ("city", "series") else
                                values.setdefault(row[name], len(values)) for row in rows], dtype=np.int64)
    return found


def _ranked(i: int, found: list, named: list, codes: dict[str, np.ndarray]) -> np.ndarray:
    """The distinct candidates other than i, best `_fit` first (then the later meeting_id)."""
    others = np.sort(np.concatenate(found))
    others = others[np.concatenate(([True], others[1:] != others[:-1])) & (others != i)]  # distinct, not i
    if not len(others):
        return others
    # |people in common| for each candidate: how often it is in the postings of i's people
    listed = np.sort(np.concatenate(named)) if named else np.empty(0, dtype=np.int64)
    shared = np.searchsorted(listed, others, "right") - np.searchsorted(listed, others, "left")
    city, series, reported, mode = codes["city"], codes["series"], codes["reported_as"], codes["mode"]
    fit = (shared + ((city[i] >= 0) & (city[others] == city[i])) + ((series[i] >= 0) & (series[others] == series[i]))
           + (reported[others] == reported[i]) + 0.5 * (mode[others] == mode[i]))
    return others[np.lexsort((others, fit))[::-1]]


# --- merging ------------------------------------------------------------------------------

def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _merge_dated(rows, dated, features, article_dates, people_country, parent) -> None:
    """Dated reports merge pairwise."""
    for i, later in _dated_candidates(rows, dated, features).items():
        session = rows[i]["session"]
        for j in later:
            if session is not None and rows[j]["session"] is not None and rows[j]["session"] != session:
                continue  # other rounds: same_event says no at once
            if _find(parent, i) == _find(parent, j):
                continue  # already one event: asking again changes nothing
            if same_event(rows[i], rows[j], article_dates, people_country):
                parent[_find(parent, j)] = _find(parent, i)


def _attach_vague(rows, members, vague, placed, features, spans, codes, article_dates, people_country,
                  parent) -> None:
    """Join each report not placed in time to the event of the report it fits best (`_fit`,
    then the later meeting_id) among those it is `same_event` with: a report placed in time
    if one is, else another vague one. Each joins once, so no vague report links two events;
    `same_event` is asked of the indexed candidates best first, until one is."""
    index = _TimeIndex(rows, members, features, spans)
    waiting = []  # (report, its other candidates): those not placed in time, for the second round
    for i in vague:
        found, named = index.candidates(rows[i], features[i], spans[i])
        if not found:
            continue
        ranked = _ranked(i, found, named, codes)
        if not _attach(i, ranked[placed[ranked]], rows, article_dates, people_country, parent):
            waiting.append((i, ranked[~placed[ranked]]))
    for i, ranked in waiting:
        _attach(i, ranked, rows, article_dates, people_country, parent)


def _attach(i, ranked, rows, article_dates, people_country, parent) -> bool:
    """Join report i to the first of the ranked reports it is `same_event` with and not yet
    one event with; whether one was."""
    for start in range(0, len(ranked), 32):  # the best usually qualifies: convert a few at a time
        j = next((j for j in ranked[start:start + 32].tolist() if _find(parent, i) != _find(parent, j)
                  and same_event(rows[i], rows[j], article_dates, people_country)), None)
        if j is not None:
            parent[_find(parent, i)] = _find(parent, j)
            return True
    return False


def _most_precise(dates: list[str]) -> str | None:
    """The most precise date every report agrees with (reports that contradict it are
    outvoted); of two next-door days, the earlier (the local date west of Japan)."""
    known = sorted({d for d in dates if d}, key=lambda d: (-len(d), d))
    for candidate in known:
        if all(dates_agree(candidate, other) or _adjacent_days(candidate, other) for other in known):
            return candidate
    return known[-1][:4] if known else None


def _first(values) -> str | None:
    return next((v for v in values if v), None)


def event_id(meeting_ids: list[str]) -> str:
    return "E" + hashlib.sha1(min(meeting_ids).encode("utf-8")).hexdigest()[:10]


def _event(group: list[dict], evidence: list[str]) -> dict:
    """One events row from its reports (in meeting_id order)."""
    ids = [r["meeting_id"] for r in group]
    date = _most_precise([r["date"] for r in group])
    participants: list[str] = []
    for r in group:
        participants += [p for p in r["participants"] if p not in participants]
    sessions = [r["session"] for r in group if r["session"] is not None]
    return {
        "event_id": event_id(ids),
        "date": date,
        "date_precision": PRECISION_OF.get(len(date)) if date else None,
        "city": _first(r["city"] for r in group),
        "host_country": _first(r["host_country"] for r in group),
        "countries": sorted(set(group[0]["countries"])),
        "participants": participants,
        "mode": _first(r["mode"] for r in group),
        "series": _first(r["series"] for r in group if r["series"] != "summit") or _first(r["series"] for r in group),
        "session": sessions[0] if sessions else None,
        "status": "held" if any(r["status"] == "held" for r in group) else "scheduled",
        "forum": _first(r["forum"] for r in group),
        "article_ids": sorted({r["article_id"] for r in group}),
        "meeting_ids": sorted(ids),
        "n_articles": len({r["article_id"] for r in group}),
        "evidence": evidence,
    }


def _article_dates(articles: pd.DataFrame) -> dict[str, dt.date | None]:
    found = {}
    for record in articles[["article_id", "published"]].itertuples():
        try:
            found[record.article_id] = parse_day(record.published) if isinstance(record.published, str) \
                and record.published else None
        except ValueError:
            found[record.article_id] = None
    return found


def _compact(meetings: pd.DataFrame) -> pa.Table:
    """The columns merging reads, in meeting_id order, as one Arrow table: a tenth of the
    memory of the same rows as dicts, which are made a block at a time."""
    columns = [c for c in REPORT_COLUMNS if c in meetings.columns]
    order = meetings["meeting_id"].argsort(kind="stable").to_numpy()
    table = pa.Table.from_pandas(meetings[columns], preserve_index=False).take(order)
    if "date_text" not in columns:
        table = table.append_column("date_text", pa.nulls(len(table), pa.string()))
    return table


def _merge_block(rows: list[dict], article_dates: dict[str, dt.date | None],
                 people_country: dict[str, str | None]) -> list[list[int]]:
    """The events of one block (reports with the same sides, in meeting_id order), as lists
    of the rows' positions. Dated reports placed in time merge pairwise; the rest (no date,
    or only the year) join one event each, so none can chain two meetings of a year together."""
    parent = list(range(len(rows)))
    features = [_features(row) for row in rows]
    spans = [_span(row, article_dates.get(row["article_id"])) for row in rows]
    codes = _codes(rows)
    placed = np.array([bool(row["date"]) and _precise(span) for row, span in zip(rows, spans)], dtype=bool)
    members = list(range(len(rows)))
    _merge_dated(rows, [i for i in members if placed[i]], features, article_dates, people_country, parent)
    vague = [i for i in members if not placed[i]]
    if vague:
        _attach_vague(rows, members, vague, placed, features, spans, codes, article_dates, people_country, parent)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in members:
        clusters[_find(parent, i)].append(i)
    return list(clusters.values())  # each in meeting_id order


def _arrow_type(column: schemas.Column) -> pa.DataType:
    return {"str": pa.string(), "int": pa.int64(), "list": pa.list_(pa.string())}[column.kind]


# the events while they wait to be sorted: compact, with the same values as the dicts
EVENTS_ARROW = pa.schema([(column.name, _arrow_type(column)) for column in schemas.EVENTS])


def _events_frame(found: list[pa.Table]) -> pd.DataFrame:
    """The events table, sorted by date (undated last) and id, made a batch at a time."""
    table = pa.concat_tables(found) if found else EVENTS_ARROW.empty_table()
    if not len(table):
        return schemas.empty("events")
    dates, ids = table.column("date").to_pylist(), table.column("event_id").to_pylist()
    order = sorted(range(len(table)), key=lambda k: (dates[k] or "9999", ids[k]))
    del dates, ids
    frames = [schemas.from_records("events", table.take(order[start:start + EVENT_BATCH_ROWS]).to_pylist())
              for start in range(0, len(order), EVENT_BATCH_ROWS)]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def merge_reports(meetings: pd.DataFrame, articles: pd.DataFrame,
                  reference: Reference | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The events table, and each meeting_id's event_id. Reads only `REPORT_COLUMNS`, so a
    caller streaming the meetings to disk can hand over just those and put the event ids on
    the rest itself (`assign_events`). Memory holds the reports compact, and as dicts one
    block (one set of sides) at a time: blocks never merge with each other."""
    if meetings.empty:
        return schemas.empty("events"), {}
    table = _compact(meetings)
    del meetings  # a caller that passed only these columns lets them go here
    blocks = _blocks(table.column("countries").to_pylist())
    merge_columns = table.select(list(MERGE_COLUMNS))
    article_dates = _article_dates(articles)
    people_country = dict(reference.people_country) if reference else {}
    found, assignment = [], {}
    for positions in blocks.values():
        rows = merge_columns.take(positions).to_pylist()
        evidence = table.column("evidence").take(positions).to_pylist()
        block_events = [_event([rows[i] for i in members], [evidence[i] for i in members])
                        for members in _merge_block(rows, article_dates, people_country)]
        for event in block_events:
            assignment.update(dict.fromkeys(event["meeting_ids"], event["event_id"]))
        found.append(pa.Table.from_pylist(block_events, schema=EVENTS_ARROW))
    del table, merge_columns
    return _events_frame(found), assignment


def assign_events(meetings: pd.DataFrame, assignment: dict[str, str]) -> pd.DataFrame:
    """The meetings (the whole table, or any run of its rows) with their event_id filled in."""
    meetings = meetings.copy()
    meetings["event_id"] = meetings["meeting_id"].map(assignment)
    return schemas.validate("meetings", meetings)


def merge_events(meetings: pd.DataFrame, articles: pd.DataFrame,
                 reference: Reference | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events table, and the meetings table with its event_id filled in."""
    if meetings.empty:
        return schemas.empty("events"), meetings
    events_frame, assignment = merge_reports(meetings, articles, reference)
    return events_frame, assign_events(meetings, assignment)

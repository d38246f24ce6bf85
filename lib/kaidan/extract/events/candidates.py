"""Candidates: only reports that share a tie and a time are compared with `same_event`. The
indexes of a block (reports with the same sides) by feature, date and bucket of time."""
from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

import numpy as np

from kaidan.extract.events.when import BUCKET_DAYS, PRECISE_DAYS, Span, day_written, is_precise, near_days


def report_features(row: dict) -> list[tuple]:
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
    session, city, host, day = row["session"], row["city"], row.get("host_country"), day_written(row)
    for person in people:
        if session is not None:
            keys.append(("session", person, session))
        if city:
            keys.append(("city", person, city))
        if host:
            keys.append(("host", person, host))
        if day is not None:
            keys += [("day", person, d) for d in (near_days(day) if looking else (day,))]
    for key in ([("session", session)] if session is not None else []) + ([("city", city)] if city else []):
        if looking:
            keys.append((*key, "naming no one") if people else key)
        else:
            keys += [key] if people else [key, (*key, "naming no one")]
    return keys


def side_blocks(sides: list[list[str]]) -> dict[tuple, list[int]]:
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


def dated_candidates(rows: list[dict], dated: list[int], features: list[list[tuple]]) -> dict[int, list[int]]:
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


class TimeIndex:
    """The reports of a block by what ties them and when they were: reports placed in time
    by feature and bucket of their first possible day; the others by their strong keys. A
    report with a span of time (a year, say) looks only among the buckets it covers."""

    def __init__(self, rows: list[dict], features: list[list[tuple]], spans: list[Span | None]):
        near: dict[tuple, list[int]] = defaultdict(list)
        near_nobody: dict[tuple, list[int]] = defaultdict(list)  # of reports naming no one
        strong_vague: dict[tuple, list[int]] = defaultdict(list)  # of reports not placed in time
        strong_all: dict[tuple, list[int]] = defaultdict(list)
        person_vague: dict[tuple, list[int]] = defaultdict(list)
        person_all: dict[tuple, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            placed, nobody = is_precise(spans[i]), not row["participants"]
            for feature in features[i]:
                if placed:
                    near[(feature, spans[i][0] // BUCKET_DAYS)].append(i)
                    if nobody:
                        near_nobody[(feature, spans[i][0] // BUCKET_DAYS)].append(i)
                if feature[0] == "person":
                    person_all[feature].append(i)
                    if not placed:
                        person_vague[feature].append(i)
            for key in _strong_keys(row, looking=False):
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


def fit_codes(rows: list[dict]) -> dict[str, np.ndarray]:
    """City, series, reported_as and mode of every report as integers (-1 for no city or series),
    for computing `fit` over many reports at once."""
    found = {}
    for name in ("city", "series", "reported_as", "mode"):
        values: dict = {}
        found[name] = np.array([-1 if row[name] is None and name in ("city", "series") else
                                values.setdefault(row[name], len(values)) for row in rows], dtype=np.int64)
    return found


def ranked_candidates(i: int, found: list, named: list, codes: dict[str, np.ndarray]) -> np.ndarray:
    """The distinct candidates other than i, best `fit` first (then the later meeting_id)."""
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

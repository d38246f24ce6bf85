"""Merge reports of the same real-world meeting, across articles, into events.

Two reports are the same meeting when their sides are the same, their dates do not
contradict each other at their common precision, and they share a place, a participant
or a numbered round. A report without a date still merges on the rest, but only with
reports whose articles were published within a few weeks of its own. Merging is
pairwise and order-free (union-find), and an event's id hashes its first report's id,
so ids do not change with file order or between runs.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections import defaultdict

import numpy as np
import pandas as pd

from kaidan import schemas
from kaidan.reference import Reference, parse_day

UNDATED_WINDOW_DAYS = 45
# the meetings columns that merging reads
MERGE_COLUMNS = ("article_id", "meeting_id", "date", "city", "host_country", "countries", "participants", "mode",
                 "series", "session", "status", "forum", "reported_as")
PRECISION_OF = {10: "day", 7: "month", 4: "year"}


def _compatible_dates(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _published_day(article_dates: dict[str, dt.date | None], article_id: str) -> dt.date | None:
    return article_dates.get(article_id)


def same_event(a: dict, b: dict, article_dates: dict[str, dt.date | None],
               people_country: dict[str, str | None] | None = None) -> bool:
    """Whether two meeting rows report the same real-world meeting."""
    people_country = people_country or {}
    if a["article_id"] == b["article_id"]:
        return False
    if set(a["countries"]) != set(b["countries"]):
        return False
    if not _compatible_dates(a["date"], b["date"]):
        return False
    if a["session"] is not None and b["session"] is not None and a["session"] != b["session"]:
        return False
    if a["series"] and b["series"] and a["series"] != b["series"] and "summit" not in (a["series"], b["series"]):
        return False
    if a["mode"] and b["mode"] and a["mode"] != b["mode"]:
        return False
    if not a["date"] or not b["date"] or min(len(a["date"]), len(b["date"])) < 7:
        # too little date to go on: the articles must be close in time
        da, db = _published_day(article_dates, a["article_id"]), _published_day(article_dates, b["article_id"])
        if da and db and abs((da - db).days) > UNDATED_WINDOW_DAYS:
            return False
        if (not a["date"] or not b["date"]) and not (da and db) and not _strong_match(a, b):
            return False
    shared_people = set(a["participants"]) & set(b["participants"])
    same_city = bool(a["city"]) and a["city"] == b["city"]
    same_round = a["session"] is not None and a["session"] == b["session"]
    if a["participants"] and b["participants"] and not shared_people:
        return False
    if _side_conflict(a, b, people_country):
        return False
    same_series = bool(a["series"]) and a["series"] == b["series"] and a["series"] != "summit" \
        and bool(a["date"]) and bool(b["date"]) and min(len(a["date"]), len(b["date"])) >= 7
    return bool(shared_people or same_city or same_round or same_series)


def _side_conflict(a: dict, b: dict, people_country: dict[str, str | None]) -> bool:
    """Both name someone for the same side, and not the same people: 王毅–ショイグ vs 王毅–ラブロフ."""
    sides_a: dict[str | None, set[str]] = defaultdict(set)
    sides_b: dict[str | None, set[str]] = defaultdict(set)
    for person in a["participants"]:
        sides_a[people_country.get(person)].add(person)
    for person in b["participants"]:
        sides_b[people_country.get(person)].add(person)
    return any(country in sides_b and not (people & sides_b[country]) for country, people in sides_a.items())


def _strong_match(a: dict, b: dict) -> bool:
    """Undated reports with no publication dates merge only on round, on place and people,
    or on the very same people meeting in the same mode."""
    same_round = a["session"] is not None and a["session"] == b["session"]
    shared_people = set(a["participants"]) & set(b["participants"])
    same_people = len(a["participants"]) >= 2 and set(a["participants"]) == set(b["participants"]) \
        and a["mode"] == b["mode"]
    return bool(same_round or (a["city"] and a["city"] == b["city"] and shared_people) or same_people)


def _fit(a: dict, b: dict) -> float:
    """How well two reports of one event agree, to attach an undated report to one event only."""
    return (len(set(a["participants"]) & set(b["participants"])) + (a["city"] is not None and a["city"] == b["city"])
            + (a["series"] is not None and a["series"] == b["series"]) + (a["reported_as"] == b["reported_as"])
            + 0.5 * (a["mode"] == b["mode"]))


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
    """What two reports must share for `_strong_match`: the round, the city, or the very same
    people (at least two, when looking for matches) meeting in the same mode."""
    keys = []
    if row["session"] is not None:
        keys.append(("session", row["session"]))
    if row["city"]:
        keys.append(("city", row["city"]))
    if len(row["participants"]) >= (2 if looking else 1):
        keys.append(("people", frozenset(row["participants"]), row["mode"]))
    return keys


def _window(day: dt.date | None):
    """Publication dates in buckets of UNDATED_WINDOW_DAYS + 1 days: two dates within the window
    are in the same bucket or next to each other (None: no date)."""
    return None if day is None else day.toordinal() // (UNDATED_WINDOW_DAYS + 1)


def _blocks(rows: list[dict]) -> dict[tuple, list[int]]:
    """Only reports with the same sides can merge: compare within those blocks."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        blocks[tuple(sorted(row["countries"]))].append(i)
    return blocks


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _most_precise(dates: list[str]) -> str | None:
    """The most precise date every report agrees with (reports that contradict it are outvoted)."""
    known = sorted({d for d in dates if d}, key=len, reverse=True)
    for candidate in known:
        if all(_compatible_dates(candidate, other) for other in known):
            return candidate
    return known[-1][:4] if known else None


def _first(values) -> str | None:
    return next((v for v in values if v), None)


def event_id(meeting_ids: list[str]) -> str:
    return "E" + hashlib.sha1(min(meeting_ids).encode("utf-8")).hexdigest()[:10]


def _codes(rows: list[dict]) -> dict[str, np.ndarray]:
    """City, series, reported_as and mode of every report as integers (-1 for no city or series),
    for computing `_fit` over many reports at once."""
    found = {}
    for name in ("city", "series", "reported_as", "mode"):
        values: dict = {}
        found[name] = np.array([-1 if row[name] is None and name in ("city", "series") else
                                values.setdefault(row[name], len(values)) for row in rows], dtype=np.int64)
    return found


def _attach_undated(rows, members, undated, features, codes, article_dates, people_country, parent) -> None:
    """Join each undated report to the event of the report it fits best (`_fit`, then the
    later meeting_id) among those it is `same_event` with.

    Only reports published within the window of its own article can qualify, or, where
    either publication date is unknown, reports with a strong match (`_strong_match`); so
    they are indexed by feature and window. The fits of all candidates are computed at
    once, and `same_event` is asked of them best first, until one is."""
    def arrays(index: dict) -> dict:
        return {key: np.array(value, dtype=np.int64) for key, value in index.items()}

    by_window: dict[tuple, list[int]] = defaultdict(list)
    by_feature: dict[tuple, list[int]] = defaultdict(list)
    strong: dict[tuple, list[int]] = defaultdict(list)          # every report
    strong_undated: dict[tuple, list[int]] = defaultdict(list)  # of articles of unknown date
    window_of = {}
    for i in members:
        window = window_of[i] = _window(article_dates.get(rows[i]["article_id"]))
        for feature in features[i]:
            by_window[(feature, window)].append(i)
            by_feature[feature].append(i)
        for key in _strong_keys(rows[i], looking=False):
            strong[key].append(i)
            if window is None:
                strong_undated[key].append(i)
    by_window, by_feature, strong, strong_undated = map(arrays, (by_window, by_feature, strong, strong_undated))
    city, series, reported, mode = codes["city"], codes["series"], codes["reported_as"], codes["mode"]
    empty = np.empty(0, dtype=np.int64)
    for i in undated:
        window, keys = window_of[i], _strong_keys(rows[i], looking=True)
        people = [feature for feature in features[i] if feature[0] == "person"]
        if window is None:
            found = [strong.get(key, empty) for key in keys]
            named = [by_feature.get(feature, empty) for feature in people]
        else:
            near = (window - 1, window, window + 1)
            found = [by_window.get((feature, w), empty) for feature in features[i] for w in near]
            found += [strong_undated.get(key, empty) for key in keys]
            named = [by_window.get((feature, w), empty) for feature in people for w in (None, *near)]
        if not found:
            continue
        others = np.sort(np.concatenate(found))
        others = others[np.concatenate(([True], others[1:] != others[:-1])) & (others != i)]  # distinct, not i
        if not len(others):
            continue
        # |people in common| for each candidate: how often it is in the postings of i's people
        listed = np.sort(np.concatenate(named)) if named else empty
        shared = np.searchsorted(listed, others, "right") - np.searchsorted(listed, others, "left")
        fit = (shared + ((city[i] >= 0) & (city[others] == city[i])) + ((series[i] >= 0) & (series[others] == series[i]))
               + (reported[others] == reported[i]) + 0.5 * (mode[others] == mode[i]))
        ranked = others[np.lexsort((others, fit))[::-1]]
        for start in range(0, len(ranked), 32):  # the best usually qualifies: convert a few at a time
            j = next((j for j in ranked[start:start + 32].tolist()
                      if same_event(rows[i], rows[j], article_dates, people_country)), None)
            if j is not None:
                parent[_find(parent, i)] = _find(parent, j)
                break


def merge_events(meetings: pd.DataFrame, articles: pd.DataFrame,
                 reference: Reference | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events table, and the meetings table with its event_id filled in."""
    if meetings.empty:
        return schemas.empty("events"), meetings
    ordered = meetings.sort_values("meeting_id")
    # the columns merging reads, as dicts; the evidence, the bulk of the table, stays a list
    rows = schemas.records(ordered[list(MERGE_COLUMNS)])
    evidence = ordered["evidence"].tolist()
    del ordered
    article_dates = {}
    for record in articles[["article_id", "published"]].itertuples():
        try:
            article_dates[record.article_id] = parse_day(record.published) if isinstance(record.published, str) \
                and record.published else None
        except ValueError:
            article_dates[record.article_id] = None
    people_country = dict(reference.people_country) if reference else {}
    parent = list(range(len(rows)))
    features = [_features(row) for row in rows]
    codes = _codes(rows)
    for members in _blocks(rows).values():
        dated = [i for i in members if rows[i]["date"]]
        undated = [i for i in members if not rows[i]["date"]]
        # Only reports that share a person, city, round or series can be the same meeting
        # (same_event ends on that), and dated ones only where their dates agree (one is a
        # prefix of the other: 2024, 2024-05, 2024-05-03): index the reports by both, and
        # compare each with those alone, not with the whole block.
        # Two reports that both name people must share one, so a report that names people
        # looks up the others' places, rounds and series only among reports naming nobody.
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
        # dated reports merge pairwise; an undated one joins only the event it fits best,
        # so it cannot chain two different meetings together
        for i in dated:
            date = rows[i]["date"] if iso else rows[i]["date"][:4]
            keys = [date[:size] for size in (4, 7) if len(date) > size]
            named = bool(rows[i]["participants"])
            later = set()
            for feature in features[i]:
                kind = "nobody" if named and feature[0] != "person" else "all"
                for posting in [exact.get((kind, date, feature), ()), under.get((kind, date, feature), ())] + \
                        [exact.get((kind, key, feature), ()) for key in keys]:
                    later.update(posting[bisect.bisect_right(posting, i):])
            session = rows[i]["session"]
            for j in sorted(later):
                if session is not None and rows[j]["session"] is not None and rows[j]["session"] != session:
                    continue  # other rounds: same_event says no at once
                if same_event(rows[i], rows[j], article_dates, people_country):
                    parent[_find(parent, j)] = _find(parent, i)
        if undated:
            _attach_undated(rows, members, undated, features, codes, article_dates, people_country, parent)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        clusters[_find(parent, i)].append(i)

    events, assignment = [], {}
    for members in clusters.values():
        group = [rows[i] for i in members]
        ids = [r["meeting_id"] for r in group]
        eid = event_id(ids)
        for mid in ids:
            assignment[mid] = eid
        date = _most_precise([r["date"] for r in group])
        participants: list[str] = []
        for r in group:
            participants += [p for p in r["participants"] if p not in participants]
        held = any(r["status"] == "held" for r in group)
        sessions = [r["session"] for r in group if r["session"] is not None]
        events.append({
            "event_id": eid,
            "date": date,
            "date_precision": PRECISION_OF.get(len(date)) if date else None,
            "city": _first(r["city"] for r in group),
            "host_country": _first(r["host_country"] for r in group),
            "countries": sorted(set(group[0]["countries"])),
            "participants": participants,
            "mode": _first(r["mode"] for r in group),
            "series": _first(r["series"] for r in group if r["series"] != "summit") or _first(r["series"] for r in group),
            "session": sessions[0] if sessions else None,
            "status": "held" if held else "scheduled",
            "forum": _first(r["forum"] for r in group),
            "article_ids": sorted({r["article_id"] for r in group}),
            "meeting_ids": sorted(ids),
            "n_articles": len({r["article_id"] for r in group}),
            "evidence": [evidence[i] for i in members],  # members are in meeting_id order
        })
    events_frame = schemas.from_records("events", sorted(events, key=lambda e: ((e["date"] or "9999"), e["event_id"])))
    meetings = meetings.copy()
    meetings["event_id"] = meetings["meeting_id"].map(assignment)
    return events_frame, schemas.validate("meetings", meetings)

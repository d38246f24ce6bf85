"""The events of one block of reports (the same sides): union-find over the candidate pairs that
`same_event` accepts. Dated reports placed in time merge pairwise; any other joins one event."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from kaidan.extract.events.candidates import (TimeIndex, dated_candidates, fit_codes, ranked_candidates,
                                              report_features)
from kaidan.extract.events.rule import same_event
from kaidan.extract.events.when import is_precise, report_span


def find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _merge_dated(rows, dated, features, article_dates, people_country, parent) -> None:
    """Dated reports merge pairwise."""
    for i, later in dated_candidates(rows, dated, features).items():
        session = rows[i]["session"]
        for j in later:
            if session is not None and rows[j]["session"] is not None and rows[j]["session"] != session:
                continue  # other rounds: same_event says no at once
            if find(parent, i) == find(parent, j):
                continue  # already one event: asking again changes nothing
            if same_event(rows[i], rows[j], article_dates, people_country):
                parent[find(parent, j)] = find(parent, i)


def _attach_vague(rows, vague, placed, features, spans, codes, article_dates, people_country, parent) -> None:
    """Join each report not placed in time to the event of the report it fits best (`fit`,
    then the later meeting_id) among those it is `same_event` with: a report placed in time
    if one is, else another vague one. Each joins once, so no vague report links two events;
    `same_event` is asked of the indexed candidates best first, until one is."""
    index = TimeIndex(rows, features, spans)
    waiting = []  # (report, its other candidates): those not placed in time, for the second round
    for i in vague:
        found, named = index.candidates(rows[i], features[i], spans[i])
        if not found:
            continue
        ranked = ranked_candidates(i, found, named, codes)
        if not _attach(i, ranked[placed[ranked]], rows, article_dates, people_country, parent):
            waiting.append((i, ranked[~placed[ranked]]))
    for i, ranked in waiting:
        _attach(i, ranked, rows, article_dates, people_country, parent)


def _attach(i, ranked, rows, article_dates, people_country, parent) -> bool:
    """Join report i to the first of the ranked reports it is `same_event` with and not yet
    one event with; whether one was."""
    for start in range(0, len(ranked), 32):  # the best usually qualifies: convert a few at a time
        j = next((j for j in ranked[start:start + 32].tolist() if find(parent, i) != find(parent, j)
                  and same_event(rows[i], rows[j], article_dates, people_country)), None)
        if j is not None:
            parent[find(parent, i)] = find(parent, j)
            return True
    return False


def merge_block(rows: list[dict], article_dates: dict[str, dt.date | None],
                 people_country: dict[str, str | None]) -> list[list[int]]:
    """The events of one block (reports with the same sides, in meeting_id order), as lists
    of the rows' positions. Dated reports placed in time merge pairwise; the rest (no date,
    or only the year) join one event each, so none can chain two meetings of a year together."""
    parent = list(range(len(rows)))
    features = [report_features(row) for row in rows]
    spans = [report_span(row, article_dates.get(row["article_id"])) for row in rows]
    codes = fit_codes(rows)
    placed = np.array([bool(row["date"]) and is_precise(span) for row, span in zip(rows, spans)], dtype=bool)
    _merge_dated(rows, np.flatnonzero(placed).tolist(), features, article_dates, people_country, parent)
    vague = np.flatnonzero(~placed).tolist()
    if vague:
        _attach_vague(rows, vague, placed, features, spans, codes, article_dates, people_country, parent)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(rows)):
        clusters[find(parent, i)].append(i)
    return list(clusters.values())  # each in meeting_id order

"""Whether two reports are one meeting: `same_event`, the merge rule of `kaidan.extract.events`,
and `fit`, how well two reports of one event agree."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from kaidan.extract.dates import dates_agree
from kaidan.extract.events.when import (adjacent_days, day_written, is_precise, near_days, overlap,
                                        report_span)

REMOTE = frozenset({"phone", "video"})


def _modes_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a == b or (a in REMOTE and b in REMOTE)


def _days_conflict(a: dict, b: dict) -> bool:
    """Days of the month written in both, more than a day apart (full dates are compared whole)."""
    if a["date"] and b["date"] and len(a["date"]) == len(b["date"]) == 10:
        return False
    da, db = day_written(a), day_written(b)
    return da is not None and db is not None and db not in near_days(da)


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
    da, db = day_written(a), day_written(b)
    return da is not None and db is not None and db in near_days(da)


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
    if not (dates_agree(a["date"], b["date"]) or (shared_people and adjacent_days(a["date"], b["date"]))):
        return False
    if _days_conflict(a, b):
        return False
    span_a = report_span(a, article_dates.get(a["article_id"]))
    span_b = report_span(b, article_dates.get(b["article_id"]))
    if span_a and span_b and not overlap(span_a, span_b):
        return False
    placed = (is_precise(span_a), is_precise(span_b))
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


def fit(a: dict, b: dict) -> float:
    """How well two reports of one event agree, to attach an undated report to one event only."""
    return (len(set(a["participants"]) & set(b["participants"])) + (a["city"] is not None and a["city"] == b["city"])
            + (a["series"] is not None and a["series"] == b["series"]) + (a["reported_as"] == b["reported_as"])
            + 0.5 * (a["mode"] == b["mode"]))

"""Events: the same meeting across articles merges; different meetings do not; ids are stable."""
import pandas as pd

from kaidan import schemas
from kaidan.events import event_id, merge_events


def meeting(article, n, **fields):
    row = {"article_id": article, "meeting_id": f"{article}#{n}", "countries": ["CHN", "RUS"], "participants": [],
           "reported_as": "main", "status": "held", "evidence": "…", "evidence_start": 0, "evidence_end": 1,
           "sentences": [0], "mode": "in_person"}
    row.update(fields)
    return row


def articles(*rows):
    return pd.DataFrame([{"article_id": a, "published": p} for a, p in rows])


def run(rows, arts, reference):
    meetings = schemas.from_records("meetings", rows)
    events, meetings = merge_events(meetings, arts, reference)
    return events, dict(zip(meetings["meeting_id"], meetings["event_id"]))


def test_reports_of_one_meeting_merge_with_the_most_precise_date(reference):
    rows = [meeting("a", 0, date="2025-12-02", city="Moscow", participants=["Wang Yi", "Sergei Shoigu"], session=20),
            meeting("b", 0, date="2025-12", city="Moscow", participants=["Wang Yi"])]
    events, ids = run(rows, articles(("a", "2025-12-03"), ("b", "2025-12-04")), reference)
    assert ids["a#0"] == ids["b#0"]
    event = events.iloc[0]
    assert event["date"] == "2025-12-02" and event["n_articles"] == 2
    assert event["participants"] == ["Wang Yi", "Sergei Shoigu"]


def test_different_people_for_one_side_are_different_meetings(reference):
    rows = [meeting("a", 0, date="2025-12-02", city="Moscow", participants=["Wang Yi", "Sergei Shoigu"]),
            meeting("b", 0, date="2025-12-02", city="Moscow", participants=["Wang Yi", "Sergei Lavrov"])]
    _, ids = run(rows, articles(("a", "2025-12-03"), ("b", "2025-12-03")), reference)
    assert ids["a#0"] != ids["b#0"]


def test_contradicting_dates_do_not_merge(reference):
    rows = [meeting("a", 0, date="2024-11", participants=["Wang Yi"]),
            meeting("b", 0, date="2025-12-02", participants=["Wang Yi"])]
    _, ids = run(rows, articles(("a", None), ("b", None)), reference)
    assert ids["a#0"] != ids["b#0"]


def test_an_undated_report_joins_only_the_event_it_fits_best(reference):
    trio = ["Fumio Kishida", "Li Qiang", "Yoon Suk Yeol"]
    sides = ["CHN", "JPN", "KOR"]
    rows = [meeting("a", 0, date="2024-05-27", city="Seoul", participants=trio, countries=sides),
            meeting("a", 1, date="2024-05-26", city="Seoul", participants=trio, countries=sides, reported_as="background"),
            meeting("b", 0, date=None, city="Seoul", participants=trio, countries=sides)]
    _, ids = run(rows, articles(("a", "2024-05-27"), ("b", None)), reference)
    assert ids["b#0"] == ids["a#0"] != ids["a#1"]


def test_event_ids_do_not_depend_on_row_order(reference):
    rows = [meeting("a", 0, date="2025-07-10", city="Kuala Lumpur", participants=["Wang Yi", "Sergei Lavrov"]),
            meeting("b", 0, date="2025-07-10", city="Kuala Lumpur", participants=["Wang Yi"])]
    arts = articles(("a", "2025-07-10"), ("b", "2025-07-11"))
    _, forward = run(rows, arts, reference)
    _, backward = run(rows[::-1], arts, reference)
    assert forward == backward
    assert forward["a#0"] == event_id(["b#0", "a#0"])

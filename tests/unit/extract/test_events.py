"""Events: the same meeting across articles merges; different meetings do not; ids are stable."""
import datetime as dt

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.extract.events import event_id, merge_events, same_event


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


# --- the merge rule, case by case -------------------------------------------------------------

LEADERS = ["Fumio Kishida", "Yoon Suk Yeol"]
MINISTERS = ["Yoko Kamikawa", "Park Jin"]


def report(article, **fields):
    row = {"article_id": article, "meeting_id": f"{article}#0", "countries": ["JPN", "KOR"], "participants": LEADERS,
           "date": None, "date_text": None, "city": None, "mode": "in_person", "series": "summit", "session": None,
           "reported_as": "main"}
    row.update(fields)
    return row


def day(text):
    return dt.date.fromisoformat(text) if text else None


SAME_EVENT_CASES = [
    # (why, report a, its article's date, report b, its article's date, same meeting?)
    ("the same summit, dated alike", dict(date="2024-05-20"), "2024-05-21", dict(date="2024-05-20"), None, True),
    ("an annual summit: the same leaders a year apart", dict(date="2024-05-20"), None, dict(date="2025-05-19"), None,
     False),
    ("undated, published within the window of the other's date", dict(), "2024-05-22", dict(date="2024-05-20"), None,
     True),
    ("undated, published a year after the other's date", dict(), "2025-05-22", dict(date="2024-05-20"), "2024-05-20",
     False),
    ("undated and unpublished: the same people are not the same meeting", dict(), None, dict(date="2024-05-20"),
     "2024-05-20", False),
    ("undated and unpublished, the day of the month written alike", dict(date_text="20日"), None,
     dict(date="2024-05-20"), None, True),
    ("the day of the month written, the next day (another time zone)", dict(date_text="21日午前"), None,
     dict(date="2024-05-20"), None, True),
    ("the day of the month written, another day", dict(date_text="25日"), "2024-05-26", dict(date="2024-05-20"), None,
     False),
    ("undated and unpublished, the same city and people", dict(city="Seoul"), None,
     dict(date="2024-05-20", city="Seoul"), None, True),
    ("a numbered round, undated and unpublished", dict(participants=[], session=10, series=None), None,
     dict(date="2024-05-20", participants=[], session=10, series=None), None, True),
    ("one call, the local and the Japan-time date", dict(date="2021-11-15", mode="video"), None,
     dict(date="2021-11-16", mode="video"), None, True),
    ("next-door days sharing only a city", dict(date="2021-11-15", participants=[], city="Tokyo"), None,
     dict(date="2021-11-16", participants=[], city="Tokyo"), None, False),
    ("two days apart", dict(date="2021-11-15"), None, dict(date="2021-11-17"), None, False),
    ("one call reported as by phone and by video", dict(date="2025-09-09", mode="phone"), None,
     dict(date="2025-09-09", mode="video"), None, True),
    ("a call and a visit", dict(date="2025-09-09", mode="phone"), None, dict(date="2025-09-09"), None, False),
    ("a year alone, the same leaders: they met several times that year", dict(date="2019", reported_as="background"),
     None, dict(date="2019", reported_as="background"), None, False),
    ("a year alone, the same leaders in the same city", dict(date="2019", city="Busan", reported_as="background"),
     None, dict(date="2019", city="Busan", reported_as="background"), None, True),
    ("undated main report against a meeting of the year before", dict(), "2024-01-10",
     dict(date="2023", city="Seoul", reported_as="background"), None, False),
    ("a year alone, the same leaders, one naming the city and one only its country",
     dict(date="2019", host_country="KOR"), None, dict(date="2019", city="Busan", host_country="KOR"), None, True),
    ("a year alone, the same leaders, in two countries", dict(date="2019", host_country="JPN"), None,
     dict(date="2019", city="Busan", host_country="KOR"), None, False),
    ("a year alone, the same leaders in two cities of one country", dict(date="2019", city="Seoul", host_country="KOR"),
     None, dict(date="2019", city="Busan", host_country="KOR"), None, False),
    ("a year alone in the same city, one report naming no one", dict(date="2019", city="Busan", participants=[]), None,
     dict(date="2019-06-28", city="Busan"), None, True),
    ("undated and unpublished, naming no one, only the country in common", dict(participants=[], host_country="KOR"),
     None, dict(date="2019-06-28", city="Busan", host_country="KOR"), None, False),
    ("undated and unpublished, naming no one, another city", dict(participants=[], city="Seoul"), None,
     dict(date="2019-06-28", city="Busan"), None, False),
    ("two meetings of one visit: the report naming no one has its own day", dict(date_text="19日", city="Seoul"),
     None, dict(date="2024-05-19", city="Seoul", participants=[]), "2024-05-20", False),
]


@pytest.mark.parametrize("why, a, published_a, b, published_b, same", SAME_EVENT_CASES,
                         ids=[case[0] for case in SAME_EVENT_CASES])
def test_same_event_rule(why, a, published_a, b, published_b, same):
    first, second = report("a", **a), report("b", **b)
    dates = {"a": day(published_a), "b": day(published_b)}
    assert same_event(first, second, dates) is same
    assert same_event(second, first, dates) is same  # the rule is symmetric


def test_ministers_who_meet_three_times_a_year_stay_three_events(reference):
    rows = [meeting(a, 0, date=date, countries=["JPN", "KOR"], participants=MINISTERS)
            for a, date in (("feb", "2024-02-22"), ("jun", "2024-06-03"), ("nov", "2024-11-15"))]
    rows.append(meeting("late", 0, date=None, countries=["JPN", "KOR"], participants=MINISTERS))
    arts = articles(("feb", "2024-02-22"), ("jun", "2024-06-03"), ("nov", "2024-11-15"), ("late", "2024-06-05"))
    events, ids = run(rows, arts, reference)
    assert len({ids["feb#0"], ids["jun#0"], ids["nov#0"]}) == 3
    assert ids["late#0"] == ids["jun#0"]  # undated, placed by its publication date
    assert len(events) == 3


def test_an_undated_report_of_an_annual_summit_stays_alone_without_time(reference):
    rows = [meeting(a, 0, date=date, countries=["JPN", "KOR"], participants=LEADERS, series="summit")
            for a, date in (("y1", "2023-03-16"), ("y2", "2024-05-26"))]
    rows.append(meeting("undated", 0, date=None, countries=["JPN", "KOR"], participants=LEADERS, series="summit"))
    _, ids = run(rows, articles(("y1", None), ("y2", None), ("undated", None)), reference)
    assert len(set(ids.values())) == 3


def test_an_event_of_two_time_zones_takes_the_earlier_day(reference):
    rows = [meeting("a", 0, date="2021-11-16", mode="video", participants=["Xi Jinping", "Vladimir Putin"]),
            meeting("b", 0, date="2021-11-15", mode="video", participants=["Xi Jinping", "Vladimir Putin"])]
    events, ids = run(rows, articles(("a", "2021-11-16"), ("b", "2021-11-16")), reference)
    assert ids["a#0"] == ids["b#0"]
    assert events.iloc[0]["date"] == "2021-11-15"


def test_a_report_placed_only_by_its_year_joins_one_meeting_of_that_year(reference):
    """Two summits in one city in one year stay two; the report saying only the year joins one of them."""
    rows = [meeting(a, 0, date=date, city="Busan", countries=["JPN", "KOR"], participants=LEADERS, series="summit")
            for a, date in (("june", "2019-06-28"), ("nov", "2019-11-25"))]
    rows.append(meeting("recap", 0, date="2019", city="Busan", countries=["JPN", "KOR"], participants=LEADERS,
                        series="summit", reported_as="background"))
    _, ids = run(rows, articles(("june", None), ("nov", None), ("recap", None)), reference)
    assert ids["june#0"] != ids["nov#0"]
    assert ids["recap#0"] in (ids["june#0"], ids["nov#0"])


def test_a_vague_report_joins_a_meeting_placed_in_time_before_another_vague_report(reference):
    """A report dated only by its year fits an undated one of the same day best, but joins the
    dated meeting; the undated report then joins them both."""
    sides = ["CHN", "IND"]
    people = ["Xi Jinping", "Narendra Modi"]
    rows = [meeting("placed", 0, date="2024-10", city="Kazan", countries=sides, participants=people,
                    reported_as="background"),
            meeting("year", 0, date="2024", date_text="23日", city="Kazan", countries=sides, participants=people,
                    series="summit"),
            meeting("undated", 0, date=None, date_text="23日", countries=sides, participants=people, series="summit")]
    events, ids = run(rows, articles(("placed", None), ("year", None), ("undated", None)), reference)
    assert ids["placed#0"] == ids["year#0"] == ids["undated#0"]
    assert len(events) == 1


MERGE_CASES = [  # (why, rows, published): every case merges at least one pair and keeps one apart
    ("two sides, two blocks", [meeting("a", 0, date="2024-05-02", city="Moscow", participants=["Wang Yi"]),
                               meeting("b", 0, date="2024-05-02", city="Moscow", participants=["Wang Yi"]),
                               meeting("c", 0, date="2024-05-02", city="Tokyo", countries=["JPN", "RUS"])],
     {"a": "2024-05-03", "b": "2024-05-03", "c": None}),
    ("vague report joins one event", [meeting("a", 0, date="2024-05-27", city="Seoul", participants=["Li Qiang"]),
                                      meeting("b", 0, date="2024-11-02", city="Seoul", participants=["Li Qiang"]),
                                      meeting("c", 0, date=None, city="Seoul", participants=["Li Qiang"])],
     {"a": "2024-05-27", "b": "2024-11-02", "c": "2024-05-28"}),
]


@pytest.mark.parametrize("why, rows, published", MERGE_CASES, ids=[c[0] for c in MERGE_CASES])
def test_merge_reports_on_its_columns_alone_gives_the_events_of_merge_events(why, rows, published, reference):
    from kaidan.extract.events import REPORT_COLUMNS, assign_events, merge_reports
    meetings = schemas.from_records("meetings", rows)
    arts = articles(*published.items())
    whole_events, whole_meetings = merge_events(meetings, arts, reference)
    events, assignment = merge_reports(meetings[list(REPORT_COLUMNS)], arts, reference)
    pd.testing.assert_frame_equal(events, whole_events)
    pd.testing.assert_frame_equal(assign_events(meetings, assignment), whole_meetings)
    assert 1 < len(events) < len(meetings)


def test_events_are_made_in_batches_the_same_as_at_once(reference, monkeypatch):
    from kaidan.extract.events import merge as module
    rows = [meeting(f"a{n}", 0, date=f"2024-0{1 + n % 3}-1{n % 7}", participants=["Wang Yi"]) for n in range(12)]
    meetings = schemas.from_records("meetings", rows)
    arts = articles(*((f"a{n}", None) for n in range(12)))
    at_once, _ = merge_events(meetings, arts, reference)
    monkeypatch.setattr(module, "EVENT_BATCH_ROWS", 2)
    in_batches, _ = merge_events(meetings, arts, reference)
    pd.testing.assert_frame_equal(in_batches, at_once)
    assert len(at_once) > 2

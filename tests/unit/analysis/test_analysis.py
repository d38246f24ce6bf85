"""kaidan.analysis on small corpora built here: known inputs, outputs that could be false."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaidan import analysis as A
from kaidan import schemas
from kaidan.run.corpus import Corpus


# --- building a corpus -------------------------------------------------------------------

class Builder:
    """Articles made of paragraphs of sentences, with mentions placed on sentences."""

    def __init__(self):
        self.rows = {name: [] for name in schemas.TABLE_NAMES}
        self.starts: dict[tuple[str, int], int] = {}

    def article(self, aid, paragraphs, published=None, title=None, outlet=None, status="ok", duplicate_of=None,
                boilerplate=""):
        body, index = "", 0
        for p, sentences in enumerate(paragraphs):
            if p:
                body += "\n"
            for text in sentences:
                start = len(body)
                body += text
                self.rows["sentences"].append({"article_id": aid, "index": index, "start": start, "end": len(body),
                                               "text": text})
                self.starts[(aid, index)] = start
                index += 1
        self.rows["articles"].append({"article_id": aid, "path": f"{aid}.txt", "status": status, "message": "",
                                      "title": title, "outlet": outlet, "published": published, "text": body,
                                      "body": body, "boilerplate": boilerplate, "duplicate_of": duplicate_of,
                                      "content_hash": f"h-{aid}", "n_chars": len(body), "language": "ja"})
        return self

    def mention(self, aid, sentence, kind, ident):
        start = self.starts[(aid, sentence)]
        self.rows["mentions"].append({"article_id": aid, "sentence": sentence, "start": start, "end": start + 1,
                                      "kind": kind, "id": ident, "text": ident})
        return self

    def event(self, eid, date, countries, article_ids, mode="in_person", series=None, session=None,
              status="held", forum=None, sentences=(0,)):
        meeting_ids = []
        for n, aid in enumerate(article_ids):
            mid = f"{aid}#{eid}"
            meeting_ids.append(mid)
            self.rows["meetings"].append({
                "article_id": aid, "meeting_id": mid, "date": date, "countries": list(countries), "participants": [],
                "mode": mode, "series": series, "session": session, "reported_as": "main", "status": status,
                "forum": forum, "evidence": f"evidence of {eid} in {aid}", "evidence_start": 0, "evidence_end": 1,
                "sentences": list(sentences), "event_id": eid,
                "date_precision": {10: "day", 7: "month", 4: "year"}.get(len(date or "")) if date else None})
        self.rows["events"].append({
            "event_id": eid, "date": date, "countries": list(countries), "participants": [], "mode": mode,
            "series": series, "session": session, "status": status, "forum": forum, "article_ids": list(article_ids),
            "meeting_ids": meeting_ids, "n_articles": len(article_ids), "evidence": [],
            "date_precision": {10: "day", 7: "month", 4: "year"}.get(len(date or "")) if date else None})
        return self

    def corpus(self) -> Corpus:
        return Corpus(**{name: schemas.from_records(name, rows) for name, rows in self.rows.items()}, source="test")


def meetings_corpus() -> Corpus:
    b = Builder()
    for aid, published in (("a1", "2024-01-06"), ("a2", "2024-03-15"), ("a3", "2025-02-11"), ("a4", None)):
        b.article(aid, [["会談した。"]], published=published, title=f"title {aid}")
    b.event("E1", "2024-01-05", ["CHN", "RUS"], ["a1"])
    b.event("E2", "2024-03", ["CHN", "RUS"], ["a2"], mode="phone")
    b.event("E3", "2024", ["JPN", "RUS"], ["a2"])
    b.event("E4", "2025-02-10", ["CHN", "IND", "RUS"], ["a3"], mode="video")
    b.event("E5", None, ["CHN", "RUS"], ["a4"], mode=None)
    return b.corpus()


# --- dates and periods ---------------------------------------------------------------------

def test_date_span_precision_and_bounds():
    assert A.date_span("2025") == A.Span(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "year")
    assert A.date_span("2024-02") == A.Span(dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month")
    assert A.date_span("2025-12-02").precision == "day"
    for bad in (None, "", "2025-13", "2025-02-30", "Dec 2025", float("nan")):
        assert A.date_span(bad) is None
    assert A.parse_bound("2024", end=True) == dt.date(2024, 12, 31)
    with pytest.raises(ValueError, match="not a date"):
        A.parse_bound("2024-1-1x")


def test_a_date_coarser_than_the_period_is_not_placed():
    assert str(A.place(A.date_span("2024-03"), "quarter")) == "2024Q1"
    assert A.place(A.date_span("2024"), "quarter") is None
    assert A.place(A.date_span("2024"), "month") is None
    assert str(A.place(A.date_span("2024"), "year")) == "2024"


# --- meeting frequency ------------------------------------------------------------------------

def test_meetings_per_month_keeps_empty_months_as_zero():
    counts = A.meetings_per_period(A.scope(meetings_corpus()), "month")
    assert counts["period"].iloc[0] == "2024-01" and counts["period"].iloc[-1] == "2025-02"
    assert len(counts) == 14  # every month from January 2024 to February 2025
    by = dict(zip(counts["period"], counts["n_events"]))
    assert by["2024-01"] == 1 and by["2024-02"] == 0 and by["2024-03"] == 1 and by["2025-02"] == 1
    assert counts["n_events"].sum() == 3
    assert counts.attrs["unplaced"] == 1  # E3, known only to the year
    assert counts.attrs["undated"] == 1   # E5
    assert by["2024-02"] == 0 and counts.loc[counts["period"] == "2024-02", "event_ids"].iloc[0] == []


def test_meetings_per_year_and_quarter():
    sc = A.scope(meetings_corpus())
    years = A.meetings_per_period(sc, "year")
    assert list(zip(years["period"], years["n_events"])) == [("2024", 3), ("2025", 1)]
    assert years.attrs["unplaced"] == 0
    quarters = A.meetings_per_period(sc, "quarter")
    assert dict(zip(quarters["period"], quarters["n_events"]))["2024Q1"] == 2
    assert len(quarters) == 5  # 2024Q1 .. 2025Q1
    assert sorted(quarters.loc[quarters["period"] == "2024Q1", "article_ids"].iloc[0]) == ["a1", "a2"]


def test_scope_bounds_extend_the_periods_and_drop_events_outside():
    sc = A.scope(meetings_corpus(), start="2024-02-01", end="2025-12-31")
    ids = set(sc.events["event_id"])
    assert ids == {"E2", "E3", "E4"}  # E1 before the start, E5 undated
    assert any("undated" in note for note in sc.notes)
    years = A.meetings_per_period(sc, "year")
    assert list(years["period"]) == ["2024", "2025"]
    months = A.meetings_per_period(sc, "month")
    assert months["period"].iloc[0] == "2024-02" and months["period"].iloc[-1] == "2025-12"


def test_scope_keeps_events_with_any_kept_country():
    sc = A.scope(meetings_corpus(), countries=["jpn"])
    assert list(sc.events["event_id"]) == ["E3"]
    assert set(sc.articles["article_id"]) == {"a2"}


def test_scope_rejects_a_start_after_the_end():
    with pytest.raises(ValueError, match="after"):
        A.scope(meetings_corpus(), start="2025", end="2024")


def test_pair_counts_count_every_pair_of_a_three_sided_meeting():
    pairs = A.pair_counts(A.scope(meetings_corpus()))
    by = dict(zip(pairs["pair"], pairs["n_events"]))
    assert by == {"CHN–RUS": 4, "JPN–RUS": 1, "CHN–IND": 1, "IND–RUS": 1}
    assert pairs.iloc[0]["pair"] == "CHN–RUS"
    top = pairs.iloc[0]
    assert top["first"] == "2024-01-05" and top["last"] == "2025-02-10"
    assert set(top["event_ids"]) == {"E1", "E2", "E4", "E5"}
    matrix = A.pair_matrix(pairs)
    assert matrix.loc["CHN", "RUS"] == matrix.loc["RUS", "CHN"] == 4
    assert matrix.loc["JPN", "CHN"] == 0


def test_mode_counts_with_unknown_and_per_period():
    sc = A.scope(meetings_corpus())
    modes = dict(zip(*A.mode_counts(sc)[["mode", "n_events"]].T.values))
    assert modes == {"in_person": 2, "phone": 1, "video": 1, "unknown": 1}
    per_year = A.mode_counts(sc, "year")
    row = per_year.loc[(per_year["period"] == "2025") & (per_year["mode"] == "video")]
    assert int(row["n_events"].iloc[0]) == 1
    zero = per_year.loc[(per_year["period"] == "2025") & (per_year["mode"] == "phone")]
    assert int(zero["n_events"].iloc[0]) == 0


def series_corpus() -> Corpus:
    b = Builder()
    b.article("s1", [["第19回。"]], published="2024-11-20").article("s2", [["第20回。"]], published="2025-12-03")
    b.article("s3", [["2+2。"]], published="2019-05-01")
    b.event("R19", "2024-11", ["CHN", "RUS"], ["s1"], series="china_russia_strategic_security_consultation",
            session=19)
    b.event("R20", "2025-12-02", ["CHN", "RUS"], ["s2"], series="china_russia_strategic_security_consultation",
            session=20)
    b.event("J1", "2013-11", ["JPN", "RUS"], ["s3"], series="japan_russia_2plus2", session=1)
    b.event("J3", "2019-05", ["JPN", "RUS"], ["s3"], series="japan_russia_2plus2", session=3)
    b.event("Jx", "2017-03", ["JPN", "RUS"], ["s3"], series="japan_russia_2plus2")
    return b.corpus()


def test_series_rounds_flag_the_missing_rounds():
    rounds = A.series_rounds(A.scope(series_corpus()))
    ccp = rounds.loc[rounds["series"] == "china_russia_strategic_security_consultation"]
    seen = ccp.loc[ccp["observed"]]
    assert list(seen["session"]) == [19, 20]
    assert list(seen["date"]) == ["2024-11", "2025-12-02"]
    assert 18 in list(ccp.loc[~ccp["observed"], "session"])
    gaps = A.missing_rounds(rounds).set_index("series")
    assert gaps.loc["china_russia_strategic_security_consultation", "missing_ranges"] == "1–18"
    assert gaps.loc["japan_russia_2plus2", "missing"] == [2]
    assert gaps.loc["japan_russia_2plus2", "unnumbered"] == 1
    assert gaps.loc["japan_russia_2plus2", "highest"] == 3


def test_ranges():
    assert A.ranges([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"
    assert A.ranges([]) == ""


def test_pair_intervals_between_consecutive_meetings():
    intervals = A.pair_intervals(A.scope(meetings_corpus()), ["CHN–RUS"])
    # E1 2024-01-05 -> E2 2024-03 (first day 03-01) -> E4 2025-02-10; E5 undated is left out
    assert list(intervals["days"]) == [56, 346]
    assert list(intervals["approximate"]) == [True, True]
    summary = A.interval_summary(intervals)
    assert summary.iloc[0]["median_days"] == pytest.approx(201)
    assert summary.iloc[0]["min_days"] == 56


# --- topics -------------------------------------------------------------------------------

def topic_corpus() -> Corpus:
    b = Builder()
    # t1: two paragraphs; ukraine and taiwan in the same sentence, economy in the next paragraph
    b.article("t1", [["ウクライナと台湾。", "別の文。"], ["経済。"]], published="2024-05-01", title="<b>T1</b>")
    b.mention("t1", 0, "topic", "ukraine").mention("t1", 0, "topic", "taiwan").mention("t1", 2, "topic", "economy")
    # t2: ukraine and taiwan in different sentences of one paragraph
    b.article("t2", [["ウクライナ。", "台湾。"]], published="2024-06-01", title="T2")
    b.mention("t2", 0, "topic", "ukraine").mention("t2", 1, "topic", "taiwan")
    # t3: ukraine only, a year later; t4: nothing
    b.article("t3", [["ウクライナ。"]], published="2025-01-01", title="T3")
    b.mention("t3", 0, "topic", "ukraine")
    b.article("t4", [["何もない。"]], published="2025-02-01", title="T4")
    return b.corpus()


def _pair(table, a, b):
    rows = table.loc[(table["topic_a"] == a) & (table["topic_b"] == b)]
    return rows.iloc[0] if len(rows) else None


def test_cooccurrence_depends_on_the_unit():
    sc = A.scope(topic_corpus())
    by_article = A.topic_cooccurrence(sc, "article")
    by_paragraph = A.topic_cooccurrence(sc, "paragraph")
    by_sentence = A.topic_cooccurrence(sc, "sentence")
    assert _pair(by_article, "taiwan", "ukraine")["count"] == 2
    assert _pair(by_paragraph, "taiwan", "ukraine")["count"] == 2
    assert _pair(by_sentence, "taiwan", "ukraine")["count"] == 1
    assert _pair(by_article, "economy", "ukraine")["count"] == 1
    assert _pair(by_paragraph, "economy", "ukraine") is None  # different paragraphs of t1
    assert by_article.attrs["n_units"] == 4 and by_sentence.attrs["n_units"] == 7
    assert A.n_units(sc, "paragraph") == 5


def test_cooccurrence_measures():
    pair = _pair(A.topic_cooccurrence(A.scope(topic_corpus()), "article"), "taiwan", "ukraine")
    # 4 articles; ukraine in 3, taiwan in 2, both in 2
    assert (pair["n_a"], pair["n_b"]) == (2, 3)
    assert pair["lift"] == pytest.approx(2 * 4 / (2 * 3))
    assert pair["pmi"] == pytest.approx(math.log2(4 / 3))
    assert pair["jaccard"] == pytest.approx(2 / 3)
    assert pair["article_ids"] == ["t1", "t2"]
    assert ("t2", 1) in pair["refs"]


def test_cooccurrence_min_count_filters_pairs():
    table = A.topic_cooccurrence(A.scope(topic_corpus()), "article", min_count=2)
    assert list(zip(table["topic_a"], table["topic_b"])) == [("taiwan", "ukraine")]
    assert A.topic_cooccurrence(A.scope(topic_corpus()), "article", min_count=3).empty


def test_topic_trends_fill_empty_periods_and_shares():
    trends = A.topic_trends(A.scope(topic_corpus()), "year")
    ukraine = trends.loc[trends["topic"] == "ukraine"].set_index("period")
    assert ukraine.loc["2024", "n_articles"] == 2 and ukraine.loc["2025", "n_articles"] == 1
    assert ukraine.loc["2025", "share"] == pytest.approx(0.5)  # t3 of t3, t4
    months = A.topic_trends(A.scope(topic_corpus()), "month")
    assert months["period"].nunique() == 10  # 2024-05 .. 2025-02
    assert months.loc[months["period"] == "2024-08", "n_articles"].sum() == 0


def test_topics_by_pair_uses_the_articles_reporting_the_meetings():
    b = Builder()
    b.article("m1", [["会談。ウクライナ。"]], title="M1").mention("m1", 0, "topic", "ukraine")
    b.article("m2", [["会談。"]], title="M2")
    b.event("E1", "2024-01-01", ["CHN", "RUS"], ["m1", "m2"])
    table = A.topics_by_pair(A.scope(b.corpus()))
    assert list(zip(table["pair"], table["topic"], table["n_articles"])) == [("CHN–RUS", "ukraine", 1)]


# --- forums -----------------------------------------------------------------------------------

def forum_corpus() -> Corpus:
    b = Builder()
    b.article("f1", [["SCOで会談。", "ウクライナ。"]], published="2024-07-04", title="F1")
    b.mention("f1", 0, "forum", "SCO").mention("f1", 0, "country", "CHN").mention("f1", 0, "country", "RUS")
    b.mention("f1", 1, "topic", "ukraine")
    b.article("f2", [["BRICSとSCO。"]], published="2025-10-01", title="F2")
    b.mention("f2", 0, "forum", "BRICS").mention("f2", 0, "forum", "SCO").mention("f2", 0, "country", "IND")
    b.event("S1", "2024-07-03", ["CHN", "RUS"], ["f1"], forum="SCO")
    return b.corpus()


def test_forum_counts_and_over_time():
    sc = A.scope(forum_corpus())
    counts = A.forum_counts(sc).set_index("forum")
    assert counts.loc["SCO", "n_articles"] == 2 and counts.loc["SCO", "n_sideline_events"] == 1
    assert counts.loc["BRICS", "n_articles"] == 1
    assert A.choose_forums(sc, None, 1) == ["SCO"]
    assert A.choose_forums(sc, ["BRICS"], 1) == ["BRICS"]
    over = A.forums_over_time(sc, "year", ["SCO", "BRICS"])
    cell = over.set_index(["period", "forum"])
    assert cell.loc[("2024", "SCO"), "n_articles"] == 1 and cell.loc[("2024", "BRICS"), "n_articles"] == 0
    assert cell.loc[("2025", "BRICS"), "n_articles"] == 1


def test_forum_by_country_counts_articles_and_sideline_meetings():
    table = A.forum_by_country(A.scope(forum_corpus())).set_index(["forum", "country"])
    assert table.loc[("SCO", "CHN"), "n_articles"] == 1 and table.loc[("SCO", "CHN"), "n_events"] == 1
    assert table.loc[("SCO", "IND"), "n_articles"] == 1 and table.loc[("SCO", "IND"), "n_events"] == 0
    assert ("BRICS", "CHN") not in table.index


def test_forum_by_topic_and_sidelines():
    sc = A.scope(forum_corpus())
    table = A.forum_by_topic(sc, "article")
    assert list(zip(table["forum"], table["topic"], table["count"])) == [("SCO", "ukraine", 1)]
    assert A.forum_by_topic(sc, "sentence").empty  # the forum and the topic are in different sentences
    sidelines = A.sideline_meetings(sc)
    assert list(sidelines["event_id"]) == ["S1"] and sidelines.iloc[0]["countries"] == ["CHN", "RUS"]
    assert A.sideline_meetings(sc, ["BRICS"]).empty



def sideline_corpus(days: list[str], copies: int = 1) -> Corpus:
    """Meetings on the SCO's sidelines, `copies` of them on each of `days`."""
    b = Builder().article("x", [["SCOで会談。"]], title="X")
    for i, day in enumerate(days):
        for k in range(copies):
            b.event(f"S{i}-{k}", day, ["CHN", "RUS"] if k % 2 == 0 else ["IND", "RUS"], ["x"], forum="SCO")
    return b.corpus()


def test_sideline_timeline_has_the_same_markers_for_ten_times_the_meetings():
    days = ["2024-07-03", "2024-07-04", "2025-09-01"]
    small = A.sideline_timeline(A.sideline_meetings(A.scope(sideline_corpus(days, 1))))
    large = A.sideline_timeline(A.sideline_meetings(A.scope(sideline_corpus(days, 10))))
    assert list(small["start"]) == list(large["start"]) == days  # by day while that fits
    assert set(small["step"]) == {"day"}
    assert list(large["n_events"]) == [10, 10, 10]
    assert large.iloc[0]["sides"] == [(("CHN", "RUS"), 5), (("IND", "RUS"), 5)]


def test_sideline_timeline_coarsens_to_stay_under_max_points():
    days = [(dt.date(2020, 1, 1) + dt.timedelta(days=9 * i)).isoformat() for i in range(400)]  # ~10 years
    sidelines = A.sideline_meetings(A.scope(sideline_corpus(days + [None])))
    timeline = A.sideline_timeline(sidelines, max_points=60)
    assert len(timeline) <= 60 and set(timeline["step"]) == {"quarter"}  # 120 months > 60 >= 40 quarters
    assert timeline["n_events"].sum() == 400 and timeline.attrs["undated"] == 1
    assert timeline.iloc[0]["start"] == "2020-01-01" and timeline.iloc[1]["start"] == "2020-04-01"
    assert A.sideline_timeline(A.sideline_meetings(A.scope(Builder().corpus()))).empty


def test_most_reported_puts_the_most_articles_then_the_latest_first():
    frame = pd.DataFrame({"event_id": list("abcd"), "date": ["2024-01-01", "2025-03", None, "2023"],
                          "n_articles": [2, 2, 5, 1]})
    assert list(A.most_reported(frame)["event_id"]) == ["c", "b", "a", "d"]


def test_missing_rounds_put_the_busiest_track_first():
    b = Builder().article("x", [["会談。"]])
    b.event("A1", "2020-01-01", ["CHN", "RUS"], ["x"], series="a_quiet_series", session=1)
    for i in range(4):
        b.event(f"Z{i}", f"202{i}-05-01", ["JPN", "RUS"], ["x"], series="z_busy_series", session=i + 1)
    gaps = A.missing_rounds(A.series_rounds(A.scope(b.corpus())))
    assert list(gaps["series"]) == ["z_busy_series", "a_quiet_series"]  # not alphabetical


def test_describe_series_stays_short_however_many_series():
    b = Builder().article("x", [["会談。"]])
    for t in range(12):
        for r in (1, 3):
            b.event(f"E{t}-{r}", f"20{10 + r}-01-01", ["CHN", f"C{t:02d}"], ["x"], series=f"series{t:02d}",
                    session=r + (t == 0))
    summary = A.missing_rounds(A.series_rounds(A.scope(b.corpus())))
    lines = A.describe_series(summary, A.Labels("en", names={}), top=5)
    assert len(lines) == 7  # a heading, five tracks, one sentence for the other seven
    assert lines[0].startswith("12 series tracks") and "the 5 with the most meetings" in lines[0]
    assert lines[-1].startswith("The other 7 tracks have 14 rounds seen between them, 7 with rounds not in")
    assert not any("series11" in line for line in lines)
    assert len(A.describe_series(summary.head(3), A.Labels("en", names={}), top=5)) == 3

# --- tracing ------------------------------------------------------------------------------------

def test_trace_returns_the_evidence_sentences_of_a_topic_cell():
    sc = A.scope(topic_corpus())
    pair = _pair(A.topic_cooccurrence(sc, "sentence"), "taiwan", "ukraine")
    behind = A.trace(sc, pair)
    assert list(behind["article_id"]) == ["t1"]
    assert list(behind["evidence"]) == ["ウクライナと台湾。"]
    assert list(behind["title"]) == ["<b>T1</b>"]  # data, unescaped here; escaped where it reaches HTML


def test_trace_returns_the_meeting_reports_of_an_event_cell():
    sc = A.scope(meetings_corpus())
    counts = A.meetings_per_period(sc, "year")
    behind = A.trace(sc, counts.loc[counts["period"] == "2024"].iloc[0])
    assert sorted(behind["article_id"]) == ["a1", "a2", "a2"]
    assert "evidence of E3 in a2" in set(behind["evidence"])


def test_trace_of_an_empty_cell_is_empty():
    sc = A.scope(meetings_corpus())
    counts = A.meetings_per_period(sc, "month")
    assert A.trace(sc, counts.loc[counts["period"] == "2024-02"].iloc[0]).empty


# --- overview ------------------------------------------------------------------------------

def test_overview_tables():
    b = Builder()
    b.article("o1", [["本文。"]], published="2024-01-01", outlet="X", boilerplate="ランキング\nメニュー")
    b.article("o2", [["本文。"]], published="2024-03-01", outlet="X", boilerplate="ランキング")
    b.article("o3", [["本文。"]], status="error", duplicate_of=None)
    b.article("o4", [["本文。"]], published="2024-03-02", duplicate_of="o2")
    corpus = b.corpus()
    info = A.overview(corpus)
    assert (info["files"], info["ok"], info["errors"], info["duplicates"]) == (4, 3, 1, 1)
    assert info["first"] == "2024-01-01" and info["last"] == "2024-03-02"
    sources = A.source_counts(corpus).set_index("outlet")
    assert sources.loc["X", "n_articles"] == 2 and sources.loc["(not stated)", "n_articles"] == 2
    lines = A.boilerplate_lines(corpus)
    assert lines.iloc[0]["line"] == "ランキング" and lines.iloc[0]["n_articles"] == 2
    per_month = A.articles_per_period(corpus, "month")
    assert list(per_month["n_articles"]) == [1, 0, 2]
    sc = A.scope(corpus)
    assert set(sc.articles["article_id"]) == {"o1", "o2"}  # no error, no duplicate


# --- empty and sparse tables --------------------------------------------------------------

def test_everything_runs_on_an_empty_corpus_and_says_so():
    sc = A.scope(Builder().corpus())
    labels = A.Labels("en", names={})
    counts = A.meetings_per_period(sc, "month")
    assert counts.empty and list(counts.columns)[:3] == ["period", "period_start", "n_events"]
    assert A.describe_periods(counts) == ["No meetings in this period."]
    for frame in (A.pair_counts(sc), A.mode_counts(sc), A.series_rounds(sc), A.pair_intervals(sc),
                  A.topic_cooccurrence(sc), A.topic_counts(sc), A.topic_trends(sc), A.topics_by_pair(sc),
                  A.forum_counts(sc), A.forums_over_time(sc), A.forum_by_country(sc), A.forum_by_topic(sc),
                  A.sideline_meetings(sc)):
        assert isinstance(frame, pd.DataFrame) and frame.empty
    assert A.describe_pairs(A.pair_counts(sc), labels)[0].startswith("No meetings")
    assert A.describe_series(A.missing_rounds(A.series_rounds(sc)), labels)[0].startswith("No meetings")
    assert A.describe_topics(A.topic_counts(sc), A.topic_cooccurrence(sc), labels, "article", "lift") == \
        ["No topics were found in this period."]
    assert A.describe_forums(A.forum_counts(sc), labels) == ["No forums are mentioned in this period."]
    assert A.describe_sidelines(A.sideline_meetings(sc), labels)[0].startswith("No meetings")


def test_describe_periods_speaks_of_the_data():
    lines = A.describe_periods(A.meetings_per_period(A.scope(meetings_corpus()), "month"))
    text = " ".join(lines)
    assert "3 events across 14 months from 2024-01 to 2025-02" in text
    assert "11 months had none" in text
    assert "1 event dated less precisely than a month" in text


# --- labels ------------------------------------------------------------------------------------

def test_labels_from_names_fall_back_to_ids():
    names = {"country": {"CHN": {"en": "China", "ja": "中国"}}, "topic": {"ukraine": {"en": "War", "ja": "ウ"}}}
    en, ja = A.Labels("en", names), A.Labels("ja", names)
    assert en("country", "CHN") == "China" and ja("country", "CHN") == "中国"
    assert en("country", "XXX") == "XXX" and en("forum", "SCO") == "SCO"
    assert en.pair("CHN–RUS") == "China–RUS"
    assert ja.mode("phone") == "電話"
    with pytest.raises(ValueError):
        A.Labels("fr")


def test_labels_from_the_reference():
    labels = A.Labels("en")
    assert labels("country", "CHN") == "China"
    assert A.Labels("ja")("country", "RUS") == "ロシア"


# --- a property: every event is counted once, or said to be left out ---------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2026, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))), max_size=12),
    st.sampled_from(list(A.PERIODS)))
def test_every_event_is_counted_or_accounted_for(dates, period):
    b = Builder().article("x", [["会談。"]])
    for i, date in enumerate(dates):
        b.event(f"E{i}", date, ["CHN", "RUS"], ["x"])
    counts = A.meetings_per_period(A.scope(b.corpus()), period)
    placed = int(counts["n_events"].sum()) if len(counts) else 0
    assert placed + counts.attrs["unplaced"] + counts.attrs["undated"] == len(dates)
    if len(counts):
        periods = [pd.Period(p, freq=A.PERIODS[period]) for p in counts["period"]]
        assert periods == sorted(periods) and len(set(periods)) == len(periods)
        assert all(b - a == 1 for a, b in zip([p.ordinal for p in periods], [p.ordinal for p in periods][1:]))


def test_square_turns_pairs_into_a_symmetric_matrix():
    pairs = A.topic_cooccurrence(A.scope(topic_corpus()), "article")
    matrix = A.square(pairs, "topic_a", "topic_b", "count")
    assert matrix.loc["taiwan", "ukraine"] == matrix.loc["ukraine", "taiwan"] == 2
    assert matrix.loc["economy", "taiwan"] == 1 and math.isnan(matrix.loc["taiwan", "taiwan"])

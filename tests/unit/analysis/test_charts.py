"""kaidan.charts: figures from analysis frames, hover text naming (escaped) articles, bounded size."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from kaidan import analysis as A
from kaidan import charts as C
from kaidan.constants import PLOTLY_MIMETYPE
from test_analysis import Builder, forum_corpus, meetings_corpus, series_corpus, topic_corpus

LABELS = A.Labels("en", names={"country": {"CHN": {"en": "China", "ja": "中国"}, "RUS": {"en": "Russia", "ja": "ロシア"}}})
HOSTILE = '<img src=x onerror="alert(1)">&<b>'


def _hovers(fig) -> list[str]:
    out = []
    for trace in fig.data:
        for attr in ("hovertext", "customdata"):
            value = getattr(trace, attr, None)
            if value is None:
                continue
            for item in value:
                if isinstance(item, (list, tuple)):
                    out.extend(str(x) for x in item)
                else:
                    out.append(str(item))
    return out


def test_escape_matches_what_plotly_decodes():
    assert C.esc(HOSTILE) == '&lt;img src=x onerror="alert(1)"&gt;&amp;&lt;b&gt;'
    assert C.esc(None) == "" and C.esc(float("nan")) == ""


def test_hover_names_articles_escaped_and_bounded():
    titles = {f"a{i}": f"{HOSTILE} {i}" for i in range(10)}
    text = C.articles_hover([f"a{i}" for i in range(10)], titles)
    assert "<img" not in text and "&lt;img" in text
    assert text.count("• ") == C.HOVER_TITLES and "… and 7 more" in text
    long = C.articles_hover(["x"], {"x": "長" * 200})
    assert len(long) < C.TITLE_CHARS + 10 and long.endswith("…")
    assert C.articles_hover([], titles) == "no articles"


def test_period_bars_name_the_articles_behind_each_bar():
    b = Builder().article("a1", [["会談。"]], title=HOSTILE, published="2024-01-06")
    b.event("E1", "2024-01-05", ["CHN", "RUS"], ["a1"])
    b.event("E2", "2024-03-05", ["CHN", "RUS"], ["a1"])
    sc = A.scope(b.corpus())
    fig = C.period_bars(A.meetings_per_period(sc, "month"), sc.titles)
    assert list(fig.data[0].x) == ["2024-01", "2024-02", "2024-03"]
    assert list(fig.data[0].y) == [1, 0, 1]
    hovers = _hovers(fig)
    assert "&lt;img src=x" in hovers[0] and "<img" not in hovers[0]
    assert "no articles" in hovers[1]


def test_no_figure_without_data():
    sc = A.scope(Builder().corpus())
    assert C.period_bars(A.meetings_per_period(sc), sc.titles) is None
    assert C.pair_heatmap(A.pair_counts(sc), LABELS, sc.titles) is None
    assert C.series_rounds_chart(A.series_rounds(sc), LABELS, sc.titles) is None
    assert C.cooccurrence_heatmap(A.topic_cooccurrence(sc), A.topic_counts(sc), LABELS, sc.titles) is None
    assert C.trend_lines(A.topic_trends(sc), LABELS, sc.titles) is None
    assert C.sideline_chart(A.sideline_timeline(A.sideline_meetings(sc)), LABELS, sc.titles) is None


def test_pair_heatmap_is_a_lower_triangle_with_labels():
    sc = A.scope(meetings_corpus())
    fig = C.pair_heatmap(A.pair_counts(sc), LABELS, sc.titles)
    heat = fig.data[0]
    assert list(heat.x)[:2] == ["Russia", "China"]  # busiest first, labelled
    z = [list(row) for row in heat.z]
    assert z[0][0] is None and z[0][1] is None  # diagonal and upper triangle empty
    assert z[1][0] == 4  # China–Russia
    assert "China–Russia" in heat.customdata[1][0] and "title a1" in heat.customdata[1][0]


def test_series_rounds_chart_draws_one_bar_per_run_of_missing_rounds():
    sc = A.scope(series_corpus())
    fig = C.series_rounds_chart(A.series_rounds(sc), LABELS, sc.titles)
    missing, seen = fig.data
    assert missing.name == "missing" and seen.name == "in the corpus"
    assert sorted(seen.x) == [1, 3, 19, 20]
    # rounds 1-18 of one series and round 2 of the other: two bars, each two points and a break
    segments = [(a, b) for a, b in zip(missing.x[::3], missing.x[1::3])]
    assert sorted(segments) == [(0.7, 18.3), (1.7, 2.3)]
    assert any("rounds 1–18: not in the corpus" in (h or "") for h in missing.hovertext)


def test_series_timeline_groups_a_series_by_month():
    b = Builder().article("x", [["会談。"]], title="X")
    for i, day in enumerate(("2024-05-01", "2024-05-20", "2024-07-02")):
        b.event(f"E{i}", day, ["CHN", "RUS"], ["x"], series="summit")
    sc = A.scope(b.corpus())
    fig = C.series_timeline(A.series_rounds(sc), LABELS, sc.titles)
    assert list(fig.data[0].x) == ["2024-05-01", "2024-07-01"]
    assert "2 meetings" in fig.data[0].hovertext[0]


def test_intervals_are_binned_by_length():
    sc = A.scope(meetings_corpus())
    bins = A.interval_bins(A.pair_intervals(sc))
    assert list(zip(bins["pair"], bins["bin"], bins["n_intervals"])) == [("CHN–RUS", "≤ 3 months", 1),
                                                                         ("CHN–RUS", "≤ 1 year", 1)]
    fig = C.interval_heatmap(bins, LABELS, sc.titles)
    assert list(fig.data[0].y) == ["China–Russia"]
    assert fig.data[0].z[0][2] == 1 and fig.data[0].z[0][4] == 1 and fig.data[0].z[0][0] is None


def test_figures_do_not_grow_with_the_number_of_meetings():
    def sizes(n):
        b = Builder().article("x", [["会談。"]], title="X" * 50)
        for i in range(n):  # n meetings spread over the same three months
            day = (pd.Timestamp("2020-01-01") + pd.Timedelta(days=i * 90 // n)).date().isoformat()
            b.event(f"E{i}", day, ["CHN", "RUS"], ["x"], series="summit", session=i + 1)
        sc = A.scope(b.corpus())
        rounds, intervals = A.series_rounds(sc), A.pair_intervals(sc)
        figs = [C.series_timeline(rounds, LABELS, sc.titles),
                C.interval_heatmap(A.interval_bins(intervals), LABELS, sc.titles),
                C.series_rounds_chart(rounds, LABELS, sc.titles)]
        return [len(json.dumps(C.figure_json(f), ensure_ascii=False)) for f in figs]
    small, large = sizes(6), sizes(60)
    assert large[0] - small[0] < 200  # one marker per month either way
    assert large[1] - small[1] < 50
    assert large[2] > small[2]  # one marker per round seen: rounds are few in reality, and shown


def test_cooccurrence_heatmap_colours_by_the_measure():
    sc = A.scope(topic_corpus())
    pairs, counts = A.topic_cooccurrence(sc), A.topic_counts(sc)
    fig = C.cooccurrence_heatmap(pairs, counts, LABELS, sc.titles, measure="jaccard")
    heat = fig.data[0]
    order = list(counts["topic"])
    i, j = order.index("taiwan"), order.index("ukraine")
    row, col = max(i, j), min(i, j)
    assert heat.z[row][col] == pytest.approx(round(2 / 3, 3))
    assert heat.z[col][row] is None  # lower triangle only
    assert "lift 1.33" in heat.customdata[row][col]
    assert "&lt;b&gt;T1&lt;/b&gt;" in heat.customdata[row][col]


def test_forum_figures():
    sc = A.scope(forum_corpus())
    shown = A.choose_forums(sc, None, 5)
    assert C.forum_bars(A.forum_counts(sc), LABELS, sc.titles) is not None
    fig = C.forum_country_heatmap(A.forum_by_country(sc), LABELS, sc.titles, shown)
    assert list(fig.data[0].y) == ["SCO", "BRICS"]
    assert C.sideline_chart(A.sideline_timeline(A.sideline_meetings(sc)), LABELS, sc.titles).data[0].x == ("2024-07-03",)


def test_figure_json_is_small_plain_and_without_uids():
    sc = A.scope(meetings_corpus())
    fig = C.period_bars(A.meetings_per_period(sc), sc.titles)
    data = C.figure_json(fig)
    assert "uid" not in data["data"][0]
    assert data["config"]["displaylogo"] is False
    assert len(json.dumps(data)) < 5000  # plotly's default template alone is ~10 KB


def test_show_displays_the_plotly_mimetype_with_the_figure_name(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    sc = A.scope(meetings_corpus())
    C.show(C.period_bars(A.meetings_per_period(sc), sc.titles), "meetings", main=True)
    C.show(None, "nothing")
    assert len(shown) == 1
    (bundle,), kwargs = shown[0]
    assert set(bundle) == {PLOTLY_MIMETYPE, "text/plain"}  # no plotly.js and no div in the notebook
    assert kwargs["metadata"] == {"kaidan": {"figure": "meetings", "main": True}}


def test_labels_reach_axis_text_escaped():
    names = {"topic": {"ukraine": {"en": "<i>War</i>", "ja": "ウ"}, "taiwan": {"en": "Taiwan", "ja": "台"}}}
    sc = A.scope(topic_corpus())
    fig = C.topic_bars(A.topic_counts(sc), A.Labels("en", names), sc.titles)
    assert "&lt;i&gt;War&lt;/i&gt;" in list(fig.data[0].y)


def test_hover_size_stays_bounded_as_articles_grow():
    def size(n):
        b = Builder()
        for i in range(n):
            b.article(f"a{i}", [["会談。"]], title="長い見出し" * 20, published="2024-01-02")
        b.event("E1", "2024-01-01", ["CHN", "RUS"], [f"a{i}" for i in range(n)])
        sc = A.scope(b.corpus())
        return len(json.dumps(C.figure_json(C.period_bars(A.meetings_per_period(sc), sc.titles)),
                              ensure_ascii=False))
    assert size(200) - size(10) < 10  # only "… and 7 more" becomes "… and 197 more"


# --- a figure's size does not grow with the corpus ------------------------------------------

def _titles_named(fig) -> int:
    return sum(h.count("• ") for h in _hovers(fig))


def test_hover_names_no_more_than_the_budget_of_titles_per_figure():
    assert C.titles_per_point(10) == C.HOVER_TITLES and C.titles_per_point(100) == 1
    assert C.titles_per_point(10 * C.HOVER_TITLE_BUDGET) == 0
    assert C.articles_hover(["a", "b"], {}, limit=0) == "2 articles"

    def bars(n_months):
        b = Builder()
        for i in range(n_months):
            day = (pd.Timestamp("2010-01-15") + pd.DateOffset(months=i)).date().isoformat()
            for k in range(3):
                b.article(f"a{i}-{k}", [["会談。"]], title=f"{HOSTILE} {i}", published=day)
        corpus = b.corpus()
        return C.period_bars(A.articles_per_period(corpus, "month"), {}, value="n_articles", unit="articles")
    few, many = bars(12), bars(240)
    assert _titles_named(few) == 12 * C.HOVER_TITLES  # few bars: every bar names its articles
    assert _titles_named(many) == 0 and "3 articles" in _hovers(many)[0]
    assert "<img" not in "".join(_hovers(few))


def _many_countries(n_events: int):
    """Events among 20 countries (every pair meets), `n_events` in all, each reported by its own article."""
    countries = [f"C{i:02d}" for i in range(20)]
    pairs = [(a, b) for i, a in enumerate(countries) for b in countries[i + 1:]]
    b = Builder()
    for i in range(n_events):
        b.article(f"a{i}", [["会談。"]], title=f"{HOSTILE} 見出し {i}" * 3, published="2024-01-02")
        b.event(f"E{i}", f"20{10 + i % 15}-0{1 + i % 9}-01", list(pairs[i % len(pairs)]), [f"a{i}"],
                series=f"s{i % 20}", session=1 + i // 200)
    return A.scope(b.corpus())


def test_figures_of_ten_times_the_meetings_keep_their_points_and_size():
    from kaidan.reports import plotly_div

    def build(n):
        sc = _many_countries(n)
        figs = [C.pair_heatmap(A.pair_counts(sc), LABELS, sc.titles),
                C.interval_heatmap(A.interval_bins(A.pair_intervals(sc)), LABELS, sc.titles),
                C.series_timeline(A.series_rounds(sc), LABELS, sc.titles)]
        return figs, [plotly_div(C.figure_json(f), "f") for f in figs]
    (pairs, intervals, timeline), small = build(380)  # every pair of 20 countries meets once
    (pairs_10x, intervals_10x, timeline_10x), large = build(3800)  # ... and ten times
    # the 15 busiest countries either way, each cell naming one article at most
    assert [len(r) for r in pairs.data[0].z] == [len(r) for r in pairs_10x.data[0].z] == [15] * 15
    assert len(large[0]) < 1.1 * len(small[0]) < 30_000
    assert len(intervals_10x.data[0].z) == 15 and len(intervals_10x.data[0].z[0]) == 7 and len(large[1]) < 25_000
    assert len(timeline_10x.data[0].x) <= 150 and len(large[2]) < 30_000  # per month, else quarter or year
    for fig, div in zip((pairs_10x, intervals_10x, timeline_10x), large):
        assert _titles_named(fig) <= C.HOVER_TITLE_BUDGET
        assert "<img" not in div and "\\u003cimg" not in div  # article text stays escaped in the page


def test_sideline_chart_draws_the_timeline_not_every_meeting():
    from test_analysis import sideline_corpus

    days = [(pd.Timestamp("2016-01-01") + pd.Timedelta(days=5 * i)).date().isoformat() for i in range(600)]
    sizes = []
    for copies in (1, 10):
        sc = A.scope(sideline_corpus(days, copies))
        fig = C.sideline_chart(A.sideline_timeline(A.sideline_meetings(sc)), LABELS, sc.titles)
        sizes.append((len(fig.data[0].x), len(json.dumps(C.figure_json(fig), ensure_ascii=False))))
    (points, size), (points_10x, size_10x) = sizes
    assert points == points_10x <= 150  # 600 days: per month, not a marker per meeting
    assert size_10x < 1.25 * size and size_10x < 40_000  # the 10x hover also names a second set of sides
    first = _hovers(fig)[0]  # January 2016: seven days, ten meetings on each, two sets of sides
    assert first.startswith("2016-01-01, 2016-01-06, 2016-01-11 … (7 dates): 70 meetings")
    assert fig.data[0].y[0] == "SCO" and fig.data[0].hovertemplate.startswith("<b>%{y}</b>")
    assert "China–Russia ×35" in first

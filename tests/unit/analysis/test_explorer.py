"""The meetings explorer (notebook 04): its tables (kaidan.analysis.explorer), its map and network
(kaidan.meeting_charts) and its interactive table (kaidan.event_table), on corpora built here."""
from __future__ import annotations

import json
import re

import pytest

from kaidan import analysis as A
from kaidan import event_table as T
from kaidan import meeting_charts as M
from kaidan.assets import BASE_MAP, DATATABLES_JS, base_map, geo_script
from test_analysis import Builder

HOSTILE = '<img src=x onerror="alert(1)">&<b>'
EN, JA = A.Labels("en"), A.Labels("ja")


def explorer_corpus(extra_events: int = 0):
    """Six events: three in Moscow, one in Beijing, one in a city the gazetteer lacks, one undated;
    each with its place, participants and evidence set the way extraction sets them."""
    b = Builder()
    for aid, title in (("a1", HOSTILE), ("a2", "普通の見出し"), ("a3", "見出し3")):
        b.article(aid, [["会談した。"]], published="2025-01-01", title=title)
    rows = [("E1", "2024-01-05", ["CHN", "RUS"], ["a1"], "Moscow", ["Wang Yi", "Sergei Lavrov"]),
            ("E2", "2024-03", ["CHN", "RUS"], ["a2"], "Moscow", ["Sergei Shoigu", "Wang Yi"]),
            ("E3", "2025", ["JPN", "RUS"], ["a2", "a3"], "Moscow", ["Sergei Lavrov", "Sergei Shoigu"]),
            ("E4", "2025-02-10", ["CHN", "RUS"], ["a3"], "Beijing", []),
            ("E5", "2023-06-01", ["CHN", "IND"], ["a1"], "Atlantis", []),
            ("E6", None, ["CHN", "RUS"], ["a1"], None, [])]
    rows += [(f"X{i}", f"2020-01-{i % 28 + 1:02d}", ["CHN", "RUS"], ["a3"], "Moscow", []) for i in range(extra_events)]
    for eid, date, countries, articles, *_ in rows:
        b.event(eid, date, countries, articles)
    corpus = b.corpus()
    corpus.articles["url"] = [{"a1": "https://example.org/a1", "a2": "javascript:alert(1)"}.get(a)
                              for a in corpus.articles["article_id"]]
    extra = {eid: (city, people) for eid, _, _, _, city, people in rows}
    corpus.events["city"] = [extra[e][0] for e in corpus.events["event_id"]]
    corpus.events["host_country"] = [{"Moscow": "RUS", "Beijing": "CHN"}.get(extra[e][0]) for e in
                                     corpus.events["event_id"]]
    corpus.events["participants"] = [extra[e][1] for e in corpus.events["event_id"]]
    corpus.events["evidence"] = [[f"{HOSTILE} 会談の文 {e}", "二つ目の文"] for e in corpus.events["event_id"]]
    return corpus


@pytest.fixture(scope="module")
def sc():
    return A.scope(explorer_corpus())


# --- the tables ---------------------------------------------------------------------------------

def test_explorer_table_puts_the_newest_first_and_the_undated_last(sc):
    table = A.explorer_table(sc)
    # 2025 (from its first day, 2025-01-01) is before 2025-02-10; the undated event comes last
    assert list(table["event_id"]) == ["E4", "E3", "E2", "E1", "E5", "E6"]
    assert list(table["precision"][:3]) == ["day", "year", "month"]
    row = table.set_index("event_id").loc["E3"]
    assert (row["n_articles"], row["article_ids"], row["city"]) == (2, ["a2", "a3"], "Moscow")


def test_place_counts_count_each_city_and_say_how_many_are_not_on_the_map(sc):
    places = A.place_counts(sc)
    assert list(places["city"]) == ["Moscow", "Beijing"]
    assert list(places["n_events"]) == [3, 1]
    moscow = places.iloc[0]
    assert moscow["country"] == "RUS" and 55 < moscow["lat"] < 56 and 37 < moscow["lon"] < 38
    assert [e["event_id"] for e in moscow["latest"]] == ["E3", "E2", "E1"]
    assert places.attrs["unplaced"] == 2  # Atlantis has no coordinates, E6 no city
    assert "2 events name no city" in " ".join(A.describe_places(places, EN))


def test_country_edges_count_every_pair_and_name_the_newest_events(sc):
    edges = A.meeting_edges(sc)
    assert [(r.a, r.b, r.n_events) for r in edges.itertuples()][:2] == [("CHN", "RUS", 4), ("CHN", "IND", 1)]
    assert [e["event_id"] for e in edges.iloc[0]["latest"]] == ["E4", "E2", "E1"]  # the newest EVENTS_PER_POINT


def test_people_edges_join_people_of_different_countries_only(sc):
    edges = A.meeting_edges(sc, "people")
    pairs = {(r.a, r.b): r.n_events for r in edges.itertuples()}
    # Lavrov and Shoigu met others together (E3) but are colleagues: no edge between them
    assert pairs == {("Sergei Lavrov", "Wang Yi"): 1, ("Sergei Shoigu", "Wang Yi"): 1}
    with pytest.raises(ValueError, match="nodes 'cities'"):
        A.meeting_edges(sc, "cities")


def test_empty_scope_gives_empty_frames_and_says_so():
    empty = A.scope(explorer_corpus(), start="2030")
    assert A.explorer_table(empty).empty and A.place_counts(empty).empty and A.meeting_edges(empty).empty
    assert M.meetings_map(A.place_counts(empty), EN) is None and M.meetings_network(A.meeting_edges(empty), EN) is None
    assert A.describe_explorer(0, 0) == ["No meetings in this period, so the table is empty."]


# --- the map and the network --------------------------------------------------------------------

def _hovers(fig) -> list[str]:
    return [str(h) for trace in fig.data for h in (trace.hovertext or []) if h]


def test_the_map_sizes_markers_by_events_and_escapes_the_hover(sc):
    fig = M.meetings_map(A.place_counts(sc), EN)
    markers = [t for t in fig.data if t.type == "scattergeo"]
    assert sum(len(t.lat) for t in markers) == 2
    sizes = dict(zip(markers[0].hovertext, markers[0].marker.size))
    assert max(sizes.values()) > min(sizes.values())  # Moscow's three events draw a larger marker than Beijing's one
    geo = fig.layout.geo
    assert (geo.scope, geo.resolution, geo.showland) == ("world", 110, True)
    assert any("Moscow" in h and "Wang Yi" in h for h in _hovers(fig))
    assert all("<img" not in h for h in _hovers(fig))


def test_the_map_and_network_label_in_japanese_with_lang_ja(sc):
    fig = M.meetings_map(A.place_counts(sc), JA)
    assert fig.layout.title.text == "会談の開催地"
    assert any("モスクワ" in h for h in _hovers(fig))
    net = M.meetings_network(A.meeting_edges(sc), JA)
    assert "中国" in [t for trace in net.data for t in (trace.text or [])]


def test_the_hover_names_at_most_a_few_events_and_counts_the_rest():
    big = A.scope(explorer_corpus(extra_events=40))
    moscow = A.place_counts(big).iloc[0]
    text = M.events_hover(moscow["latest"], int(moscow["n_events"]), EN)
    assert text.count("<br>") == A.EVENTS_PER_POINT and f"and {43 - A.EVENTS_PER_POINT} more" in text


def test_the_network_layout_is_stable_and_edges_thicken_with_events(sc):
    first = json.dumps(M.meetings_network(A.meeting_edges(sc), EN).to_plotly_json(), sort_keys=True, default=str)
    again = json.dumps(M.meetings_network(A.meeting_edges(sc), EN).to_plotly_json(), sort_keys=True, default=str)
    assert first == again
    net = M.meetings_network(A.meeting_edges(sc), EN)
    widths = [t.line.width for t in net.data if t.mode == "lines"]
    assert len(widths) == 2 and widths[0] < widths[1]  # CHN–IND (1 event) thinner than CHN–RUS (4)
    nodes = [t for t in net.data if t.mode == "markers+text"][0]
    assert set(nodes.text) == {"China", "Russia", "Japan", "India"}


def test_the_people_network_colours_people_by_country(sc):
    net = M.meetings_network(A.meeting_edges(sc, "people"), EN, nodes="people")
    groups = {t.name: set(t.text) for t in net.data if t.mode == "markers+text"}
    assert groups == {"China": {"Wang Yi"}, "Russia": {"Sergei Lavrov", "Sergei Shoigu"}}


# --- the interactive table --------------------------------------------------------------------

def _rows(markup: str) -> list[list]:
    """The rows the table's script hands DataTables."""
    return json.loads(json.loads(re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', markup).group(1)))


def test_the_table_escapes_article_text_and_links_only_web_addresses(sc):
    markup = T.explorer_html(sc, EN, latest=10)
    assert markup.startswith(f'<script src="{DATATABLES_JS}"></script>')
    cells = " ".join(str(c) for row in _rows(markup) for c in row)
    assert "<img" not in cells and "&lt;img" in cells and "<img" not in markup
    assert 'href="https://example.org/a1"' in cells
    assert "javascript:alert" not in markup  # a2's address is not a web address: its title is shown unlinked
    assert "普通の見出し" in cells
    assert "<details><summary>2 sentence(s)</summary>" in cells
    assert "itables.org" not in markup and "_fallback" not in markup  # no static copy, no outside link


def test_the_table_holds_the_latest_n_events_only(sc):
    rows = T.display_rows(A.explorer_table(sc).head(3), sc, JA)
    assert list(rows.columns[:3]) == ["日付", "精度", "当事国"]
    assert list(rows["日付"]) == ["2025-02-10", "2025", "2024-03"]
    assert [row[0] for row in _rows(T.explorer_html(sc, EN, latest=2))] == ["2025-02-10", "2025"]
    assert A.describe_explorer(2, 6)[0].startswith("The table holds the latest 2 of 6 events")


def test_the_full_table_is_linked_in_a_report_and_explained_outside_one():
    assert 'href="tables/events.csv"' in T.full_table_note(True) and "tables/events.parquet" in T.full_table_note(True)
    assert "href" not in T.full_table_note(False) and "kaidan extract" in T.full_table_note(False)


# --- the shipped assets ---------------------------------------------------------------------------

def test_the_base_map_has_the_layers_plotly_draws_and_covers_the_world():
    topology = base_map()
    assert set(topology["objects"]) == {"countries", "land", "coastlines"}
    ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    assert {"CHN", "RUS", "JPN", "USA", "AUS"} <= ids and len(ids) > 150
    assert geo_script().startswith("window.PlotlyGeoAssets=") and f'["{BASE_MAP}"]' in geo_script()

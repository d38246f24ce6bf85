"""The meetings explorer's figures: a map of where meetings take place and a network of who
meets whom, from the frames `kaidan.analysis.place_counts` and `meeting_edges` return.

Both follow `kaidan.charts`: article text and names go through `esc`, hover text is bounded
(each point names at most `analysis.EVENTS_PER_POINT` events), the number of points is
capped, and labels follow ``labels.lang`` (English or Japanese).

The map is a plotly geo chart on the world base map kaidan ships (`kaidan.assets`): the
page that shows it loads ``kaidan-geo.js`` first, so plotly.js finds the shapes there and
fetches nothing. The network is laid out by networkx (spring layout, fixed seed, nodes
added in sorted order), so the same data gives the same picture.
"""
from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from kaidan.analysis import Labels, node_of
from kaidan.assets import GEO_JS
from kaidan.charts import COLORS, base_layout, esc, show

MAX_PLACES = 100       # cities on the map, the busiest
MAX_NODES = 30         # countries or people in the network, those in the most events
MAX_EDGES = 80         # lines between them, the heaviest (each names its newest events)
NETWORK_SEED = 7       # the layout's seed: a fixed one, so the picture does not move between runs
WIDTH_CLASSES = 4      # edge widths drawn (one trace each): events per edge binned into this many
MODES = ("in_person", "phone", "video", "unknown")

WORDS = {
    "en": {"map": "Where the meetings took place", "network": "Who meets whom",
           "events": "events", "event": "event", "more": "and {n} more", "people": "people",
           "countries": "countries", "no_participants": "", "mode": "mostly {mode}"},
    "ja": {"map": "会談の開催地", "network": "会談の相手", "events": "件", "event": "件",
           "more": "ほか{n}件", "people": "人物", "countries": "国", "no_participants": "",
           "mode": "主に{mode}"},
}


def words(labels: Labels) -> dict[str, str]:
    return WORDS[labels.lang]


def _count(n: int, labels: Labels) -> str:
    w = words(labels)
    if labels.lang == "ja":
        return f"{n}{w['events']}"
    return f"{n} {w['event'] if n == 1 else w['events']}"


def event_line(event: dict, labels: Labels) -> str:
    """One event in hover text: date, sides, participants (escaped)."""
    people = ", ".join(labels("person", p) for p in event.get("participants") or [])
    when = event.get("date") or ("日付不明" if labels.lang == "ja" else "date unknown")
    line = f"{when} {labels.countries(event.get('countries') or [])}"
    return esc(line + (f": {people}" if people else ""))


def events_hover(latest: list[dict], n_events: int, labels: Labels) -> str:
    lines = [event_line(e, labels) for e in latest]
    if n_events > len(latest):
        lines.append(esc(words(labels)["more"].format(n=n_events - len(latest))))
    return "<br>".join(lines)


def _main_mode(modes: dict) -> str:
    """The mode most of a city's events had (ties: in the order of `MODES`)."""
    return max(MODES, key=lambda m: (modes.get(m, 0), -MODES.index(m))) if modes else "unknown"


def _view(lats: list[float], lons: list[float]) -> dict:
    """Axis ranges around the markers, at least a region wide, so one city is not a close-up."""
    pad, min_lon, min_lat = 12.0, 70.0, 40.0
    lo_lon, hi_lon = min(lons) - pad, max(lons) + pad
    lo_lat, hi_lat = min(lats) - pad, max(lats) + pad
    if hi_lon - lo_lon < min_lon:
        mid = (hi_lon + lo_lon) / 2
        lo_lon, hi_lon = mid - min_lon / 2, mid + min_lon / 2
    if hi_lat - lo_lat < min_lat:
        mid = (hi_lat + lo_lat) / 2
        lo_lat, hi_lat = mid - min_lat / 2, mid + min_lat / 2
    return {"lonaxis": {"range": [max(-180.0, lo_lon), min(180.0, hi_lon)]},
            "lataxis": {"range": [max(-80.0, lo_lat), min(85.0, hi_lat)]}}


def meetings_map(places: pd.DataFrame, labels: Labels, title: str | None = None) -> go.Figure | None:
    """A marker per city sized by its events and coloured by the mode most of them had; hover
    names the city and its newest events."""
    if places is None or places.empty:
        return None
    shown = places.head(MAX_PLACES)
    w = words(labels)
    fig = go.Figure(layout=base_layout(title or w["map"], height=560, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                                       legend={"title": None}, showlegend=True))
    largest = max(int(shown["n_events"].max()), 1)
    for i, mode in enumerate(MODES):
        rows = shown.loc[[_main_mode(m) == mode for m in shown["modes"]]]
        if rows.empty:
            continue
        hover = [f"<b>{esc(labels('place', r.city))}</b> ({esc(labels('country', r.country))}): "
                 f"{_count(int(r.n_events), labels)}<br>{events_hover(r.latest, int(r.n_events), labels)}"
                 for r in rows.itertuples()]
        sizes = [8 + 22 * math.sqrt(int(n) / largest) for n in rows["n_events"]]
        fig.add_trace(go.Scattergeo(
            lat=[float(v) for v in rows["lat"]], lon=[float(v) for v in rows["lon"]], mode="markers",
            name=esc(w["mode"].format(mode=labels.mode(mode))), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": sizes, "color": COLORS[i % len(COLORS)], "opacity": 0.8,
                    "line": {"width": 1, "color": "white"}}))
    fig.update_geos(scope="world", resolution=110, projection={"type": "natural earth"}, showland=True,
                    landcolor="#ecebe6", showcountries=True, countrycolor="#c4c4c4", showcoastlines=True,
                    coastlinecolor="#9a9a9a", showocean=False, showlakes=False, showrivers=False, showframe=False,
                    bgcolor="white", **_view(list(shown["lat"]), list(shown["lon"])))
    return fig


def _graph(edges: pd.DataFrame, top: int) -> tuple[nx.Graph, dict[str, int]]:
    """The `top` nodes in the most events and the `MAX_EDGES` heaviest edges between them, added
    in sorted order (`edges` comes most events first)."""
    totals: dict[str, int] = {}
    for r in edges.itertuples():
        totals[r.a] = totals.get(r.a, 0) + int(r.n_events)
        totals[r.b] = totals.get(r.b, 0) + int(r.n_events)
    keep = set(sorted(totals, key=lambda n: (-totals[n], n))[:top])
    heaviest = [r for r in edges.itertuples() if r.a in keep and r.b in keep][:MAX_EDGES]  # most events first
    graph = nx.Graph()
    graph.add_nodes_from(sorted(keep))
    for r in sorted(heaviest, key=lambda r: (r.a, r.b)):
        graph.add_edge(r.a, r.b, weight=int(r.n_events))
    return graph, totals


def layout_positions(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Stable positions: a spring layout with a fixed seed (a circle for two or three nodes)."""
    if graph.number_of_nodes() <= 3:
        positions = nx.circular_layout(graph)
    else:
        positions = nx.spring_layout(graph, seed=NETWORK_SEED, weight="weight", iterations=200,
                                     k=2.5 / math.sqrt(graph.number_of_nodes()))
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in positions.items()}


def _width_class(n: int, largest: int) -> int:
    return min(WIDTH_CLASSES - 1, int(WIDTH_CLASSES * math.log1p(n) / math.log1p(largest))) if largest > 1 else 0


def meetings_network(edges: pd.DataFrame, labels: Labels, nodes: str = "countries",
                     title: str | None = None) -> go.Figure | None:
    """Nodes (countries or people) sized by their events, edges as thick as the events between
    the two; hovering an edge's midpoint names its newest events, a node its total."""
    if edges is None or edges.empty:
        return None
    graph, totals = _graph(edges, MAX_NODES)
    if graph.number_of_edges() == 0:
        return None
    pos = layout_positions(graph)
    w = words(labels)
    kind = "country" if nodes == "countries" else "person"
    fig = go.Figure(layout=base_layout(title or w["network"], height=560, showlegend=nodes == "people",
                                       legend={"title": None},
                                       xaxis={"visible": False, "scaleanchor": "y"}, yaxis={"visible": False}))
    kept = edges.loc[[graph.has_edge(a, b) for a, b in zip(edges["a"], edges["b"])]]
    largest = int(kept["n_events"].max())
    for k in range(WIDTH_CLASSES):
        xs, ys = [], []
        for r in kept.itertuples():
            if _width_class(int(r.n_events), largest) == k:
                xs += [pos[r.a][0], pos[r.b][0], None]
                ys += [pos[r.a][1], pos[r.b][1], None]
        if xs:
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                     line={"width": 1.5 + 2.5 * k, "color": "#9db4cc"}))
    hover = [f"<b>{esc(labels(kind, r.a))} – {esc(labels(kind, r.b))}</b>: {_count(int(r.n_events), labels)}<br>"
             f"{events_hover(r.latest, int(r.n_events), labels)}" for r in kept.itertuples()]
    fig.add_trace(go.Scatter(x=[(pos[a][0] + pos[b][0]) / 2 for a, b in zip(kept["a"], kept["b"])],
                             y=[(pos[a][1] + pos[b][1]) / 2 for a, b in zip(kept["a"], kept["b"])],
                             mode="markers", marker={"size": 10, "color": "rgba(0,0,0,0)"}, hovertext=hover,
                             hovertemplate="%{hovertext}<extra></extra>", showlegend=False))
    groups: dict[str, list[str]] = {}  # people are coloured by their country; countries are one trace
    for n in graph.nodes:
        groups.setdefault((node_of(n, nodes) or "?") if nodes == "people" else "", []).append(n)
    largest_node = max(totals[n] for n in graph.nodes)
    for i, (group, members) in enumerate(sorted(groups.items())):
        fig.add_trace(go.Scatter(
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members], mode="markers+text",
            text=[esc(labels(kind, n)) for n in members], textposition="top center",
            name=esc(labels("country", group)) if group else esc(w["countries"]),
            hovertext=[f"<b>{esc(labels(kind, n))}</b>: {_count(totals[n], labels)}" for n in members],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": [12 + 26 * math.sqrt(totals[n] / largest_node) for n in members],
                    "color": COLORS[i % len(COLORS)] if nodes == "people" else COLORS[0],
                    "line": {"width": 1, "color": "white"}}))
    return fig


def show_map(fig: go.Figure | None, name: str, main: bool = False) -> None:
    """Display a map after the script that hands plotly.js the shipped base map (in a report,
    ``kaidan-geo.js`` beside the page; JupyterLab's own plotly fetches plotly's)."""
    if fig is None:
        return
    from IPython.display import display

    display({"text/html": f'<script src="{GEO_JS}"></script>', "text/plain": ""}, raw=True)
    show(fig, name, main=main)

"""Plotly figures from the frames `kaidan.analysis` returns.

Every function takes an aggregate frame, a `Labels` (for English or Japanese names)
and the article titles (``scope.titles``), and returns a ``plotly.graph_objects.Figure``,
or ``None`` when there is nothing to draw (the notebook then says so in words).
Hovering a point names the articles behind it: at most `HOVER_TITLES` per point, each cut
to `TITLE_CHARS` characters, and at most `HOVER_TITLE_BUDGET` in a whole figure (a heatmap
of 200 cells names none, only how many), so a figure's size is bounded by its number of
points, and every chart caps its points (top-N categories, periods, time buckets) however
large the corpus.

Article text is data: every title and label that reaches a figure goes through `esc`,
which escapes ``& < >`` the way plotly.js decodes them, so a title such as
``<b>速報</b>`` is shown as written, not as markup.

`show(fig, name)` displays a figure in a notebook as plotly's JSON mimetype (JupyterLab
draws it; `kaidan report` turns it into a div that uses the one shared plotly.js) with
the figure's `name` in the output metadata, which the report uses for static SVG/PNG.
"""
from __future__ import annotations

import html
import json
import math

import pandas as pd
import plotly.graph_objects as go

from kaidan.analysis import INTERVAL_BINS, Labels, date_span, pair_matrix, ranges
from kaidan.constants import PLOTLY_MIMETYPE

HOVER_TITLES = 3
HOVER_TITLE_BUDGET = 120  # article titles one figure's hover text may name, over all its points
TITLE_CHARS = 40
MAX_CATEGORIES = 15
FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf"]
CONFIG = {"displaylogo": False, "responsive": True}

# A small template: plotly's default one adds ~10 KB to every figure.
TEMPLATE = go.layout.Template(layout={
    "font": {"family": FONT, "size": 13, "color": "#222"},
    "colorway": COLORS,
    "paper_bgcolor": "white", "plot_bgcolor": "white",
    "xaxis": {"gridcolor": "#e5e5e5", "linecolor": "#999", "zeroline": False, "automargin": True},
    "yaxis": {"gridcolor": "#e5e5e5", "linecolor": "#999", "zeroline": False, "automargin": True},
    "hoverlabel": {"align": "left", "font": {"family": FONT}},
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "title": {"x": 0, "xanchor": "left"},
})


def esc(text) -> str:
    """Text as plotly.js shows it verbatim: & < > escaped, missing as nothing. Not
    `kaidan.messages.escaped`: plotly.js decodes &amp; &lt; &gt; and numeric entities but not
    &quot;, which it would show as written; quotes cannot end anything in its text once < is
    escaped, so they stay as they are."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=False)


def _clip(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def titles_per_point(n_points: int) -> int:
    """How many titles each point's hover may name so the figure names at most `HOVER_TITLE_BUDGET`."""
    return max(0, min(HOVER_TITLES, HOVER_TITLE_BUDGET // max(int(n_points), 1)))


def articles_hover(article_ids, titles: dict[str, str], limit: int = HOVER_TITLES) -> str:
    """The articles behind a point, for hover text: escaped, clipped, at most `limit` titles
    (with `limit` 0, only how many articles)."""
    ids = list(article_ids) if article_ids is not None else []
    if not ids:
        return "no articles"
    if limit <= 0:
        return f"{len(ids)} article{'s' if len(ids) != 1 else ''}"
    lines = ["• " + esc(_clip(titles.get(a, a))) for a in ids[:limit]]
    if len(ids) > limit:
        lines.append(f"… and {len(ids) - limit} more")
    return "<br>".join(lines)


def base_layout(title: str, height: int = 420, **extra) -> dict:
    """The layout every kaidan figure starts from (here and in `kaidan.meeting_charts`): the
    small template, the title escaped, a height, and the chart's own settings."""
    return {"template": TEMPLATE, "title": {"text": esc(title)}, "height": height, **extra}


def _hover(head: str, article_ids, titles, limit: int = HOVER_TITLES) -> str:
    return f"{head}<br>{articles_hover(article_ids, titles, limit)}"


def _nonzero(values) -> int:
    """Points that carry articles (a zero bar names none), for `titles_per_point`."""
    return sum(1 for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)) and v != 0)


def _empty(frame: pd.DataFrame | None, column: str | None = None) -> bool:
    if frame is None or frame.empty:
        return True
    return column is not None and float(pd.to_numeric(frame[column], errors="coerce").fillna(0).sum()) == 0


# --- meeting frequency ---------------------------------------------------------------

def period_bars(counts: pd.DataFrame, titles: dict[str, str], title: str = "Meetings per period",
                value: str = "n_events", unit: str = "events") -> go.Figure | None:
    """Bars per period (zeros included) from `meetings_per_period` or `articles_per_period`."""
    if _empty(counts, value):
        return None
    limit = titles_per_point(_nonzero(counts[value]))
    hover = [_hover(f"<b>{esc(p)}</b>: {int(n)} {unit}", ids, titles, limit)
             for p, n, ids in zip(counts["period"], counts[value], counts["article_ids"])]
    fig = go.Figure(go.Bar(x=list(counts["period"]), y=[int(v) for v in counts[value]], hovertext=hover,
                           hovertemplate="%{hovertext}<extra></extra>", marker_color=COLORS[0]),
                    layout=base_layout(title, xaxis={"type": "category", "title": None},
                                       yaxis={"title": unit, "rangemode": "tozero", "dtick": 1 if
                                          counts[value].max() <= 10 else None}))
    return fig


def pair_heatmap(pairs: pd.DataFrame, labels: Labels, titles: dict[str, str], top: int = MAX_CATEGORIES,
                 title: str = "Who meets whom") -> go.Figure | None:
    """Country × country, events between each pair (lower triangle), the busiest `top` countries."""
    if _empty(pairs, "n_events"):
        return None

    matrix = pair_matrix(pairs, top=top)
    countries = list(matrix.index)
    lookup = {(r.country_a, r.country_b): r for r in pairs.itertuples()}
    limit = titles_per_point(sum(1 for i, a in enumerate(countries) for b in countries[:i]
                                 if (a, b) in lookup or (b, a) in lookup))
    z, text = [], []
    for i, a in enumerate(countries):
        z_row, t_row = [], []
        for j, b in enumerate(countries):
            r = lookup.get((a, b)) or lookup.get((b, a))
            if j >= i or r is None:
                z_row.append(None)
                t_row.append("")
                continue
            z_row.append(int(r.n_events))
            t_row.append(_hover(f"<b>{esc(labels.pair(r.pair))}</b>: {r.n_events} events", r.article_ids, titles,
                                limit))
        z.append(z_row)
        text.append(t_row)
    names = [esc(labels("country", c)) for c in countries]
    fig = go.Figure(go.Heatmap(z=z, x=names, y=names, customdata=text, hovertemplate="%{customdata}<extra></extra>",
                               colorscale="Blues", colorbar={"title": {"text": "events"}}, xgap=1, ygap=1,
                               texttemplate="%{z}"),
                    layout=base_layout(title, height=max(360, 40 * len(countries) + 160),
                                       yaxis={"autorange": "reversed"}))
    return fig


def top_pairs_bar(pairs: pd.DataFrame, labels: Labels, titles: dict[str, str], n: int = 10,
                  title: str = "Pairs that meet most") -> go.Figure | None:
    if _empty(pairs, "n_events"):
        return None
    top = pairs.head(n).iloc[::-1]
    names = [esc(labels.pair(p)) for p in top["pair"]]
    limit = titles_per_point(len(top))
    hover = [_hover(f"<b>{esc(labels.pair(r.pair))}</b>: {r.n_events} events, {r.first or '?'} to {r.last or '?'}",
                    r.article_ids, titles, limit) for r in top.itertuples()]
    return go.Figure(go.Bar(x=[int(v) for v in top["n_events"]], y=names, orientation="h", hovertext=hover,
                            hovertemplate="%{hovertext}<extra></extra>", marker_color=COLORS[0]),
                     layout=base_layout(title, height=max(300, 30 * len(top) + 140),
                                        xaxis={"title": "events", "rangemode": "tozero"}))


def mode_bars(modes: pd.DataFrame, labels: Labels, titles: dict[str, str],
              title: str = "How the sides met, per period") -> go.Figure | None:
    """Stacked bars per period by mode, from `mode_counts(scope, period)`."""
    if _empty(modes, "n_events"):
        return None
    fig = go.Figure(layout=base_layout(title, barmode="stack", xaxis={"type": "category"},
                                       yaxis={"title": "events", "rangemode": "tozero"}, legend={"title": None}))
    limit = titles_per_point(_nonzero(modes["n_events"]))
    for i, (mode, g) in enumerate(modes.groupby("mode", sort=False)):
        name = esc(labels.mode(mode))
        hover = [_hover(f"<b>{esc(p)}</b>, {name}: {int(n)} events", ids, titles, limit)
                 for p, n, ids in zip(g["period"], g["n_events"], g["article_ids"])]
        fig.add_trace(go.Bar(x=list(g["period"]), y=[int(v) for v in g["n_events"]], name=name, hovertext=hover,
                             hovertemplate="%{hovertext}<extra></extra>", marker_color=COLORS[i % len(COLORS)]))
    return fig


def _track_name(labels: Labels, series: str, countries) -> str:
    return esc(f"{labels('series', series)} ({labels.countries(countries)})")


def _top_tracks(rounds: pd.DataFrame, top: int) -> list[tuple]:
    """The (series, countries) tracks with the most meetings, at most `top`."""
    sizes = rounds.groupby(["series", "countries"])["n_events"].sum().sort_values(ascending=False)
    return list(sizes.head(top).index)


def series_rounds_chart(rounds: pd.DataFrame, labels: Labels, titles: dict[str, str], top: int = MAX_CATEGORIES,
                        title: str = "Rounds of each series: seen and missing") -> go.Figure | None:
    """Round number × series: a marker for each round in the corpus, a grey bar over each run of
    missing rounds (one bar per run, so the figure does not grow with the gaps)."""

    numbered = rounds.loc[rounds["session"].notna()] if not rounds.empty else rounds
    if _empty(numbered):
        return None
    tracks = _top_tracks(numbered, top)
    numbered = numbered.loc[[(s, c) in set(tracks) for s, c in zip(numbered["series"], numbered["countries"])]]
    names = {t: _track_name(labels, *t) for t in tracks}
    fig = go.Figure(layout=base_layout(title, height=max(280, 60 * len(tracks) + 160),
                                       xaxis={"title": "round", "rangemode": "tozero", "dtick": 1
                                              if numbered["session"].max() <= 25 else None},
                                       yaxis={"categoryorder": "array",
                                              "categoryarray": [names[t] for t in tracks][::-1]},
                                       legend={"title": None}))
    xs, ys, hover = [], [], []
    for track in tracks:
        g = numbered.loc[[(s, c) == track for s, c in zip(numbered["series"], numbered["countries"])]]
        missing = sorted(int(s) for s in g.loc[~g["observed"], "session"])
        for part in ranges(missing).split(", ") if missing else []:
            lo, _, hi = part.partition("–")
            lo, hi = int(lo), int(hi or lo)
            xs += [lo - 0.3, hi + 0.3, None]
            ys += [names[track], names[track], None]
            text = f"round{'s' if hi > lo else ''} {part}: not in the corpus"
            hover += [text, text, None]
    if xs:
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="missing", line={"color": "#bbb", "width": 10},
                                 hovertext=hover, hovertemplate="<b>%{y}</b><br>%{hovertext}<extra></extra>"))
    seen = numbered.loc[numbered["observed"]]
    if len(seen):
        ys = [names[(s, c)] for s, c in zip(seen["series"], seen["countries"])]
        limit = titles_per_point(len(seen))
        # the track and round come from y and x in the template, so each point carries only its date and articles
        hover = [_hover(esc(d) if d else "date not given", ids, titles, limit)
                 for d, ids in zip(seen["date"], seen["article_ids"])]
        fig.add_trace(go.Scatter(x=[int(s) for s in seen["session"]], y=ys, mode="markers", name="in the corpus",
                                 marker={"symbol": "circle", "size": 11, "color": COLORS[0]}, hovertext=hover,
                                 hovertemplate="<b>%{y}</b><br>round %{x}: %{hovertext}<extra></extra>"))
    return fig


def series_timeline(rounds: pd.DataFrame, labels: Labels, titles: dict[str, str], top: int = MAX_CATEGORIES,
                    max_points: int = 150, title: str = "Series meetings on a timeline") -> go.Figure | None:
    """The dated meetings of each series, one marker per series and month (sized by how many),
    labelled with the rounds held then; per quarter or year, and fewer series, when that would
    make more than `max_points` markers."""

    if _empty(rounds):
        return None
    g = rounds.loc[rounds["observed"] & rounds["date"].map(lambda d: date_span(d) is not None
                                                            and date_span(d).precision != "year")]
    if g.empty:
        return None
    tracks = _top_tracks(g, top)
    rows = [r for r in g.itertuples() if (r.series, r.countries) in set(tracks)]
    # one marker per series and month; per quarter or year when that would be too many markers
    for freq in ("M", "Q", "Y"):
        buckets = {(r.series, r.countries, pd.Period(date_span(r.date).first, freq)) for r in rows}
        if len(buckets) <= max_points:
            break
    while len(buckets) > max_points and len(tracks) > 1:  # still too many: the busiest series only
        tracks = tracks[:-1]
        rows = [r for r in rows if (r.series, r.countries) in set(tracks)]
        buckets = {(r.series, r.countries, pd.Period(date_span(r.date).first, freq)) for r in rows}
    cells: dict[tuple, dict] = {}
    for r in rows:
        month = pd.Period(date_span(r.date).first, freq).start_time.date()
        cell = cells.setdefault((r.series, r.countries, month), {"n": 0, "rounds": [], "dates": set(), "ids": set()})
        cell["n"] += int(r.n_events)
        if not pd.isna(r.session):
            cell["rounds"].append(int(r.session))
        cell["dates"].add(r.date)
        cell["ids"].update(r.article_ids)
    xs, ys, text, sizes, hover = [], [], [], [], []
    limit = titles_per_point(len(cells))
    for (series, countries, month), cell in sorted(cells.items(), key=lambda kv: kv[0][2]):
        name = _track_name(labels, series, countries)
        xs.append(month.isoformat())
        ys.append(name)
        text.append(ranges(cell["rounds"]))
        sizes.append(8 + 4 * min(cell["n"], 5))
        rounds_text = f", round {text[-1]}" if text[-1] else ""
        dates = sorted(cell["dates"])
        dates_text = ", ".join(dates[:3]) + (f" … ({len(dates)} dates)" if len(dates) > 3 else "")
        hover.append(_hover(f"{esc(dates_text)}: {cell['n']} meeting"
                            f"{'s' if cell['n'] != 1 else ''}{rounds_text}", sorted(cell["ids"]), titles, limit))
    return go.Figure(go.Scatter(x=xs, y=ys, mode="markers+text", text=text, textposition="top center",
                                marker={"size": sizes, "color": COLORS[0]}, hovertext=hover,
                                hovertemplate="<b>%{y}</b><br>%{hovertext}<extra></extra>", showlegend=False),
                     layout=base_layout(title, height=max(280, 60 * len(set(ys)) + 160), xaxis={"type": "date"}))


def interval_heatmap(bins: pd.DataFrame, labels: Labels, titles: dict[str, str], top: int = MAX_CATEGORIES,
                     title: str = "Time between consecutive meetings of a pair") -> go.Figure | None:
    """Pair × length of the interval (≤ 1 week ... > 2 years), from `interval_bins`."""

    if _empty(bins, "n_intervals"):
        return None
    pairs = list(bins.groupby("pair")["n_intervals"].sum().sort_values(ascending=False).head(top).index)
    lookup = {(r.pair, r.order): r for r in bins.itertuples()}
    shown = set(pairs)
    limit = titles_per_point(sum(1 for key in lookup if key[0] in shown))
    z, text = [], []
    for pair in pairs:
        z_row, t_row = [], []
        for order, (_, name) in enumerate(INTERVAL_BINS):
            r = lookup.get((pair, order))
            z_row.append(int(r.n_intervals) if r else None)
            t_row.append(_hover(f"<b>{esc(labels.pair(pair))}</b>, {esc(name)} apart: {r.n_intervals} time"
                                f"{'s' if r.n_intervals != 1 else ''}", r.article_ids, titles, limit) if r else "")
        z.append(z_row)
        text.append(t_row)
    return go.Figure(go.Heatmap(z=z, x=[esc(name) for _, name in INTERVAL_BINS], y=[esc(labels.pair(p)) for p in pairs],
                                customdata=text, hovertemplate="%{customdata}<extra></extra>", colorscale="Blues",
                                xgap=1, ygap=1, texttemplate="%{z}", colorbar={"title": {"text": "intervals"}}),
                     layout=base_layout(title, height=max(260, 40 * len(pairs) + 180), yaxis={"autorange": "reversed"}))


# --- topics ------------------------------------------------------------------------------

def _pair_matrix_figure(cells: pd.DataFrame, a: str, b: str, order_a: list[str], order_b: list[str],
                        value: str, kind_a: str, kind_b: str, labels: Labels, titles: dict[str, str],
                        title: str, unit: str, symmetric: bool, colorbar: str) -> go.Figure:
    lookup = {}
    for r in cells.to_dict("records"):
        lookup[(r[a], r[b])] = r
        if symmetric:
            lookup[(r[b], r[a])] = r
    limit = titles_per_point(sum(1 for i, y in enumerate(order_a) for j, x in enumerate(order_b)
                                 if (y, x) in lookup and not (symmetric and j >= i)))
    z, text = [], []
    for i, y in enumerate(order_a):
        z_row, t_row = [], []
        for j, x in enumerate(order_b):
            r = lookup.get((y, x))
            if r is None or (symmetric and j >= i):
                z_row.append(None)
                t_row.append("")
                continue
            v = r[value]
            z_row.append(None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 3))
            head = (f"<b>{esc(labels(kind_a, r[a]))} × {esc(labels(kind_b, r[b]))}</b><br>"
                    f"{r['count']} {unit}s together")
            if "lift" in r:
                head += f"; lift {r['lift']:.2f}, PMI {r['pmi']:.2f}, Jaccard {r['jaccard']:.2f}"
            t_row.append(_hover(head, r["article_ids"], titles, limit))
        z.append(z_row)
        text.append(t_row)
    diverging = value in ("pmi",)
    heat = go.Heatmap(z=z, x=[esc(labels(kind_b, x)) for x in order_b], y=[esc(labels(kind_a, y)) for y in order_a],
                      customdata=text, hovertemplate="%{customdata}<extra></extra>", xgap=1, ygap=1,
                      colorscale="RdBu" if diverging else "Blues", reversescale=diverging,
                      zmid=0 if diverging else None, colorbar={"title": {"text": esc(colorbar)}})
    return go.Figure(heat, layout=base_layout(title, height=max(380, 34 * len(order_a) + 200),
                                              yaxis={"autorange": "reversed"}, xaxis={"tickangle": -40}))


def cooccurrence_heatmap(pairs: pd.DataFrame, counts: pd.DataFrame, labels: Labels, titles: dict[str, str],
                         measure: str = "lift", unit: str = "article", top: int = MAX_CATEGORIES,
                         title: str | None = None) -> go.Figure | None:
    """Topic × topic (lower triangle), coloured by `measure` (or `count`), hover with every measure."""
    if _empty(pairs):
        return None
    order = list(counts["topic"].head(top))
    cells = pairs.loc[pairs["topic_a"].isin(order) & pairs["topic_b"].isin(order)]
    if cells.empty:
        return None
    title = title or f"Topics together in one {unit}, by {measure}"
    return _pair_matrix_figure(cells, "topic_a", "topic_b", order, order, measure, "topic", "topic", labels,
                               titles, title, unit, True, measure)


def topic_bars(counts: pd.DataFrame, labels: Labels, titles: dict[str, str], unit: str = "article",
               top: int = MAX_CATEGORIES, title: str | None = None) -> go.Figure | None:
    if _empty(counts, "n_units"):
        return None
    top_rows = counts.head(top).iloc[::-1]
    names = [esc(labels("topic", t)) for t in top_rows["topic"]]
    limit = titles_per_point(len(top_rows))
    hover = [_hover(f"<b>{n}</b>: {int(c)} {unit}s ({s:.0%})", ids, titles, limit)
             for n, c, s, ids in zip(names, top_rows["n_units"], top_rows["share"], top_rows["article_ids"])]
    return go.Figure(go.Bar(x=[int(v) for v in top_rows["n_units"]], y=names, orientation="h", hovertext=hover,
                            hovertemplate="%{hovertext}<extra></extra>", marker_color=COLORS[0]),
                     layout=base_layout(title or f"Topics by number of {unit}s",
                                        height=max(300, 26 * len(top_rows) + 140),
                                        xaxis={"title": f"{unit}s", "rangemode": "tozero"}))


def trend_lines(trends: pd.DataFrame, labels: Labels, titles: dict[str, str], key: str = "topic",
                value: str = "n_articles", top: int = 8, title: str = "Topics over time") -> go.Figure | None:
    """One line per topic (or forum) over the periods, the `top` most frequent."""
    if _empty(trends, value):
        return None
    totals = trends.groupby(key)[value].sum().sort_values(ascending=False)
    keep = [k for k in totals.index if totals[k] > 0][:top]
    fig = go.Figure(layout=base_layout(title, xaxis={"type": "category"},
                                       yaxis={"title": "articles", "rangemode": "tozero"}, legend={"title": None}))
    limit = titles_per_point(_nonzero(trends.loc[trends[key].isin(keep), value]))
    for i, k in enumerate(keep):
        g = trends.loc[trends[key] == k]
        name = esc(labels(key, k))
        hover = [_hover(f"<b>{name}</b>, {esc(p)}: {int(n)} articles", ids, titles, limit)
                 for p, n, ids in zip(g["period"], g[value], g["article_ids"])]
        fig.add_trace(go.Scatter(x=list(g["period"]), y=[int(v) for v in g[value]], mode="lines+markers", name=name,
                                 hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
                                 line={"color": COLORS[i % len(COLORS)]}))
    return fig


def pair_topic_heatmap(table: pd.DataFrame, labels: Labels, titles: dict[str, str], top: int = MAX_CATEGORIES,
                       title: str = "Topics in the articles on each pair's meetings") -> go.Figure | None:
    if _empty(table, "n_articles"):
        return None
    pairs = list(table.groupby("pair")["n_articles"].sum().sort_values(ascending=False).head(top).index)
    topics = list(table.groupby("topic")["n_articles"].sum().sort_values(ascending=False).head(top).index)
    cells = table.loc[table["pair"].isin(pairs) & table["topic"].isin(topics)]
    lookup = {(r.pair, r.topic): r for r in cells.itertuples()}
    limit = titles_per_point(len(lookup))
    z, text = [], []
    for p in pairs:
        z_row, t_row = [], []
        for t in topics:
            r = lookup.get((p, t))
            z_row.append(int(r.n_articles) if r else None)
            t_row.append(_hover(f"<b>{esc(labels.pair(p))} × {esc(labels('topic', t))}</b>: {r.n_articles} articles",
                                r.article_ids, titles, limit) if r else "")
        z.append(z_row)
        text.append(t_row)
    return go.Figure(go.Heatmap(z=z, x=[esc(labels("topic", t)) for t in topics],
                                y=[esc(labels.pair(p)) for p in pairs],
                                customdata=text, hovertemplate="%{customdata}<extra></extra>", colorscale="Blues",
                                xgap=1, ygap=1, texttemplate="%{z}", colorbar={"title": {"text": "articles"}}),
                     layout=base_layout(title, height=max(300, 40 * len(pairs) + 220), xaxis={"tickangle": -40},
                                        yaxis={"autorange": "reversed"}))


# --- forums ------------------------------------------------------------------------------

def forum_bars(counts: pd.DataFrame, labels: Labels, titles: dict[str, str], top: int = MAX_CATEGORIES,
               title: str = "Forums by articles mentioning them") -> go.Figure | None:
    if _empty(counts, "n_articles"):
        return None
    rows = counts.head(top).iloc[::-1]
    names = [esc(labels("forum", f)) for f in rows["forum"]]
    limit = titles_per_point(len(rows))
    hover = [_hover(f"<b>{n}</b>: {int(a)} articles, {int(m)} mentions, {int(s)} sideline meetings", ids, titles,
                    limit)
             for n, a, m, s, ids in zip(names, rows["n_articles"], rows["n_mentions"], rows["n_sideline_events"],
                                        rows["article_ids"])]
    return go.Figure(go.Bar(x=[int(v) for v in rows["n_articles"]], y=names, orientation="h", hovertext=hover,
                            hovertemplate="%{hovertext}<extra></extra>", marker_color=COLORS[0]),
                     layout=base_layout(title, height=max(300, 28 * len(rows) + 140),
                                        xaxis={"title": "articles", "rangemode": "tozero"}))


def forum_country_heatmap(table: pd.DataFrame, labels: Labels, titles: dict[str, str], forums: list[str],
                          top: int = MAX_CATEGORIES,
                          title: str = "Forums × countries: articles mentioning both") -> go.Figure | None:
    if _empty(table, "n_articles"):
        return None
    cells = table.loc[table["forum"].isin(forums)]
    countries = list(cells.groupby("country")["n_articles"].sum().sort_values(ascending=False).head(top).index)
    cells = cells.loc[cells["country"].isin(countries)]
    if cells.empty:
        return None
    present = [f for f in forums if f in set(cells["forum"])]
    lookup = {(r.forum, r.country): r for r in cells.itertuples()}
    limit = titles_per_point(len(lookup))
    z, text = [], []
    for f in present:
        z_row, t_row = [], []
        for c in countries:
            r = lookup.get((f, c))
            z_row.append(int(r.n_articles) if r else None)
            t_row.append(_hover(f"<b>{esc(labels('forum', f))} × {esc(labels('country', c))}</b>: "
                                f"{r.n_articles} articles, {r.n_events} sideline meetings", r.article_ids, titles,
                                limit)
                         if r else "")
        z.append(z_row)
        text.append(t_row)
    return go.Figure(go.Heatmap(z=z, x=[esc(labels("country", c)) for c in countries],
                                y=[esc(labels("forum", f)) for f in present], customdata=text,
                                hovertemplate="%{customdata}<extra></extra>", colorscale="Blues", xgap=1, ygap=1,
                                texttemplate="%{z}", colorbar={"title": {"text": "articles"}}),
                     layout=base_layout(title, height=max(300, 36 * len(present) + 220), xaxis={"tickangle": -40},
                                        yaxis={"autorange": "reversed"}))


def forum_topic_heatmap(table: pd.DataFrame, labels: Labels, titles: dict[str, str], forums: list[str],
                        measure: str = "count", unit: str = "article", top: int = MAX_CATEGORIES,
                        title: str = "Forums × topics in the same article") -> go.Figure | None:
    if _empty(table):
        return None
    cells = table.loc[table["forum"].isin(forums)]
    topics = list(cells.groupby("topic")["count"].sum().sort_values(ascending=False).head(top).index)
    cells = cells.loc[cells["topic"].isin(topics)]
    if cells.empty:
        return None
    present = [f for f in forums if f in set(cells["forum"])]
    return _pair_matrix_figure(cells, "forum", "topic", present, topics, measure, "forum", "topic", labels, titles,
                               title, unit, False, measure)


def sideline_chart(timeline: pd.DataFrame, labels: Labels, titles: dict[str, str],
                   title: str = "Meetings on a forum's sidelines") -> go.Figure | None:
    """One marker per forum and day (or month, quarter, year), sized by how many meetings,
    from `analysis.sideline_timeline`, which caps the markers however many meetings there are."""
    if _empty(timeline, "n_events"):
        return None
    ys = [esc(labels("forum", f)) for f in timeline["forum"]]
    limit = titles_per_point(len(timeline))
    hover = []  # the forum comes from y in the template
    for r in timeline.itertuples():
        dates = list(r.dates)
        when = ", ".join(dates[:3]) + (f" … ({len(dates)} dates)" if len(dates) > 3 else "")
        sides = "<br>".join(f"{esc(labels.countries(c))}" + (f" ×{n}" if n > 1 else "") for c, n in r.sides[:3])
        more = f"<br>… and {len(r.sides) - 3} more sets of sides" if len(r.sides) > 3 else ""
        head = f"{esc(when)}: {r.n_events} meeting{'s' if r.n_events != 1 else ''}<br>{sides}{more}"
        hover.append(_hover(head, r.article_ids, titles, limit))
    return go.Figure(go.Scatter(x=list(timeline["start"]), y=ys, mode="markers",
                                marker={"size": [8 + 3 * min(int(n), 6) for n in timeline["n_events"]],
                                        "color": COLORS[1]}, hovertext=hover,
                                hovertemplate="<b>%{y}</b>, %{hovertext}<extra></extra>", showlegend=False),
                     layout=base_layout(title, height=max(260, 40 * len(set(ys)) + 160), xaxis={"type": "date"}))


# --- corpus overview --------------------------------------------------------------------

def source_bars(sources: pd.DataFrame, titles: dict[str, str], top: int = MAX_CATEGORIES,
                title: str = "Articles per source") -> go.Figure | None:
    if _empty(sources, "n_articles"):
        return None
    rows = sources.head(top).iloc[::-1]
    names = [esc(_clip(o, 30)) for o in rows["outlet"]]
    limit = titles_per_point(len(rows))
    hover = [_hover(f"<b>{n}</b>: {int(c)} articles", ids, titles, limit)
             for n, c, ids in zip(names, rows["n_articles"], rows["article_ids"])]
    return go.Figure(go.Bar(x=[int(v) for v in rows["n_articles"]], y=names, orientation="h", hovertext=hover,
                            hovertemplate="%{hovertext}<extra></extra>", marker_color=COLORS[0]),
                     layout=base_layout(title, height=max(260, 28 * len(rows) + 140),
                                        xaxis={"title": "articles", "rangemode": "tozero", "dtick": 1
                                               if rows["n_articles"].max() <= 10 else None}))


def boilerplate_bars(summary: pd.DataFrame, titles: dict[str, str], top: int = 20,
                     title: str = "Characters kept and cut as boilerplate") -> go.Figure | None:
    if _empty(summary, "boilerplate_chars"):
        return None
    rows = summary.head(top).iloc[::-1]
    names = [esc(_clip(titles.get(a, a), 24)) for a in rows["article_id"]]
    fig = go.Figure(layout=base_layout(title, barmode="stack", height=max(280, 26 * len(rows) + 150),
                                       xaxis={"title": "characters", "rangemode": "tozero"}, legend={"title": None}))
    for column, name, color in (("body_chars", "kept (body)", COLORS[0]), ("boilerplate_chars", "cut", "#bbb")):
        hover = [f"<b>{esc(_clip(titles.get(a, a)))}</b><br>{esc(a)}<br>{name}: {int(v):,} characters "
                 f"({s:.0%} cut)" for a, v, s in zip(rows["article_id"], rows[column], rows["share_cut"])]
        fig.add_trace(go.Bar(x=[int(v) for v in rows[column]], y=names, orientation="h", name=name,
                             hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", marker_color=color))
    return fig


# --- showing a figure in a notebook -----------------------------------------------------

def figure_json(fig: go.Figure) -> dict:
    """The figure as plain JSON (what the notebook stores): no uids, no numpy."""
    import plotly.io as pio

    data = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
    data["config"] = dict(CONFIG)
    return data


def show(fig: go.Figure | None, name: str, main: bool = False) -> None:
    """Display a figure as plotly's mimetype (no plotly.js in the notebook), named for static export.

    `main` marks the charts `kaidan report` also writes as SVG and PNG (``figures/<name>.svg``).
    Does nothing for ``None`` (no data): the prose beside it says why.
    """
    if fig is None:
        return
    from IPython.display import display

    title = html.unescape(fig.layout.title.text or name) if fig.layout.title else name
    bundle = {PLOTLY_MIMETYPE: figure_json(fig), "text/plain": f"[figure {name}: {title}]"}
    display(bundle, raw=True, metadata={"kaidan": {"figure": name, "main": bool(main)}})

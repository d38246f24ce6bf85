"""Forum involvement (notebook 03): forums by mentions and over time, by country and by topic,
and the meetings held on their sidelines."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Iterable

import pandas as pd

from kaidan.analysis.common import column_rows, empty_frame, nonempty_text, sorted_dates, union
from kaidan.analysis.periods import check_period, date_span, period_index
from kaidan.analysis.scoping import Scope, article_periods
from kaidan.analysis.topics import cooccurrence, n_units, unit_keys


def forum_counts(sc: Scope) -> pd.DataFrame:
    """Forums by the articles that mention them, most first: forum, n_articles, n_mentions,
    n_sideline_events, article_ids, refs."""
    m = sc.mentions_of("forum")
    sideline = Counter(f for f in sc.event_table["forum"].tolist() if f)
    rows = []
    for forum in sorted(set(m["id"].tolist()) | set(sideline)):
        g = m.loc[m["id"] == forum]
        rows.append({"forum": forum, "n_articles": g["article_id"].nunique(), "n_mentions": len(g),
                     "n_sideline_events": sideline.get(forum, 0), "article_ids": sorted(set(g["article_id"].tolist())),
                     "refs": sorted(set(zip(g["article_id"].tolist(), (int(s) for s in g["sentence"].tolist()))))})
    columns = ["forum", "n_articles", "n_mentions", "n_sideline_events", "article_ids", "refs"]
    if not rows:
        return empty_frame(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["n_articles", "n_sideline_events", "forum"], ascending=[False, False, True]).reset_index(drop=True)


def choose_forums(sc: Scope, forums: Iterable[str] | None = None, top_n: int | None = None) -> list[str]:
    """The forums to show: those asked for (in that order), else the `top_n` most mentioned."""
    asked = [f for f in (forums or []) if f]
    if asked:
        return asked
    counts = forum_counts(sc)
    ids = list(counts["forum"])
    return ids[:top_n] if top_n else ids


def forums_over_time(sc: Scope, period: str = "year", forums: Iterable[str] | None = None) -> pd.DataFrame:
    """Articles per period mentioning each forum, zeros kept.

    Columns: period, period_start, forum, n_articles, n_mentions, article_ids, refs.
    """
    check_period(period)
    periods = article_periods(sc, period)
    index = period_index(periods.values(), period, sc.start, sc.end)
    m = sc.mentions_of("forum")
    wanted = list(forums) if forums is not None else sorted(set(m["id"].tolist()))
    cell: dict[tuple, list] = defaultdict(list)
    for aid, forum, s in column_rows(m, "article_id", "id", "sentence"):
        p = periods.get(aid)
        if p is not None and forum in wanted:
            cell[(p, forum)].append((aid, int(s)))
    rows = []
    for p in index:
        for forum in wanted:
            refs = cell.get((p, forum), [])
            rows.append({"period": str(p), "period_start": p.start_time.date(), "forum": forum,
                         "n_articles": len({a for a, _ in refs}), "n_mentions": len(refs),
                         "article_ids": sorted({a for a, _ in refs}), "refs": sorted(set(refs))})
    columns = ["period", "period_start", "forum", "n_articles", "n_mentions", "article_ids", "refs"]
    out = pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)
    out.attrs["unplaced"] = sum(1 for p in periods.values() if p is None)
    return out


def forum_by_country(sc: Scope, forums: Iterable[str] | None = None) -> pd.DataFrame:
    """Which countries' articles and meetings invoke which forums.

    ``n_articles``: articles that mention both the forum and the country;
    ``n_events``: meetings with the country as a side held on the forum's sidelines.
    Columns: forum, country, n_articles, n_events, event_ids, article_ids, refs.
    """
    wanted = set(forums) if forums is not None else None
    fm, cm = sc.mentions_of("forum"), sc.mentions_of("country")
    countries_in: dict[str, set] = defaultdict(set)
    for aid, c in column_rows(cm, "article_id", "id"):
        countries_in[aid].add(c)
    cells: dict[tuple, dict] = defaultdict(lambda: {"articles": set(), "events": set(), "refs": set()})
    for aid, forum, s in column_rows(fm, "article_id", "id", "sentence"):
        if wanted is not None and forum not in wanted:
            continue
        for c in countries_in.get(aid, ()):
            cells[(forum, c)]["articles"].add(aid)
            cells[(forum, c)]["refs"].add((aid, int(s)))
    for e in sc.event_table.itertuples():
        if e.forum and (wanted is None or e.forum in wanted):
            for c in e.countries:
                cells[(e.forum, c)]["events"].add(e.event_id)
                cells[(e.forum, c)]["articles"].update(e.article_ids)
    rows = []
    for (forum, country), v in sorted(cells.items()):
        eids = sorted(v["events"])
        rows.append({"forum": forum, "country": country,
                     "n_articles": len(v["articles"]), "n_events": len(eids), "event_ids": eids,
                     "article_ids": sorted(v["articles"]), "refs": sorted(v["refs"] | set(sc.refs_of(eids)))})
    columns = ["forum", "country", "n_articles", "n_events", "event_ids", "article_ids", "refs"]
    return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)


def forum_by_topic(sc: Scope, unit: str = "article", forums: Iterable[str] | None = None,
                   min_count: int = 1) -> pd.DataFrame:
    """Forum × topic: units that carry both, with lift, PMI and Jaccard.

    Columns: forum, topic, count, n_a (units with the forum), n_b (with the topic), n_units,
    lift, pmi, jaccard, article_ids, refs.
    """
    fkeys = unit_keys(sc, "forum", unit)
    if forums is not None:
        fkeys = fkeys.loc[fkeys["id"].isin(list(forums))]
    out = cooccurrence(fkeys, unit_keys(sc, "topic", unit), n_units(sc, unit), False, min_count)
    return out.rename(columns={"a": "forum", "b": "topic"})


def sideline_meetings(sc: Scope, forums: Iterable[str] | None = None) -> pd.DataFrame:
    """Meetings held on a forum's sidelines: forum, event_id, date, countries, participants,
    mode, status, n_articles, event_ids, article_ids, refs; by forum and date."""
    ev = sc.event_table.loc[sc.event_table["forum"].notna()]
    if forums is not None:
        ev = ev.loc[ev["forum"].isin(list(forums))]
    rows = [{"forum": e.forum, "event_id": e.event_id, "date": nonempty_text(e.date), "countries": list(e.countries),
             "participants": list(e.participants), "mode": e.mode, "status": e.status,
             "n_articles": len(e.article_ids), "event_ids": [e.event_id], "article_ids": list(e.article_ids),
             "refs": sc.refs_of([e.event_id])} for e in ev.itertuples()]
    columns = ["forum", "event_id", "date", "countries", "participants", "mode", "status", "n_articles",
               "event_ids", "article_ids", "refs"]
    if not rows:
        return empty_frame(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["forum", "date", "event_id"], na_position="last") \
        .reset_index(drop=True)


def most_reported(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with the most articles first, the latest first among equals: what a report's
    top-N table shows (the full list stays in the tables the extraction wrote)."""
    if frame.empty:
        return frame
    spans = [date_span(d) for d in frame["date"]] if "date" in frame.columns else [None] * len(frame)
    dates = [span.first if span else dt.date.min for span in spans]
    n_articles = [int(n) for n in frame["n_articles"]]
    order = sorted(range(len(frame)), key=lambda i: (-n_articles[i], -dates[i].toordinal(), i))
    return frame.iloc[order].reset_index(drop=True)


TIMELINE_STEPS = (("D", "day"), ("M", "month"), ("Q", "quarter"), ("Y", "year"))


def sideline_timeline(sidelines: pd.DataFrame, max_points: int = 150) -> pd.DataFrame:
    """Sideline meetings per forum and day, else month, quarter or year: the finest step giving
    at most `max_points` markers, so the chart stays the same size however many meetings.

    Columns: forum, start (ISO date the step begins), step, n_events, dates (distinct ISO, sorted),
    sides ((countries, n) most frequent first), event_ids, article_ids. attrs['undated']
    counts meetings without a usable date.
    """
    columns = ["forum", "start", "step", "n_events", "dates", "sides", "event_ids", "article_ids"]
    spans = [date_span(d) for d in sidelines["date"]] if len(sidelines) else []
    dated = [i for i, span in enumerate(spans) if span is not None]
    if not dated:
        out = empty_frame(columns)
        out.attrs["undated"] = len(spans)
        return out
    for freq, step in TIMELINE_STEPS:
        keys = {i: (sidelines["forum"].iloc[i], pd.Period(spans[i].first, freq)) for i in dated}
        if len(set(keys.values())) <= max_points:
            break
    cells: dict[tuple, list[int]] = defaultdict(list)
    for i, key in keys.items():
        cells[key].append(i)
    rows = []
    for (forum, bucket), idx in sorted(cells.items(), key=lambda kv: (kv[0][1].start_time, kv[0][0])):
        sub = sidelines.iloc[idx]
        sides = Counter(tuple(c) for c in sub["countries"])
        rows.append({"forum": forum, "start": bucket.start_time.date().isoformat(), "step": step,
                     "n_events": len(idx), "dates": sorted_dates(set(sub["date"])),
                     "sides": sorted(sides.items(), key=lambda kv: (-kv[1], kv[0])),
                     "event_ids": sorted(sub["event_id"]), "article_ids": union(sub["article_ids"])})
    out = pd.DataFrame(rows, columns=columns)
    out.attrs["undated"] = len(spans) - len(dated)
    return out

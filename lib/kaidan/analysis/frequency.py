"""Meeting frequency (notebook 01): events per period, who meets whom, by what mode, the
rounds of recurring series and the intervals between a pair's meetings."""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Iterable

import pandas as pd

from kaidan.analysis.common import (PAIR_SEP, UNKNOWN_MODE, column_rows, empty_frame, is_missing, nonempty_text,
                                    sorted_dates, union)
from kaidan.analysis.periods import check_period, period_index, place
from kaidan.analysis.scoping import Scope


def meetings_per_period(sc: Scope, period: str = "year") -> pd.DataFrame:
    """Events per period, every period from the first to the last (or the scope's bounds), zeros kept.

    Columns: period (str), period_start (date), n_events, n_held, n_scheduled, event_ids,
    article_ids, refs. attrs['unplaced'] counts events dated too coarsely for the period,
    attrs['undated'] those with no date.
    """
    check_period(period)
    ev = sc.event_table
    placed = [place(s, period) for s in ev["span"].tolist()]
    index = period_index(placed, period, sc.start, sc.end)
    buckets: dict[pd.Period, list[int]] = defaultdict(list)
    for i, p in enumerate(placed):
        if p is not None:
            buckets[p].append(i)
    event_ids, statuses, article_ids = ev["event_id"].tolist(), ev["status"].tolist(), ev["article_ids"].tolist()
    rows = []
    for p in index:
        idx = buckets.get(p, [])
        eids = [event_ids[i] for i in idx]
        rows.append({"period": str(p), "period_start": p.start_time.date(), "n_events": len(idx),
                     "n_held": sum(1 for i in idx if statuses[i] == "held"),
                     "n_scheduled": sum(1 for i in idx if statuses[i] == "scheduled"),
                     "event_ids": eids, "article_ids": union(article_ids[i] for i in idx), "refs": sc.refs_of(eids)})
    columns = ["period", "period_start", "n_events", "n_held", "n_scheduled", "event_ids", "article_ids", "refs"]
    out = pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)
    out.attrs["period"] = period
    out.attrs["undated"] = int(sum(1 for s in ev["span"] if s is None))
    out.attrs["unplaced"] = int(sum(1 for s, p in zip(ev["span"], placed) if s is not None and p is None))
    out.attrs["total"] = len(ev)
    return out


def _pairs(countries: tuple[str, ...]) -> list[str]:
    return [f"{a}{PAIR_SEP}{b}" for a, b in combinations(sorted(set(countries)), 2)]


def pair_counts(sc: Scope) -> pd.DataFrame:
    """Who meets whom: one row per pair of sides, most events first.

    An event of three sides counts once for each of its three pairs. Columns: pair,
    country_a, country_b, n_events, n_articles, first, last (ISO dates), event_ids,
    article_ids, refs.
    """
    out = pair_events(sc)
    out["refs"] = pd.Series([sc.refs_of(eids) for eids in out["event_ids"].tolist()], index=out.index, dtype=object)
    return out


def pair_events(sc: Scope) -> pd.DataFrame:
    """`pair_counts` without the evidence refs, for analyses that only need each pair's events and
    articles (gathering every pair's refs costs seconds on a large corpus)."""
    groups: dict[str, list[int]] = defaultdict(list)
    ev = sc.event_table
    # the columns as Python lists, indexed per pair: a frame's rows taken per pair cost more than the counting
    event_ids, dates, article_ids = ev["event_id"].tolist(), ev["date"].tolist(), ev["article_ids"].tolist()
    for i, countries in enumerate(ev["countries"].tolist()):
        for pair in _pairs(countries):
            groups[pair].append(i)
    rows = []
    for pair, idx in groups.items():
        a, b = pair.split(PAIR_SEP)
        days = sorted_dates(dates[i] for i in idx)
        articles = union(article_ids[i] for i in idx)
        rows.append({"pair": pair, "country_a": a, "country_b": b, "n_events": len(idx),
                     "n_articles": len(articles), "first": days[0] if days else None,
                     "last": days[-1] if days else None, "event_ids": [event_ids[i] for i in idx],
                     "article_ids": articles})
    columns = ["pair", "country_a", "country_b", "n_events", "n_articles", "first", "last", "event_ids",
               "article_ids"]
    if not rows:
        return empty_frame(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["n_events", "pair"], ascending=[False, True]) \
        .reset_index(drop=True)


def pair_matrix(pairs: pd.DataFrame, value: str = "n_events", top: int | None = None) -> pd.DataFrame:
    """The pair counts as a symmetric country × country table (zeros where two never met).

    With `top`, only the countries in the most meetings are kept.
    """
    if pairs.empty:
        return pd.DataFrame(dtype="int64")
    totals: Counter = Counter()
    for r in pairs.itertuples():
        totals[r.country_a] += getattr(r, value)
        totals[r.country_b] += getattr(r, value)
    countries = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:top]
    matrix = pd.DataFrame(0, index=countries, columns=countries, dtype="int64")
    for r in pairs.itertuples():
        if r.country_a in matrix.index and r.country_b in matrix.index:
            matrix.loc[r.country_a, r.country_b] = getattr(r, value)
            matrix.loc[r.country_b, r.country_a] = getattr(r, value)
    return matrix


def mode_counts(sc: Scope, period: str | None = None) -> pd.DataFrame:
    """Events by mode (in_person, phone, video, unknown); per period too when `period` is given.

    Columns: [period, period_start,] mode, n_events, event_ids, article_ids.
    """
    ev = sc.event_table
    modes = ["in_person", "phone", "video", UNKNOWN_MODE]
    if period is None:
        rows = []
        for mode in modes:
            sub = ev.loc[ev["mode"] == mode]
            if len(sub):
                rows.append({"mode": mode, "n_events": len(sub), "event_ids": list(sub["event_id"]),
                             "article_ids": union(sub["article_ids"])})
        columns = ["mode", "n_events", "event_ids", "article_ids"]
        return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)
    check_period(period)
    placed = [place(s, period) for s in ev["span"]]
    index = period_index(placed, period, sc.start, sc.end)
    event_modes = ev["mode"].tolist()
    found_modes = set(event_modes)
    present = [m for m in modes if m in found_modes]
    # the events of each (period, mode), found in one pass over the events
    members: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(zip(placed, event_modes)):
        members[key].append(i)
    rows = []
    for p in index:
        for mode in present:
            idx = members.get((p, mode), [])
            sub = ev.iloc[idx]
            rows.append({"period": str(p), "period_start": p.start_time.date(), "mode": mode,
                         "n_events": len(idx), "event_ids": list(sub["event_id"]),
                         "article_ids": union(sub["article_ids"])})
    columns = ["period", "period_start", "mode", "n_events", "event_ids", "article_ids"]
    return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)


def series_rounds(sc: Scope) -> pd.DataFrame:
    """Each recurring series (per set of sides) on a timeline, with the rounds not seen.

    Rounds are numbered from 1, so every number up to the highest seen that no event
    carries is a row with ``observed`` False: rounds 19 (2024-11) and 20 (2025-12) with
    18 unseen show 1–18 as missing. Events of a series without a round number are rows
    with ``session`` empty. Columns: series, countries (tuple), track (display key),
    session, observed, date, n_events, event_ids, article_ids, refs.
    """
    ev = sc.event_table.loc[sc.event_table["series"].notna()]
    records = ev[["series", "countries", "session", "date", "event_id", "article_ids"]].to_dict("records")
    tracks: dict[tuple, list[dict]] = defaultdict(list)  # one pass, not a groupby per track
    for record in records:
        tracks[(record["series"], tuple(record["countries"]))].append(record)
    rows = []
    for series, countries in sorted(tracks):
        events = tracks[(series, countries)]
        track = f"{series} ({PAIR_SEP.join(countries)})"
        seen: dict[int, list[dict]] = defaultdict(list)
        for e in events:
            if not is_missing(e["session"]):
                seen[int(e["session"])].append(e)
        highest = max(seen) if seen else 0
        for session in range(1, highest + 1):
            group = seen.get(session)
            if group is None:
                rows.append({"series": series, "countries": countries, "track": track, "session": session,
                             "observed": False, "date": None, "n_events": 0, "event_ids": [],
                             "article_ids": [], "refs": []})
            else:
                dates = sorted_dates(e["date"] for e in group)
                eids = [e["event_id"] for e in group]
                rows.append({"series": series, "countries": countries, "track": track, "session": session,
                             "observed": True, "date": dates[0] if dates else None, "n_events": len(group),
                             "event_ids": eids, "article_ids": union([e["article_ids"] for e in group]),
                             "refs": sc.refs_of(eids)})
        for e in events:
            if is_missing(e["session"]):
                rows.append({"series": series, "countries": countries, "track": track, "session": None,
                             "observed": True, "date": nonempty_text(e["date"]), "n_events": 1,
                             "event_ids": [e["event_id"]], "article_ids": list(e["article_ids"]),
                             "refs": sc.refs_of([e["event_id"]])})
    columns = ["series", "countries", "track", "session", "observed", "date", "n_events", "event_ids",
               "article_ids", "refs"]
    if not rows:
        return empty_frame(columns)
    out = pd.DataFrame(rows, columns=columns)
    out["session"] = out["session"].astype("Int64")
    return out


def missing_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per series track: rounds seen, the highest round, and the missing ones as ranges ("1–18").

    Busiest tracks first (rounds seen plus meetings without a round number), so a report
    that shows the first rows shows the tracks that matter."""
    tracks: dict[str, list[tuple]] = defaultdict(list)  # one pass over the rounds, not a group per track
    for track, series, countries, session, observed in column_rows(rounds, "track", "series", "countries", "session",
                                                                  "observed"):
        tracks[track].append((series, countries, session, observed))
    rows = []
    for track in sorted(tracks):
        members = tracks[track]
        numbered = [(int(session), observed) for _, _, session, observed in members if not is_missing(session)]
        missing = sorted(session for session, observed in numbered if not observed)
        rows.append({"track": track, "series": members[0][0], "countries": members[0][1],
                     "rounds_seen": sum(1 for _, observed in numbered if observed),
                     "highest": max(session for session, _ in numbered) if numbered else None,
                     "missing": missing, "missing_ranges": ranges(missing),
                     "unnumbered": len(members) - len(numbered)})
    columns = ["track", "series", "countries", "rounds_seen", "highest", "missing", "missing_ranges", "unnumbered"]
    if not rows:
        return empty_frame(columns)
    out = pd.DataFrame(rows, columns=columns)
    out["highest"] = out["highest"].astype("Int64")
    activity = out["rounds_seen"] + out["unnumbered"]
    order = sorted(range(len(out)), key=lambda i: (-int(activity.iloc[i]), out["track"].iloc[i]))
    return out.iloc[order].reset_index(drop=True)


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → '1–3, 5'."""
    parts, run = [], []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(f"{run[0]}{PAIR_SEP}{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    if run:
        parts.append(f"{run[0]}{PAIR_SEP}{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(parts)


def pair_intervals(sc: Scope, pairs: Iterable[str] | None = None) -> pd.DataFrame:
    """Days between consecutive meetings of each pair (dates known to the month or day).

    Intervals are counted between the first days of the two dates; ``approximate`` is
    True when either is known only to the month. Columns: pair, previous, date, days,
    approximate, event_ids (the two events), article_ids.
    """
    wanted = set(pairs) if pairs is not None else None
    ev = sc.event_table
    by_pair: dict[str, list[int]] = defaultdict(list)
    for i, (countries, precision) in enumerate(column_rows(ev, "countries", "precision")):
        if precision not in ("day", "month"):
            continue
        for pair in _pairs(countries):
            if wanted is None or pair in wanted:
                by_pair[pair].append(i)
    rows = []
    every = ev[["event_id", "date", "first", "precision", "article_ids"]].to_dict("records") if by_pair else []
    for pair in sorted(by_pair):
        records = sorted((every[i] for i in by_pair[pair]), key=lambda r: (r["first"], r["event_id"]))
        for prev, cur in zip(records, records[1:]):
            rows.append({"pair": pair, "previous": nonempty_text(prev["date"]), "date": nonempty_text(cur["date"]),
                         "days": (cur["first"] - prev["first"]).days,
                         "approximate": "month" in (prev["precision"], cur["precision"]),
                         "event_ids": [prev["event_id"], cur["event_id"]],
                         "article_ids": union([prev["article_ids"], cur["article_ids"]])})
    columns = ["pair", "previous", "date", "days", "approximate", "event_ids", "article_ids"]
    return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)


INTERVAL_BINS = ((7, "≤ 1 week"), (31, "≤ 1 month"), (91, "≤ 3 months"), (183, "≤ 6 months"),
                 (366, "≤ 1 year"), (731, "≤ 2 years"), (None, "> 2 years"))


def interval_bins(intervals: pd.DataFrame) -> pd.DataFrame:
    """Intervals per pair counted in bins of length (≤ 1 week ... > 2 years): pair, bin
    (label), order, n_intervals, event_ids, article_ids. Its size depends on the pairs, not
    on how many meetings there are."""
    columns = ["pair", "bin", "order", "n_intervals", "event_ids", "article_ids"]
    if intervals.empty:
        return empty_frame(columns)
    cells: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, (pair, days) in enumerate(column_rows(intervals, "pair", "days")):
        order = next(k for k, (limit, _) in enumerate(INTERVAL_BINS) if limit is None or days <= limit)
        cells[(pair, order)].append(i)
    event_ids, article_ids = intervals["event_ids"].tolist(), intervals["article_ids"].tolist()
    rows = []
    for (pair, order), idx in sorted(cells.items()):
        rows.append({"pair": pair, "bin": INTERVAL_BINS[order][1], "order": order, "n_intervals": len(idx),
                     "event_ids": union(event_ids[i] for i in idx), "article_ids": union(article_ids[i] for i in idx)})
    return pd.DataFrame(rows, columns=columns)


def interval_summary(intervals: pd.DataFrame) -> pd.DataFrame:
    """Per pair: number of intervals, median, shortest and longest in days."""
    columns = ["pair", "n_intervals", "median_days", "min_days", "max_days", "event_ids", "article_ids"]
    if intervals.empty:
        return empty_frame(columns)
    rows = []
    for pair, g in intervals.groupby("pair", sort=True):
        rows.append({"pair": pair, "n_intervals": len(g), "median_days": float(g["days"].median()),
                     "min_days": int(g["days"].min()), "max_days": int(g["days"].max()),
                     "event_ids": union(g["event_ids"]), "article_ids": union(g["article_ids"])})
    return pd.DataFrame(rows, columns=columns).sort_values(["n_intervals", "pair"], ascending=[False, True]) \
        .reset_index(drop=True)

"""Topic co-occurrence (notebook 02): topics counted per article, paragraph or sentence, the
pairs that share a unit (with lift, PMI and Jaccard), their trends, and the topics of each
pair's meetings."""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict

import pandas as pd

from kaidan.analysis.common import REFS_PER_CELL, column_rows, empty_frame
from kaidan.analysis.frequency import pair_events
from kaidan.analysis.periods import check_period, period_index
from kaidan.analysis.scoping import Scope, article_periods
from kaidan.constants import UNITS


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    return unit


_PARAGRAPH_BREAK = re.compile(r"\n\s*")


def _paragraph_starts(body: str) -> list[int]:
    """Offsets where each paragraph (a line or block between line breaks) begins."""
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(body)]


def _n_paragraphs(body: str) -> int:
    return sum(1 for line in body.split("\n") if line.strip())


def unit_keys(sc: Scope, kind: str, unit: str = "article") -> pd.DataFrame:
    """The mentions of one kind with the unit each falls in: article_id, unit, id, sentence
    (computed once per scope, kind and unit: the counts and the co-occurrences share it)."""
    check_unit(unit)
    return sc.derived(f"unit_keys:{kind}:{unit}", lambda: _unit_keys(sc, kind, unit))


def _unit_keys(sc: Scope, kind: str, unit: str) -> pd.DataFrame:
    m = sc.mentions_of(kind)
    columns = ["article_id", "unit", "id", "sentence"]
    if m.empty:
        return empty_frame(columns)
    # columns as Python lists first: iterating pyarrow-backed strings one by one is slow
    article_ids, sentence_ids = m["article_id"].tolist(), m["sentence"].tolist()
    if unit == "article":
        keys = article_ids
    elif unit == "sentence":
        keys = [f"{a}#s{int(s)}" for a, s in zip(article_ids, sentence_ids)]
    else:
        bodies = dict(column_rows(sc.articles, "article_id", "body"))
        starts = {}
        keys = []
        for aid, offset in zip(article_ids, m["start"].tolist()):
            if aid not in starts:
                starts[aid] = _paragraph_starts(bodies.get(aid, "") or "")
            keys.append(f"{aid}#p{bisect.bisect_right(starts[aid], int(offset)) - 1}")
    return pd.DataFrame({"article_id": article_ids, "unit": keys, "id": m["id"].tolist(),
                         "sentence": [int(s) for s in sentence_ids]}, columns=columns)


def n_units(sc: Scope, unit: str = "article") -> int:
    """How many units the scope has: articles, non-empty paragraphs or sentences."""
    check_unit(unit)
    if unit == "article":
        return len(sc.articles)
    if unit == "sentence":
        return len(sc.sentences)
    return int(sum(_n_paragraphs(b or "") for b in sc.articles["body"]))


def _refs_by_unit(keys: pd.DataFrame, units: set) -> dict[tuple[str, str], set[tuple[str, int]]]:
    """(unit, id) → its (article_id, sentence) refs, for the given units only (a cell keeps the
    refs of a few of its units, and a large corpus has millions of mentions), unsorted."""
    refs: dict[tuple[str, str], set] = defaultdict(set)
    wanted = keys.loc[keys["unit"].isin(units)]
    for aid, u, i, s in column_rows(wanted, "article_id", "unit", "id", "sentence"):
        refs[(u, i)].add((aid, s))
    return refs


def _units_by_id(keys: pd.DataFrame) -> dict[str, set]:
    units: dict[str, set] = defaultdict(set)
    for u, i in column_rows(keys, "unit", "id"):
        units[i].add(u)
    return units


def _cells(units_a: dict[str, set], units_b: dict[str, set], same_kind: bool, min_count: int):
    """(a, b, the units carrying both) of every pair that shares at least `min_count` units, in order."""
    for a in sorted(units_a):
        for b in sorted(units_b):
            if same_kind and a >= b:
                continue
            both = units_a[a] & units_b[b]
            if len(both) >= max(min_count, 1):
                yield a, b, both


def cooccurrence(keys_a: pd.DataFrame, keys_b: pd.DataFrame, total: int, same_kind: bool,
                  min_count: int) -> pd.DataFrame:
    units_a = _units_by_id(keys_a)
    units_b = units_a if keys_b is keys_a else _units_by_id(keys_b)
    cells = [(a, b, both, both if len(both) <= REFS_PER_CELL else sorted(both)[:REFS_PER_CELL])
             for a, b, both in _cells(units_a, units_b, same_kind, min_count)]
    ref_units = set().union(*(units for *_, units in cells))
    refs_a = _refs_by_unit(keys_a, ref_units)
    refs_b = refs_a if keys_b is keys_a else _refs_by_unit(keys_b, ref_units)
    none: set = set()
    unit_article = dict(column_rows(keys_a, "unit", "article_id"))
    if keys_b is not keys_a:
        unit_article |= dict(column_rows(keys_b, "unit", "article_id"))
    rows = []
    for a, b, both, units in cells:
        n_a, n_b, n_ab = len(units_a[a]), len(units_b[b]), len(both)
        lift = n_ab * total / (n_a * n_b) if total and n_a and n_b else float("nan")
        refs = sorted(set().union(*(refs_a.get((u, a), none) | refs_b.get((u, b), none) for u in units)))
        refs = refs[:REFS_PER_CELL]
        rows.append({"a": a, "b": b, "count": n_ab, "n_a": n_a, "n_b": n_b, "n_units": total,
                     "lift": lift, "pmi": math.log2(lift) if lift and lift > 0 else float("nan"),
                     "jaccard": n_ab / (n_a + n_b - n_ab),
                     "article_ids": sorted({unit_article[u] for u in both}), "refs": refs})
    columns = ["a", "b", "count", "n_a", "n_b", "n_units", "lift", "pmi", "jaccard", "article_ids", "refs"]
    if not rows:
        return empty_frame(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["count", "a", "b"], ascending=[False, True, True]) \
        .reset_index(drop=True)


def topic_counts(sc: Scope, unit: str = "article") -> pd.DataFrame:
    """Units tagged with each topic, most first: topic, n_units, share, article_ids, refs."""
    keys = unit_keys(sc, "topic", unit)
    total = n_units(sc, unit)
    columns = ["topic", "n_units", "share", "article_ids", "refs"]
    if keys.empty:
        return empty_frame(columns)
    rows = []
    for topic, g in keys.groupby("id", sort=True):
        rows.append({"topic": topic, "n_units": g["unit"].nunique(),
                     "share": g["unit"].nunique() / total if total else float("nan"),
                     "article_ids": sorted(set(g["article_id"].tolist())),
                     "refs": sorted(set(column_rows(g, "article_id", "sentence")))})
    return pd.DataFrame(rows, columns=columns).sort_values(["n_units", "topic"], ascending=[False, True]) \
        .reset_index(drop=True)


def topic_cooccurrence(sc: Scope, unit: str = "article", min_count: int = 1) -> pd.DataFrame:
    """Topic × topic: how many units carry both, with lift, PMI (log2 lift) and Jaccard beside it.

    Each unordered pair once (``topic_a`` < ``topic_b``); pairs with fewer than
    `min_count` shared units are dropped. lift = n_ab·N / (n_a·n_b), where N is the
    number of units in scope (articles, paragraphs or sentences); 1 means as often as
    chance. Columns: topic_a, topic_b, count, n_a, n_b, n_units, lift, pmi, jaccard,
    article_ids, refs.
    """
    keys = unit_keys(sc, "topic", unit)
    out = cooccurrence(keys, keys, n_units(sc, unit), True, min_count)
    out = out.rename(columns={"a": "topic_a", "b": "topic_b"})
    out.attrs.update(unit=unit, min_count=min_count, n_units=n_units(sc, unit))
    return out


def square(pairs: pd.DataFrame, a: str, b: str, value: str, labels: list[str] | None = None,
           symmetric: bool = True) -> pd.DataFrame:
    """A long pair table as a matrix (symmetric for topic × topic); missing cells are NaN."""
    rows = labels if labels is not None else sorted(set(pairs[a]) | (set(pairs[b]) if symmetric else set()))
    cols = labels if labels is not None else (rows if symmetric else sorted(set(pairs[b])))
    matrix = pd.DataFrame(float("nan"), index=rows, columns=cols)
    for x, y, v in zip(pairs[a], pairs[b], pairs[value]):
        if x in matrix.index and y in matrix.columns:
            matrix.loc[x, y] = v
        if symmetric and y in matrix.index and x in matrix.columns:
            matrix.loc[y, x] = v
    return matrix


def topic_trends(sc: Scope, period: str = "year") -> pd.DataFrame:
    """Articles per period tagged with each topic, zeros kept, with the share of that period's articles.

    Columns: period, period_start, topic, n_articles, share, article_ids.
    attrs['unplaced'] counts articles whose date is missing or too coarse for the period.
    """
    check_period(period)
    periods = article_periods(sc, period)
    index = period_index(periods.values(), period, sc.start, sc.end)
    per_period = Counter(p for p in periods.values() if p is not None)
    topic_articles: dict[tuple, set] = defaultdict(set)
    topics = sorted(set(sc.mentions_of("topic")["id"].tolist()))
    for aid, topic in column_rows(sc.mentions_of("topic"), "article_id", "id"):
        p = periods.get(aid)
        if p is not None:
            topic_articles[(p, topic)].add(aid)
    rows = []
    for p in index:
        for topic in topics:
            ids = sorted(topic_articles.get((p, topic), set()))
            rows.append({"period": str(p), "period_start": p.start_time.date(), "topic": topic,
                         "n_articles": len(ids), "share": len(ids) / per_period[p] if per_period[p] else 0.0,
                         "article_ids": ids})
    columns = ["period", "period_start", "topic", "n_articles", "share", "article_ids"]
    out = pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)
    out.attrs["unplaced"] = sum(1 for p in periods.values() if p is None)
    return out


def topics_by_pair(sc: Scope, top_pairs: int | None = None) -> pd.DataFrame:
    """Country pair × topic: the articles reporting a pair's meetings that treat the topic.

    Columns: pair, topic, n_articles, article_ids, refs (the topic's sentences in those articles).
    """
    pairs = pair_events(sc)
    if top_pairs:
        pairs = pairs.head(top_pairs)
    topic_m = sc.mentions_of("topic")
    # the sentence numbers of each topic in each article reporting a pair's meetings (only those)
    reporting = set().union(*pairs["article_ids"].tolist()) if len(pairs) else set()
    topic_m = topic_m.loc[topic_m["article_id"].isin(reporting)]
    by_article: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for aid, topic, s in column_rows(topic_m, "article_id", "id", "sentence"):
        by_article[aid][topic].add(int(s))
    rows = []
    for r in pairs.itertuples():
        per_topic: dict[str, list] = defaultdict(list)  # each topic's articles, in order, once each
        refs: dict[str, set] = defaultdict(set)
        for aid in sorted(r.article_ids):
            for topic, sentences in by_article.get(aid, {}).items():
                found = per_topic[topic]
                if found and found[-1] == aid:
                    continue
                found.append(aid)
                if len(refs[topic]) < REFS_PER_CELL:  # articles in order: these are the first refs
                    refs[topic].update((aid, s) for s in sentences)
        for topic in sorted(per_topic):
            rows.append({"pair": r.pair, "topic": topic, "n_articles": len(per_topic[topic]),
                         "article_ids": per_topic[topic], "refs": sorted(refs[topic])[:REFS_PER_CELL]})
    columns = ["pair", "topic", "n_articles", "article_ids", "refs"]
    return pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)

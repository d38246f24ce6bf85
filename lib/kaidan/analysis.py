"""What the tables say: meeting frequency, topic co-occurrence and forum involvement.

Pure pandas, no plotting (`kaidan.charts` draws these frames). Every function takes a
`Scope` (the corpus cut to a period and a set of countries, see `scope`) and returns a
small aggregate frame. Each aggregate row keeps what it was counted from:

- ``event_ids``   the events (real-world meetings) behind a meeting count,
- ``article_ids`` the articles behind the row,
- ``refs``        (article_id, sentence index) pairs of the evidence sentences,

so `trace(scope, row)` returns the articles and the evidence sentences behind any cell.
Empty tables give empty frames with the same columns, and the ``describe_*`` functions
say so in words ("No meetings in this period.").

Dates are ISO strings at the precision the text supports (``2025``, ``2025-12``,
``2025-12-02``). A period count places a date only when the whole date falls inside
one period: a meeting known only to the year is counted per year but not per month,
and the frame's ``attrs['unplaced']`` says how many were left out that way.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Callable, Iterable

import pandas as pd

PERIODS = {"year": "Y", "quarter": "Q", "month": "M"}
UNITS = ("article", "paragraph", "sentence")
MEASURES = ("lift", "pmi", "jaccard")
UNKNOWN_MODE = "unknown"
PAIR_SEP = "–"  # en dash between the two sides of a pair
# evidence sentences kept per topic pair or pair × topic cell (those of the first units or
# articles, in sorted order): a trace shows a handful, and a corpus of 100k articles would
# otherwise carry tens of thousands per cell (counts and article_ids stay complete)
REFS_PER_CELL = 200

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


# --- dates and periods ---------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """An ISO date at its precision, as the first and last day it may mean."""

    first: dt.date
    last: dt.date
    precision: str  # day, month or year



def column_rows(frame: pd.DataFrame, *names: str):
    """Rows of some columns as tuples, like zip(frame[a], frame[b]) but from Python lists:
    pandas' Arrow-backed strings are slow to iterate one value at a time."""
    return zip(*(frame[name].tolist() for name in names))

def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def date_span(value) -> Span | None:
    """``2025`` → 2025-01-01..2025-12-31; ``2025-12`` → the month; a day → that day; else None."""
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Span(value, value, "day")
    match = _ISO.match(str(value).strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            d = dt.date(int(year), int(month), int(day))
            return Span(d, d, "day")
        if month:
            first = dt.date(int(year), int(month), 1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return Span(first, last, "month")
        return Span(dt.date(int(year), 1, 1), dt.date(int(year), 12, 31), "year")
    except ValueError:
        return None


def parse_bound(value, *, end: bool = False) -> dt.date | None:
    """A start or end parameter as a day: ``2024`` starts on 1 January, or ends on 31 December."""
    if _missing(value) or str(value).strip() == "":
        return None
    span = date_span(value)
    if span is None:
        raise ValueError(f"{value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return span.last if end else span.first


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"period {period!r} is not one of {', '.join(PERIODS)}")
    return period


def period_of(day: dt.date, period: str) -> pd.Period:
    return pd.Period(day, freq=PERIODS[check_period(period)])


def place(span: Span | None, period: str) -> pd.Period | None:
    """The period a date falls in, or None when it is coarser than the period (or missing)."""
    if span is None:
        return None
    first, last = period_of(span.first, period), period_of(span.last, period)
    return first if first == last else None


def period_index(periods: Iterable[pd.Period], period: str, start: dt.date | None = None,
                 end: dt.date | None = None) -> pd.PeriodIndex:
    """Every period from the start (or the first seen) to the end (or the last seen), gaps included."""
    periods = [p for p in periods if p is not None]
    lo = period_of(start, period) if start else (min(periods) if periods else None)
    hi = period_of(end, period) if end else (max(periods) if periods else None)
    if lo is None or hi is None or lo > hi:
        return pd.PeriodIndex([], freq=PERIODS[period])
    return pd.period_range(lo, hi, freq=PERIODS[period])


def _overlaps(span: Span | None, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None and end is None:
        return True
    if span is None:
        return False
    return (start is None or span.last >= start) and (end is None or span.first <= end)


# --- labels --------------------------------------------------------------------------

def _first_text(*values) -> str | None:
    for value in values:
        if isinstance(value, str) and value:
            return value
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
            return value[0]
    return None


def label_names(reference) -> dict[str, dict[str, dict[str, str]]]:
    """Every display name the reference knows: kind → id → {"en": ..., "ja": ...}.

    Small and JSON-ready, so a report run writes it once beside the tables and each
    notebook reads it instead of loading every gazetteer again.
    """
    names: dict[str, dict[str, dict[str, str]]] = {}
    for kind, table in (("country", reference.countries), ("forum", reference.forums), ("topic", reference.topics),
                        ("series", reference.series), ("place", reference.places)):
        entries = {}
        for row in table.to_dict("records"):
            ident = row["id"]
            en = _first_text(row.get("name_en")) or (ident if kind != "series" else ident.replace("_", " "))
            ja = _first_text(row.get("name_ja"), row.get("names_ja")) or en
            entries[ident] = {"en": en, "ja": ja}
        names[kind] = entries
    names["person"] = {pid: {"en": pid, "ja": _first_text(list(p.names_ja)) or pid}
                       for pid, p in reference.people.items()}
    return names


class Labels:
    """Display names for ids in English or Japanese, from the gazetteers.

    `names` is what `label_names` returns (``kaidan report`` writes it beside the tables as
    labels.json); without it the reference is loaded on first use. Falls back to the id
    itself when the reference cannot be loaded or lacks the id, so a chart never fails for
    want of a label.
    """

    def __init__(self, lang: str = "en", names: dict | None = None):
        if lang not in ("en", "ja"):
            raise ValueError(f"lang {lang!r} is not 'en' or 'ja'")
        self.lang = lang
        self._names = names
        self.problem: str | None = None

    @classmethod
    def from_file(cls, path, lang: str = "en") -> "Labels":
        import json
        from pathlib import Path

        return cls(lang, json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def names(self) -> dict:
        if self._names is None:
            try:
                from kaidan.reference import load_reference

                self._names = label_names(load_reference())
            except Exception as error:  # noqa: BLE001 labels are a convenience: ids still work
                self.problem = f"labels fall back to ids: {error}"
                self._names = {}
        return self._names

    def __call__(self, kind: str, ident) -> str:
        if _missing(ident) or ident == "":
            return ""
        ident = str(ident)
        entry = self.names.get(kind, {}).get(ident)
        return entry.get(self.lang) or ident if entry else ident

    def pair(self, pair: str) -> str:
        return PAIR_SEP.join(self("country", c) for c in pair.split(PAIR_SEP))

    def countries(self, ids: Iterable[str]) -> str:
        return PAIR_SEP.join(self("country", c) for c in ids)

    def frame(self, frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
        """A copy of `frame` with the named columns' ids replaced by labels (kind ``pair``,
        ``countries`` and ``mode`` too)."""
        out = frame.copy()
        for column, kind in kinds.items():
            if column not in out.columns:
                continue
            if kind == "pair":
                out[column] = [self.pair(v) for v in out[column]]
            elif kind == "countries":
                out[column] = [self.countries(v) for v in out[column]]
            elif kind == "mode":
                out[column] = [self.mode(v) for v in out[column]]
            else:
                out[column] = [self(kind, v) for v in out[column]]
        return out

    def mode(self, mode: str) -> str:
        names = {"en": {"in_person": "in person", "phone": "phone", "video": "video", UNKNOWN_MODE: "not stated"},
                 "ja": {"in_person": "対面", "phone": "電話", "video": "ビデオ", UNKNOWN_MODE: "不明"}}
        return names[self.lang].get(mode, mode)


# --- the scope: the corpus cut to a period and to countries ---------------------------

def _as_list(value) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if _missing(value):
        return []
    if hasattr(value, "tolist"):
        return list(value.tolist())
    return [value]


@dataclass
class Scope:
    """The tables of one corpus, kept to a date range and a set of countries.

    ``articles`` holds the articles analysed (no duplicates, no unreadable files);
    ``all_articles`` every file, for the corpus overview.
    """

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    meetings: pd.DataFrame
    events: pd.DataFrame
    all_articles: pd.DataFrame
    start: dt.date | None = None
    end: dt.date | None = None
    countries: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    source: str = ""

    @cached_property
    def titles(self) -> dict[str, str]:
        """article_id → title (the article id when the title is empty)."""
        out = {}
        for aid, title in column_rows(self.all_articles, "article_id", "title"):
            out[aid] = title if isinstance(title, str) and title.strip() else aid
        return out

    @cached_property
    def event_refs(self) -> dict[str, list[tuple[str, int]]]:
        """event_id → the (article_id, sentence) pairs of its meeting reports' evidence."""
        refs: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for eid, aid, sentences in zip(self.meetings["event_id"], self.meetings["article_id"],
                                       self.meetings["sentences"]):
            if _missing(eid):
                continue
            for s in _as_list(sentences):
                refs[eid].append((aid, int(s)))
        return dict(refs)

    @cached_property
    def event_table(self) -> pd.DataFrame:
        """One row per event with its date span, sorted sides and article list."""
        rows = []
        for e in self.events.to_dict("records"):
            span = date_span(e.get("date"))
            rows.append({
                "event_id": e["event_id"], "date": None if _missing(e.get("date")) else e["date"],
                "span": span, "first": span.first if span else None,
                "precision": span.precision if span else None,
                "countries": tuple(sorted(set(_as_list(e.get("countries"))))),
                "mode": e.get("mode") if isinstance(e.get("mode"), str) and e.get("mode") else UNKNOWN_MODE,
                "series": e.get("series") if isinstance(e.get("series"), str) and e.get("series") else None,
                "session": None if _missing(e.get("session")) else int(e["session"]),
                "status": e.get("status"), "forum": e.get("forum") if isinstance(e.get("forum"), str) and
                e.get("forum") else None,
                "participants": _as_list(e.get("participants")),
                "article_ids": sorted(set(_as_list(e.get("article_ids")))),
                "city": e.get("city") if isinstance(e.get("city"), str) else None,
            })
        columns = ["event_id", "date", "span", "first", "precision", "countries", "mode", "series", "session",
                   "status", "forum", "participants", "article_ids", "city"]
        return pd.DataFrame(rows, columns=columns)

    @cached_property
    def article_spans(self) -> dict[str, Span | None]:
        return {aid: date_span(p) for aid, p in column_rows(self.articles, "article_id", "published")}

    def mentions_of(self, kind: str) -> pd.DataFrame:
        return self.mentions.loc[self.mentions["kind"] == kind]

    def refs_of(self, event_ids: Iterable[str]) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        for eid in event_ids:
            out.extend(self.event_refs.get(eid, []))
        return sorted(set(out))

    @property
    def description(self) -> str:
        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or '…'} to {self.end or '…'}")
        if self.countries:
            parts.append("countries " + ", ".join(self.countries))
        return "; ".join(parts) or "the whole corpus"


def scope(corpus, start=None, end=None, countries=None) -> Scope:
    """The corpus kept to [start, end] and to meetings and articles involving `countries`.

    An event is kept when its date overlaps the range (an undated event only when no
    range is set) and at least one of its sides is a kept country. An article is kept
    when its publication date overlaps the range and it mentions a kept country or
    reports a kept event. Duplicates and unreadable files are never analysed.
    """
    start_day = parse_bound(start) if not isinstance(start, dt.date) else start
    end_day = parse_bound(end, end=True) if not isinstance(end, dt.date) else end
    if start_day and end_day and start_day > end_day:
        raise ValueError(f"start {start_day} is after end {end_day}")
    keep = tuple(sorted({c.strip().upper() for c in (countries or []) if c and c.strip()}))
    notes: list[str] = []

    events = corpus.events
    spans = [date_span(d) for d in events["date"]]
    mask = [_overlaps(s, start_day, end_day) for s in spans]
    if start_day or end_day:
        undated = sum(1 for s in spans if s is None)
        if undated:
            notes.append(f"{undated} undated event(s) left out because a date range is set")
    if keep:
        mask = [m and bool(set(_as_list(c)) & set(keep)) for m, c in zip(mask, events["countries"])]
    events = events.loc[pd.Series(mask, index=events.index, dtype=bool)] if len(events) else events
    kept_events = set(events["event_id"])

    meetings = corpus.meetings
    if len(meetings):
        meetings = meetings.loc[meetings["event_id"].isin(kept_events)]

    articles = corpus.articles
    analysed = articles["duplicate_of"].isna() | (articles["duplicate_of"].astype("object").fillna("") == "")
    analysed &= articles["status"] != "error"
    skipped = int((~analysed).sum())
    if skipped:
        notes.append(f"{skipped} file(s) not analysed (duplicates or unreadable)")
    articles = articles.loc[analysed]
    a_spans = [date_span(p) for p in articles["published"]]
    a_mask = pd.Series([_overlaps(s, start_day, end_day) for s in a_spans], index=articles.index, dtype=bool)
    if keep:
        country_mentions = corpus.mentions.loc[(corpus.mentions["kind"] == "country")
                                               & corpus.mentions["id"].isin(keep), "article_id"]
        reporting = set()
        for ids in events["article_ids"]:
            reporting.update(_as_list(ids))
        a_mask &= articles["article_id"].isin(set(country_mentions) | reporting)
    articles = articles.loc[a_mask]
    kept_articles = set(articles["article_id"])
    sentences = corpus.sentences.loc[corpus.sentences["article_id"].isin(kept_articles)]
    mentions = corpus.mentions.loc[corpus.mentions["article_id"].isin(kept_articles)]
    return Scope(articles=articles, sentences=sentences, mentions=mentions, meetings=meetings, events=events,
                 all_articles=corpus.articles, start=start_day, end=end_day, countries=keep, notes=notes,
                 source=getattr(corpus, "source", ""))


# --- tracing a cell back to its articles and sentences -------------------------------

TRACE_COLUMNS = ["article_id", "title", "published", "outlet", "url", "sentence", "evidence"]


def _article_info(sc: Scope, article_ids: set) -> dict[str, dict]:
    """Title, date, outlet and address of each article, looked up once for all of them."""
    found = sc.all_articles.loc[sc.all_articles["article_id"].isin(article_ids)]
    info = {aid: {"title": aid, "published": None, "outlet": None, "url": None} for aid in article_ids}
    for aid, published, outlet, url in column_rows(found, "article_id", "published", "outlet", "url"):
        info[aid] = {"title": sc.titles.get(aid, aid), "published": published, "outlet": outlet, "url": url}
    return info


def trace(sc: Scope, cell) -> pd.DataFrame:
    """The articles and evidence sentences behind one aggregate row (a Series or dict).

    Meeting counts trace through ``event_ids`` to each report's evidence; topic and forum
    counts trace through ``refs`` to the sentences. Falls back to ``article_ids``.
    """
    cell = dict(cell)
    rows = []
    event_ids = set(_as_list(cell.get("event_ids")))
    covered: set[tuple[str, int]] = set()
    if event_ids:
        reports = sc.meetings.loc[sc.meetings["event_id"].isin(event_ids)]
        for m in reports.itertuples():
            sentences = _as_list(m.sentences)
            rows.append({"article_id": m.article_id, "sentence": int(sentences[0]) if sentences else None,
                         "evidence": m.evidence})
        covered = set(sc.refs_of(event_ids))
    # sentences of other evidence (topic and forum mentions) not already in a meeting's passage
    refs = [r for r in _as_list(cell.get("refs")) if tuple(r) not in covered]
    if refs:
        # only the sentences of the articles referred to: a large corpus has millions
        sentences = sc.sentences.loc[sc.sentences["article_id"].isin({aid for aid, _ in refs})]
        text = {(a, int(i)): t for a, i, t in column_rows(sentences, "article_id", "index", "text")}
        for aid, index in refs:
            rows.append({"article_id": aid, "sentence": int(index), "evidence": text.get((aid, int(index)), "")})
    if not rows:
        for aid in _as_list(cell.get("article_ids")):
            rows.append({"article_id": aid, "sentence": None, "evidence": ""})
    info = _article_info(sc, {row["article_id"] for row in rows})
    rows = [{**row, **info[row["article_id"]]} for row in rows]
    out = pd.DataFrame(rows, columns=TRACE_COLUMNS)
    out["sentence"] = out["sentence"].astype("Int64")
    return out.drop_duplicates(["article_id", "sentence", "evidence"]).sort_values(
        ["article_id", "sentence"], na_position="first").reset_index(drop=True)


# --- meeting frequency ----------------------------------------------------------------

def _dates(values) -> list[str]:
    return sorted(v for v in values if isinstance(v, str) and v)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _union(lists: Iterable[Iterable]) -> list:
    out = set()
    for items in lists:
        out.update(items)
    return sorted(out)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})


def meetings_per_period(sc: Scope, period: str = "year") -> pd.DataFrame:
    """Events per period, every period from the first to the last (or the scope's bounds), zeros kept.

    Columns: period (str), period_start (date), n_events, n_held, n_scheduled, event_ids,
    article_ids, refs. attrs['unplaced'] counts events dated too coarsely for the period,
    attrs['undated'] those with no date.
    """
    check_period(period)
    ev = sc.event_table
    placed = [place(s, period) for s in ev["span"]]
    index = period_index(placed, period, sc.start, sc.end)
    buckets: dict[pd.Period, list[int]] = defaultdict(list)
    for i, p in enumerate(placed):
        if p is not None:
            buckets[p].append(i)
    rows = []
    for p in index:
        idx = buckets.get(p, [])
        sub = ev.iloc[idx]
        eids = list(sub["event_id"])
        rows.append({"period": str(p), "period_start": p.start_time.date(), "n_events": len(idx),
                     "n_held": int((sub["status"] == "held").sum()),
                     "n_scheduled": int((sub["status"] == "scheduled").sum()),
                     "event_ids": eids, "article_ids": _union(sub["article_ids"]), "refs": sc.refs_of(eids)})
    columns = ["period", "period_start", "n_events", "n_held", "n_scheduled", "event_ids", "article_ids", "refs"]
    out = pd.DataFrame(rows, columns=columns) if rows else _empty(columns)
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
    groups: dict[str, list[int]] = defaultdict(list)
    ev = sc.event_table
    for i, countries in enumerate(ev["countries"]):
        for pair in _pairs(countries):
            groups[pair].append(i)
    rows = []
    for pair, idx in groups.items():
        sub = ev.iloc[idx]
        a, b = pair.split(PAIR_SEP)
        days = _dates(sub["date"])
        eids = list(sub["event_id"])
        articles = _union(sub["article_ids"])
        rows.append({"pair": pair, "country_a": a, "country_b": b, "n_events": len(idx),
                     "n_articles": len(articles), "first": days[0] if days else None,
                     "last": days[-1] if days else None, "event_ids": eids, "article_ids": articles,
                     "refs": sc.refs_of(eids)})
    columns = ["pair", "country_a", "country_b", "n_events", "n_articles", "first", "last", "event_ids",
               "article_ids", "refs"]
    if not rows:
        return _empty(columns)
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
                             "article_ids": _union(sub["article_ids"])})
        columns = ["mode", "n_events", "event_ids", "article_ids"]
        return pd.DataFrame(rows, columns=columns) if rows else _empty(columns)
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
                         "article_ids": _union(sub["article_ids"])})
    columns = ["period", "period_start", "mode", "n_events", "event_ids", "article_ids"]
    return pd.DataFrame(rows, columns=columns) if rows else _empty(columns)


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
            if not _missing(e["session"]):
                seen[int(e["session"])].append(e)
        highest = max(seen) if seen else 0
        for session in range(1, highest + 1):
            group = seen.get(session)
            if group is None:
                rows.append({"series": series, "countries": countries, "track": track, "session": session,
                             "observed": False, "date": None, "n_events": 0, "event_ids": [],
                             "article_ids": [], "refs": []})
            else:
                dates = _dates(e["date"] for e in group)
                eids = [e["event_id"] for e in group]
                rows.append({"series": series, "countries": countries, "track": track, "session": session,
                             "observed": True, "date": dates[0] if dates else None, "n_events": len(group),
                             "event_ids": eids, "article_ids": _union([e["article_ids"] for e in group]),
                             "refs": sc.refs_of(eids)})
        for e in events:
            if _missing(e["session"]):
                rows.append({"series": series, "countries": countries, "track": track, "session": None,
                             "observed": True, "date": _text(e["date"]), "n_events": 1,
                             "event_ids": [e["event_id"]], "article_ids": list(e["article_ids"]),
                             "refs": sc.refs_of([e["event_id"]])})
    columns = ["series", "countries", "track", "session", "observed", "date", "n_events", "event_ids",
               "article_ids", "refs"]
    if not rows:
        return _empty(columns)
    out = pd.DataFrame(rows, columns=columns)
    out["session"] = out["session"].astype("Int64")
    return out


def missing_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per series track: rounds seen, the highest round, and the missing ones as ranges ("1–18").

    Busiest tracks first (rounds seen plus meetings without a round number), so a report
    that shows the first rows shows the tracks that matter."""
    rows = []
    for track, g in rounds.groupby("track", sort=True):
        numbered = g.loc[g["session"].notna()]
        missing = sorted(int(s) for s in numbered.loc[~numbered["observed"], "session"])
        rows.append({"track": track, "series": g["series"].iloc[0], "countries": g["countries"].iloc[0],
                     "rounds_seen": int(numbered["observed"].sum()),
                     "highest": int(numbered["session"].max()) if len(numbered) else None,
                     "missing": missing, "missing_ranges": ranges(missing),
                     "unnumbered": int(g["session"].isna().sum())})
    columns = ["track", "series", "countries", "rounds_seen", "highest", "missing", "missing_ranges", "unnumbered"]
    if not rows:
        return _empty(columns)
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
            rows.append({"pair": pair, "previous": _text(prev["date"]), "date": _text(cur["date"]),
                         "days": (cur["first"] - prev["first"]).days,
                         "approximate": "month" in (prev["precision"], cur["precision"]),
                         "event_ids": [prev["event_id"], cur["event_id"]],
                         "article_ids": _union([prev["article_ids"], cur["article_ids"]])})
    columns = ["pair", "previous", "date", "days", "approximate", "event_ids", "article_ids"]
    return pd.DataFrame(rows, columns=columns) if rows else _empty(columns)


INTERVAL_BINS = ((7, "≤ 1 week"), (31, "≤ 1 month"), (91, "≤ 3 months"), (183, "≤ 6 months"),
                 (366, "≤ 1 year"), (731, "≤ 2 years"), (None, "> 2 years"))


def interval_bins(intervals: pd.DataFrame) -> pd.DataFrame:
    """Intervals per pair counted in bins of length (≤ 1 week ... > 2 years): pair, bin
    (label), order, n_intervals, event_ids, article_ids. Its size depends on the pairs, not
    on how many meetings there are."""
    columns = ["pair", "bin", "order", "n_intervals", "event_ids", "article_ids"]
    if intervals.empty:
        return _empty(columns)
    cells: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, (pair, days) in enumerate(column_rows(intervals, "pair", "days")):
        order = next(k for k, (limit, _) in enumerate(INTERVAL_BINS) if limit is None or days <= limit)
        cells[(pair, order)].append(i)
    rows = []
    for (pair, order), idx in sorted(cells.items()):
        sub = intervals.iloc[idx]
        rows.append({"pair": pair, "bin": INTERVAL_BINS[order][1], "order": order, "n_intervals": len(idx),
                     "event_ids": _union(sub["event_ids"]), "article_ids": _union(sub["article_ids"])})
    return pd.DataFrame(rows, columns=columns)


def interval_summary(intervals: pd.DataFrame) -> pd.DataFrame:
    """Per pair: number of intervals, median, shortest and longest in days."""
    columns = ["pair", "n_intervals", "median_days", "min_days", "max_days", "event_ids", "article_ids"]
    if intervals.empty:
        return _empty(columns)
    rows = []
    for pair, g in intervals.groupby("pair", sort=True):
        rows.append({"pair": pair, "n_intervals": len(g), "median_days": float(g["days"].median()),
                     "min_days": int(g["days"].min()), "max_days": int(g["days"].max()),
                     "event_ids": _union(g["event_ids"]), "article_ids": _union(g["article_ids"])})
    return pd.DataFrame(rows, columns=columns).sort_values(["n_intervals", "pair"], ascending=[False, True]) \
        .reset_index(drop=True)


# --- topics ------------------------------------------------------------------------------

def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    return unit


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise ValueError(f"measure {measure!r} is not one of {', '.join(MEASURES)}")
    return measure


_PARAGRAPH_BREAK = re.compile(r"\n\s*")


def _paragraph_starts(body: str) -> list[int]:
    """Offsets where each paragraph (a line or block between line breaks) begins."""
    return [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(body)]


def _n_paragraphs(body: str) -> int:
    return sum(1 for line in body.split("\n") if line.strip())


def unit_keys(sc: Scope, kind: str, unit: str = "article") -> pd.DataFrame:
    """The mentions of one kind with the unit each falls in: article_id, unit, id, sentence."""
    check_unit(unit)
    m = sc.mentions_of(kind)
    columns = ["article_id", "unit", "id", "sentence"]
    if m.empty:
        return _empty(columns)
    # columns as Python lists first: iterating pyarrow-backed strings one by one is slow
    article_ids, sentence_ids = m["article_id"].tolist(), m["sentence"].tolist()
    if unit == "article":
        keys = article_ids
    elif unit == "sentence":
        keys = [f"{a}#s{int(s)}" for a, s in zip(article_ids, sentence_ids)]
    else:
        import bisect
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


def _refs_by_unit(keys: pd.DataFrame) -> dict[tuple[str, str], list[tuple[str, int]]]:
    refs: dict[tuple[str, str], set] = defaultdict(set)
    for aid, u, i, s in column_rows(keys, "article_id", "unit", "id", "sentence"):
        refs[(u, i)].add((aid, s))
    return {k: sorted(v) for k, v in refs.items()}


def _cooccurrence(keys_a: pd.DataFrame, keys_b: pd.DataFrame, total: int, same_kind: bool,
                  min_count: int) -> pd.DataFrame:
    units_a: dict[str, set] = defaultdict(set)
    units_b: dict[str, set] = defaultdict(set)
    for u, i in column_rows(keys_a, "unit", "id"):
        units_a[i].add(u)
    for u, i in column_rows(keys_b, "unit", "id"):
        units_b[i].add(u)
    refs_a, refs_b = _refs_by_unit(keys_a), _refs_by_unit(keys_b)
    unit_article = dict(column_rows(keys_a, "unit", "article_id")) | dict(column_rows(keys_b, "unit", "article_id"))
    rows = []
    for a in sorted(units_a):
        for b in sorted(units_b):
            if same_kind and a >= b:
                continue
            both = units_a[a] & units_b[b]
            if len(both) < max(min_count, 1):
                continue
            n_a, n_b, n_ab = len(units_a[a]), len(units_b[b]), len(both)
            lift = n_ab * total / (n_a * n_b) if total and n_a and n_b else float("nan")
            units = both if n_ab <= REFS_PER_CELL else sorted(both)[:REFS_PER_CELL]
            refs = sorted({r for u in units for r in refs_a.get((u, a), []) + refs_b.get((u, b), [])})[:REFS_PER_CELL]
            rows.append({"a": a, "b": b, "count": n_ab, "n_a": n_a, "n_b": n_b, "n_units": total,
                         "lift": lift, "pmi": math.log2(lift) if lift and lift > 0 else float("nan"),
                         "jaccard": n_ab / (n_a + n_b - n_ab),
                         "article_ids": sorted({unit_article[u] for u in both}), "refs": refs})
    columns = ["a", "b", "count", "n_a", "n_b", "n_units", "lift", "pmi", "jaccard", "article_ids", "refs"]
    if not rows:
        return _empty(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["count", "a", "b"], ascending=[False, True, True]) \
        .reset_index(drop=True)


def topic_counts(sc: Scope, unit: str = "article") -> pd.DataFrame:
    """Units tagged with each topic, most first: topic, n_units, share, article_ids, refs."""
    keys = unit_keys(sc, "topic", unit)
    total = n_units(sc, unit)
    columns = ["topic", "n_units", "share", "article_ids", "refs"]
    if keys.empty:
        return _empty(columns)
    rows = []
    for topic, g in keys.groupby("id", sort=True):
        rows.append({"topic": topic, "n_units": g["unit"].nunique(),
                     "share": g["unit"].nunique() / total if total else float("nan"),
                     "article_ids": sorted(set(g["article_id"])),
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
    out = _cooccurrence(keys, keys, n_units(sc, unit), True, min_count)
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


def _article_periods(sc: Scope, period: str) -> dict[str, pd.Period | None]:
    return {aid: place(span, period) for aid, span in sc.article_spans.items()}


def topic_trends(sc: Scope, period: str = "year") -> pd.DataFrame:
    """Articles per period tagged with each topic, zeros kept, with the share of that period's articles.

    Columns: period, period_start, topic, n_articles, share, article_ids.
    attrs['unplaced'] counts articles whose date is missing or too coarse for the period.
    """
    check_period(period)
    periods = _article_periods(sc, period)
    index = period_index(periods.values(), period, sc.start, sc.end)
    per_period = Counter(p for p in periods.values() if p is not None)
    topic_articles: dict[tuple, set] = defaultdict(set)
    topics = sorted(set(sc.mentions_of("topic")["id"]))
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
    out = pd.DataFrame(rows, columns=columns) if rows else _empty(columns)
    out.attrs["unplaced"] = sum(1 for p in periods.values() if p is None)
    return out


def topics_by_pair(sc: Scope, top_pairs: int | None = None) -> pd.DataFrame:
    """Country pair × topic: the articles reporting a pair's meetings that treat the topic.

    Columns: pair, topic, n_articles, article_ids, refs (the topic's sentences in those articles).
    """
    pairs = pair_counts(sc)
    if top_pairs:
        pairs = pairs.head(top_pairs)
    topic_m = sc.mentions_of("topic")
    by_article: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for aid, topic, s in column_rows(topic_m, "article_id", "id", "sentence"):
        by_article[aid][topic].add((aid, int(s)))
    rows = []
    for r in pairs.itertuples():
        per_topic: dict[str, set] = defaultdict(set)
        refs: dict[str, set] = defaultdict(set)
        for aid in sorted(r.article_ids):
            for topic, sentences in by_article.get(aid, {}).items():
                per_topic[topic].add(aid)
                if len(refs[topic]) < REFS_PER_CELL:  # articles in order: these are the first refs
                    refs[topic] |= sentences
        for topic in sorted(per_topic):
            rows.append({"pair": r.pair, "topic": topic, "n_articles": len(per_topic[topic]),
                         "article_ids": sorted(per_topic[topic]), "refs": sorted(refs[topic])[:REFS_PER_CELL]})
    columns = ["pair", "topic", "n_articles", "article_ids", "refs"]
    return pd.DataFrame(rows, columns=columns) if rows else _empty(columns)


# --- forums ------------------------------------------------------------------------------

def forum_counts(sc: Scope) -> pd.DataFrame:
    """Forums by the articles that mention them, most first: forum, n_articles, n_mentions,
    n_sideline_events, article_ids, refs."""
    m = sc.mentions_of("forum")
    sideline = Counter(f for f in sc.event_table["forum"] if f)
    rows = []
    for forum in sorted(set(m["id"]) | set(sideline)):
        g = m.loc[m["id"] == forum]
        rows.append({"forum": forum, "n_articles": g["article_id"].nunique(), "n_mentions": len(g),
                     "n_sideline_events": sideline.get(forum, 0), "article_ids": sorted(set(g["article_id"])),
                     "refs": sorted(set(zip(g["article_id"], (int(s) for s in g["sentence"]))))})
    columns = ["forum", "n_articles", "n_mentions", "n_sideline_events", "article_ids", "refs"]
    if not rows:
        return _empty(columns)
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
    periods = _article_periods(sc, period)
    index = period_index(periods.values(), period, sc.start, sc.end)
    m = sc.mentions_of("forum")
    wanted = list(forums) if forums is not None else sorted(set(m["id"]))
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
    out = pd.DataFrame(rows, columns=columns) if rows else _empty(columns)
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
    return pd.DataFrame(rows, columns=columns) if rows else _empty(columns)


def forum_by_topic(sc: Scope, unit: str = "article", forums: Iterable[str] | None = None,
                   min_count: int = 1) -> pd.DataFrame:
    """Forum × topic: units that carry both, with lift, PMI and Jaccard.

    Columns: forum, topic, count, n_a (units with the forum), n_b (with the topic), n_units,
    lift, pmi, jaccard, article_ids, refs.
    """
    fkeys = unit_keys(sc, "forum", unit)
    if forums is not None:
        fkeys = fkeys.loc[fkeys["id"].isin(list(forums))]
    out = _cooccurrence(fkeys, unit_keys(sc, "topic", unit), n_units(sc, unit), False, min_count)
    return out.rename(columns={"a": "forum", "b": "topic"})


def sideline_meetings(sc: Scope, forums: Iterable[str] | None = None) -> pd.DataFrame:
    """Meetings held on a forum's sidelines: forum, event_id, date, countries, participants,
    mode, status, n_articles, event_ids, article_ids, refs; by forum and date."""
    ev = sc.event_table.loc[sc.event_table["forum"].notna()]
    if forums is not None:
        ev = ev.loc[ev["forum"].isin(list(forums))]
    rows = [{"forum": e.forum, "event_id": e.event_id, "date": _text(e.date), "countries": list(e.countries),
             "participants": list(e.participants), "mode": e.mode, "status": e.status,
             "n_articles": len(e.article_ids), "event_ids": [e.event_id], "article_ids": list(e.article_ids),
             "refs": sc.refs_of([e.event_id])} for e in ev.itertuples()]
    columns = ["forum", "event_id", "date", "countries", "participants", "mode", "status", "n_articles",
               "event_ids", "article_ids", "refs"]
    if not rows:
        return _empty(columns)
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
        out = _empty(columns)
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
                     "n_events": len(idx), "dates": _dates(set(sub["date"])),
                     "sides": sorted(sides.items(), key=lambda kv: (-kv[1], kv[0])),
                     "event_ids": sorted(sub["event_id"]), "article_ids": _union(sub["article_ids"])})
    out = pd.DataFrame(rows, columns=columns)
    out.attrs["undated"] = len(spans) - len(dated)
    return out


# --- the corpus overview ------------------------------------------------------------------

def overview(corpus) -> dict:
    """Counts for the corpus as read: files, statuses, duplicates, languages, dates, tables."""
    a = corpus.articles
    spans = [date_span(p) for p in a["published"]]
    days = sorted(s.first for s in spans if s)
    dup = a["duplicate_of"].astype("object").fillna("").astype(str).str.len() > 0
    return {"files": len(a), "ok": int((a["status"] == "ok").sum()),
            "warnings": int((a["status"] == "warning").sum()), "errors": int((a["status"] == "error").sum()),
            "duplicates": int(dup.sum()), "dated": len(days), "undated": len(a) - len(days),
            "first": days[0].isoformat() if days else None, "last": days[-1].isoformat() if days else None,
            "outlets": int(a["outlet"].dropna().nunique()),
            "languages": dict(Counter(str(x) for x in a["language"].dropna())),
            "sentences": len(corpus.sentences), "mentions": len(corpus.mentions),
            "meetings": len(corpus.meetings), "events": len(corpus.events)}


def status_table(corpus) -> pd.DataFrame:
    """Files by status and message: status, message, n_files, article_ids."""
    a = corpus.articles
    rows = []
    for (status, message), g in a.groupby(["status", a["message"].fillna("")], sort=True):
        rows.append({"status": status, "message": message, "n_files": len(g),
                     "article_ids": sorted(g["article_id"])})
    columns = ["status", "message", "n_files", "article_ids"]
    order = {"error": 0, "warning": 1, "ok": 2}
    if not rows:
        return _empty(columns)
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(by=["status", "n_files"], key=lambda s: s.map(order) if s.name == "status" else -s) \
        .reset_index(drop=True)


def source_counts(corpus) -> pd.DataFrame:
    """Articles per outlet (``(not stated)`` when unknown): outlet, n_articles, first, last, article_ids."""
    a = corpus.articles
    outlets = a["outlet"].astype("object").where(a["outlet"].notna() & (a["outlet"].astype("object") != ""),
                                                 "(not stated)")
    rows = []
    for outlet, g in a.groupby(outlets, sort=True):
        dates = sorted(str(p) for p in g["published"].dropna() if date_span(p))
        rows.append({"outlet": outlet, "n_articles": len(g), "first": dates[0] if dates else None,
                     "last": dates[-1] if dates else None, "article_ids": sorted(g["article_id"])})
    columns = ["outlet", "n_articles", "first", "last", "article_ids"]
    if not rows:
        return _empty(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["n_articles", "outlet"], ascending=[False, True]) \
        .reset_index(drop=True)


def articles_per_period(corpus, period: str = "month", start=None, end=None) -> pd.DataFrame:
    """Articles published per period, zeros kept: period, period_start, n_articles, article_ids."""
    check_period(period)
    a = corpus.articles
    placed = {aid: place(date_span(p), period) for aid, p in column_rows(a, "article_id", "published")}
    index = period_index(placed.values(), period, parse_bound(start) if isinstance(start, str) else start,
                         parse_bound(end, end=True) if isinstance(end, str) else end)
    rows = []
    for p in index:
        ids = sorted(aid for aid, q in placed.items() if q == p)
        rows.append({"period": str(p), "period_start": p.start_time.date(), "n_articles": len(ids),
                     "article_ids": ids})
    columns = ["period", "period_start", "n_articles", "article_ids"]
    out = pd.DataFrame(rows, columns=columns) if rows else _empty(columns)
    out.attrs["unplaced"] = sum(1 for q in placed.values() if q is None)
    return out


def boilerplate_summary(corpus) -> pd.DataFrame:
    """Per article: characters kept in the body and cut as boilerplate, and the share cut."""
    a = corpus.articles
    kept = a["body"].fillna("").str.len()
    cut = a["boilerplate"].fillna("").str.len()
    total = kept + cut
    share = (cut / total.where(total > 0)).fillna(0.0)
    out = pd.DataFrame({"article_id": a["article_id"].to_numpy(), "body_chars": kept.to_numpy(),
                        "boilerplate_chars": cut.to_numpy(), "share_cut": share.to_numpy()})
    return out.sort_values(["boilerplate_chars", "article_id"], ascending=[False, True]).reset_index(drop=True)


def boilerplate_lines(corpus, top: int = 10) -> pd.DataFrame:
    """The lines cut most often, by how many articles they were cut from: line, n_articles, article_ids."""
    seen: dict[str, set] = defaultdict(set)
    for aid, text in column_rows(corpus.articles, "article_id", "boilerplate"):
        for line in str(text or "").split("\n"):
            line = line.strip()
            if line:
                seen[line].add(aid)
    rows = [{"line": line, "n_articles": len(ids), "article_ids": sorted(ids)} for line, ids in seen.items()]
    columns = ["line", "n_articles", "article_ids"]
    if not rows:
        return _empty(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["n_articles", "line"], ascending=[False, True]) \
        .head(top).reset_index(drop=True)


def article_table(corpus) -> pd.DataFrame:
    """One row per file with what was found in it: article_id, title, outlet, published, status,
    n_chars, n_meetings, topics (ids joined by ', ')."""
    a = corpus.articles
    meetings = Counter(corpus.meetings["article_id"])
    topics: dict[str, set] = defaultdict(set)
    tm = corpus.mentions.loc[corpus.mentions["kind"] == "topic"]
    for aid, t in column_rows(tm, "article_id", "id"):
        topics[aid].add(t)
    return pd.DataFrame({
        "article_id": a["article_id"].to_numpy(), "title": a["title"].astype("object").to_numpy(),
        "outlet": a["outlet"].astype("object").to_numpy(), "published": a["published"].astype("object").to_numpy(),
        "status": a["status"].to_numpy(), "n_chars": a["n_chars"].astype("object").to_numpy(),
        "n_meetings": [meetings.get(x, 0) for x in a["article_id"]],
        "topics": [", ".join(sorted(topics.get(x, ()))) for x in a["article_id"]]})


# --- what the numbers say, in words ------------------------------------------------------

Label = Callable[[str, str], str]


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _names(items: list[str], limit: int = 3) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    shown = items[:limit]
    rest = len(items) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def describe_scope(sc: Scope) -> list[str]:
    lines = [f"Scope: {sc.description}: {_plural(len(sc.articles), 'article')}, "
             f"{_plural(len(sc.events), 'event')} ({_plural(len(sc.meetings), 'meeting report')})."]
    lines += [note[0].upper() + note[1:] + "." for note in sc.notes]
    return lines


def describe_periods(counts: pd.DataFrame, what: str = "meetings") -> list[str]:
    """Sentences on an events-per-period frame (from `meetings_per_period`)."""
    period = counts.attrs.get("period", "period")
    total = int(counts["n_events"].sum()) if len(counts) else 0
    lines = []
    if total == 0:
        lines.append(f"No {what} in this period.")
    else:
        busiest = counts.sort_values(["n_events", "period"], ascending=[False, True]).iloc[0]
        empty = int((counts["n_events"] == 0).sum())
        lines.append(f"{_plural(total, 'event')} across {_plural(len(counts), period)} "
                     f"from {counts['period'].iloc[0]} to {counts['period'].iloc[-1]}; "
                     f"the busiest {period} is {busiest['period']} with {_plural(int(busiest['n_events']), 'event')}.")
        if empty:
            lines.append(f"{_plural(empty, period)} had none; they are shown as zero.")
        scheduled = int(counts["n_scheduled"].sum())
        if scheduled:
            lines.append(f"{_plural(scheduled, 'event')} {'was' if scheduled == 1 else 'were'} reported as "
                         "scheduled rather than held.")
    unplaced, undated = counts.attrs.get("unplaced", 0), counts.attrs.get("undated", 0)
    if unplaced:
        lines.append(f"{_plural(unplaced, 'event')} dated less precisely than a {period} "
                     f"{'is' if unplaced == 1 else 'are'} not counted here.")
    if undated:
        lines.append(f"{_plural(undated, 'event')} without a date {'is' if undated == 1 else 'are'} not counted here.")
    return lines


def describe_pairs(pairs: pd.DataFrame, label: Labels) -> list[str]:
    if pairs.empty:
        return ["No meetings between two named sides in this period."]
    top = pairs.iloc[0]
    lines = [f"{_plural(len(pairs), 'pair')} of countries met; {label.pair(top['pair'])} met most often "
             f"({_plural(int(top['n_events']), 'event')}, reported in {_plural(int(top['n_articles']), 'article')})."]
    if len(pairs) > 1:
        second = pairs.iloc[1]
        lines.append(f"Next is {label.pair(second['pair'])} with {_plural(int(second['n_events']), 'event')}.")
    return lines


def describe_modes(modes: pd.DataFrame, label: Labels) -> list[str]:
    if modes.empty:
        return ["No meetings in this period, so no modes to compare."]
    total = int(modes["n_events"].sum())
    parts = [f"{label.mode(r.mode)} {r.n_events}" for r in modes.sort_values("n_events", ascending=False).itertuples()]
    lines = [f"Of {_plural(total, 'event')}: " + ", ".join(parts) + "."]
    unknown = modes.loc[modes["mode"] == UNKNOWN_MODE, "n_events"].sum()
    if unknown:
        lines.append(f"{_plural(int(unknown), 'event')} did not say how the sides met.")
    return lines


def describe_series(summary: pd.DataFrame, label: Labels, top: int = 5) -> list[str]:
    """A sentence for each of the `top` busiest tracks (from `missing_rounds`) and one for the rest,
    so the prose stays short however many series the corpus holds."""
    if summary.empty:
        return ["No meetings of a named series in this period."]
    lines = []
    if len(summary) > top:
        lines.append(f"{_plural(len(summary), 'series track')} (a series between one set of sides); "
                     f"the {top} with the most meetings:")
    for r in summary.head(top).itertuples():
        name = f"{label('series', r.series)} ({label.countries(r.countries)})"
        if not _missing(r.highest):
            text = f"{name}: {_plural(int(r.rounds_seen), 'round')} seen, up to round {int(r.highest)}"
            text += f"; rounds {r.missing_ranges} not in the corpus." if r.missing else "; none missing."
        else:
            text = f"{name}: {_plural(int(r.unnumbered), 'meeting')} without a round number."
        lines.append(text)
    rest = summary.iloc[top:]
    if len(rest):
        with_gaps = int(sum(1 for m in rest["missing"] if len(m)))
        lines.append(f"The other {_plural(len(rest), 'track')} {'has' if len(rest) == 1 else 'have'} "
                     f"{_plural(int(rest['rounds_seen'].sum()), 'round')} "
                     f"seen between them, {with_gaps} with rounds not in the corpus; the events table "
                     "(events.csv, columns series and session) lists every meeting.")
    return lines


def describe_intervals(summary: pd.DataFrame, label: Labels) -> list[str]:
    if summary.empty:
        return ["No pair met twice with dates known to the month, so there are no intervals to show."]
    top = summary.iloc[0]
    lines = [f"{_plural(len(summary), 'pair')} met more than once with known dates; "
             f"{label.pair(top['pair'])} has the most intervals ({int(top['n_intervals'])}), "
             f"a median of {top['median_days']:.0f} days apart."]
    shortest = summary.sort_values("min_days").iloc[0]
    lines.append(f"The shortest gap is {int(shortest['min_days'])} days ({label.pair(shortest['pair'])}).")
    return lines


def describe_topics(counts: pd.DataFrame, pairs: pd.DataFrame, label: Labels, unit: str, measure: str) -> list[str]:
    if counts.empty:
        return ["No topics were found in this period."]
    top = counts.iloc[0]
    lines = [f"{_plural(len(counts), 'topic')} found; {label('topic', top['topic'])} is the most frequent "
             f"({_plural(int(top['n_units']), unit)}, {top['share']:.0%} of all)."]
    if pairs.empty:
        lines.append(f"No two topics share a {unit} often enough to pass the minimum count.")
        return lines
    first = pairs.iloc[0]
    lines.append(f"{label('topic', first['topic_a'])} and {label('topic', first['topic_b'])} appear together "
                 f"most often ({_plural(int(first['count']), unit)}).")
    ranked = pairs.dropna(subset=[measure]).sort_values([measure, "count"], ascending=[False, False])
    if len(ranked):
        best = ranked.iloc[0]
        lines.append(f"By {measure}, the strongest association is {label('topic', best['topic_a'])} with "
                     f"{label('topic', best['topic_b'])} ({measure} {best[measure]:.2f}, "
                     f"{_plural(int(best['count']), unit)}).")
    return lines


def describe_trends(trends: pd.DataFrame, label: Labels) -> list[str]:
    if trends.empty or trends["n_articles"].sum() == 0:
        return ["No dated articles with topics in this period."]
    totals = trends.groupby("topic")["n_articles"].sum().sort_values(ascending=False)
    lines = [f"Across {trends['period'].nunique()} periods, {label('topic', totals.index[0])} appears in the "
             f"most articles ({int(totals.iloc[0])})."]
    last = trends.loc[trends["period"] == trends["period"].iloc[-1]]
    if last["n_articles"].sum():
        lead = last.sort_values("n_articles", ascending=False).iloc[0]
        lines.append(f"In the latest period ({lead['period']}), {label('topic', lead['topic'])} leads with "
                     f"{_plural(int(lead['n_articles']), 'article')}.")
    if trends.attrs.get("unplaced"):
        lines.append(f"{_plural(trends.attrs['unplaced'], 'article')} without a usable date "
                     f"{'is' if trends.attrs['unplaced'] == 1 else 'are'} left out of the trend.")
    return lines


def describe_pair_topics(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No articles reporting meetings carry topics in this period."]
    top = table.sort_values(["n_articles", "pair", "topic"], ascending=[False, True, True]).iloc[0]
    return [f"The most frequent pair–topic combination is {label.pair(top['pair'])} with "
            f"{label('topic', top['topic'])} ({_plural(int(top['n_articles']), 'article')})."]


def describe_forums(counts: pd.DataFrame, label: Labels) -> list[str]:
    if counts.empty:
        return ["No forums are mentioned in this period."]
    top = counts.iloc[0]
    lines = [f"{_plural(len(counts), 'forum')} mentioned; {label('forum', top['forum'])} in the most articles "
             f"({int(top['n_articles'])})."]
    sideline = counts.loc[counts["n_sideline_events"] > 0]
    if len(sideline):
        lines.append("Meetings on the sidelines of " + _names([label('forum', f) for f in sideline["forum"]])
                     + f": {int(sideline['n_sideline_events'].sum())} in all.")
    else:
        lines.append("No meeting in scope was held on a forum's sidelines.")
    return lines


def describe_forum_time(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty or table["n_articles"].sum() == 0:
        return ["No dated articles mention the chosen forums in this period."]
    by_period = table.groupby("period")["n_articles"].sum()
    peak = by_period.idxmax()
    lines = [f"Forum mentions peak in {peak} ({int(by_period.max())} article–forum pairs)."]
    return lines


def describe_forum_country(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No article mentions both a forum and a country in this period."]
    top = table.sort_values(["n_articles", "n_events"], ascending=False).iloc[0]
    return [f"{label('forum', top['forum'])} with {label('country', top['country'])} is the most frequent "
            f"combination ({_plural(int(top['n_articles']), 'article')}, "
            f"{_plural(int(top['n_events']), 'sideline meeting')})."]


def describe_forum_topic(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No forum and topic appear in the same article in this period."]
    top = table.iloc[0]
    return [f"{label('forum', top['forum'])} comes up most with {label('topic', top['topic'])} "
            f"({_plural(int(top['count']), 'article')}, lift {top['lift']:.2f})."]


def describe_sidelines(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No meetings on a forum's sidelines in this period."]
    by_forum = table.groupby("forum").size().sort_values(ascending=False)
    return [f"{_plural(len(table), 'meeting')} on the sidelines of {_plural(len(by_forum), 'forum')}; "
            f"most at {label('forum', by_forum.index[0])} ({int(by_forum.iloc[0])})."]


def describe_overview(info: dict) -> list[str]:
    if not info["files"]:
        return ["The corpus has no files."]
    lines = [f"{_plural(info['files'], 'file')}: {info['ok']} ok, {_plural(info['warnings'], 'warning')}, "
             f"{_plural(info['errors'], 'error')}; {_plural(info['duplicates'], 'duplicate')}."]
    if info["first"]:
        lines.append(f"Publication dates run from {info['first']} to {info['last']}"
                     + (f"; {info['undated']} file(s) have none." if info["undated"] else "."))
    else:
        lines.append("No file has a publication date.")
    lines.append(f"Extraction found {_plural(info['mentions'], 'mention')}, "
                 f"{_plural(info['meetings'], 'meeting report')} and {_plural(info['events'], 'event')}.")
    return lines


def describe_boilerplate(summary: pd.DataFrame, lines_cut: pd.DataFrame) -> list[str]:
    if summary.empty or summary["boilerplate_chars"].sum() == 0:
        return ["No boilerplate was cut from any article."]
    cut = summary.loc[summary["boilerplate_chars"] > 0]
    total = int(summary["boilerplate_chars"].sum())
    kept = int(summary["body_chars"].sum())
    lines = [f"Boilerplate was cut from {_plural(len(cut), 'article')}: {total:,} characters, "
             f"{total / (total + kept):.0%} of the text."]
    if len(lines_cut) and int(lines_cut.iloc[0]["n_articles"]) > 1:
        lines.append(f"The most repeated cut line appears in {int(lines_cut.iloc[0]['n_articles'])} articles.")
    return lines

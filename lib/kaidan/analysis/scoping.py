"""The scope (the corpus cut to a period and a set of countries) and `trace`, which gives the
articles and evidence sentences behind any aggregate row."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable

import pandas as pd

from kaidan.analysis.common import UNKNOWN_MODE, as_list, column_rows, is_missing
from kaidan.analysis.periods import Span, date_span, overlaps, parse_bound, place
from kaidan.run.tables import SENTENCE_COLUMNS


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
    # the corpus's reader of sentence text (article ids → article_id, index, text), for tables
    # read without it; None when `sentences` holds the text
    read_sentences: Callable[[set], pd.DataFrame] | None = None
    # frames derived from the scope that several analyses share (`derived`)
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    def derived(self, name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """A frame computed from the scope once and shared by the analyses that read it (the
        meetings explorer's table feeds the table, the map and the network; a kind's mentions
        feed most counts): not to be changed."""
        if name not in self._derived:
            self._derived[name] = compute()
        return self._derived[name]

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
        for eid, aid, sentences in column_rows(self.meetings, "event_id", "article_id", "sentences"):
            if is_missing(eid):
                continue
            for s in as_list(sentences):
                refs[eid].append((aid, int(s)))
        return dict(refs)

    @cached_property
    def event_table(self) -> pd.DataFrame:
        """One row per event with its date span, sorted sides and article list."""
        rows = []
        # read by name: a column the notebook did not read fails here rather than reading as empty
        names = ["event_id", "date", "countries", "mode", "series", "session", "status", "forum", "participants",
                 "article_ids", "city"]
        for eid, date, countries, mode, series, session, status, forum, participants, article_ids, city in \
                column_rows(self.events, *names):
            span = date_span(date)
            rows.append({
                "event_id": eid, "date": None if is_missing(date) else date,
                "span": span, "first": span.first if span else None,
                "precision": span.precision if span else None,
                "countries": tuple(sorted(set(as_list(countries)))),
                "mode": mode if isinstance(mode, str) and mode else UNKNOWN_MODE,
                "series": series if isinstance(series, str) and series else None,
                "session": None if is_missing(session) else int(session),
                "status": status, "forum": forum if isinstance(forum, str) and forum else None,
                "participants": as_list(participants),
                "article_ids": sorted(set(as_list(article_ids))),
                "city": city if isinstance(city, str) else None,
            })
        columns = ["event_id", "date", "span", "first", "precision", "countries", "mode", "series", "session",
                   "status", "forum", "participants", "article_ids", "city"]
        return pd.DataFrame(rows, columns=columns)

    @cached_property
    def article_spans(self) -> dict[str, Span | None]:
        return {aid: date_span(p) for aid, p in column_rows(self.articles, "article_id", "published")}

    def sentences_of(self, article_ids: set) -> pd.DataFrame:
        """The sentences of those of some articles in scope, with their text: article_id, index, text."""
        article_ids = set(article_ids) & set(self.articles["article_id"].tolist())
        if self.read_sentences is not None:
            return self.read_sentences(article_ids)
        return self.sentences.loc[self.sentences["article_id"].isin(article_ids), SENTENCE_COLUMNS]

    def mentions_of(self, kind: str) -> pd.DataFrame:
        """The mentions of one kind (taken once per kind: a large corpus has millions of mentions)."""
        return self.derived(f"mentions_of:{kind}", lambda: self.mentions.loc[self.mentions["kind"] == kind])

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
    spans = [date_span(d) for d in events["date"].tolist()]
    mask = [overlaps(s, start_day, end_day) for s in spans]
    if start_day or end_day:
        undated = sum(1 for s in spans if s is None)
        if undated:
            notes.append(f"{undated} undated event(s) left out because a date range is set")
    if keep:
        mask = [m and bool(set(as_list(c)) & set(keep)) for m, c in zip(mask, events["countries"].tolist())]
    events = events.loc[pd.Series(mask, index=events.index, dtype=bool)] if len(events) else events
    kept_events = set(events["event_id"].tolist())

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
    a_spans = [date_span(p) for p in articles["published"].tolist()]
    a_mask = pd.Series([overlaps(s, start_day, end_day) for s in a_spans], index=articles.index, dtype=bool)
    if keep:
        country_mentions = corpus.mentions.loc[(corpus.mentions["kind"] == "country")
                                               & corpus.mentions["id"].isin(keep), "article_id"]
        reporting = set()
        for ids in events["article_ids"].tolist():
            reporting.update(as_list(ids))
        a_mask &= articles["article_id"].isin(set(country_mentions) | reporting)
    articles = articles.loc[a_mask]
    kept_articles = set(articles["article_id"].tolist())
    sentences = _kept(corpus.sentences, corpus.sentences["article_id"].isin(kept_articles))
    mentions = _kept(corpus.mentions, corpus.mentions["article_id"].isin(kept_articles))
    return Scope(articles=articles, sentences=sentences, mentions=mentions, meetings=meetings, events=events,
                 all_articles=corpus.articles, start=start_day, end=end_day, countries=keep, notes=notes,
                 source=getattr(corpus, "source", ""), read_sentences=getattr(corpus, "sentences_of", None))


def _kept(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The rows of a frame the mask keeps; the frame itself when it keeps them all (taking
    every row of millions of mentions anew costs seconds and changes nothing)."""
    return frame if mask.all() else frame.loc[mask]


def article_periods(sc: Scope, period: str) -> dict[str, pd.Period | None]:
    """article_id → the period its publication date falls in (None when missing or too coarse)."""
    return {aid: place(span, period) for aid, span in sc.article_spans.items()}


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
    event_ids = set(as_list(cell.get("event_ids")))
    covered: set[tuple[str, int]] = set()
    if event_ids:
        reports = sc.meetings.loc[sc.meetings["event_id"].isin(event_ids)]
        for m in reports.itertuples():
            sentences = as_list(m.sentences)
            rows.append({"article_id": m.article_id, "sentence": int(sentences[0]) if sentences else None,
                         "evidence": m.evidence})
        covered = set(sc.refs_of(event_ids))
    # sentences of other evidence (topic and forum mentions) not already in a meeting's passage
    refs = [r for r in as_list(cell.get("refs")) if tuple(r) not in covered]
    if refs:
        # only the sentences of the articles referred to: a large corpus has millions
        sentences = sc.sentences_of({aid for aid, _ in refs})
        text = {(a, int(i)): t for a, i, t in column_rows(sentences, "article_id", "index", "text")}
        for aid, index in refs:
            rows.append({"article_id": aid, "sentence": int(index), "evidence": text.get((aid, int(index)), "")})
    if not rows:
        for aid in as_list(cell.get("article_ids")):
            rows.append({"article_id": aid, "sentence": None, "evidence": ""})
    info = _article_info(sc, {row["article_id"] for row in rows})
    rows = [{**row, **info[row["article_id"]]} for row in rows]
    out = pd.DataFrame(rows, columns=TRACE_COLUMNS)
    out["sentence"] = out["sentence"].astype("Int64")
    return out.drop_duplicates(["article_id", "sentence", "evidence"]).sort_values(
        ["article_id", "sentence"], na_position="first").reset_index(drop=True)

"""What each notebook reads of the tables: the columns its analyses use, and no others.

On 100,000 articles the tables hold about 1.3 GB, most of it article and sentence text that
only notebook 00 (the boilerplate cut, from the bodies' lengths) and a trace (a few sentences,
read when asked for: `kaidan.run.tables.read_sentences`) ever look at. `open_corpus` reads
`columns_for(notebook, params)`, and cuts an extracted corpus to the same columns, so a notebook
run on the seeds fails at once when it uses a column it does not declare here.
"""
from __future__ import annotations

from kaidan.constants import TABLE_NAMES

Reads = dict[str, tuple[str, ...]]


def merged(*parts: Reads) -> Reads:
    """The union of some reads, every table named (with no columns when no part reads it)."""
    out: dict[str, list[str]] = {name: [] for name in TABLE_NAMES}
    for part in parts:
        for name, columns in part.items():
            out[name] += [c for c in columns if c not in out[name]]
    return {name: tuple(columns) for name, columns in out.items()}


# what every notebook's first cell reads: `open_corpus` and `analysis.scope` (which articles,
# meetings and events are in scope), `provenance` (the corpus hash), `Scope.titles` (the charts'
# hover text) and `describe_scope`
SCOPE: Reads = {
    "articles": ("article_id", "path", "content_hash", "status", "duplicate_of", "published", "title"),
    "sentences": ("article_id",),
    "mentions": ("article_id", "kind", "id"),
    "meetings": ("event_id",),
    "events": ("event_id", "date", "countries", "article_ids"),
}
# `Scope.event_table`: one row per event, what the meeting counts are made of
EVENT_TABLE: Reads = {"events": ("event_id", "date", "countries", "mode", "series", "session", "status", "forum",
                                 "participants", "article_ids", "city")}
# `Scope.event_refs`: the evidence sentences behind an event (an aggregate row's ``refs``)
EVENT_REFS: Reads = {"meetings": ("event_id", "article_id", "sentences")}
# `analysis.trace`: the reports and sentences behind a row, and where each article came from
TRACE: Reads = {"articles": ("article_id", "title", "published", "outlet", "url"),
                "sentences": ("article_id",),
                "meetings": ("event_id", "article_id", "sentences", "evidence")}
# mentions by the sentence they are in (topic and forum counts keep their sentences as refs)
MENTION_SENTENCES: Reads = {"mentions": ("article_id", "kind", "id", "sentence")}

READS: dict[str, Reads] = {
    "00_corpus_overview": merged(SCOPE, {
        "articles": ("outlet", "language", "message", "n_chars", "body", "boilerplate"),
        "meetings": ("article_id",)}),
    "01_meeting_frequency": merged(SCOPE, EVENT_TABLE, EVENT_REFS, TRACE),
    "02_topic_cooccurrence": merged(SCOPE, EVENT_TABLE, EVENT_REFS, TRACE, MENTION_SENTENCES),
    "03_forum_involvement": merged(SCOPE, EVENT_TABLE, EVENT_REFS, TRACE, MENTION_SENTENCES),
    "04_meetings": merged(SCOPE, EVENT_TABLE, EVENT_REFS, {
        "articles": ("title", "published", "outlet", "url"),
        "events": ("host_country", "evidence")}),
}
# what a parameter's value adds: paragraphs are found in the bodies, by the mentions' offsets
WHEN: dict[str, dict[tuple[str, object], Reads]] = {
    "02_topic_cooccurrence": {("unit", "paragraph"): {"articles": ("body",), "mentions": ("start",)}},
}


def columns_for(notebook: str, values: dict) -> Reads | None:
    """The columns `notebook` reads with these parameter values; None (every column) for a
    notebook this module does not know, such as an analyst's own."""
    if notebook not in READS:
        return None
    extra = [reads for (name, value), reads in WHEN.get(notebook, {}).items() if values.get(name) == value]
    return merged(READS[notebook], *extra)

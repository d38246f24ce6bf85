"""The unit of work: one article, read and extracted (or taken from the cache) wherever it lands.

A work item is what the planner (`kaidan.extract.read.plan_corpus`) yields for one article:
a `Planned` file, or one record of a web archive or row of an export (its `part`), with its
article_id and metadata row. Executors only cut the items
into chunks and ship them; `extract_item` alone opens one. Its result is a function of the
item's bytes, its path, article_id, part and metadata row, and the reference data, so it is the
same in this process, in a worker process, on a Dask worker or from the cache. Workers turn
a chunk's results into tables (and CSV rows) themselves, so the process that writes
mostly writes.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kaidan import extract, schemas
from kaidan.extract.read import Planned, cache_identity, item_bytes, row_of
from kaidan.reference import Reference
from kaidan.run.cache import Cache, file_key
from kaidan.run.writer import csv_rows

EXTRACTED = ("sentences", "mentions", "meetings")
# Stands for each meetings row's event_id in its CSV rows while the rows wait for the merge
# into events (a character for private use; should an article's text hold it, the rows are
# made again once the ids are known: `with_event_ids`).
EVENT_ID_MARK = "\ue000"


def rendered(name: str, frame: pd.DataFrame) -> bytes:
    """A table's CSV rows as a worker makes them: the meetings with the mark for their event ids."""
    return csv_rows(name, frame.assign(event_id=EVENT_ID_MARK) if name == "meetings" else frame)


def with_event_ids(csv: bytes, meetings: pd.DataFrame) -> bytes:
    """The CSV rows of meetings, made with `EVENT_ID_MARK` as every event_id, with the ids the
    merge gave put in place of the marks (an id is E and hex digits, written as it is)."""
    parts = csv.split(EVENT_ID_MARK.encode("utf-8"))
    if len(parts) != len(meetings) + 1:  # the mark in the text as well: make the rows again
        return csv_rows("meetings", meetings)
    ids = [event.encode("ascii") if isinstance(event, str) else b"" for event in meetings["event_id"].tolist()]
    return parts[0] + b"".join(event + part for event, part in zip(ids, parts[1:]))


@dataclass
class ArticleResult:
    """One article's articles row (duplicates not yet marked) and its extracted rows."""

    row: dict
    rows: dict[str, list[dict]]
    cached: bool = False


def extract_item(item: Planned, reference: Reference, cache: Cache | None = None) -> ArticleResult:
    """Read and extract one article, or take both from the cache (and store them there). An
    article whose extraction fails is an error row: one article must not end the run."""
    data = item_bytes(item)
    key = None
    if cache is not None and not isinstance(data, str):
        key = file_key(data, item.file.rel, item.article_id, cache_identity(item))
        hit = cache.get(key)
        if hit is not None:
            return ArticleResult(hit[0], hit[1], cached=True)
    row = row_of(item, data)
    # extraction sees the row as the articles table gives it back: every column, None where empty
    article = {column.name: row.get(column.name) for column in schemas.ARTICLES}
    try:
        rows = extract.extract_article(article, reference)
    except Exception as error:  # recorded in the row; the run goes on
        message = f"extraction failed: {type(error).__name__}: {error}"
        row = {**row, "status": "error", "message": "; ".join(m for m in (row.get("message"), message) if m)}
        return ArticleResult(row, {name: [] for name in EXTRACTED})
    if key is not None:
        cache.put(key, row, rows)
    return ArticleResult(row, rows)


@dataclass
class Chunk:
    """Consecutive articles' results as tables: the articles rows (as dicts, so duplicates
    can be marked), one frame per table over all these articles, and the frames rendered
    as CSV rows (the meetings' with `EVENT_ID_MARK` for the ids the merge gives later), or
    no CSV rows when the run writes no files (`load_corpus`)."""

    rows: list[dict]
    cached: list[bool]
    frames: dict[str, pd.DataFrame]
    csv: dict[str, bytes]

    def marked(self, duplicates: set[str]) -> "Chunk":
        """The chunk after its rows were marked: the articles table made again from them, and
        the extracted rows of these duplicates dropped (a duplicate is listed, not counted);
        a table that lost no rows keeps its CSV (a chunk without CSV rows gets none)."""
        frames = {"articles": schemas.from_records("articles", self.rows)}
        for name in EXTRACTED:
            frame = self.frames[name]
            dropped = frame["article_id"].isin(list(duplicates))
            frames[name] = frame[~dropped].reset_index(drop=True) if dropped.any() else frame
        csv = {name: self.csv[name] if frames[name] is self.frames.get(name) else rendered(name, frames[name])
               for name in frames if name in self.csv}
        return Chunk(self.rows, self.cached, frames, csv)


def extract_chunk(items: list[Planned], reference: Reference, cache: Cache | None, render: bool = True) -> Chunk:
    """What an executor runs on each chunk of items, wherever it runs: the items' results as
    tables, and as CSV rows unless `render` is False (nothing will write them)."""
    found = [extract_item(item, reference, cache) for item in items]
    rows = [result.row for result in found]
    frames = {"articles": schemas.from_records("articles", rows)}
    for name in EXTRACTED:
        frames[name] = schemas.from_records(name, [r for result in found for r in result.rows[name]])
    csv = {name: rendered(name, frame) for name, frame in frames.items()} if render else {}
    return Chunk(rows, [result.cached for result in found], frames, csv)

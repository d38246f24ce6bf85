"""Read a folder of news texts into the articles table: one row for every file found.

Nothing disappears: a file that cannot be read is still a row, with status `error` and
a message saying why, and the run goes on. Reading takes the fast path for the usual
case (valid UTF-8) and only then asks charset-normalizer. Each text is split into the
article `body`, which later stages read, and `boilerplate`, the site furniture cut from
it (rankings, recommendations, promos, share prompts, AI disclaimers, author boxes),
kept so the analyst sees what was cut. Title, outlet, author and the dateline are read
from the text; an optional metadata CSV overrides them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kaidan import schemas
from kaidan.extract.read.article import MAX_ANALYSED_CHARS, _refused, _worst, read_article
from kaidan.extract.read.decode import Decoded, decode_bytes
from kaidan.extract.read.files import SUFFIXES, CorpusError, _article_ids, _File, _find_files, file_bytes
from kaidan.extract.read.furniture import Layout, is_prose, layout, split_boilerplate
from kaidan.extract.read.header import Dateline, TextMetadata, find_dateline, text_metadata
from kaidan.extract.read.html import html_to_text, looks_like_html
from kaidan.extract.read.language import detect_language
from kaidan.extract.read.metadata import METADATA_COLUMNS, _apply_metadata, date_from_url, read_metadata

log = logging.getLogger("kaidan")

__all__ = ["CorpusError", "Dateline", "Decoded", "Layout", "MAX_ANALYSED_CHARS", "METADATA_COLUMNS", "Planned",
           "SUFFIXES", "TextMetadata", "articles_table", "date_from_url", "decode_bytes", "detect_language",
           "duplicate_marker", "file_bytes", "find_dateline", "html_to_text", "is_prose", "layout",
           "looks_like_html", "plan_corpus", "read_article", "read_corpus", "read_metadata", "read_one",
           "row_of", "split_boilerplate", "text_metadata"]


def _mark_duplicates(rows: list[dict], first: dict[str, str] | None = None) -> None:
    """Flag every readable file whose normalised text equals an earlier file's (`first` holds
    the earlier files' hashes, for marking a corpus one chunk at a time)."""
    first = {} if first is None else first
    for row in rows:
        digest = row.get("content_hash")
        if row["status"] == "error" or not digest:
            continue
        if digest in first:
            row["duplicate_of"] = first[digest]
            row["status"], row["message"] = _worst([(row["status"], row["message"]),
                                                    ("warning", f"duplicate of {first[digest]}")])
        else:
            first[digest] = row["article_id"]


@dataclass
class Planned:
    """A file of the corpus to read: what `read_one` needs, so workers can read it anywhere."""

    file: _File
    article_id: str
    record: dict | None = None   # the metadata row that overrides the text, if any


def plan_corpus(folder: str | Path, metadata: str | Path | None = None) -> tuple[list[Planned], list[str]]:
    """Every *.txt and *.md under folder, in order, with its article_id and metadata row; and the
    problems found (unlistable folders, metadata rows that match nothing). Reads no file's text."""
    root = Path(folder)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {root}")
    root = root.resolve()
    problems: list[str] = []
    files = _find_files(root, problems)
    rels = [f.rel for f in files]
    records, meta_problems = read_metadata(metadata, rels) if metadata is not None else ({}, [])
    problems += meta_problems
    return [Planned(file, article_id, records.get(file.rel)) for file, article_id in zip(files, _article_ids(rels))], problems


def row_of(item: Planned, data: bytes | str) -> dict:
    """The articles row of one planned file from its bytes (or the reason it has none), before
    duplicates are marked: a pure function of the bytes, the article_id, path and metadata row."""
    read = _refused({}, data) if isinstance(data, str) else read_article(data)
    row = {"article_id": item.article_id, "path": item.file.rel, **read}
    if item.file.note:
        row["status"], row["message"] = _worst([(row["status"], row["message"]), ("warning", item.file.note)])
    if item.record is not None:
        _apply_metadata(row, item.record)
    return row


def read_one(item: Planned) -> dict:
    """The articles row of one planned file, whatever happens to it (duplicates not yet marked)."""
    return row_of(item, file_bytes(item.file))


def duplicate_marker():
    """A function that marks one row after another, in corpus order, as `_mark_duplicates` does:
    for runs that see the rows one chunk at a time."""
    first: dict[str, str] = {}

    def mark(row: dict) -> None:
        _mark_duplicates([row], first)
    return mark


def articles_table(rows: list[dict], problems: list[str]) -> pd.DataFrame:
    """The validated articles table of rows in corpus order, duplicates marked, problems logged."""
    _mark_duplicates(rows)
    for problem in problems:
        log.warning(problem)
    frame = schemas.from_records("articles", rows)
    frame.attrs["problems"] = problems
    return frame


def read_corpus(folder: str | Path, metadata: str | Path | None = None) -> pd.DataFrame:
    """The articles table: one validated row for every *.txt and *.md under folder."""
    items, problems = plan_corpus(folder, metadata)
    return articles_table([read_one(item) for item in items], problems)

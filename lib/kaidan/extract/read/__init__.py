"""Read a folder of news into the articles table: one row for every file, and for every article
a file holds.

Text files (.txt, .md), saved web pages (.html, .htm), web archives (.warc, .warc.gz) and
exports of one article per row (.csv, .jsonl, .ndjson) are read; any other file is a row
saying it is not a format kaidan reads. Nothing disappears: a file or record that cannot be
read is still a row, with status `error` (or `warning`) and a message saying why and where,
and the run goes on. Each text is split into the article `body`, which later stages read,
and `boilerplate`, the site furniture cut from it, kept so the analyst sees what was cut.
Title, outlet, author and date come from the page or the text; an optional metadata CSV
overrides them.

`plan_corpus` lists the work without reading any article: a `Planned` item is a whole file,
or one record or row of a file (`Part`), so the records of one large archive spread over
every core. `item_bytes` reads the bytes an item's row depends on, `row_of` turns them into
the row (a pure function, for the cache), and `read_one` does both.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kaidan import schemas
from kaidan.extract.read.article import MAX_ANALYSED_CHARS, _refused, _worst, read_article
from kaidan.extract.read.decode import Decoded, decode_bytes
from kaidan.extract.read.export import parse_columns, plan_export, read_row
from kaidan.extract.read.files import FORMATS, SUFFIXES, CorpusError, Part, _article_ids, _File, _find_files, \
    _os_reason, file_bytes, file_range
from kaidan.extract.read.furniture import Layout, is_prose, layout, split_boilerplate
from kaidan.extract.read.header import Dateline, TextMetadata, find_dateline, text_metadata
from kaidan.extract.read.html import looks_like_html, read_page
from kaidan.extract.read.language import detect_language
from kaidan.extract.read.metadata import METADATA_COLUMNS, _apply_metadata, date_from_url, read_metadata
from kaidan.extract.read.warc import plan_archive, read_record

log = logging.getLogger("kaidan")

__all__ = ["CorpusError", "Dateline", "Decoded", "FORMATS", "Layout", "MAX_ANALYSED_CHARS", "METADATA_COLUMNS",
           "Part", "Planned", "SUFFIXES", "TextMetadata", "articles_table", "cache_identity", "date_from_url",
           "decode_bytes", "detect_language", "duplicate_marker", "file_bytes", "find_dateline", "is_prose",
           "item_bytes", "layout", "looks_like_html", "parse_columns", "plan_corpus", "read_article",
           "read_corpus", "read_metadata", "read_one", "read_page", "row_of", "split_boilerplate",
           "text_metadata"]
# Files that hold many articles, and how each is planned.
CONTAINERS = ("warc", "csv", "jsonl")


def _mark_duplicates(rows: list[dict], first: dict[str, str] | None = None) -> None:
    """Flag every readable file whose normalised text equals an earlier file's (`first` holds
    the earlier files' hashes, for marking a corpus one chunk at a time). A row already marked
    (a web archive's record with an earlier record's URL) stays as it is."""
    first = {} if first is None else first
    for row in rows:
        digest = row.get("content_hash")
        if row["status"] == "error" or not digest or row.get("duplicate_of"):
            continue
        if digest in first:
            row["duplicate_of"] = first[digest]
            row["status"], row["message"] = _worst([(row["status"], row["message"]),
                                                    ("warning", f"duplicate of {first[digest]}")])
        else:
            first[digest] = row["article_id"]


@dataclass
class Planned:
    """An article of the corpus to read (a file, or one record or row of it): what `read_one`
    needs, so workers can read it anywhere."""

    file: _File
    article_id: str
    record: dict | None = None   # the metadata row that overrides the text, if any
    part: Part | None = None     # where in the file, for a file that holds many articles


def plan_corpus(folder: str | Path, metadata: str | Path | None = None,
                columns: str | dict | None = None) -> tuple[list[Planned], list[str]]:
    """Every file under folder, in order, with its article_id and metadata row, each web archive
    and export followed by its records or rows; and the problems found (unlistable folders,
    metadata rows that match nothing). Reads no article's text: archives and exports are walked
    for where their articles lie. columns: an export's columns (`body=本文,published=日付`)."""
    root = Path(folder)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {root}")
    root = root.resolve()
    given = columns if isinstance(columns, dict) else parse_columns(columns)
    problems: list[str] = []
    skip = frozenset({Path(metadata).resolve()}) if metadata is not None else frozenset()
    files = _find_files(root, problems, skip)
    ids = _article_ids([f.rel for f in files])
    taken, seen = set(ids), {}
    items: list[Planned] = []
    for file, article_id in zip(files, ids):
        items.append(Planned(file, article_id))
        if file.format in CONTAINERS and not file.refusal:
            items[-1].part, parts = _plan_container(file, article_id, given, taken, seen)
            items += [Planned(file, ident, part=part) for ident, part in parts]
    _unique_ids(items)
    if metadata is not None:
        keys = [_metadata_key(item) for item in items]
        records, meta_problems = read_metadata(metadata, [key for key in keys if key])
        problems += meta_problems
        for item, key in zip(items, keys):
            item.record = records.get(key) if key else None
    return items, problems


def _plan_container(file: _File, article_id: str, given: dict, taken: set[str], seen: dict) -> tuple[Part, list]:
    """The file's own row (a summary, or why it cannot be read) and its articles' (id, Part)."""
    try:
        if file.path.stat().st_size == 0:  # said as for a text file, not as a file with no records or columns
            return Part("note", 0, info={"status": "error", "message": "empty file"}), []
        if file.format == "warc":
            plan = plan_archive(file.path, article_id, seen)
        else:
            plan = plan_export(file.path, article_id, file.format, given, taken)
    except OSError as error:
        return Part("note", 0, info={"status": "error", "message": _os_reason(error)}), []
    return Part("note", 0, info={"status": plan.status, "message": plan.message}), plan.parts


def _unique_ids(items: list[Planned]) -> None:
    """Make every article_id unique: a record's or row's id that a file's id or an earlier record
    has (a file named like it) becomes its file's path with the record's or row's number."""
    taken = {item.article_id for item in items if item.part is None or not item.part.number}
    for item in items:
        if item.part is not None and item.part.number:
            if item.article_id in taken:
                item.article_id = f"{item.file.rel}:{item.part.number}"
            taken.add(item.article_id)


def _metadata_key(item: Planned) -> str | None:
    """What a metadata row names to reach an item: a file's path, or FILE:N for a record or row."""
    if item.part is None:
        return item.file.rel
    return f"{item.file.rel}:{item.part.number}" if item.part.kind in ("record", "row") else None


def item_bytes(item: Planned) -> bytes | str:
    """The bytes an item's row is a function of (the file's, or its record's or row's), or the
    reason there are none; a row the planner wrote itself needs none ("")."""
    if item.part is None:
        return file_bytes(item.file)
    if item.part.kind == "note":
        return ""
    return file_range(item.file, item.part.start, item.part.end)


def cache_identity(item: Planned) -> dict | None:
    """Besides the bytes, path and article_id, what an item's row depends on: its metadata row,
    and for a record or row what the planner learnt (the export's header, the record's URL)."""
    if item.part is None:
        return item.record
    part = item.part
    return {"metadata": item.record, "part": [part.kind, part.number, part.start, part.end, part.info]}


def _read_part(item: Planned, data: bytes | str) -> dict:
    """The fields the bytes of an item decide."""
    part = item.part
    if part is not None and part.kind == "note":
        return {"status": part.info["status"], "message": part.info["message"], "text": "", "body": "",
                "boilerplate": ""}
    if isinstance(data, str):
        return _refused({}, data)
    if part is None:
        return read_article(data, page=True if item.file.format == "page" else None)
    return read_record(data, part.info) if part.kind == "record" else read_row(data, part.info)


def row_of(item: Planned, data: bytes | str) -> dict:
    """The articles row of one planned item from its bytes (or the reason it has none), before
    duplicates are marked: a pure function of the bytes, the article_id, path, part and metadata row."""
    row = {"article_id": item.article_id, "path": item.file.rel, **_read_part(item, data)}
    info = item.part.info if item.part is not None else {}
    if info.get("duplicate_of"):
        row["duplicate_of"] = info["duplicate_of"]
        row["status"], row["message"] = _worst([(row["status"], row["message"]), (
            "warning", f"duplicate of {info['duplicate_of']} ({info['duplicate_why']} in the web archive)")])
    if item.file.note:
        row["status"], row["message"] = _worst([(row["status"], row["message"]), ("warning", item.file.note)])
    if item.record is not None:
        _apply_metadata(row, item.record)
    return row


def read_one(item: Planned) -> dict:
    """The articles row of one planned item, whatever happens to it (duplicates not yet marked)."""
    return row_of(item, item_bytes(item))


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


def read_corpus(folder: str | Path, metadata: str | Path | None = None,
                columns: str | dict | None = None) -> pd.DataFrame:
    """The articles table: one validated row for every file under folder, and for every record
    or row of its web archives and exports."""
    items, problems = plan_corpus(folder, metadata, columns)
    return articles_table([read_one(item) for item in items], problems)

"""Exports of one article per row: CSV (a header row naming the columns) and JSON Lines (one
object per line, .jsonl or .ndjson), as news databases and scrapers write them.

Columns are found by their common names (text/body/content, title, date/published, url,
outlet/source/site, author, id), or named by the user (`--columns body=本文,published=日付`).
Planning walks the file once, streaming, and notes where each row's bytes lie, so a row is
read on its own, anywhere. A row that cannot be parsed (a quote never closed, a line that is
not JSON) is a row of its own with its number, and the walk goes on at the next line.
"""
from __future__ import annotations

import codecs
import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from kaidan.extract.dates import parse_date
from kaidan.extract.read.article import _refused, _worst, read_text, with_title
from kaidan.extract.read.decode import decode_bytes
from kaidan.extract.read.files import CorpusError, Part
from kaidan.extract.read.html import has_markup
from kaidan.messages import plural
from kaidan.text import normalize

# The fields an export's columns fill, each with the column names that mean it (any case), in
# the order they are preferred when a file has several.
FIELDS = {
    "body": ("text", "body", "content", "article", "article_text", "full_text", "本文", "記事本文"),
    "title": ("title", "headline", "見出し", "タイトル"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime", "日付", "掲載日",
                  "配信日"),
    "url": ("url", "link", "uri", "source_url"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher", "media", "媒体"),
    "author": ("author", "byline", "著者", "記者"),
    "id": ("id", "article_id", "doc_id", "記事id"),
}
SAMPLE_BYTES = 1 << 20
# Python's csv refuses cells over 131,072 characters by default; an article may be longer.
MAX_CELL = 1 << 26
DELIMITERS = ",\t;"
_FORMAT_NAMES = {"csv": "CSV export", "jsonl": "JSON Lines export"}


def _allow_long_cells() -> None:
    """Let csv read cells of up to MAX_CELL characters (the limit is the process's: only raised)."""
    if csv.field_size_limit() < MAX_CELL:
        csv.field_size_limit(MAX_CELL)


def parse_columns(spec: str | None) -> dict[str, str]:
    """`body=本文,published=日付` → {'body': '本文', 'published': '日付'}; a CorpusError names a bad part."""
    mapping: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in (spec or "").split(","))):
        name, sep, column = part.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not column:
            raise CorpusError(f"--columns: '{part}' is not FIELD=COLUMN")
        if name not in FIELDS:
            raise CorpusError(f"--columns: unknown field '{name}' (fields: {', '.join(FIELDS)})")
        mapping[name] = column
    return mapping


def map_columns(names: list[str], given: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """Which column (as the file spells it) fills each field, and why the file cannot be read if so."""
    by_lower = {}
    for name in names:
        by_lower.setdefault(str(name).strip().lower(), name)
    found: dict[str, str] = {}
    missing = []
    for name, synonyms in FIELDS.items():
        wanted = (given[name],) if name in given else synonyms
        column = next((by_lower[w.strip().lower()] for w in wanted if w.strip().lower() in by_lower), None)
        if column is not None:
            found[name] = column
        elif name in given:
            missing.append(f"no column '{given[name]}' (given with --columns {name}=)")
    if "body" not in found and not missing:
        shown = ", ".join(repr(n) for n in names[:12]) or "none"
        missing.append(f"no column holding the article text (looked for {', '.join(FIELDS['body'])}; its "
                       f"columns: {shown}): name one with --columns body=COLUMN")
    return found, "; ".join(missing) or None


@dataclass
class ExportPlan:
    """The rows of one export as Parts (with their article_ids), and what the file's own row says."""

    parts: list[tuple[str, Part]] = field(default_factory=list)
    status: str = "ok"
    message: str = ""


def _encoding(handle) -> tuple[str | None, int, str | None]:
    """(encoding, offset of the first row, why the file cannot be read) from its first bytes."""
    sample = handle.read(SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8), None
    cut = sample[:sample.rfind(b"\n") + 1] if len(sample) == SAMPLE_BYTES and b"\n" in sample else sample
    decoded = decode_bytes(cut)
    if decoded.text is None:
        return None, 0, decoded.message
    if decoded.encoding and decoded.encoding.startswith(("utf-16", "utf-32")):
        return None, 0, f"{decoded.encoding} text: exports are read in UTF-8 or another byte-based encoding"
    return decoded.encoding or "utf-8", 0, None


class _Lines:
    """The file's lines from an offset, decoded, counting the bytes and lines handed out."""

    def __init__(self, handle, start: int, encoding: str):
        handle.seek(start)
        self.handle, self.encoding = handle, encoding
        self.position, self.lines = start, 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.handle.readline()
        if not line:
            raise StopIteration
        self.position += len(line)
        self.lines += 1
        return line.decode(self.encoding, errors="replace")


def _delimiter(header: str) -> str:
    """The separator a header line uses most (comma, tab or semicolon)."""
    return max(DELIMITERS, key=header.count)


def _csv_rows(handle, start: int, encoding: str, delimiter: str, width: int):
    """(row number, first line, start, end, cells or the reason the row cannot be parsed) for each
    row after the header. A row that cannot be parsed, or that runs over several lines into the
    wrong number of cells (a quote opened and never closed), is skipped one line at a time."""
    line, number = 2, 1
    while True:
        lines = _Lines(handle, start, encoding)
        try:
            cells = next(csv.reader(lines, delimiter=delimiter, strict=True))
            reason = "a quote is opened and never closed" if lines.lines > 1 and len(cells) != width else None
        except StopIteration:
            return
        except csv.Error as error:
            reason = ("a quote is opened and never closed" if lines.lines > 1 or "end of data" in str(error)
                      else str(error))
        number += 1
        if reason:
            handle.seek(start)
            after = start + len(handle.readline())
            yield number, line, start, after, f"cannot be read as CSV: {reason}; reading goes on at line {line + 1}"
            start, line = after, line + 1
            continue
        if any(cell.strip() for cell in cells):
            yield number, line, start, lines.position, cells
        start, line = lines.position, line + lines.lines


def _jsonl_rows(handle, start: int, encoding: str):
    """(line number, line, start, end, object or the reason it is not one) for each non-blank line."""
    handle.seek(start)
    number, position = 0, start
    for raw in iter(handle.readline, b""):
        number += 1
        begin, position = position, position + len(raw)
        text = raw.decode(encoding, errors="replace").strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except ValueError as error:
            yield number, number, begin, position, f"not valid JSON ({error})"
            continue
        if not isinstance(value, dict):
            yield number, number, begin, position, f"a JSON {type(value).__name__}, not an object"
            continue
        yield number, number, begin, position, value


def plan_export(path: Path, file_id: str, kind: str, given: dict[str, str], taken: set[str]) -> ExportPlan:
    """Walk an export: its rows as Parts with their article_ids (the id column's value where it is
    unique in the corpus, else FILE:ROW), and the file's own row. `taken`: article_ids in use."""
    plan = ExportPlan()
    _allow_long_cells()
    with open(path, "rb") as handle:
        encoding, start, why = _encoding(handle)
        if encoding is None:
            plan.status, plan.message = "error", why
            return plan
        if kind == "csv":
            header_line = _Lines(handle, start, encoding)
            header = next(header_line, "")
            delimiter = _delimiter(header)
            names = next(csv.reader([header], delimiter=delimiter), [])
            columns, why = map_columns(names, given)
            rows = _csv_rows(handle, header_line.position, encoding, delimiter, len(names))
        else:
            columns, why, names, delimiter = {}, None, [], ","
            rows = _jsonl_rows(handle, start, encoding)
        if why:
            plan.status, plan.message = "error", f"{_FORMAT_NAMES[kind]}: {why}"
            return plan
        bad = articles = 0
        for number, line, begin, end, found in rows:
            where = f"line {line}" if kind == "jsonl" else f"row {number}" + (f" (line {line})" if line != number else "")
            if isinstance(found, str):
                bad += 1
                info = {"status": "error", "message": f"{where}: {found}"}
                plan.parts.append((f"{file_id}:{number}", Part("note", number, begin, end, info)))
                continue
            articles += 1
            ident = _id_of(found, names, columns, kind, given)
            article_id = ident if ident and ident not in taken else f"{file_id}:{number}"
            taken.add(article_id)
            info = {"format": kind, "encoding": encoding, "where": where, "names": names, "columns": columns,
                    "delimiter": delimiter, "given": given}
            plan.parts.append((article_id, Part("row", number, begin, end, info)))
    mapped = ", ".join(f"{name}={column}" for name, column in columns.items()) if kind == "csv" else ""
    plan.message = (f"{_FORMAT_NAMES[kind]}: {plural(articles, 'article')}"
                    + (f" (columns {mapped})" if mapped else "")
                    + (f"; {plural(bad, 'line' if kind == 'jsonl' else 'row')} that cannot be read (rows of their own)"
                       if bad else ""))
    if not articles:
        plan.status = "warning"
    return plan


def _value(found, names: list[str], column: str | None, kind: str):
    """A cell of a CSV row (by its header name) or a value of a JSON object."""
    if column is None:
        return None
    if kind == "csv":
        index = names.index(column)
        return found[index] if index < len(found) else None
    return found.get(column)


def _id_of(found, names: list[str], columns: dict[str, str], kind: str, given: dict[str, str]) -> str | None:
    """The row's id, from the id column, as text."""
    if kind == "jsonl":
        columns = map_columns(list(found), given)[0]
    value = _value(found, names, columns.get("id"), kind)
    return (str(value).strip() or None) if value is not None else None


def read_row(data: bytes, info: dict) -> dict:
    """The articles fields of one export row, from its bytes as they lie in the file."""
    kind, encoding, where = info["format"], info["encoding"], info["where"]
    _allow_long_cells()
    notes: list[tuple[str, str]] = [("ok", "")]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        notes.append(("warning", f"{where}: invalid {encoding}: undecodable bytes replaced"))
    if kind == "csv":
        found = next(csv.reader(text.splitlines(keepends=True), delimiter=info["delimiter"]), [])
        names, columns = info["names"], info["columns"]
    else:
        found = json.loads(text)
        names, columns = [], map_columns(list(found), info["given"])[0]
    fields = {name: _value(found, names, column, kind) for name, column in columns.items()}
    fields = {name: value if isinstance(value, str) else None if value is None else json.dumps(value, ensure_ascii=False)
              for name, value in fields.items()}
    body = fields.get("body") or ""
    if not body.strip():
        column = columns.get("body")
        return _refused({"encoding": encoding}, f"{where}: no article text"
                        + (f" (column '{column}' is empty)" if column else " (no text field)"))
    markup = has_markup(body)
    title = (fields.get("title") or "").strip()
    row = read_text(body if markup else with_title(normalize(body), normalize(title)), notes, encoding,
                    page=markup, url=fields.get("url"))
    _apply_fields(row, fields, where)
    return row


def _apply_fields(row: dict, fields: dict, where: str) -> None:
    """The export's own title, outlet, author, url and date over what the text says."""
    for name in ("title", "outlet", "author", "url"):
        if fields.get(name) and fields[name].strip():
            row[name] = fields[name].strip()
    published = (fields.get("published") or "").strip()
    if published:
        parsed = parse_date(published)
        if parsed:
            row["published"], row["published_source"] = parsed[0], "export"
        else:
            row["status"], row["message"] = _worst([(row["status"], row["message"]),
                                                    ("warning", f"{where}: date '{published}' is not a date; ignored")])

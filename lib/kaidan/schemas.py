"""The tables kaidan produces, described once.

Each table is a list of `Column`s: name, kind, whether it may be empty, and what it
means. The pandera schemas (made on first use), the empty frames, the CSV export (list cells joined with
``;``, formulas neutralised) and the table reference docs/tables.md (`markdown`) are all
built from this one description, so a column is added or renamed in exactly one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pyarrow

from kaidan.constants import TABLE_NAMES

# kind -> (pandera dtype, pandas dtype for empty frames)
_KINDS = {
    "str": (str, "str"),
    "int": ("Int64", "Int64"),
    "float": (float, "float64"),
    "bool": (bool, "bool"),
    "list": (object, "object"),
}
_DTYPES = {kind: pd.api.types.pandas_dtype(dtype) for kind, (_, dtype) in _KINDS.items()}

STATUSES = ("ok", "warning", "error")
MODES = ("in_person", "phone", "video")
REPORTED_AS = ("main", "background")
MEETING_STATUSES = ("held", "scheduled")
PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    nullable: bool = True
    allowed: tuple[str, ...] | None = None


ARTICLES = (
    Column("article_id", "str", "the file's stem (its relative path where two files share a stem); for a web "
                                "archive's record or an export's row, FILE:N (an export's id column where it has one)",
           False),
    Column("path", "str", "the file's path relative to the corpus folder (for a record or row: the file holding it)",
           False),
    Column("status", "str", "ok, warning or error", False, STATUSES),
    Column("message", "str", "what went wrong or is notable, in words; empty when all is well", False),
    Column("encoding", "str", "the encoding the bytes were read in"),
    Column("language", "str", "ja, or what the text looks like when it is not Japanese: en, zh or unknown"),
    Column("title", "str", "the article's headline"),
    Column("outlet", "str", "the publication or source line"),
    Column("author", "str", "the author where the text names one"),
    Column("published", "str", "publication date, ISO at the precision known"),
    Column("published_source", "str", "where the date came from: metadata (the CSV), page (the web page's own "
                                       "meta tags), export (its date column), dateline or url"),
    Column("url", "str", "the article's address: the page's canonical URL, the archive record's or the export's, "
                          "or the metadata file's"),
    Column("content_hash", "str", "SHA-256 of the normalised text; equal hashes are duplicates"),
    Column("duplicate_of", "str", "the article_id this file duplicates, if any"),
    Column("n_chars", "int", "characters in the normalised text"),
    Column("text", "str", "the whole text as read (Unicode NFC, line ends normalised)", False),
    Column("body", "str", "the article itself, which later stages read", False),
    Column("boilerplate", "str", "site furniture cut from the text (menus, rankings, promos, disclaimers, "
                                 "author boxes): the cut lines, in order", False),
)

SENTENCES = (
    Column("article_id", "str", "the article", False),
    Column("index", "int", "the sentence's number in the body, from 0", False),
    Column("start", "int", "offset of the first character in the body", False),
    Column("end", "int", "offset after the last character in the body", False),
    Column("text", "str", "the sentence as written", False),
)

MENTIONS = (
    Column("article_id", "str", "the article", False),
    Column("sentence", "int", "the sentence index the mention is in", False),
    Column("start", "int", "offset of the mention in the body", False),
    Column("end", "int", "offset after the mention in the body", False),
    Column("kind", "str", "country, person, place, forum, topic, series, treaty or unresolved_person", False),
    Column("id", "str", "the codebook identifier (ISO3, English name, forum or topic id)", False),
    Column("text", "str", "the matched text as written in the article", False),
    Column("resolution", "str", "how the id was found: name, family_name, title, compound, context, expression"),
)

MEETINGS = (
    Column("article_id", "str", "the article reporting the meeting", False),
    Column("meeting_id", "str", "article_id#n, stable for the same text", False),
    Column("date", "str", "ISO date at the precision the text supports; empty when it leaves it open"),
    Column("date_text", "str", "the expression the date came from"),
    Column("date_precision", "str", "day, month or year", True, PRECISIONS),
    Column("date_basis", "str", "how the date was reached, to audit it: the words and the anchor they rest on "
                               "(来月7日 + published 2021-12-15; 同日 → 2024-10-01 (from 1日)); empty without a date"),
    Column("city", "str", "where it took place; empty for phone and video or when unstated"),
    Column("host_country", "str", "ISO3 of where it took place"),
    Column("countries", "list", "ISO3 of every side that took part", False),
    Column("participants", "list", "the named people who took part", False),
    Column("mode", "str", "in_person, phone or video", True, MODES),
    Column("series", "str", "a named recurring mechanism from the codebook"),
    Column("session", "int", "the round number where the text gives it"),
    Column("reported_as", "str", "main or background", False, REPORTED_AS),
    Column("status", "str", "held or scheduled", False, MEETING_STATUSES),
    Column("forum", "str", "the multilateral meeting it was held on the sidelines of"),
    Column("evidence", "str", "the sentences the meeting was read from, as written", False),
    Column("evidence_start", "int", "offset of the first evidence sentence in the body", False),
    Column("evidence_end", "int", "offset after the last evidence sentence in the body", False),
    Column("sentences", "list", "indices of the evidence sentences", False),
    Column("event_id", "str", "the real-world event this report belongs to"),
)

EVENTS = (
    Column("event_id", "str", "stable id of the real-world meeting", False),
    Column("date", "str", "the most precise date the reports agree on"),
    Column("date_precision", "str", "day, month or year", True, PRECISIONS),
    Column("city", "str", "where it took place"),
    Column("host_country", "str", "ISO3 of where it took place"),
    Column("countries", "list", "ISO3 of every side", False),
    Column("participants", "list", "the union of the named participants", False),
    Column("mode", "str", "in_person, phone or video", True, MODES),
    Column("series", "str", "the named recurring mechanism"),
    Column("session", "int", "the round number"),
    Column("status", "str", "held, or scheduled when no report has it held", False, MEETING_STATUSES),
    Column("forum", "str", "the multilateral meeting on whose sidelines it was held"),
    Column("article_ids", "list", "every article that reports it", False),
    Column("meeting_ids", "list", "every meetings row merged into it", False),
    Column("n_articles", "int", "how many articles report it", False),
    Column("evidence", "list", "an evidence passage from each report", False),
)

# each table's name (kaidan.constants, in the same order) and its columns
TABLES: dict[str, tuple[Column, ...]] = dict(zip(TABLE_NAMES, (ARTICLES, SENTENCES, MENTIONS, MEETINGS, EVENTS)))


def _is_list(series: pd.Series) -> pd.Series:
    return series.map(lambda value: isinstance(value, list))


@lru_cache(maxsize=None)
def schema(table: str):
    """The table's pandera schema, made when first asked for: only a frame that breaks a rule,
    or one read from a file, goes through it."""
    import pandera.pandas as pa  # 0.15 s to import, 0.09 s more for its checks: not for a run that keeps the rules

    columns = {}
    for col in TABLES[table]:
        dtype = _KINDS[col.kind][0]
        checks = []
        if col.kind == "list":
            checks.append(pa.Check(_is_list, error=f"{col.name} holds lists"))
        if col.allowed:
            checks.append(pa.Check.isin(col.allowed))
        columns[col.name] = pa.Column(dtype, checks=checks, nullable=col.nullable,
                                      coerce=col.kind != "list", description=col.description)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=table)


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series([], dtype=_KINDS[c.kind][1]) for c in TABLES[table]})


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Check (and coerce) a frame against its table's schema; raises pandera's error naming the
    column. A frame that holds to it already (`_holds`: one joined from validated frames) is
    given back as it is, as pandera would, without pandera's cost."""
    return frame if _holds(table, frame) else schema(table).validate(frame)


def _holds(table: str, frame: pd.DataFrame) -> bool:
    """Whether a frame keeps every rule of its table's schema as it is: the columns in order,
    each in its dtype, list cells lists, and no rule on the values broken (`_breaks`)."""
    columns = TABLES[table]
    if list(frame.columns) != [column.name for column in columns]:
        return False
    for column in columns:
        series = frame[column.name]
        if series.dtype != _DTYPES[column.kind]:
            return False
        if column.kind == "list" and not all(isinstance(value, list) for value in series):
            return False
        if _breaks(column, series):
            return False
    return True


def _column(column: Column, records: list[dict]) -> pd.Series:
    """One column of row dicts in its table's dtype, set once: what coercing to the schema
    would make of it (a list cell that is no list or tuple, as a missing one: empty). Text and
    numbers go through Arrow, several times quicker than pandas' conversion of Python objects;
    a value Arrow will not take as the column's type (a number in a text column) through pandas."""
    values = [record.get(column.name) for record in records]
    if column.kind == "list":
        return pd.Series([list(v) if isinstance(v, (list, tuple)) else [] for v in values], dtype=object)
    try:
        if column.kind == "str":
            return pd.Series(pyarrow.array(values, type=pyarrow.large_string()), dtype="str")
        if column.kind == "int":
            found = pyarrow.array(values, type=pyarrow.int64())
            return pd.Series(pd.arrays.IntegerArray(found.fill_null(0).to_numpy(),
                                                    found.is_null().to_numpy(zero_copy_only=False)))
    except (pyarrow.ArrowTypeError, pyarrow.ArrowInvalid):
        pass
    return pd.Series(values, dtype=_KINDS[column.kind][1])


def _breaks(column: Column, series: pd.Series) -> bool:
    """Whether a column built by `_column` breaks one of its schema's rules that depend on the
    values: a required cell missing, or a value outside those allowed. Every other rule (the
    columns, their order, dtypes, list cells) holds by the way `_column` builds it."""
    missing = series.isna()
    if not column.nullable and missing.any():
        return True
    return bool(column.allowed) and not (series.isin(column.allowed) | missing).all()


def from_records(table: str, records: list[dict]) -> pd.DataFrame:
    """A validated table of row dicts, absent optional fields filled with nulls. Built column
    by column in the schema's dtypes and checked only for the rules the values can break
    (pandera's whole schema costs more than building the frame, chunk after chunk;
    tests/unit/test_schemas.py holds the two to the same verdicts). A frame that breaks a
    rule goes through pandera, whose error names the column and the failing rows."""
    if not records:
        return empty(table)
    columns = {column.name: _column(column, records) for column in TABLES[table]}
    frame = pd.DataFrame(columns)
    if any(_breaks(column, frame[column.name]) for column in TABLES[table]):
        return schema(table).validate(frame)
    return frame


def given(value):
    """A cell's value, or None for pandas' missing markers (NaN, NA, None)."""
    if value is None or isinstance(value, (list, str)):
        return value
    return None if pd.isna(value) else value


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with None for missing cells and Python ints for Int64 ones."""
    rows = frame.to_dict("records")
    for row in rows:
        for key, value in row.items():
            value = given(value)
            row[key] = int(value) if hasattr(value, "dtype") and "int" in str(value.dtype) else value
    return rows


def list_columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table] if c.kind == "list"]


# --- CSV ---------------------------------------------------------------------------------------

LIST_SEPARATOR, LIST_ESCAPE = ";", "\\"
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection"): the
# CSV writer (`kaidan.run.writer.csv_rows`) puts the guard before such a text or list cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def join_list(items) -> str:
    """A list cell as CSV text: the items joined with ';', each ';' or '\\' inside an item
    written '\\;' or '\\\\' so that `split_list` gives the items back."""
    return LIST_SEPARATOR.join(str(item).replace(LIST_ESCAPE, LIST_ESCAPE * 2)
                               .replace(LIST_SEPARATOR, LIST_ESCAPE + LIST_SEPARATOR) for item in items)


def split_list(cell: str) -> list[str]:
    """The items of a list cell `join_list` wrote (an empty cell: no items)."""
    items, current, escaped = [], [], False
    for char in cell or "":
        if escaped:
            current.append(char)
            escaped = False
        elif char == LIST_ESCAPE:
            escaped = True
        elif char == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    if current or items:
        items.append("".join(current))
    return items


# --- the table reference: docs/tables.md, written from the columns above -------------

ROWS = {
    "articles": "one row per file found under the corpus folder (`*.txt`, `*.md`), read or refused with a reason",
    "sentences": "one row per sentence of an article's body",
    "mentions": "one row per name or topic expression found in a body (what it names: `kind`)",
    "meetings": "one row per meeting an article reports",
    "events": "one row per real-world meeting, merged across the articles that report it",
}
KIND_NAMES = {"str": "text", "int": "integer", "float": "number", "bool": "true/false",
              "list": "list (joined with `;` in CSV)"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The table reference as Markdown, the text of docs/tables.md: regenerate it with
    `python -m kaidan.schemas --markdown > docs/tables.md` (a test fails when it is stale)."""
    lines = ["# Tables", "",
             "What `kaidan extract` writes (CSV and Parquet, one file per table) and `kaidan.load_corpus` returns.",
             "Generated from `lib/kaidan/schemas.py` by `python -m kaidan.schemas --markdown > docs/tables.md`;",
             "edit the columns there, not here.", ""]
    for table, columns in TABLES.items():
        lines += [f"## {table}", "", ROWS[table][0].upper() + ROWS[table][1:] + ".", "",
                  "| column | type | may be empty | values | meaning |", "| --- | --- | --- | --- | --- |"]
        for col in columns:
            allowed = ", ".join(f"`{value}`" for value in col.allowed) if col.allowed else ""
            lines.append(f"| `{col.name}` | {KIND_NAMES[col.kind]} | {'yes' if col.nullable else 'no'} | "
                         f"{allowed} | {_cell(col.description)} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--markdown"]:
        print("usage: python -m kaidan.schemas --markdown > docs/tables.md", file=sys.stderr)
        sys.exit(2)
    sys.stdout.write(markdown())

"""Reading back the tables `kaidan extract` (or `Corpus.save`) wrote: only the columns asked for.

A notebook on 100,000 articles that read every column would load about 1.3 GB of article and
sentence text it never shows; `read_tables` reads the columns a caller names (every one when it
names none) straight from the Parquet files, and `read_sentences` the sentences of a few articles
with their text, for tracing evidence. This module imports no extraction code, so a notebook that
reads tables does not pay for it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from kaidan import schemas
from kaidan.constants import TABLE_NAMES

# the columns `read_sentences` gives: what a trace shows of a sentence
SENTENCE_COLUMNS = ["article_id", "index", "text"]


def table_path(folder: str | Path, name: str) -> Path:
    return Path(folder) / f"{name}.parquet"


def _is_list(column: pa.ChunkedArray) -> bool:
    return pa.types.is_list(column.type) or pa.types.is_large_list(column.type)


def _frame(table: pa.Table) -> pd.DataFrame:
    """A table as pandas, list cells as Python lists (an empty list for a missing one), as the
    extraction makes them: converted by Arrow, not one Python call per cell."""
    frame = table.to_pandas()
    for name in table.column_names:
        column = table.column(name)
        if _is_list(column):
            frame[name] = pd.Series([[] if v is None else v for v in column.to_pylist()], index=frame.index,
                                    dtype=object)
    return frame


def _in_file_order(path: Path, wanted: Sequence[str]) -> list[str]:
    """The columns asked for, in the file's order (the schemas' order), each named in the error when
    the file does not have it."""
    present = pq.read_schema(path).names
    missing = [c for c in wanted if c not in present]
    if missing:
        raise KeyError(f"{path}: no column {', '.join(missing)} (tables written by another kaidan version?)")
    return [c for c in present if c in set(wanted)]


def read_table(folder: str | Path, name: str, columns: Sequence[str] | None = None, check: bool = True) -> pd.DataFrame:
    """One table, the given columns only (all when None), checked against its schema unless the
    caller vouches for the bytes (`check=False`)."""
    path = table_path(folder, name)
    chosen = None if columns is None else _in_file_order(path, columns)
    frame = _frame(pq.read_table(path, columns=chosen))
    if check:
        schema = schemas.schema(name)
        frame = (schema if chosen is None else schema.select_columns(chosen)).validate(frame)
    return frame


def read_tables(folder: str | Path, columns: Mapping[str, Sequence[str]] | None = None,
                check: bool = True) -> dict[str, pd.DataFrame]:
    """Every table in `folder`, each cut to `columns[name]` (every column when `columns` is None)."""
    return {name: read_table(folder, name, None if columns is None else columns[name], check)
            for name in TABLE_NAMES}


def read_sentences(folder: str | Path, article_ids: Iterable[str]) -> pd.DataFrame:
    """The sentences of the given articles with their text (article_id, index, text), read from
    the file with a filter, so the text of the others is not turned into Python strings."""
    path, ids = table_path(folder, "sentences"), sorted(set(article_ids))
    if not ids:
        return _frame(pq.read_schema(path).empty_table().select(SENTENCE_COLUMNS))
    return _frame(pq.read_table(path, columns=SENTENCE_COLUMNS, filters=[("article_id", "in", ids)]))

"""Writing the tables: CSV (list cells joined with ';') and Parquet, appended as rows arrive.

`TableWriter` is the one writer: `kaidan extract` streams into it (whatever ran the
extraction: this process, worker processes or a Dask cluster), and `Corpus.save` writes
through it, so the files are the same bytes however they were made. Parquet row groups
hold a fixed number of rows, whatever the batches the rows came in.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kaidan import schemas
from kaidan.constants import TABLE_NAMES
from kaidan.processes import remove_stale

# Parquet row groups hold this many rows (the last one fewer), however the rows arrived.
ROW_GROUP_ROWS = {"articles": 1_000, "sentences": 100_000, "mentions": 200_000, "meetings": 50_000,
                  "events": 50_000}

# A table being written: `.articles.csv.PID.tmp`, put in place when the run ends well.
TEMP_NAME = ".{name}.{pid}.tmp"
STALE_TEMP = re.compile(r"\.(?:%s)\.(?:csv|parquet)\.(?P<pid>\d+)\.tmp" % "|".join(TABLE_NAMES))


def _text(values) -> pa.Array:
    return pa.array(values, type=pa.large_string())


_EMPTY, _COMMA, _QUOTE, _NEWLINE = _text(["", ",", '"', "\n"])
_FORMULA_START = _text(schemas.FORMULA_START)
_GUARD = _text([schemas.FORMULA_GUARD])[0]


def _quoting_pattern() -> str:
    """The characters for which the csv module (what pandas' to_csv writes through) quotes a
    field, as a character class: asked of it, not assumed, so that the bytes are its bytes
    whatever the Python version."""
    def quoted(char: str) -> bool:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(["a" + char])
        return out.getvalue() != f"a{char}\n"
    return "[%s]" % "".join(f"\\x{ord(char):02x}" for char in ',"\r\n' if quoted(char))


_QUOTED_IF = _quoting_pattern()


def _neutralised(cells: pa.Array) -> pa.Array:
    """Text cells that a spreadsheet would run as a formula, with an apostrophe put before them."""
    risky = pc.is_in(pc.utf8_slice_codeunits(cells, 0, 1), value_set=_FORMULA_START)
    if not pc.any(risky).as_py():
        return cells
    return pc.if_else(risky, pc.binary_join_element_wise(_GUARD, cells, _EMPTY), cells)


def _cells(column: schemas.Column, series: pd.Series) -> pa.Array:
    """One column's cells as CSV text, unquoted: list cells joined by `schemas.join_list`, text
    that would start a formula neutralised (`schemas.FORMULA_START`), missing cells empty.
    Parquet keeps the exact values."""
    if column.kind == "list":
        cells = _neutralised(_text([schemas.join_list(items) for items in series.tolist()]))
    elif column.kind == "str":
        cells = _neutralised(_text(series))
    else:  # an int column (the tables have no other kind): digits, as Python writes them
        cells = pc.cast(pa.array(series), pa.large_string())
    cells = pc.fill_null(cells, _EMPTY)
    quoted = pc.match_substring_regex(cells, _QUOTED_IF)
    if not pc.any(quoted).as_py():
        return cells
    doubled = pc.replace_substring(cells, '"', '""')
    return pc.if_else(quoted, pc.binary_join_element_wise(_QUOTE, doubled, _QUOTE, _EMPTY), cells)


def csv_rows(name: str, frame: pd.DataFrame) -> bytes:
    """A frame's rows as CSV, no header: what `TableWriter` writes for them (a worker can
    render them, so the process that writes mostly writes). The bytes pandas' to_csv writes
    through the csv module, each cell rendered and quoted column by column in Arrow."""
    if not len(frame):
        return b""
    columns = [_cells(column, frame[column.name]) for column in schemas.TABLES[name]]
    lines = pc.binary_join_element_wise(*columns, _COMMA)
    if isinstance(lines, pa.ChunkedArray):  # columns of frames joined or filtered come in pieces
        lines = lines.combine_chunks()
    text = pc.binary_join(pa.ListArray.from_arrays([0, len(lines)], lines), _NEWLINE)[0]
    return text.as_buffer().to_pybytes() + b"\n"


@lru_cache(maxsize=None)
def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema a table is written with: fixed, whatever a batch's values are, and
    with pandas' metadata so the columns read back with their dtypes (Int64, str, lists)."""
    prototype = {}
    for column in schemas.TABLES[name]:
        if column.kind == "list":
            prototype[column.name] = [0] if column.name == "sentences" else ["x"]
        elif column.kind == "int":
            prototype[column.name] = 0
        else:
            prototype[column.name] = column.allowed[0] if column.allowed else "x"
    return pa.Schema.from_pandas(schemas.from_records(name, [prototype]), preserve_index=False)


class TableWriter:
    """Writes the tables into a folder as CSV and Parquet, appending frames as they come.
    Files are written beside the old ones and put in place by `close`, so a run that fails
    leaves the previous tables whole."""

    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out, STALE_TEMP)  # what a killed run was writing
        self.names = TABLE_NAMES
        self._csv: dict = {}
        self._parquet: dict = {}
        self._buffer: dict[str, list] = {name: [] for name in self.names}
        self._buffered: dict[str, int] = {name: 0 for name in self.names}
        self._temp: dict[str, Path] = {}
        self._started = set()

    def _tmp(self, final: Path) -> Path:
        temp = final.with_name(TEMP_NAME.format(name=final.name, pid=os.getpid()))
        self._temp[str(final)] = temp
        return temp

    def append(self, name: str, frame: pd.DataFrame, csv: bytes | None = None) -> None:
        """Add rows (a frame of the table's columns, validated) to a table; csv: the frame's
        rows already rendered by `csv_rows`, when a worker did that."""
        if name not in self._started:
            self._started.add(name)
            self._csv[name] = open(self._tmp(self.out / f"{name}.csv"), "wb")
            self._csv[name].write((",".join(c.name for c in schemas.TABLES[name]) + "\n").encode("utf-8"))
            self._parquet[name] = pq.ParquetWriter(self._tmp(self.out / f"{name}.parquet"), arrow_schema(name))
        self._csv[name].write(csv_rows(name, frame) if csv is None else csv)
        if len(frame):
            table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
            self._buffer[name].append(table)
            self._buffered[name] += len(table)
            self._flush(name, final=False)

    def _flush(self, name: str, final: bool) -> None:
        size = ROW_GROUP_ROWS[name]
        if not self._buffer[name] or (self._buffered[name] < size and not final):
            return
        table = pa.concat_tables(self._buffer[name]).combine_chunks()
        start = 0
        while len(table) - start >= size or (final and start < len(table)):
            group = table.slice(start, size)
            self._parquet[name].write_table(group, row_group_size=size)
            start += len(group)
        rest = table.slice(start)
        self._buffer[name] = [rest] if len(rest) else []
        self._buffered[name] = len(rest)

    def finish(self, name: str) -> None:
        """Write a table's last rows and close its files (`close` puts them in place)."""
        if name not in self._started:
            self.append(name, schemas.empty(name))
        if name in self._parquet:
            self._flush(name, final=True)
            self._parquet.pop(name).close()
            self._csv.pop(name).close()

    def close(self) -> list[Path]:
        """Finish every table and put the files in place; returns their paths."""
        written = []
        for name in self.names:
            self.finish(name)
        for name in self.names:
            for suffix in (".csv", ".parquet"):
                final = self.out / f"{name}{suffix}"
                if final.is_dir():  # a partitioned table, as `--dask` wrote before it wrote single files
                    shutil.rmtree(final)
                os.replace(self._temp.pop(str(final)), final)
                written.append(final)
        return written

    def abort(self) -> None:
        """Drop what was written; the previous tables stay."""
        for handle in list(self._csv.values()):
            handle.close()
        for writer in list(self._parquet.values()):
            try:
                writer.close()
            except Exception:  # noqa: BLE001  (closing a half-written file)
                pass
        for temp in self._temp.values():
            try:
                temp.unlink()
            except OSError:
                pass

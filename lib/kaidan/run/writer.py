"""Writing the tables: CSV (list cells joined with ';') and Parquet, appended as rows arrive.

`TableWriter` is the one writer: `kaidan extract` streams into it (whatever ran the
extraction: this process, worker processes or a Dask cluster), and `Corpus.save` writes
through it, so the files are the same bytes however they were made. Parquet row groups
hold a fixed number of rows, whatever the batches the rows came in.
"""
from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
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


def csv_rows(name: str, frame: pd.DataFrame) -> str:
    """A frame's rows as CSV, no header: what `TableWriter` writes for them (a worker can
    render them, so the process that writes mostly writes)."""
    if not len(frame):
        return ""
    return schemas.to_csv_frame(name, frame).to_csv(index=False, header=False, lineterminator="\n")


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

    def append(self, name: str, frame: pd.DataFrame, csv: str | None = None) -> None:
        """Add rows (a frame of the table's columns, validated) to a table; csv: the frame's
        rows already rendered by `csv_rows`, when a worker did that."""
        if name not in self._started:
            self._started.add(name)
            self._csv[name] = open(self._tmp(self.out / f"{name}.csv"), "w", encoding="utf-8", newline="")
            self._csv[name].write(",".join(c.name for c in schemas.TABLES[name]) + "\n")
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

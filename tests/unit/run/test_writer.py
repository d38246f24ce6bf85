"""CSV rows rendered in Arrow are the bytes pandas' to_csv writes through the csv module: quoted
where the csv module quotes, formulas guarded, list cells joined, missing cells empty."""
from __future__ import annotations

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.run.writer import csv_rows

MEETING = {"article_id": "a", "meeting_id": "a#1", "countries": ["JPN", "CHN"], "participants": ["岩屋毅"],
           "reported_as": "main", "status": "held", "evidence": "外相が会談した。", "evidence_start": 0,
           "evidence_end": 8, "sentences": [0]}

# text cells the csv module quotes, or a spreadsheet would run, or that are plainly text
TEXTS = ["会談した。", "", "a,b", 'say "yes"', "two\nlines", "cr\rhere", "crlf\r\n", "=1+1", "+cmd", "-x", "@a",
         "\tTab", "\rstart", "'already", " spaced ", ";", "a\\b", "日本、中国", "=\"a,b\"\n"]
# list cells: separators and escapes inside items, items that start a formula, no items
LISTS = [[], ["JPN"], ["a;b", "c"], ["x\\y"], ["=SUM(A1)", "b"], ["a,b", 'q"q'], ["two\nlines"], [""]]


def pandas_rows(table: str, frame: pd.DataFrame) -> bytes:
    """What pandas' to_csv writes for the frame's cells: list cells joined, text starting a formula guarded."""
    out = frame.copy()
    for column in schemas.TABLES[table]:
        if column.kind in ("str", "list"):
            cells = out[column.name].map(schemas.join_list) if column.kind == "list" else out[column.name]
            guard = cells.map(lambda text: isinstance(text, str) and text[:1] in schemas.FORMULA_START)
            out[column.name] = cells.where(~guard, schemas.FORMULA_GUARD + cells.astype(object).where(guard, ""))
    return out.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8")


CASES = [
    ("sentences", [{"article_id": text or "x", "index": n, "start": -n, "end": n, "text": text}
                   for n, text in enumerate(TEXTS)]),
    ("mentions", [{"article_id": "a", "sentence": 0, "start": 0, "end": 2, "kind": "country", "id": "JPN",
                   "text": text, "resolution": None if n % 2 else text} for n, text in enumerate(TEXTS)]),
    ("meetings", [{**MEETING, "participants": items, "countries": items, "date": None if n % 2 else "2024-01",
                   "session": None if n % 3 else n} for n, items in enumerate(LISTS)]),
    ("meetings", [MEETING]),
]


@pytest.mark.parametrize("table, rows", CASES)
def test_rows_are_the_bytes_pandas_writes(table, rows):
    frame = schemas.from_records(table, rows)
    assert csv_rows(table, frame) == pandas_rows(table, frame)


def test_rows_of_joined_and_filtered_frames_are_those_of_the_whole():
    """Frames joined or filtered hold their columns in pieces: the rows are the same."""
    table, rows = CASES[0]
    frame = schemas.from_records(table, rows)
    joined = pd.concat([frame.iloc[:5], frame.iloc[5:]], ignore_index=True)
    kept = joined[joined["index"] % 3 != 0].reset_index(drop=True)
    assert csv_rows(table, joined) == csv_rows(table, frame)
    assert csv_rows(table, kept) == pandas_rows(table, kept)


def test_no_rows_are_no_bytes():
    assert csv_rows("events", schemas.empty("events")) == b""


def test_every_column_is_of_a_kind_the_csv_renders():
    """The renderer knows text, integer and list cells; another kind must be taught to it."""
    assert {column.kind for columns in schemas.TABLES.values() for column in columns} == {"str", "int", "list"}

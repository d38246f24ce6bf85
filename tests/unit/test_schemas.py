"""Tables built from rows: the frames `from_records` makes are the ones pandera's schema makes,
and it refuses what the schema refuses."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from kaidan import schemas

MEETING = {"article_id": "a", "meeting_id": "a#1", "date": "2024-11-19", "date_precision": "day",
           "countries": ["JPN", "CHN"], "participants": ("岩屋毅",), "mode": "in_person", "session": 3,
           "reported_as": "main", "status": "held", "evidence": "外相が会談した。", "evidence_start": 0,
           "evidence_end": 8, "sentences": [0]}
ARTICLE = {"article_id": "a", "path": "a.txt", "status": "ok", "message": "", "n_chars": 12,
           "text": "本文", "body": "本文", "boilerplate": ""}

# (table, rows): rows of every kind of cell, absent optional fields, and nulls where allowed
GOOD = [
    ("meetings", [MEETING]),
    ("meetings", [MEETING, {**MEETING, "meeting_id": "a#2", "date": None, "date_precision": None, "mode": None,
                            "session": None, "countries": None, "sentences": (1, 2), "status": "scheduled"}]),
    ("articles", [ARTICLE, {**ARTICLE, "article_id": "b", "status": "error", "n_chars": None, "language": "en"}]),
    ("sentences", [{"article_id": "a", "index": 0, "start": 0, "end": 5, "text": "会談した。"}]),
    ("mentions", [{"article_id": "a", "sentence": 0, "start": 0, "end": 2, "kind": "country", "id": "JPN",
                   "text": "日本"}]),
    ("events", [{"event_id": "e1", "countries": ["JPN"], "participants": [], "status": "held", "article_ids": ["a"],
                 "meeting_ids": ["a#1"], "n_articles": 1, "evidence": ["会談した。"]}]),
]

# (table, rows, the column at fault): a required cell missing, or a value not allowed
BAD = [
    ("meetings", [MEETING, {**MEETING, "evidence": None}], "evidence"),
    ("meetings", [{**MEETING, "mode": "letter"}], "mode"),
    ("meetings", [{**MEETING, "status": None}], "status"),
    ("articles", [{**ARTICLE, "status": "fine"}], "status"),
    ("sentences", [{"article_id": "a", "index": None, "start": 0, "end": 5, "text": "会談した。"}], "index"),
]


@pytest.mark.parametrize("table, rows", GOOD)
def test_a_table_from_rows_is_what_the_schema_makes_of_it(table, rows):
    frame = schemas.from_records(table, rows)
    validated = schemas.validate(table, frame.copy())
    pd.testing.assert_frame_equal(frame, validated)
    assert frame.dtypes.equals(schemas.empty(table).dtypes)
    assert list(frame.columns) == [column.name for column in schemas.TABLES[table]]


@pytest.mark.parametrize("table, rows, column", BAD)
def test_rows_that_break_a_rule_are_refused_naming_the_column(table, rows, column):
    with pytest.raises(pa.errors.SchemaError, match=column):
        schemas.from_records(table, rows)


def test_list_cells_are_lists_whatever_they_came_as():
    frame = schemas.from_records("meetings", GOOD[1][1])
    assert frame["participants"].tolist() == [["岩屋毅"], ["岩屋毅"]]
    assert frame["countries"].tolist() == [["JPN", "CHN"], []]
    assert frame["sentences"].tolist() == [[0], [1, 2]]


def test_the_schema_holds_only_the_checks_from_records_knows():
    """from_records checks nulls and allowed values itself and builds the rest; a new kind of
    check in the schema must be taught to it too."""
    for table, columns in schemas.TABLES.items():
        for column in columns:
            checks = {check.name for check in schemas.schema(table).columns[column.name].checks}
            expected = ({"_is_list"} if column.kind == "list" else set()) | ({"isin"} if column.allowed else set())
            assert checks == expected, (table, column.name)


# rows whose cells Arrow takes (text, numbers, missing) and some it refuses (a number in a text
# column, NaN, a float in an integer column): each column must come out as pandas makes it
MIXED = [
    ("articles", [ARTICLE, {**ARTICLE, "article_id": "b", "title": 2024, "author": float("nan"), "n_chars": 12.0}]),
    ("articles", [{**ARTICLE, "n_chars": None, "url": None}, {**ARTICLE, "n_chars": 3}]),
    ("sentences", [{"article_id": "a", "index": n, "start": n, "end": n + 1, "text": "。" * n} for n in range(4)]),
    ("meetings", [MEETING, {**MEETING, "session": None, "date": None}, {**MEETING, "session": 2.0}]),
]


@pytest.mark.parametrize("table, rows", MIXED)
def test_each_column_is_what_pandas_makes_of_its_cells(table, rows):
    frame = schemas.from_records(table, rows)
    for column in schemas.TABLES[table]:
        if column.kind != "list":
            want = pd.Series([row.get(column.name) for row in rows], dtype=schemas._KINDS[column.kind][1],
                             name=column.name)
            pd.testing.assert_series_equal(frame[column.name], want)


@pytest.mark.parametrize("table, rows", GOOD)
def test_a_frame_joined_from_valid_ones_is_valid_as_it_is(table, rows):
    frame = schemas.from_records(table, rows)
    joined = pd.concat([frame, frame], ignore_index=True)
    assert schemas.validate(table, joined) is joined


# a valid frame, changed so that the schema must refuse it or coerce it: (table, change, refused)
CHANGED = [
    ("meetings", lambda f: f.assign(mode="letter"), True),
    ("meetings", lambda f: f.assign(countries="JPN"), True),
    ("meetings", lambda f: f.assign(evidence=None), True),
    ("meetings", lambda f: f[f.columns[::-1]], True),
    ("meetings", lambda f: f.assign(extra=1), True),
    ("meetings", lambda f: f.assign(session=f["session"].astype("float64")), False),
    ("sentences", lambda f: f.assign(text=f["text"].astype(object)), False),
]


@pytest.mark.parametrize("table, change, refused", CHANGED)
def test_a_frame_that_breaks_a_rule_goes_through_pandera(table, change, refused):
    frame = change(schemas.from_records(table, dict(GOOD)[table]))
    if refused:
        with pytest.raises((pa.errors.SchemaError, pa.errors.SchemaErrors)):
            schemas.validate(table, frame)
    else:
        coerced = schemas.validate(table, frame)
        assert coerced.dtypes.equals(schemas.empty(table).dtypes)

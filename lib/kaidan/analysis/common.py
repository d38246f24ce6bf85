"""What every analysis shares: the pair separator, the unknown mode, the evidence cap, and
small readers of table cells (missing values, list cells) and empty frames with columns."""
from __future__ import annotations

import math
from typing import Iterable

import pandas as pd


UNKNOWN_MODE = "unknown"
PAIR_SEP = "–"  # en dash between the two sides of a pair
# evidence sentences kept per topic pair or pair × topic cell (those of the first units or
# articles, in sorted order): a trace shows a handful, and a corpus of 100k articles would
# otherwise carry tens of thousands per cell (counts and article_ids stay complete)
REFS_PER_CELL = 200


def column_rows(frame: pd.DataFrame, *names: str):
    """Rows of some columns as tuples, like zip(frame[a], frame[b]) but from Python lists:
    pandas' Arrow-backed strings are slow to iterate one value at a time."""
    return zip(*(frame[name].tolist() for name in names))


def is_missing(value) -> bool:
    """None, NA, NaT or NaN: a cell with nothing in it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_list(value) -> list:
    """A list cell (list, tuple, array or missing) as a Python list."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if is_missing(value):
        return []
    if hasattr(value, "tolist"):
        return list(value.tolist())
    return [value]


def sorted_dates(values) -> list[str]:
    return sorted(v for v in values if isinstance(v, str) and v)


def nonempty_text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def union(lists: Iterable[Iterable]) -> list:
    out = set()
    for items in lists:
        out.update(items)
    return sorted(out)


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="object") for c in columns})

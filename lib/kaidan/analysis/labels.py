"""Display names for ids (countries, forums, topics, series, places, people) in English or Japanese."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from kaidan.analysis.common import PAIR_SEP, UNKNOWN_MODE, is_missing
from kaidan.reference import load_reference


def _first_text(*values) -> str | None:
    for value in values:
        if isinstance(value, str) and value:
            return value
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
            return value[0]
    return None


def label_names(reference) -> dict[str, dict[str, dict[str, str]]]:
    """Every display name the reference knows: kind → id → {"en": ..., "ja": ...}.

    Small and JSON-ready, so a report run writes it once beside the tables and each
    notebook reads it instead of loading every gazetteer again.
    """
    names: dict[str, dict[str, dict[str, str]]] = {}
    for kind, table in (("country", reference.countries), ("forum", reference.forums), ("topic", reference.topics),
                        ("series", reference.series), ("place", reference.places)):
        entries = {}
        for row in table.to_dict("records"):
            ident = row["id"]
            en = _first_text(row.get("name_en")) or (ident if kind != "series" else ident.replace("_", " "))
            ja = _first_text(row.get("name_ja"), row.get("names_ja")) or en
            entries[ident] = {"en": en, "ja": ja}
        names[kind] = entries
    names["person"] = {pid: {"en": pid, "ja": _first_text(list(p.names_ja)) or pid}
                       for pid, p in reference.people.items()}
    return names


class Labels:
    """Display names for ids in English or Japanese, from the gazetteers.

    `names` is what `label_names` returns (``kaidan report`` writes it beside the tables as
    labels.json); without it the reference is loaded on first use. Falls back to the id
    itself when the reference cannot be loaded or lacks the id, so a chart never fails for
    want of a label.
    """

    def __init__(self, lang: str = "en", names: dict | None = None):
        if lang not in ("en", "ja"):
            raise ValueError(f"lang {lang!r} is not 'en' or 'ja'")
        self.lang = lang
        self._names = names
        self.problem: str | None = None

    @classmethod
    def from_file(cls, path, lang: str = "en") -> "Labels":
        return cls(lang, json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def names(self) -> dict:
        if self._names is None:
            try:
                self._names = label_names(load_reference())
            except Exception as error:  # noqa: BLE001 labels are a convenience: ids still work
                self.problem = f"labels fall back to ids: {error}"
                self._names = {}
        return self._names

    def __call__(self, kind: str, ident) -> str:
        if is_missing(ident) or ident == "":
            return ""
        ident = str(ident)
        entry = self.names.get(kind, {}).get(ident)
        return entry.get(self.lang) or ident if entry else ident

    def pair(self, pair: str) -> str:
        return PAIR_SEP.join(self("country", c) for c in pair.split(PAIR_SEP))

    def countries(self, ids: Iterable[str]) -> str:
        return PAIR_SEP.join(self("country", c) for c in ids)

    def frame(self, frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
        """A copy of `frame` with the named columns' ids replaced by labels (kind ``pair``,
        ``countries`` and ``mode`` too)."""
        out = frame.copy()
        for column, kind in kinds.items():
            if column not in out.columns:
                continue
            if kind == "pair":
                out[column] = [self.pair(v) for v in out[column]]
            elif kind == "countries":
                out[column] = [self.countries(v) for v in out[column]]
            elif kind == "mode":
                out[column] = [self.mode(v) for v in out[column]]
            else:
                out[column] = [self(kind, v) for v in out[column]]
        return out

    def mode(self, mode: str) -> str:
        names = {"en": {"in_person": "in person", "phone": "phone", "video": "video", UNKNOWN_MODE: "not stated"},
                 "ja": {"in_person": "対面", "phone": "電話", "video": "ビデオ", UNKNOWN_MODE: "不明"}}
        return names[self.lang].get(mode, mode)

"""Assemble the stages into the corpus tables, and write or read them as CSV and Parquet.

`load_corpus` is what analysts and notebooks call; `extract_article` is the pure
per-file step (bytes and reference data in, rows out) that the cache and parallel or
distributed runs build on.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kaidan import schemas
from kaidan.events import merge_events
from kaidan.meetings import find_meetings
from kaidan.mentions import find_mentions
from kaidan.read import read_corpus
from kaidan.reference import Reference, load_reference
from kaidan.sentences import split_sentences

TABLE_NAMES = ("articles", "sentences", "mentions", "meetings", "events")


def extract_article(article: dict, reference: Reference) -> dict[str, list[dict]]:
    """Sentences, mentions and meetings of one article: a pure function of its row."""
    if article["status"] == "error" or not article["body"] or schemas.given(article.get("language")) not in ("ja", None):
        return {"sentences": [], "mentions": [], "meetings": []}
    body = article["body"]
    spans = split_sentences(body)
    sentences = [{"article_id": article["article_id"], "index": i, "start": s, "end": e,
                  "text": body[s:e]} for i, (s, e) in enumerate(spans)]
    mentions = find_mentions(article, sentences, reference)
    meetings = find_meetings(article, sentences, mentions, reference)
    return {"sentences": sentences, "mentions": mentions, "meetings": meetings}


@dataclass
class Corpus:
    """The five tables of one corpus, each a pandera-checked DataFrame."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    meetings: pd.DataFrame
    events: pd.DataFrame
    source: str = ""
    problems: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def save(self, out_dir: str | Path) -> list[Path]:
        """Write every table as CSV (list cells joined with ';') and Parquet; returns the paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in self.tables().items():
            csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
            schemas.to_csv_frame(name, frame).to_csv(csv_path, index=False, encoding="utf-8",
                                                     lineterminator="\n")
            frame.to_parquet(parquet_path, index=False)
            written += [csv_path, parquet_path]
        return written

    @classmethod
    def from_folder(cls, folder: str | Path) -> "Corpus":
        """Read tables written by `save` (Parquet keeps the lists)."""
        folder = Path(folder)
        frames = {}
        for name in TABLE_NAMES:
            frame = pd.read_parquet(folder / f"{name}.parquet")
            for col in schemas.list_columns(name):
                frame[col] = frame[col].map(lambda v: [] if v is None else list(v))
            frames[name] = schemas.validate(name, frame)
        return cls(**frames, source=str(folder))

    def summary(self) -> dict[str, int]:
        counts = self.articles["status"].value_counts()
        return {"files": len(self.articles), "ok": int(counts.get("ok", 0)),
                "warnings": int(counts.get("warning", 0)), "errors": int(counts.get("error", 0)),
                "mentions": len(self.mentions), "meetings": len(self.meetings), "events": len(self.events)}

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in self.summary().items())
        return f"<kaidan.Corpus {self.source!r}: {parts}>"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in self.summary().items())
        return f"<b>kaidan corpus</b> <code>{html.escape(self.source)}</code><table>{rows}</table>"


def build_corpus(articles: pd.DataFrame, rows: dict[str, list[dict]], source: str = "",
                 reference: Reference | None = None) -> Corpus:
    """Validate the per-article rows and merge meetings into events."""
    reference = reference or load_reference()
    sentences = schemas.from_records("sentences", rows["sentences"])
    mentions = schemas.from_records("mentions", rows["mentions"])
    meetings = schemas.from_records("meetings", rows["meetings"])
    events, meetings = merge_events(meetings, articles, reference)
    return Corpus(articles=articles, sentences=sentences, mentions=mentions, meetings=meetings,
                  events=events, source=source, problems=list(articles.attrs.get("problems", [])))


def load_corpus(folder: str | Path, metadata: str | Path | None = None) -> Corpus:
    """Read a folder of articles and extract every table from it."""
    reference = load_reference()
    articles = read_corpus(folder, metadata)
    rows: dict[str, list[dict]] = {"sentences": [], "mentions": [], "meetings": []}
    for article in schemas.records(articles):
        if schemas.given(article.get("duplicate_of")):
            continue  # listed in articles, counted once in the analysis
        for name, items in extract_article(article, reference).items():
            rows[name].extend(items)
    return build_corpus(articles, rows, source=str(folder), reference=reference)

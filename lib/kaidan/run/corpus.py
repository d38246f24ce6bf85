"""The five tables of a corpus in memory: `Corpus`, and `load_corpus`, what Python and notebooks call.

`load_corpus` runs the one extraction loop (`kaidan.run.loop`) with the tables kept in
memory instead of written; `Corpus.save` writes them with the same writer as `kaidan
extract`, and `Corpus.from_folder` reads back the Parquet files either wrote.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kaidan import schemas
from kaidan.constants import TABLE_NAMES
from kaidan.extract.events import merge_events
from kaidan.messages import escaped
from kaidan.run.executors import local_executor
from kaidan.run.loop import STREAMED, concat, extract_corpus
from kaidan.run.tables import SENTENCE_COLUMNS, read_tables
from kaidan.run.work import Chunk
from kaidan.run.writer import TableWriter


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
    # how the corpus was extracted: jobs, files taken from the cache, files extracted, seconds
    stats: dict = field(default_factory=dict, repr=False, compare=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLE_NAMES}

    def save(self, out_dir: str | Path) -> list[Path]:
        """Write every table as CSV (list cells joined with ';') and Parquet; returns the paths.

        The same bytes as `kaidan extract` writes for the corpus, however it was run."""
        writer = TableWriter(out_dir)
        try:
            for name, frame in self.tables().items():
                writer.append(name, frame)
            return writer.close()
        except BaseException:
            writer.abort()
            raise

    @classmethod
    def from_folder(cls, folder: str | Path) -> "Corpus":
        """Read the tables `save` or `kaidan extract` wrote, from their Parquet files (which keep
        the lists), each checked against its schema."""
        return cls(**read_tables(folder), source=str(folder))

    def sentences_of(self, article_ids) -> pd.DataFrame:
        """The sentences of some articles with their text (article_id, index, text), as
        `kaidan.run.tables.read_sentences` gives them from a folder."""
        found = self.sentences.loc[self.sentences["article_id"].isin(set(article_ids)), SENTENCE_COLUMNS]
        return found.reset_index(drop=True)

    def summary(self) -> dict[str, int]:
        counts = self.articles["status"].value_counts()
        return {"files": len(self.articles), "ok": int(counts.get("ok", 0)),
                "warnings": int(counts.get("warning", 0)), "errors": int(counts.get("error", 0)),
                "mentions": len(self.mentions), "meetings": len(self.meetings), "events": len(self.events)}

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}={v}" for k, v in self.summary().items())
        return f"<kaidan.Corpus {self.source!r}: {parts}>"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{escaped(k)}</th><td>{v}</td></tr>" for k, v in self.summary().items())
        return f"<b>kaidan corpus</b> <code>{escaped(self.source)}</code><table>{rows}</table>"


class _InMemory:
    """The loop's sink for `load_corpus`: every chunk's tables kept, joined at the end."""

    def __init__(self):
        self.rows: list[dict] = []
        self.frames: dict[str, list[pd.DataFrame]] = {name: [] for name in (*STREAMED, "meetings")}
        self.tables: dict[str, pd.DataFrame] = {}

    def add(self, chunk: Chunk) -> None:
        self.rows += chunk.rows  # duplicates marked
        for name, frames in self.frames.items():
            frames.append(chunk.frames[name])

    def merge(self, article_dates: pd.DataFrame, reference) -> tuple[int, int]:
        merged_events, meetings = merge_events(concat("meetings", self.frames.pop("meetings")), article_dates,
                                               reference)
        self.tables = {"articles": schemas.from_records("articles", self.rows),
                       "sentences": concat("sentences", self.frames["sentences"]),
                       "mentions": concat("mentions", self.frames["mentions"]),
                       "meetings": meetings, "events": merged_events}
        return len(meetings), len(merged_events)

    def abort(self) -> None:
        self.rows, self.frames = [], {}


def load_corpus(folder: str | Path, metadata: str | Path | None = None, *, jobs: int | None = 1,
                cache_dir: str | Path | None = None, progress: bool = False,
                columns: str | dict | None = None) -> Corpus:
    """Read a folder of articles and extract every table from it.

    jobs: worker processes (None: one per core; small corpora are done in this process).
    cache_dir: a `kaidan.run.cache` folder, so files extracted before are not extracted again
    (`kaidan.run.cache.default_cache_dir()` is the command line's). progress: a progress line
    on stderr for long runs. columns: an export's columns (`body=本文,published=日付`). The tables
    are the same whatever the jobs and the cache."""
    sink = _InMemory()
    executor = local_executor(jobs, render=False)  # the tables stay in memory: no CSV rows to render
    summary = extract_corpus(folder, metadata, sink, executor, cache_dir=cache_dir, progress=progress,
                             columns=columns)
    sink.tables["articles"].attrs["problems"] = summary.problems
    return Corpus(**sink.tables, source=str(folder), problems=list(summary.problems), stats=summary.stats)

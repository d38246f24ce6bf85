"""Assemble the stages into the corpus tables, and write or read them as CSV and Parquet.

`load_corpus` is what analysts and notebooks call; the pure per-article step that the
cache and parallel or distributed runs build on is `kaidan.extract.extract_article`.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kaidan import schemas
from kaidan.constants import TABLE_NAMES
from kaidan.extract.events import merge_events
from kaidan.extract import extract_article  # noqa: F401 (kaidan.run.tables.extract_article: where it was)
from kaidan.reference import Reference, load_reference


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
        from kaidan.run.pipeline import TableWriter

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


def load_corpus(folder: str | Path, metadata: str | Path | None = None, *, jobs: int | None = 1,
                cache_dir: str | Path | None = None, progress: bool = False) -> Corpus:
    """Read a folder of articles and extract every table from it.

    jobs: worker processes (None: one per core; small corpora are done in this process).
    cache_dir: a `kaidan.run.cache` folder, so files extracted before are not extracted again
    (`kaidan.run.cache.default_cache_dir()` is the command line's). progress: a progress line
    on stderr for long runs. The tables are the same whatever the jobs and the cache."""
    import time

    from kaidan.run.pipeline import Assembly, Progress, chunks, concat, run_stats
    from kaidan.extract.read import log, plan_corpus

    started = time.monotonic()
    reference = load_reference()
    items, problems = plan_corpus(folder, metadata)
    assembly = Assembly(problems)
    rows, frames = [], {"sentences": [], "mentions": [], "meetings": []}
    bar = Progress(len(items)) if progress else None
    try:
        for chunk in chunks(items, jobs=jobs, cache_dir=cache_dir, progress=bar, reference=reference):
            chunk = assembly.take(chunk)  # duplicates: listed in articles, counted once in the analysis
            rows += chunk.rows
            for name in frames:
                frames[name].append(chunk.frames[name])
    finally:
        if bar:
            bar.close()
    for problem in problems:
        log.warning(problem)
    articles = schemas.from_records("articles", rows)  # duplicates marked as the chunks came
    articles.attrs["problems"] = problems
    events, meetings = merge_events(concat("meetings", frames["meetings"]), articles, reference)
    corpus = Corpus(articles=articles, sentences=concat("sentences", frames["sentences"]),
                    mentions=concat("mentions", frames["mentions"]), meetings=meetings, events=events,
                    source=str(folder), problems=list(problems))
    corpus.stats = run_stats(jobs, cache_dir, len(rows), assembly.cached, started)
    return corpus

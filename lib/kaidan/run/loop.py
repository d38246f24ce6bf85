"""The one extraction loop, whatever runs the work: plan, extract, mark duplicates, merge, write.

`extract_corpus` plans the work items (one per article), has an executor extract them
(`kaidan.run.executors`: this process or worker processes; `kaidan.run.dask`: a Dask
cluster), and takes the results in corpus order, as they arrive, for what spans
articles: it marks duplicates (listed once, counted once), counts, and hands each chunk
to a sink; at the end it merges the meetings into events. A sink keeps the tables: a
`FolderSink` streams them into a folder (`kaidan extract`, with memory holding one batch
of articles, not the corpus: the meetings wait on disk for the merge); `kaidan.run.corpus`
keeps them in memory (`load_corpus`). So every run makes the same tables, and writes the
same bytes.
"""
from __future__ import annotations

import logging
import pickle
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Protocol

import pandas as pd

from kaidan import schemas
from kaidan.extract import events
from kaidan.extract.read import duplicate_marker, plan_corpus
from kaidan.reference import load_reference
from kaidan.run.executors import local_executor
from kaidan.run.work import Chunk, with_event_ids
from kaidan.run.writer import TableWriter

log = logging.getLogger("kaidan")

# The tables a chunk brings whole; the meetings wait for the merge into events.
STREAMED = ("articles", "sentences", "mentions")


@dataclass
class Summary:
    """What a run found, for `kaidan extract` to report: counts, problems, the articles with
    a warning or an error, and how the run went (`stats`)."""

    files: int = 0
    ok: int = 0
    warnings: int = 0
    errors: int = 0
    mentions: int = 0
    meetings: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)
    flagged: list[tuple[str, str, str]] = field(default_factory=list)  # (path, status, message)
    stats: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"files": self.files, "ok": self.ok, "warnings": self.warnings, "errors": self.errors,
                "mentions": self.mentions, "meetings": self.meetings, "events": self.events}

    def note(self, row: dict) -> None:
        self.files += 1
        status = row["status"]
        self.ok += status == "ok"
        self.warnings += status == "warning"
        self.errors += status == "error"
        if status != "ok":
            self.flagged.append((row["path"], status, row["message"]))


class Assembly:
    """Takes chunks in corpus order: marks duplicates (their extracted rows are dropped, as
    a duplicate is listed once and counted once), counts, and keeps each article's date
    for the merge into events."""

    def __init__(self, problems: list[str]):
        self.mark = duplicate_marker()
        self.summary = Summary(problems=list(problems))
        self.cached = 0
        self.dates: dict[str, list] = {"article_id": [], "published": []}

    def take(self, chunk: Chunk) -> Chunk:
        duplicates = set()
        for row, cached in zip(chunk.rows, chunk.cached):
            self.mark(row)
            self.summary.note(row)
            self.cached += cached
            self.dates["article_id"].append(row["article_id"])
            self.dates["published"].append(row.get("published"))
            if row.get("duplicate_of"):
                duplicates.add(row["article_id"])
        if duplicates:
            chunk = chunk.marked(duplicates)
        self.summary.mentions += len(chunk.frames["mentions"])
        return chunk

    def article_dates(self) -> pd.DataFrame:
        return pd.DataFrame(self.dates, dtype=object)


def concat(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One table from chunk frames, validated (the same table `schemas.from_records` makes of
    all the rows at once): `schemas.validate` gives the joined frame back as it is when it
    holds to the schema already, and coerces it when it does not."""
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return schemas.empty(name)
    if len(frames) == 1:
        return frames[0]
    return schemas.validate(name, pd.concat(frames, ignore_index=True))


class Sink(Protocol):
    """Where the loop puts the tables."""

    def add(self, chunk: Chunk) -> None:
        """A chunk with its duplicates marked: its articles, sentences and mentions are final."""

    def merge(self, article_dates: pd.DataFrame, reference) -> tuple[int, int]:
        """After the last chunk: merge every meeting into events (`kaidan.extract.events`) and
        keep both; the meetings and events kept. The run went well."""

    def abort(self) -> None:
        """The run failed or was stopped: keep nothing half made."""


class SpilledFrames:
    """Frames (or anything pickled: a frame with its CSV rows) pickled one after another into an
    unnamed temporary file (gone when closed, or when the process ends however it ends) and
    read back in the same order."""

    def __init__(self, folder: Path):
        self.file = tempfile.TemporaryFile(dir=folder)
        self.count = 0

    def add(self, frame) -> None:
        pickle.dump(frame, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator:
        self.file.flush()
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)

    def close(self) -> None:
        self.file.close()


class FolderSink:
    """The tables streamed into a folder as CSV and Parquet, put in place when the run ends
    well. The meetings wait on disk, not in memory, while the workers run: they grow with the
    corpus. They wait as CSV rows already, with a mark where the event id goes, so the
    single-core work after the workers is the merge and little else: it reads back only
    the columns it needs, and the meetings are written chunk by chunk with their event ids."""

    def __init__(self, out: str | Path):
        self.writer = TableWriter(out)
        self.found = SpilledFrames(self.writer.out)

    def add(self, chunk: Chunk) -> None:
        for name in STREAMED:
            self.writer.append(name, chunk.frames[name], chunk.csv[name])
        meetings = chunk.frames["meetings"]
        if len(meetings):
            self.found.add((meetings, chunk.csv["meetings"]))

    def merge(self, article_dates: pd.DataFrame, reference) -> tuple[int, int]:
        for name in STREAMED:
            self.writer.finish(name)  # their buffers go before merging needs the memory
        # the reports handed over with no name kept here, so the merge lets them go once compact
        merged_events, assignment = events.merge_reports(self._reports(), article_dates, reference)
        meetings = 0
        for frame, csv in self.found:
            frame = events.assign_events(frame, assignment)
            self.writer.append("meetings", frame, with_event_ids(csv, frame))
            meetings += len(frame)
        for start in range(0, len(merged_events), events.EVENT_BATCH_ROWS):  # rendered a batch at a time
            self.writer.append("events", merged_events.iloc[start:start + events.EVENT_BATCH_ROWS])
        self.writer.close()
        self.found.close()
        return meetings, len(merged_events)

    def _reports(self) -> pd.DataFrame:
        """The columns of every meeting the merge reads, read back from the disk."""
        reports = [frame[list(events.REPORT_COLUMNS)] for frame, _ in self.found]
        return pd.concat(reports, ignore_index=True) if reports else schemas.empty("meetings")

    def abort(self) -> None:
        self.writer.abort()
        self.found.close()


def run_stats(jobs: int | str, cache_dir, items: int, cached: int, started: float) -> dict:
    return {"jobs": jobs, "cache": str(cache_dir) if cache_dir else None, "files": items, "from_cache": cached,
            "extracted": items - cached, "seconds": round(time.monotonic() - started, 3)}


def extract_corpus(src: str | Path, metadata: str | Path | None, sink: Sink, executor, *,
                   cache_dir: str | Path | None = None, progress: bool = False,
                   columns: str | dict | None = None) -> Summary:
    """Extract every article under src into sink, the work done by executor (see
    `kaidan.run.executors`); cache_dir: a `kaidan.run.cache` folder, or None for no cache;
    progress: a progress line on stderr for long runs; columns: an export's columns."""
    started = time.monotonic()
    reference = load_reference()
    items, problems = plan_corpus(src, metadata, columns)
    for problem in problems:
        log.warning(problem)
    assembly = Assembly(problems)
    total = len(items)
    bar = Progress(total) if progress else None
    chunks = executor.map(items, reference, cache_dir)
    del items  # the executor's now, to pack small before it starts workers
    try:
        with closing(chunks):
            for chunk in chunks:
                if bar:
                    bar.add(len(chunk.rows), sum(chunk.cached), sum(r.get("n_chars") or 0 for r in chunk.rows))
                sink.add(assembly.take(chunk))
        meetings, merged = sink.merge(assembly.article_dates(), reference)
    except BaseException:
        sink.abort()
        raise
    finally:
        if bar:
            bar.close()
    summary = assembly.summary
    summary.meetings, summary.events = meetings, merged
    summary.stats = run_stats(executor.jobs, cache_dir, total, assembly.cached, started)
    return summary


def extract_to_folder(src: str | Path, out: str | Path, metadata: str | Path | None = None, *,
                      jobs: int | None = None, cache_dir: str | Path | None = None,
                      progress: bool = False, columns: str | dict | None = None) -> Summary:
    """`kaidan extract`: every article under src, extracted by `jobs` processes (None: one per
    core), its five tables written into out. The files equal `load_corpus(src, metadata).save(out)`
    byte for byte."""
    return extract_corpus(src, metadata, FolderSink(out), local_executor(jobs), cache_dir=cache_dir,
                          progress=progress, columns=columns)


# --- progress ----------------------------------------------------------------------

class Progress:
    """A progress line on stderr for long runs: on a terminal, redrawn in place once the run
    has taken a couple of seconds; otherwise a line every half minute once it has taken
    that long. Short runs show nothing."""

    DELAY = 2.0
    EVERY_TTY = 0.25
    EVERY_LOG = 30.0

    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.shown = 0.0
        self.done = 0
        self.cached = 0
        self.chars = 0
        self.drawn = False

    def add(self, articles: int, cached: int = 0, chars: int = 0) -> None:
        self.done += articles
        self.cached += cached
        self.chars += chars
        now = time.monotonic()
        if self.tty:
            due = now - self.started >= self.DELAY and now - self.shown >= self.EVERY_TTY
        else:  # a log: a line every half minute, the first after half a minute
            due = now - self.started >= self.EVERY_LOG and now - self.shown >= self.EVERY_LOG
        if not due:
            return
        self.shown = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = now - self.started
        share = self.done / self.total if self.total else 1.0
        left = elapsed / share - elapsed if share else 0.0
        cached = f", {self.cached:,} from cache" if self.cached else ""
        line = (f"kaidan: extracting {self.done:,}/{self.total:,} articles ({share:.0%}{cached}), "
                f"{self.chars / elapsed / 1000:,.0f}k chars/s, about {_clock(left)} left")
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn and self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"

"""Running extraction over a corpus: per file, in parallel, cached, streamed to disk.

Each file goes through one pure step, `process` (bytes, path, article_id and metadata row
in; the articles row and the file's sentences, mentions and meetings out), so the work
can go anywhere: in this process, in a pool of worker processes (`--jobs`, each loading
the gazetteers and its tokenizer once), on a Dask cluster (`kaidan.run.distributed`), or
nowhere at all when the cache has the answer. What stays in one place is what spans
files, done in corpus order as results arrive: marking duplicates and merging meetings
into events.

`extract_to_folder` is the `kaidan extract` path: it writes the tables as it goes (CSV
and Parquet, row groups of a fixed number of rows), so memory holds one batch of
articles and the meetings, not the corpus. `TableWriter` is shared with `Corpus.save`,
so the files are the same bytes whichever way they were made.
"""
from __future__ import annotations

import logging
import math
import os
import re
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from kaidan.constants import TABLE_NAMES
from kaidan.processes import die_with_parent, remove_stale
from kaidan.extract.read import Planned

log = logging.getLogger("kaidan")

EXTRACTED = ("sentences", "mentions", "meetings")
# Parquet row groups hold this many rows (the last one fewer), however the rows arrived.
ROW_GROUP_ROWS = {"articles": 1_000, "sentences": 100_000, "mentions": 200_000, "meetings": 50_000,
                  "events": 50_000}
# Below this many files a pool costs more than it saves.
PARALLEL_MIN_FILES = 16
CHUNK_MAX_FILES = 128


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- one file ----------------------------------------------------------------------

@dataclass
class FileResult:
    """One file's articles row (duplicates not yet marked) and its extracted rows."""

    row: dict
    rows: dict[str, list[dict]]
    cached: bool = False


def process(item: Planned, reference, cache=None) -> FileResult:
    """Read and extract one file, or take both from the cache: a pure function of the file's
    bytes, its path, article_id and metadata row, and the reference data."""
    from kaidan import schemas
    from kaidan.extract.read import file_bytes, row_of
    from kaidan.extract import extract_article

    data = file_bytes(item.file)
    key = None
    if cache is not None and not isinstance(data, str):
        from kaidan.run.cache import file_key

        key = file_key(data, item.file.rel, item.article_id, item.record)
        hit = cache.get(key)
        if hit is not None:
            return FileResult(hit[0], hit[1], cached=True)
    row = row_of(item, data)
    # extraction sees the row as the articles table gives it back: every column, None where empty
    article = {column.name: row.get(column.name) for column in schemas.ARTICLES}
    try:
        rows = extract_article(article, reference)
    except Exception as error:  # one article's failure must not end the run: record it
        message = f"extraction failed: {type(error).__name__}: {error}"
        row = {**row, "status": "error", "message": "; ".join(m for m in (row.get("message"), message) if m)}
        return FileResult(row, {"sentences": [], "mentions": [], "meetings": []})
    if key is not None:
        cache.put(key, row, rows)
    return FileResult(row, rows)


# --- many files --------------------------------------------------------------------

@dataclass
class Chunk:
    """Consecutive files' results, turned into tables where they were computed (a worker):
    the articles rows (duplicates not yet marked), one frame per table over all these files,
    and the frames already rendered as CSV rows, so the main process mostly writes."""

    rows: list[dict]
    cached: list[bool]
    frames: dict
    csv: dict[str, str]

    def without(self, article_ids: set[str]) -> "Chunk":
        """The chunk with the extracted rows of these articles dropped (they are duplicates):
        frames filtered, CSV rendered again."""
        from kaidan import schemas

        frames, csv = {"articles": self.frames["articles"]}, {"articles": self.csv["articles"]}
        for name in EXTRACTED:
            frame = self.frames[name]
            frame = frame[~frame["article_id"].isin(list(article_ids))].reset_index(drop=True) if len(frame) else frame
            frames[name] = frame
            if name != "meetings":  # written after the merge, from the merged table
                csv[name] = _csv(name, frame)
        return Chunk(self.rows, self.cached, frames, csv)


def _csv(name: str, frame) -> str:
    """A frame's rows as CSV, no header: what `TableWriter` writes for them."""
    from kaidan import schemas

    if not len(frame):
        return ""
    return schemas.to_csv_frame(name, frame).to_csv(index=False, header=False, lineterminator="\n")


def make_chunk(found: list[FileResult]) -> Chunk:
    """The tables of some files' results."""
    from kaidan import schemas

    rows = [result.row for result in found]
    frames = {"articles": schemas.from_records("articles", rows)}
    for name in EXTRACTED:
        frames[name] = schemas.from_records(name, [r for result in found for r in result.rows[name]])
    csv = {name: _csv(name, frame) for name, frame in frames.items() if name != "meetings"}
    return Chunk(rows, [result.cached for result in found], frames, csv)


_WORKER: dict = {}


def _init_worker(cache_dir: str | None, parent: int) -> None:
    """Follow the parent: end with it, and leave Ctrl-C to it (it stops the pool). Then load
    the reference and the tokenizer once per worker process."""
    from kaidan.run.cache import Cache
    from kaidan.extract.mentions import _tokenizer
    from kaidan.reference import load_reference

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reference = load_reference()
    _tokenizer()
    _WORKER["reference"] = reference
    _WORKER["cache"] = Cache(cache_dir, reference.digest) if cache_dir else None


def _process_chunk(items: list[Planned]) -> Chunk:
    return make_chunk([process(item, _WORKER["reference"], _WORKER["cache"]) for item in items])


def _slices(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _pool_context():
    import multiprocessing

    # fork shares the loaded gazetteers and dictionary pages with the workers at no cost;
    # macOS and Windows cannot fork safely, so they start workers afresh.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def chunks(items: list[Planned], *, jobs: int | None = 1, cache_dir: str | Path | None = None,
           progress: "Progress | None" = None, reference=None) -> Iterator[Chunk]:
    """Every file's result, in corpus order, in chunks: computed here (jobs=1, or a small
    corpus) or by `jobs` worker processes (None: one per core) taking chunks of files."""
    from kaidan.run.cache import Cache
    from kaidan.reference import load_reference

    reference = reference or load_reference()
    jobs = available_cores() if jobs is None else max(1, jobs)
    cache = Cache(cache_dir, reference.digest).open() if cache_dir else None

    def tick(chunk: Chunk) -> Chunk:
        if progress:
            progress.add(len(chunk.rows), sum(chunk.cached), sum(r.get("n_chars") or 0 for r in chunk.rows))
        return chunk

    if jobs == 1 or len(items) < max(PARALLEL_MIN_FILES, 2 * jobs):
        for part in _slices(items, CHUNK_MAX_FILES):
            yield tick(make_chunk([process(item, reference, cache) for item in part]))
        return

    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(CHUNK_MAX_FILES, math.ceil(len(items) / (jobs * 8))))
    pending = _slices(items, size)
    window: deque = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context(), initializer=_init_worker,
                               initargs=(str(cache.root) if cache else None, os.getpid()))
    try:
        for part in pending:  # keep a few chunks per worker in flight, take them in order
            window.append(pool.submit(_process_chunk, part))
            if len(window) >= 3 * jobs:
                break
        while window:
            done = window.popleft().result()
            for part in pending:
                window.append(pool.submit(_process_chunk, part))
                break
            yield tick(done)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool) -> None:
    """End a pool now (an error, Ctrl-C, a closed generator): kill its workers rather than wait
    for the chunks they are on."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


class Assembly:
    """Takes chunks in corpus order: marks duplicates (their extracted rows are dropped, as
    a duplicate is listed once and counted once), counts, and passes the tables on."""

    def __init__(self, problems: list[str]):
        from kaidan.extract.read import duplicate_marker

        self.mark = duplicate_marker()
        self.summary = Summary(problems=list(problems))
        self.cached = 0
        self.dates: dict[str, list] = {"article_id": [], "published": []}

    def take(self, chunk: Chunk) -> Chunk:
        from kaidan import schemas

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
            chunk = chunk.without(duplicates)
            chunk.frames["articles"] = schemas.from_records("articles", chunk.rows)
            chunk.csv["articles"] = _csv("articles", chunk.frames["articles"])
        self.summary.mentions += len(chunk.frames["mentions"])
        return chunk

    def article_dates(self):
        import pandas as pd

        return pd.DataFrame(self.dates, dtype=object)


def concat(name: str, frames: list):
    """One table from chunk frames, validated (the same table `schemas.from_records` makes of
    all the rows at once)."""
    import pandas as pd

    from kaidan import schemas

    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return schemas.empty(name)
    if len(frames) == 1:
        return frames[0]
    joined = pd.concat(frames, ignore_index=True)
    # validated frames with the same dtypes make a validated frame; else coerce again
    same = all((frame.dtypes == frames[0].dtypes).all() for frame in frames[1:])
    return joined if same else schemas.validate(name, joined)


# --- progress ----------------------------------------------------------------------

class Progress:
    """A progress line on stderr for long runs: on a terminal, redrawn in place once the run
    has taken a couple of seconds; otherwise a line every half minute once it has taken
    that long. Short runs show nothing."""

    DELAY = 2.0
    EVERY_TTY = 0.25
    EVERY_LOG = 30.0

    def __init__(self, total: int, stream=None, label: str = "extracting"):
        self.total = total
        self.stream = stream or sys.stderr
        self.label = label
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.shown = 0.0
        self.done = 0
        self.cached = 0
        self.chars = 0
        self.drawn = False

    def advance(self, result: FileResult) -> None:
        self.add(1, int(result.cached), result.row.get("n_chars") or 0)

    def add(self, files: int, cached: int = 0, chars: int = 0) -> None:
        self.done += files
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
        line = (f"kaidan: {self.label} {self.done:,}/{self.total:,} files ({share:.0%}{cached}), "
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


# --- writing tables ----------------------------------------------------------------

@lru_cache(maxsize=None)
def arrow_schema(name: str):
    """The Arrow schema a table is written with: fixed, whatever a batch's values are, and
    with pandas' metadata so the columns read back with their dtypes (Int64, str, lists)."""
    import pyarrow as pa

    from kaidan import schemas

    prototype = {}
    for column in schemas.TABLES[name]:
        if column.kind == "list":
            prototype[column.name] = [0] if column.name == "sentences" else ["x"]
        elif column.kind == "int":
            prototype[column.name] = 0
        else:
            prototype[column.name] = column.allowed[0] if column.allowed else "x"
    return pa.Schema.from_pandas(schemas.from_records(name, [prototype]), preserve_index=False)


# A table being written: `.articles.csv.PID.tmp`, put in place when the run ends well.
TEMP_NAME = ".{name}.{pid}.tmp"
STALE_TEMP = re.compile(r"\.(?:%s)\.(?:csv|parquet)\.(?P<pid>\d+)\.tmp" % "|".join(TABLE_NAMES))


class TableWriter:
    """Writes the tables into a folder as CSV (list cells joined with ';') and Parquet,
    appending frames as they come. Files are written beside the old ones and put in place
    by `close`, so a run that fails leaves the previous tables whole."""

    def __init__(self, out_dir: str | Path, names: Iterable[str] = TABLE_NAMES, csv: bool = True):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out, STALE_TEMP)  # what a killed run was writing
        self.names = tuple(names)
        self.csv = csv
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

    def append(self, name: str, frame, csv: str | None = None) -> None:
        """Add rows (a frame of the table's columns, validated) to a table; csv: the frame's
        rows already rendered by `_csv`, when a worker did that."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from kaidan import schemas

        first = name not in self._started
        self._started.add(name)
        if self.csv:
            if first:
                self._csv[name] = open(self._tmp(self.out / f"{name}.csv"), "w", encoding="utf-8", newline="")
            if first:
                self._csv[name].write(",".join(c.name for c in schemas.TABLES[name]) + "\n")
            self._csv[name].write(_csv(name, frame) if csv is None else csv)
        if first:
            self._parquet[name] = pq.ParquetWriter(self._tmp(self.out / f"{name}.parquet"), arrow_schema(name))
        if len(frame):
            table = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
            self._buffer[name].append(table)
            self._buffered[name] += len(table)
            self._flush(name, final=False)

    def _flush(self, name: str, final: bool) -> None:
        import pyarrow as pa

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
        from kaidan import schemas

        if name not in self._started:
            self.append(name, schemas.empty(name))
        if name in self._parquet:
            self._flush(name, final=True)
            self._parquet.pop(name).close()
            if self.csv:
                self._csv.pop(name).close()

    def close(self) -> list[Path]:
        """Finish every table and put the files in place; returns their paths."""
        written = []
        for name in self.names:
            self.finish(name)
        for name in self.names:
            for suffix in ((".csv", ".parquet") if self.csv else (".parquet",)):
                final = self.out / f"{name}{suffix}"
                if final.is_dir():  # a partitioned table from `--dask` before
                    import shutil

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


# --- the whole run -----------------------------------------------------------------

@dataclass
class Summary:
    """What `kaidan extract` reports about a run."""

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


def run_stats(jobs: int | None, cache_dir, files: int, cached: int, started: float) -> dict:
    return {"jobs": available_cores() if jobs is None else jobs, "cache": str(cache_dir) if cache_dir else None,
            "files": files, "from_cache": cached, "extracted": files - cached,
            "seconds": round(time.monotonic() - started, 3)}


def extract_to_folder(src: str | Path, out: str | Path, metadata: str | Path | None = None, *,
                      jobs: int | None = None, cache_dir: str | Path | None = None,
                      progress: bool = False) -> Summary:
    """`kaidan extract`: read and extract every file under src and write the five tables into
    out, streaming. The files equal `load_corpus(src, metadata).save(out)` byte for byte."""
    from kaidan.extract.events import merge_events
    from kaidan.extract.read import plan_corpus
    from kaidan.reference import load_reference

    started = time.monotonic()
    reference = load_reference()
    items, problems = plan_corpus(src, metadata)
    for problem in problems:
        log.warning(problem)
    assembly = Assembly(problems)
    writer = TableWriter(out)
    meetings = []
    bar = Progress(len(items)) if progress else None
    try:
        for chunk in chunks(items, jobs=jobs, cache_dir=cache_dir, progress=bar, reference=reference):
            chunk = assembly.take(chunk)
            for name in ("articles", "sentences", "mentions"):
                writer.append(name, chunk.frames[name], chunk.csv[name])
            meetings.append(chunk.frames["meetings"])
        for name in ("articles", "sentences", "mentions"):
            writer.finish(name)  # their buffers go before merging needs the memory
        found, meetings = concat("meetings", meetings), None
        events, meetings = merge_events(found, assembly.article_dates(), reference)
        del found
        writer.append("meetings", meetings)
        writer.append("events", events)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        if bar:
            bar.close()
    summary = assembly.summary
    summary.meetings, summary.events = len(meetings), len(events)
    summary.stats = run_stats(jobs, cache_dir, len(items), assembly.cached, started)
    return summary

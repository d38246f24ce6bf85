"""Where the work items are extracted: in this process, or in a pool of worker processes.

An executor has one method, `map(items, reference, cache_dir)`: every item's result, as
`Chunk`s of consecutive items, in the items' order, whichever finished first. The loop
(`kaidan.run.loop`) takes the chunks in that order and needs nothing else, so another
executor (the Dask one is `kaidan.run.dask`) is a class with that method. `jobs` is what
the run's statistics call it. `render` False: the chunks come without their CSV rows, for a
run that keeps the tables in memory (`load_corpus`) and writes none.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from kaidan.extract.mentions import thread_tokenizer
from kaidan.extract.read import Planned
from kaidan.processes import die_with_parent, stop_signals_held, take_stop_signals
from kaidan.reference import Reference, load_reference
from kaidan.run.cache import Cache
from kaidan.run.work import Chunk, extract_chunk

# Below this many items a pool costs more than it saves.
PARALLEL_MIN_ITEMS = 16
CHUNK_MAX_ITEMS = 128
# Chunks per worker: small enough that the workers finish together, large enough to keep
# the shipping cheap; and chunks in flight per worker, so none waits for the next (one
# being extracted, one queued: more only hold finished chunks in this process's memory).
CHUNKS_PER_WORKER = 8
IN_FLIGHT_PER_WORKER = 2


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def slices(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def chunk_size(items: int, workers: int) -> int:
    """Items per chunk when `workers` share them."""
    return max(1, min(CHUNK_MAX_ITEMS, math.ceil(items / (workers * CHUNKS_PER_WORKER))))


def in_order(submit: Callable[[list], object], parts: Iterator[list], window: int) -> Iterator:
    """The result of each part, in the parts' order, with up to `window` parts submitted and
    not yet taken. `submit(part)` returns a future (concurrent.futures' or Dask's); the
    futures not taken are cancelled if the caller stops early or fails."""
    pending: deque = deque()
    try:
        for part in parts:
            pending.append(submit(part))
            if len(pending) >= window:
                break
        while pending:
            done = pending.popleft().result()
            for part in parts:
                pending.append(submit(part))
                break
            yield done
    except BaseException:
        for future in pending:
            future.cancel()
        raise


def open_cache(cache_dir: str | Path | None, reference: Reference) -> Cache | None:
    """This run's cache generation, marked used (older ones pruned), or None without a cache."""
    return Cache(cache_dir, reference.digest).open() if cache_dir else None


@dataclass
class InProcess:
    """Every item extracted here, a chunk at a time."""

    render: bool = True
    jobs = 1

    def map(self, items: list[Planned], reference: Reference, cache_dir: str | Path | None) -> Iterator[Chunk]:
        cache = open_cache(cache_dir, reference)
        for part in slices(items, CHUNK_MAX_ITEMS):
            yield extract_chunk(part, reference, cache, self.render)


# One worker process's reference data and cache, set by `_init_worker`.
_WORKER: dict = {}


def _init_worker(cache_dir: str | None, parent: int) -> None:
    """Follow the parent: leave Ctrl-C to it (it stops the pool), and end with it. Then load
    the reference and the tokenizer once per worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    take_stop_signals()  # forked with them held (`stop_signals_held`): a Ctrl-C meanwhile is dropped now
    die_with_parent(parent)
    reference = load_reference()
    thread_tokenizer()
    _WORKER["reference"] = reference
    _WORKER["cache"] = Cache(cache_dir, reference.digest) if cache_dir else None


def _extract_in_worker(packed: bytes, render: bool) -> Chunk:
    return extract_chunk(pickle.loads(packed), _WORKER["reference"], _WORKER["cache"], render)


def packed(items: list[Planned], size: int) -> list[bytes]:
    """The items in chunks of `size`, each pickled as it will be sent: a tenth of the memory of
    the items themselves (100,000 planned files: 86 MiB as objects, 10 MiB packed)."""
    return [pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in slices(items, size)]


def _pool_context():
    # fork shares the loaded gazetteers and dictionary pages with the workers at no cost;
    # macOS and Windows cannot fork safely, so they start workers afresh.
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool now (an error, Ctrl-C, a closed generator): kill its workers rather than wait
    for the chunks they are on."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Pool:
    """`jobs` worker processes taking chunks of items; a small corpus is done in this process,
    where a pool would cost more than it saves."""

    jobs: int
    render: bool = True

    def map(self, items: list[Planned], reference: Reference, cache_dir: str | Path | None) -> Iterator[Chunk]:
        if self.jobs == 1 or len(items) < max(PARALLEL_MIN_ITEMS, 2 * self.jobs):
            yield from InProcess(self.render).map(items, reference, cache_dir)
            return
        cache = open_cache(cache_dir, reference)
        # packed, and the items let go, before the workers are forked: a forked worker's
        # memory counts all this process holds at that moment
        parts = packed(items, chunk_size(len(items), self.jobs))
        del items
        pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_pool_context(), initializer=_init_worker,
                                   initargs=(str(cache.root) if cache else None, os.getpid()))

        def submit(part: bytes):
            with stop_signals_held():  # the first submit forks the workers
                return pool.submit(_extract_in_worker, part, self.render)
        try:
            yield from in_order(submit, iter(parts), IN_FLIGHT_PER_WORKER * self.jobs)
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)


def local_executor(jobs: int | None, render: bool = True) -> InProcess | Pool:
    """`jobs` worker processes (None: one per core); one job is this process. render: whether
    the chunks come with their CSV rows (only a run that writes files reads them)."""
    jobs = available_cores() if jobs is None else max(1, jobs)
    return InProcess(render) if jobs == 1 else Pool(jobs, render)

"""Extraction on a Dask cluster, for archives too large for one machine's cores.

    kaidan extract /shared/archive --out tables --dask tcp://scheduler:8786

The cluster is one more executor of the one loop (`kaidan.run.loop`): the workers read and
extract chunks of articles (loading the gazetteers and their tokenizer once per process)
and send back each chunk's tables, rendered as CSV rows; this process takes them in corpus
order, marks duplicates, merges the meetings into events and writes the tables, the same
bytes as a run on one machine. SRC (and a --cache folder) must be paths every worker can
reach, such as a shared file system; DIR is written here.
"""
from __future__ import annotations

import itertools
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from distributed import Client

from kaidan.extract.read import Planned
from kaidan.reference import Reference, load_reference
from kaidan.run.cache import ON_EACH_WORKER, Cache, default_cache_dir
from kaidan.run.executors import IN_FLIGHT_PER_WORKER, chunk_size, in_order, slices
from kaidan.run.loop import FolderSink, Summary, extract_corpus
from kaidan.run.work import Chunk, extract_chunk


@lru_cache(maxsize=None)
def _worker_cache(root: str, reference_digest: str) -> Cache:
    """The cache generation a worker process uses, opened once as on one machine: marked
    used, all but the latest few generations and a killed run's leftovers removed."""
    return Cache(root, reference_digest).open()


def _extract_on_worker(items: list[Planned], cache_dir: str | None) -> Chunk:
    """A chunk extracted on a Dask worker, with its reference (loaded once per process) and
    the cache folder it can reach."""
    reference = load_reference()
    root = default_cache_dir() if cache_dir == ON_EACH_WORKER else cache_dir
    return extract_chunk(items, reference, _worker_cache(str(root), reference.digest) if root else None)


class DaskExecutor:
    """Chunks of items extracted on the cluster a `distributed.Client` is connected to."""

    jobs = "dask"

    def __init__(self, client: Client):
        self.client = client

    def map(self, items: list[Planned], reference: Reference, cache_dir: str | Path | None) -> Iterator[Chunk]:
        workers = sum(self.client.nthreads().values()) or 1
        cache = str(cache_dir) if cache_dir else None
        run, numbers = time.time_ns(), itertools.count()

        def submit(part: list[Planned]):
            return self.client.submit(_extract_on_worker, part, cache, pure=False,
                                      key=f"kaidan-extract-{run}-{next(numbers):06d}")
        yield from in_order(submit, slices(items, chunk_size(len(items), workers)), IN_FLIGHT_PER_WORKER * workers)


def extract_on_dask(src: str | Path, out: str | Path, address, metadata: str | Path | None = None, *,
                    cache_dir: str | Path | None = None, progress: bool = False,
                    columns: str | dict | None = None) -> Summary:
    """`kaidan extract --dask ADDRESS`: extract src on the cluster at address (or a `Client`,
    or a `LocalCluster`) and write the tables into out."""
    if hasattr(address, "scheduler_address") and not hasattr(address, "submit"):  # a LocalCluster
        address = address.scheduler_address
    own = not isinstance(address, Client)
    client = Client(address) if own else address
    try:
        return extract_corpus(src, metadata, FolderSink(out), DaskExecutor(client), cache_dir=cache_dir,
                              progress=progress, columns=columns)
    finally:
        if own:
            client.close()

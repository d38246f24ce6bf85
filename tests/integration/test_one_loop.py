"""One extraction loop for every run: in this process, with `--jobs 2` and with `--dask`, the
tables are the same bytes, CSV and Parquet, because only the executor differs.

Nothing here is timed; `make bench` measures speed.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kaidan.cli import main
from kaidan.constants import TABLE_NAMES
from kaidan.dev.synthetic import write_corpus
from kaidan.run import executors
from kaidan.run.loop import FolderSink, extract_corpus
from kaidan.run.work import extract_chunk

FILES = sorted(f"{name}.{suffix}" for name in TABLE_NAMES for suffix in ("csv", "parquet"))


@pytest.fixture(scope="module", params=["seeds", "synthetic"])
def corpus(request, tmp_path_factory, seeds_dir) -> Path:
    """The seeds; and synthetic articles with a copy of the first one at the end (in another
    chunk) and a file that is not text."""
    if request.param == "seeds":
        return seeds_dir
    root = tmp_path_factory.mktemp("loop") / "synthetic"
    write_corpus(root, 24, seed=3)
    shutil.copy(sorted(root.rglob("*.txt"))[0], root / "zz-copy.txt")
    (root / "picture.txt").write_bytes(b"GIF89a" + bytes(64))
    return root


def _tables(out: Path) -> dict[str, bytes]:
    found = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}
    assert sorted(found) == FILES
    return found


def _extract(corpus: Path, out: Path, *options: str) -> dict[str, bytes]:
    assert main(["extract", str(corpus), "--out", str(out), "--no-cache", "-q", *options]) == 0
    return _tables(out)


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory) -> dict[str, bytes]:
    return _extract(corpus, tmp_path_factory.mktemp("in-process"), "--jobs", "1")


@pytest.fixture
def small_chunks(monkeypatch):
    """Even five articles go to the workers, two at a time, so chunk edges fall between an
    article and its duplicate."""
    monkeypatch.setattr(executors, "PARALLEL_MIN_ITEMS", 0)
    monkeypatch.setattr(executors, "CHUNK_MAX_ITEMS", 2)


def test_the_in_process_run_finds_what_the_corpus_holds(corpus, in_process):
    # the comparisons below are of tables with rows in them, duplicates and errors where the corpus has them
    articles = in_process["articles.csv"].decode("utf-8")
    assert in_process["meetings.csv"].count(b"\n") > 1 and in_process["events.csv"].count(b"\n") > 1
    if corpus.name == "synthetic":
        assert "zz-copy.txt,warning,duplicate of" in articles and "picture.txt,error," in articles


def test_two_jobs_write_the_bytes_of_one_process(corpus, in_process, tmp_path, small_chunks):
    assert _extract(corpus, tmp_path, "--jobs", "2") == in_process


def test_dask_writes_the_bytes_of_one_process(corpus, in_process, dask_cluster, tmp_path, small_chunks):
    assert _extract(corpus, tmp_path, "--dask", dask_cluster.scheduler_address) == in_process


class OneAtATime:
    """An executor written here, as another would be: one article per chunk, in this process."""

    jobs = "one at a time"

    def map(self, items, reference, cache_dir):
        for item in items:
            yield extract_chunk([item], reference, None)


def test_any_executor_with_a_map_drives_the_loop(corpus, in_process, tmp_path):
    summary = extract_corpus(corpus, None, FolderSink(tmp_path), OneAtATime())
    assert summary.stats["jobs"] == "one at a time"
    assert _tables(tmp_path) == in_process


class Pending:
    """A future whose result is known; `cancel` is recorded."""

    def __init__(self, value):
        self.value, self.cancelled = value, False

    def result(self):
        return self.value

    def cancel(self):
        self.cancelled = True


def test_in_order_keeps_a_window_in_flight_and_cancels_it_when_stopped():
    submitted = []

    def submit(part):
        submitted.append(Pending(part[0]))
        return submitted[-1]
    results = executors.in_order(submit, iter([[n] for n in range(10)]), window=3)
    assert next(results) == 0
    assert len(submitted) == 4  # three in flight, and the next one sent when the first was taken
    assert next(results) == 1
    results.close()  # the caller stops (an error, Ctrl-C)
    assert [f.cancelled for f in submitted] == [False, False, True, True, True]
    assert list(executors.in_order(lambda part: Pending(part[0]), iter([[n] for n in range(7)]), 2)) == list(range(7))

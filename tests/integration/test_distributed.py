"""`kaidan extract --dask`: on a LocalCluster, the single-machine run's summary, cache and folder
handling. That the tables are the same bytes is in tests/test_one_loop.py."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kaidan.cli import main
from kaidan.constants import TABLE_NAMES
from kaidan.dev.synthetic import write_corpus
from kaidan.run.cache import FORMAT, KEEP_GENERATIONS
from kaidan.run.dask import extract_on_dask
from kaidan.run.loop import extract_to_folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir) -> Path:
    """Synthetic articles and the seeds, two copies of a seed far from it, and a refused file."""
    root = tmp_path_factory.mktemp("dask") / "corpus"
    write_corpus(root, 14, seed=11)
    shutil.copytree(seeds_dir, root / "seeds")
    seeds = sorted(p.name for p in seeds_dir.iterdir())
    shutil.copy(root / "seeds" / seeds[0], root / "zz-copy-1.txt")
    shutil.copy(root / "seeds" / seeds[0], root / "zz-copy-2.txt")
    (root / "image.txt").write_bytes(b"GIF89a" + bytes(64))
    return root


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("single")
    return out, extract_to_folder(corpus, out, jobs=1)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_the_summary_is_the_single_machine_summary(corpus, dask_cluster, single, tmp_path):
    summary = extract_on_dask(corpus, tmp_path, dask_cluster)
    expected = single[1]
    assert summary.counts() == expected.counts() and summary.counts()["files"] == 14 + 5 + 3
    assert summary.flagged == expected.flagged
    assert sorted(path for path, _, message in summary.flagged if "duplicate of" in message) == \
        ["zz-copy-1.txt", "zz-copy-2.txt"]
    assert summary.stats["jobs"] == "dask" and summary.stats["extracted"] == summary.stats["files"]


def test_cli_dask_with_cache_and_over_a_partitioned_folder(corpus, dask_cluster, single, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    for name in TABLE_NAMES:  # the partitioned tables an older `--dask` wrote: replaced by single files
        (out / f"{name}.parquet").mkdir()
        (out / f"{name}.parquet" / "part-000000.parquet").write_bytes(b"old")
    args = ["extract", str(corpus), "--out", str(out), "--dask", dask_cluster.scheduler_address,
            "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    assert _files(out) == _files(single[0])
    assert "image.txt: error: binary data" in capsys.readouterr().err
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(entries) == single[1].files  # one entry per file
    again = extract_on_dask(corpus, out, dask_cluster, cache_dir=tmp_path / "cache")
    assert again.stats["from_cache"] == again.files == single[1].files
    assert _files(out) == _files(single[0])


def test_workers_keep_the_cache_as_one_machine_does(corpus, dask_cluster, single, tmp_path):
    """The workers mark their generation used and remove the older ones beyond the latest few."""
    cache = tmp_path / "cache"
    for n in range(KEEP_GENERATIONS + 1):  # generations of older kaidan versions, used long ago
        old = cache / f"{FORMAT}-old{n}-ref"
        (old / "ab").mkdir(parents=True)
        (old / ".last-used").touch()
        os.utime(old / ".last-used", (n, n))
    extract_on_dask(corpus, tmp_path / "out", dask_cluster, cache_dir=cache)
    kept = sorted(p.name for p in cache.iterdir())
    assert len(kept) == KEEP_GENERATIONS
    assert f"{FORMAT}-old{KEEP_GENERATIONS}-ref" in kept and f"{FORMAT}-old0-ref" not in kept
    (current,) = [p for p in cache.iterdir() if "-old" not in p.name]
    assert (current / ".last-used").stat().st_mtime > KEEP_GENERATIONS
    assert _files(tmp_path / "out") == _files(single[0])

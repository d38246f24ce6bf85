"""`kaidan extract --dask`: on a LocalCluster, the single-machine tables, partitioned."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kaidan.cli import main
from kaidan.constants import TABLE_NAMES as TABLES
from kaidan.run.distributed import extract_on_dask
from kaidan.run.pipeline import extract_to_folder
from kaidan.dev.synthetic import write_corpus
from kaidan.run.tables import Corpus

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir) -> Path:
    """Synthetic articles and the seeds, with duplicates in other partitions and a refused file."""
    root = tmp_path_factory.mktemp("dask") / "corpus"
    write_corpus(root, 14, seed=11)
    shutil.copytree(seeds_dir, root / "seeds")
    seeds = sorted(p.name for p in seeds_dir.iterdir())
    shutil.copy(root / "seeds" / seeds[0], root / "zz-copy-1.txt")
    shutil.copy(root / "seeds" / seeds[0], root / "zz-copy-2.txt")
    (root / "image.txt").write_bytes(b"GIF89a" + bytes(64))
    return root


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("single")
    extract_to_folder(corpus, out, jobs=1)
    return out


def test_dask_tables_are_the_single_machine_tables(corpus, cluster, single, tmp_path):
    out = tmp_path / "dask"
    summary = extract_on_dask(corpus, out, cluster, partition_files=4)
    assert summary.stats["partitions"] == 6
    for name in TABLES:
        parts = sorted((out / f"{name}.parquet").iterdir())
        assert parts and all(p.suffix == ".parquet" for p in parts)
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), pd.read_parquet(single / f"{name}.parquet"))
    ours, theirs = Corpus.from_folder(out), Corpus.from_folder(single)
    for name in TABLES:
        pd.testing.assert_frame_equal(ours.tables()[name], theirs.tables()[name])
    assert summary.counts() == {**theirs.summary(), "mentions": len(theirs.mentions)}
    duplicates = ours.articles.dropna(subset=["duplicate_of"])
    assert sorted(duplicates["path"]) == ["zz-copy-1.txt", "zz-copy-2.txt"]
    assert [path for path, _, _ in summary.flagged if path == "image.txt"]


def test_the_same_parts_on_any_run(corpus, cluster, tmp_path):
    for run in ("a", "b"):
        extract_on_dask(corpus, tmp_path / run, cluster, partition_files=5)
    files = {p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()}
    assert files == {p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_cli_dask_with_cache_and_over_single_machine_tables(corpus, cluster, single, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(single, out)  # a folder written before by a single machine: replaced, CSV dropped
    args = ["extract", str(corpus), "--out", str(out), "--dask", cluster.scheduler_address,
            "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    assert main(args) == 0  # the second run takes every file from the cache
    assert not list(out.glob("*.csv"))
    assert len([p for p in (tmp_path / "cache").rglob("*") if p.is_file()]) > len(TABLES)
    ours = Corpus.from_folder(out)
    for name in TABLES:
        pd.testing.assert_frame_equal(ours.tables()[name], Corpus.from_folder(single).tables()[name])
    assert "image.txt: error: binary data" in capsys.readouterr().err

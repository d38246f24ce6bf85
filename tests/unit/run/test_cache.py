"""The per-file cache: a re-run extracts only what is new or changed, and the tables stay
the same bytes. Counted with the run's statistics and a counter on extract_article, never
timed."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import kaidan.extract
from kaidan.run import cache as cache_module
from kaidan.run.cache import Cache, default_cache_dir
from kaidan.cli import main
from kaidan.dev.synthetic import Generator, write_corpus
from kaidan.run.corpus import load_corpus
from kaidan.run.loop import extract_to_folder


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cache") / "corpus"
    write_corpus(root, 12, seed=9)
    return root


@pytest.fixture
def corpus(source, tmp_path) -> Path:
    """A fresh copy, so a test can add and change files."""
    shutil.copytree(source, tmp_path / "corpus")
    return tmp_path / "corpus"


@pytest.fixture
def counted(monkeypatch):
    """How many articles extract_article was called on."""
    calls = []
    real = kaidan.extract.extract_article

    def counting(article, reference):
        calls.append(article["article_id"])
        return real(article, reference)
    monkeypatch.setattr(kaidan.extract, "extract_article", counting)
    return calls


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _new_article(corpus: Path, name: str = "new.txt") -> Path:
    path = corpus / "9999" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(Generator(seed=9).article(500), encoding="utf-8")
    return path


def test_a_rerun_with_one_new_file_extracts_only_that_file(corpus, tmp_path, counted):
    cache = tmp_path / "cache"
    first = extract_to_folder(corpus, tmp_path / "a", jobs=1, cache_dir=cache)
    assert (first.stats["extracted"], first.stats["from_cache"]) == (12, 0)
    assert len(counted) == 12

    again = extract_to_folder(corpus, tmp_path / "b", jobs=1, cache_dir=cache)
    assert (again.stats["extracted"], again.stats["from_cache"]) == (0, 12)
    assert len(counted) == 12
    assert _files(tmp_path / "b") == _files(tmp_path / "a")

    new = _new_article(corpus)
    counted.clear()
    third = extract_to_folder(corpus, tmp_path / "c", jobs=1, cache_dir=cache)
    assert (third.stats["extracted"], third.stats["from_cache"]) == (1, 12)
    assert counted == [new.stem]


def test_cached_tables_are_the_bytes_of_a_run_without_cache(corpus, tmp_path):
    extract_to_folder(corpus, tmp_path / "plain", jobs=1)
    extract_to_folder(corpus, tmp_path / "cold", jobs=1, cache_dir=tmp_path / "cache")
    extract_to_folder(corpus, tmp_path / "warm", jobs=2, cache_dir=tmp_path / "cache")
    assert _files(tmp_path / "cold") == _files(tmp_path / "plain") == _files(tmp_path / "warm")


def test_an_edited_file_or_metadata_row_is_extracted_again(corpus, tmp_path, counted):
    cache = tmp_path / "cache"
    extract_to_folder(corpus, tmp_path / "a", jobs=1, cache_dir=cache)
    first = sorted(corpus.rglob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n追記。\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    second = sorted(corpus.rglob("*.txt"))[1]
    meta.write_text(f"file,published\n{second.relative_to(corpus).as_posix()},2020-01-02\n", encoding="utf-8")
    counted.clear()
    summary = extract_to_folder(corpus, tmp_path / "b", meta, jobs=1, cache_dir=cache)
    assert sorted(counted) == sorted([first.stem, second.stem])
    assert summary.stats["from_cache"] == 10
    # and what came out is what a run without the cache makes
    extract_to_folder(corpus, tmp_path / "plain", meta, jobs=1)
    assert _files(tmp_path / "b") == _files(tmp_path / "plain")


def test_load_corpus_uses_the_cache_too(corpus, tmp_path, counted):
    cache = tmp_path / "cache"
    a = load_corpus(corpus, cache_dir=cache)
    counted.clear()
    b = load_corpus(corpus, cache_dir=cache)
    assert counted == [] and b.stats["from_cache"] == 12
    a.save(tmp_path / "a")
    b.save(tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_generations_by_kaidan_and_gazetteers(tmp_path, monkeypatch):
    assert Cache(tmp_path, "aaaa").folder != Cache(tmp_path, "bbbb").folder
    digest = "ref"
    for n in range(5):  # five kaidan versions used in turn: the three latest are kept
        monkeypatch.setattr(cache_module, "code_fingerprint", lambda n=n: f"v{n}")
        folder = Cache(tmp_path, digest).open().folder
        os.utime(folder / ".last-used", (n, n))
    assert sorted(p.name.split("-")[1] for p in tmp_path.iterdir()) == ["v2", "v3", "v4"]


def test_a_damaged_entry_is_a_miss_and_is_rewritten(corpus, tmp_path, counted):
    cache = tmp_path / "cache"
    extract_to_folder(corpus, tmp_path / "a", jobs=1, cache_dir=cache)
    entries = sorted(p for p in cache.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert len(entries) == 12
    entries[0].write_bytes(b"not zlib")
    counted.clear()
    summary = extract_to_folder(corpus, tmp_path / "b", jobs=1, cache_dir=cache)
    assert len(counted) == 1 and summary.stats["from_cache"] == 11
    assert _files(tmp_path / "b") == _files(tmp_path / "a")


def test_a_cache_that_cannot_be_written_is_no_cache(corpus, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    summary = extract_to_folder(corpus, tmp_path / "a", jobs=1, cache_dir=blocked / "cache")
    assert summary.stats["extracted"] == 12


def test_cli_default_cache_folder_and_no_cache(corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KAIDAN_CACHE_DIR", str(tmp_path / "env-cache"))
    assert default_cache_dir() == tmp_path / "env-cache"
    assert main(["extract", str(corpus), "--out", str(tmp_path / "a"), "--no-cache"]) == 0
    assert not (tmp_path / "env-cache").exists()
    assert main(["extract", str(corpus), "--out", str(tmp_path / "b")]) == 0
    assert len([p for p in (tmp_path / "env-cache").rglob("*") if p.is_file()]) == 12 + 1  # + the used mark
    assert main(["extract", str(corpus), "--out", str(tmp_path / "c"), "--cache", str(tmp_path / "own")]) == 0
    assert (tmp_path / "own").is_dir()
    assert _files(tmp_path / "a") == _files(tmp_path / "b") == _files(tmp_path / "c")


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("KAIDAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "kaidan"


@pytest.mark.parametrize("name, write", [
    ("news.csv", lambda path, rows: path.write_text(
        "記事番号,日付,本文案,要約\n" + "".join(f"{i},{d},{a},{b}\n" for i, d, a, b in rows), encoding="utf-8")),
    ("news.jsonl", lambda path, rows: path.write_text("".join(
        json.dumps({"記事番号": i, "日付": d, "本文案": a, "要約": b}, ensure_ascii=False) + "\n"
        for i, d, a, b in rows), encoding="utf-8")),
])
def test_other_columns_extract_an_export_again_never_from_the_cache(name, write, tmp_path, counted):
    root = tmp_path / "export"
    root.mkdir()
    write(root / name, [("k1", "2024-05-02", "外相は訪問先で会談に臨んだ。", "首相は記者会見を開いた。"),
                        ("k2", "2024-05-03", "両国の次官が協議した。", "大臣は談話を出した。")])
    cache = tmp_path / "cache"
    first = extract_to_folder(root, tmp_path / "a", jobs=1, cache_dir=cache, columns="body=本文案,id=記事番号")
    assert first.stats["from_cache"] == 0 and sorted(counted) == ["k1", "k2", "news"]  # the file's own row too
    counted.clear()
    other = {"body": "要約", "id": "記事番号"}
    second = extract_to_folder(root, tmp_path / "b", jobs=1, cache_dir=cache, columns=other)
    assert second.stats["from_cache"] == 0 and sorted(counted) == ["k1", "k2", "news"]
    bodies = pd.read_parquet(tmp_path / "b" / "articles.parquet").set_index("article_id")["body"]
    assert bodies["k1"] == "首相は記者会見を開いた。"
    extract_to_folder(root, tmp_path / "plain", jobs=1, columns=other)
    assert _files(tmp_path / "b") == _files(tmp_path / "plain")
    counted.clear()
    again = extract_to_folder(root, tmp_path / "c", jobs=1, cache_dir=cache, columns=other)
    assert again.stats["from_cache"] == 2 and counted == ["news"]  # the file's own row is never cached

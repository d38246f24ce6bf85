"""The parsed gazetteers kept in the user's cache folder: read back when the very same files
were parsed before, parsed again whenever the entry cannot be trusted, never fatal."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kaidan.reference as reference_module
from kaidan.reference import cache, load_reference

REFERENCE_DIR = Path(reference_module.__file__).parent
load = load_reference.__wrapped__  # past the in-process lru_cache: each call starts as a new process would


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the gazetteers, and an empty cache folder for this test."""
    monkeypatch.setenv("KAIDAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(cache.SWITCH, "1")
    copy = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


@pytest.fixture
def parses(monkeypatch):
    """How many times the YAML was parsed."""
    count = [0]
    parse = reference_module._parse

    def counted(files):
        count[0] += 1
        return parse(files)

    monkeypatch.setattr(reference_module, "_parse", counted)
    return count


def _entries(tmp_path) -> list[Path]:
    return sorted((tmp_path / "cache" / "reference").glob("*.pickle"))


def test_a_second_start_reads_the_kept_gazetteers_back(folder, parses, tmp_path):
    first = load(str(folder))
    again = load(str(folder))
    assert parses[0] == 1 and len(_entries(tmp_path)) == 1
    assert again is not first
    assert (again.digest, again.aliases, again.people, again.titles) == (first.digest, first.aliases, first.people,
                                                                         first.titles)
    assert again.countries.equals(first.countries) and again.forums.equals(first.forums)
    assert again.derived == {}


def test_an_edited_gazetteer_is_parsed_again(folder, parses, tmp_path):
    load(str(folder))
    titles = folder / "titles.yaml"
    titles.write_text(titles.read_text(encoding="utf-8") + "\n- title: 試験長官\n  role: foreign_minister\n",
                      encoding="utf-8")
    edited = load(str(folder))
    assert parses[0] == 2 and "試験長官" in edited.titles and len(_entries(tmp_path)) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x04\x95garbage"])
def test_a_corrupt_entry_is_parsed_again_and_replaced(folder, parses, tmp_path, damage):
    good = load(str(folder))
    _entries(tmp_path)[0].write_bytes(damage)
    again = load(str(folder))
    assert parses[0] == 2 and again.aliases == good.aliases
    assert load(str(folder)).aliases == good.aliases and parses[0] == 2  # the entry was written afresh


def test_an_unwritable_cache_folder_still_loads(folder, parses, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("KAIDAN_CACHE_DIR", str(blocked / "cache"))  # a folder under a file: mkdir fails
    assert load(str(folder)).aliases and load(str(folder)).aliases
    assert parses[0] == 2


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")
def test_an_entry_others_may_write_is_not_read(folder, parses, tmp_path):
    load(str(folder))
    entry = _entries(tmp_path)[0]
    entry.chmod(0o666)
    load(str(folder))
    assert parses[0] == 2


def test_switched_off_nothing_is_read_or_written(folder, parses, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.SWITCH, "0")
    load(str(folder))
    load(str(folder))
    assert parses[0] == 2 and not (tmp_path / "cache").exists()


def test_a_broken_gazetteer_is_refused_and_nothing_kept(folder, tmp_path):
    (folder / "titles.yaml").write_text("- title: [unclosed\n", encoding="utf-8")
    with pytest.raises(reference_module.ReferenceError, match="titles.yaml"):
        load(str(folder))
    assert _entries(tmp_path) == []

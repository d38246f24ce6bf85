"""The synthetic corpus generator: deterministic, duplicate-free, and real work for extraction."""
from __future__ import annotations

import hashlib

import pytest

from kaidan import schemas
from kaidan.extract.read import read_article, read_corpus
from kaidan.reference import load_reference
from kaidan.dev.synthetic import Generator, generate, relative_path, write_corpus
from kaidan.extract import extract_article
from kaidan.text import normalize


@pytest.fixture(scope="module")
def generator():
    return Generator(seed=0)


def _digest(files):
    return hashlib.sha256(b"".join(rel.encode() + b"\0" + data for rel, data in files)).hexdigest()


def test_same_seed_same_bytes_and_a_prefix_of_larger_corpora():
    twenty = list(generate(20, seed=3))
    assert _digest(twenty) == _digest(generate(20, seed=3))
    assert list(generate(30, seed=3))[:20] == twenty
    assert _digest(generate(20, seed=4)) != _digest(twenty)


def test_articles_are_distinct_and_read_as_japanese_articles(tmp_path):
    write_corpus(tmp_path / "c", 60, seed=1)
    articles = read_corpus(tmp_path / "c")
    assert len(articles) == 60
    assert articles["duplicate_of"].isna().all()
    assert articles["content_hash"].is_unique
    assert (articles["status"] != "error").all()
    assert (articles["language"] == "ja").all()
    assert articles["n_chars"].min() > 300


def test_extraction_does_real_work_on_every_article(tmp_path):
    write_corpus(tmp_path / "c", 40, seed=2)
    reference = load_reference()
    with_meetings = 0
    for article in schemas.records(read_corpus(tmp_path / "c")):
        rows = extract_article(article, reference)
        kinds = {m["kind"] for m in rows["mentions"]}
        assert len(rows["sentences"]) >= 5
        assert "country" in kinds and ({"person", "unresolved_person"} & kinds), article["path"]
        with_meetings += bool(rows["meetings"])
    assert with_meetings >= 0.8 * 40


def test_people_places_and_dates_are_replaced(generator):
    texts = [generator.article(i) for i in range(30)]
    # the seeds' own cast is not all there is: other gazetteer people and other years appear
    assert sum("王毅" in t for t in texts) < 25
    years = {y for t in texts for y in range(2005, 2027) if f"{y}年" in t}
    assert len(years) >= 5


def test_saved_forms_decode_to_the_same_text(generator):
    forms = {}
    for i in range(600):
        suffix, data = generator.encoded(i, generator.article(i))
        kind = "cp932" if not data.startswith(b"<!DOCTYPE") and b"\r\n" not in data and _not_utf8(data) else \
            "html" if data.startswith(b"<!DOCTYPE") else "crlf" if b"\r\n" in data else "utf8"
        forms.setdefault(kind, (i, data))
    assert {"utf8", "cp932", "html", "crlf"} <= set(forms)
    for kind in ("cp932", "crlf"):
        i, data = forms[kind]
        assert read_article(data)["text"] == normalize(generator.article(i))
    assert read_article(forms["html"][1])["message"] == "a web page saved as text: read as HTML"


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def test_write_corpus_keeps_a_corpus_that_is_already_there(tmp_path):
    folder = tmp_path / "c"
    first = write_corpus(folder, 5, seed=0)
    path = folder / relative_path(0)
    before = path.stat().st_mtime_ns
    assert write_corpus(folder, 5, seed=0) == first
    assert path.stat().st_mtime_ns == before
    write_corpus(folder, 6, seed=0)  # another size: written again
    assert len(list(folder.rglob("*.txt")) + list(folder.rglob("*.md"))) == 6

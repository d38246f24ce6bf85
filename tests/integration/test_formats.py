"""Real inputs: the seeds as saved web pages, in a web archive, in CSV and JSON Lines exports
read as they are read as text files; every file and record accounted for; the same tables
however the run is made (jobs, cache, Dask)."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from formats_helpers import FURNITURE, saved_page, write_csv, write_jsonl, write_warc
from kaidan import schemas
from kaidan.run import executors
from kaidan.run.corpus import load_corpus
from kaidan.run.dask import extract_on_dask
from kaidan.run.loop import extract_to_folder


SITE = "東亜デジタル"
MEETING_FIELDS = ("date", "date_precision", "city", "host_country", "countries", "participants", "mode", "series",
                  "session", "reported_as", "status", "forum")


@pytest.fixture(scope="module")
def plain(seeds_dir, tmp_path_factory):
    """The seeds read as the text files they are."""
    root = tmp_path_factory.mktemp("plain") / "corpus"
    shutil.copytree(seeds_dir, root)
    return load_corpus(root)


def _articles(plain) -> list[dict]:
    """Each seed as title, paragraphs (its other lines, furniture and all), date and a URL."""
    found = []
    for i, row in enumerate(schemas.records(plain.articles)):
        lines = [line.strip() for line in row["text"].split("\n") if line.strip()]
        title = row["title"]
        paragraphs = lines[:lines.index(title)] + lines[lines.index(title) + 1:]  # the headline goes in <h1>
        found.append({"id": row["article_id"], "title": title, "paragraphs": paragraphs,
                      "published": row["published"], "url": f"https://news.example.jp/world/article-{i}.html"})
    return found


@pytest.fixture(scope="module")
def forms(plain, tmp_path_factory):
    """The seeds in each format, each in a corpus of its own (so none is the duplicate of another)."""
    base = tmp_path_factory.mktemp("forms")
    articles = _articles(plain)
    pages = {a["id"]: saved_page(a["title"], a["paragraphs"], site=SITE, published=a["published"], url=a["url"])
             for a in articles}
    folders = {name: base / name for name in ("pages", "archive", "csv", "jsonl")}
    for folder in folders.values():
        folder.mkdir()
    for n, (ident, page) in enumerate(pages.items()):
        suffix = ".htm" if n == 0 else ".html"
        (folders["pages"] / f"{ident}{suffix}").write_text(page, encoding="utf-8")
    records = []
    for a in articles:
        records += [{"type": "request", "url": a["url"]}, {"url": a["url"], "body": pages[a["id"]].encode("utf-8")}]
    records += [{"type": "revisit", "url": articles[0]["url"]},
                {"url": "https://news.example.jp/img/photo.jpg", "body": b"\xff\xd8\xff\xe0 not text",
                 "content_type": "image/jpeg"}]
    write_warc(folders["archive"] / "crawl.warc.gz", records)
    body = {a["id"]: "\n\n".join(a["paragraphs"]) for a in articles}
    write_csv(folders["csv"] / "export.csv", ["id", "title", "published", "url", "source", "text"],
              [[a["id"], a["title"], a["published"] or "", a["url"], SITE, body[a["id"]]] for a in articles])
    write_jsonl(folders["jsonl"] / "export.jsonl",
                [{"id": a["id"], "headline": a["title"], "date": a["published"], "link": a["url"],
                  "content": body[a["id"]]} for a in articles])
    return {name: load_corpus(folder) for name, folder in folders.items()}


def _by_seed(corpus, plain) -> dict[str, str]:
    """Each seed's article_id in this corpus (matched by title)."""
    titles = dict(zip(plain.articles["title"], plain.articles["article_id"]))
    return {titles[t]: a for t, a in zip(corpus.articles["title"], corpus.articles["article_id"]) if t in titles}


def _mentions(corpus, article_id) -> Counter:
    m = corpus.mentions[corpus.mentions["article_id"] == article_id]
    return Counter(zip(m["kind"], m["id"], m["text"]))


def _meetings(corpus, article_id) -> list[tuple]:
    m = corpus.meetings[corpus.meetings["article_id"] == article_id]
    return sorted(tuple(str(row[f]) for f in MEETING_FIELDS) for row in schemas.records(m))


@pytest.mark.parametrize("form", ["pages", "archive", "csv", "jsonl"])
def test_each_form_gives_the_meetings_mentions_and_titles_of_the_plain_text(plain, forms, form):
    corpus = forms[form]
    found = _by_seed(corpus, plain)
    assert sorted(found) == sorted(plain.articles["article_id"])  # every seed, found by its title
    for seed, ident in found.items():
        assert _mentions(corpus, ident) == _mentions(plain, seed), (form, seed)
        assert _meetings(corpus, ident) == _meetings(plain, seed), (form, seed)
    assert len(corpus.meetings) == len(plain.meetings) and len(corpus.meetings) > 0


@pytest.mark.parametrize("form", ["pages", "archive"])
def test_no_site_furniture_reaches_a_body(plain, forms, form):
    bodies = forms[form].articles["body"].fillna("")
    texts = "\n".join(plain.articles["text"])
    for words in FURNITURE:
        assert words not in texts  # so its absence from the bodies says something
        assert not bodies.str.contains(words, regex=False).any(), words
    pages = forms[form].articles[forms[form].articles["body"] != ""]
    assert (pages["outlet"] == SITE).all()
    assert pages["url"].str.startswith("https://news.example.jp/world/").all()


@pytest.mark.parametrize("form", ["pages", "archive", "csv", "jsonl"])
def test_the_date_comes_from_the_page_or_export_where_it_gives_one(plain, forms, form):
    corpus = forms[form]
    for seed, ident in _by_seed(corpus, plain).items():
        expected = schemas.given(plain.articles.set_index("article_id").loc[seed, "published"])
        row = corpus.articles.set_index("article_id").loc[ident]
        assert schemas.given(row["published"]) == expected
        if expected:
            assert row["published_source"] == {"pages": "page", "archive": "page"}.get(form, "export")


def test_every_record_of_the_archive_is_accounted_for(forms):
    articles = forms["archive"].articles.set_index("article_id")
    assert articles.loc["crawl", "status"] == "ok"
    assert articles.loc["crawl", "message"] == ("web archive: 5 articles from 12 records; not articles: "
                                                "5 request records, 1 response of type image/jpeg, 1 revisit record")
    records = articles.drop(index="crawl")
    # the responses are the archive's records 2, 4, 6, 8 and 10, after their requests
    assert list(records.index) == [f"crawl:{n}" for n in (2, 4, 6, 8, 10)]
    assert (records["path"] == "crawl.warc.gz").all() and (records["status"] == "ok").all()


def test_the_paragraphs_of_a_page_are_kept(forms):
    body = forms["pages"].articles["body"].iloc[0]
    assert "\n\n" in body and not body.startswith("\n")


# --- the same tables however the run is made --------------------------------------------

@pytest.fixture(scope="module")
def mixed(tmp_path_factory, seeds_dir) -> Path:
    """The seeds as text, synthetic articles as pages in a web archive and rows of an export,
    a record seen twice, and a file kaidan does not read: more items than the pool's minimum."""
    from kaidan.dev.synthetic import Generator

    root = tmp_path_factory.mktemp("mixed") / "corpus"
    shutil.copytree(seeds_dir, root / "seeds")
    generator = Generator(seed=3)
    texts = [generator.article(i) for i in range(16)]
    pages = [saved_page(t.split("\n")[0], [line for line in t.split("\n")[1:] if line.strip()])
             for t in texts[:12]]
    records = [{"url": f"https://news.example.jp/{i}.html", "body": p.encode("utf-8")} for i, p in enumerate(pages)]
    write_warc(root / "crawl.warc.gz", records + [records[0], {"type": "request", "url": records[1]["url"]}])
    write_csv(root / "export.csv", ["title", "text"], [[t.split("\n")[0], t] for t in texts[12:]])
    (root / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    return root


@pytest.fixture(scope="module")
def mixed_single(mixed, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mixed-single")
    extract_to_folder(mixed, out, jobs=1)
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_jobs_and_cache_write_the_same_bytes(mixed, mixed_single, tmp_path, monkeypatch):
    articles = pd.read_parquet(mixed_single / "articles.parquet")
    assert len(articles) == 5 + 1 + 13 + 1 + 4 + 1
    assert articles.set_index("article_id").loc["crawl:13", "duplicate_of"] == "crawl:1"
    monkeypatch.setattr(executors, "PARALLEL_MIN_ITEMS", 0)
    monkeypatch.setattr(executors, "CHUNK_MAX_ITEMS", 3)
    extract_to_folder(mixed, tmp_path / "two", jobs=2)
    assert _files(tmp_path / "two") == _files(mixed_single)
    cold = extract_to_folder(mixed, tmp_path / "cold", jobs=2, cache_dir=tmp_path / "cache")
    warm = extract_to_folder(mixed, tmp_path / "warm", jobs=1, cache_dir=tmp_path / "cache")
    assert warm.stats["from_cache"] == cold.stats["extracted"] - len(
        articles[articles["path"].isin(["crawl.warc.gz", "export.csv", "scan.pdf"]) &
                 ~articles["article_id"].str.contains(":")])  # the files' own rows are not cached
    assert _files(tmp_path / "cold") == _files(mixed_single) == _files(tmp_path / "warm")


def test_dask_writes_the_single_machine_files(mixed, mixed_single, tmp_path, dask_cluster):
    extract_on_dask(mixed, tmp_path / "dask", dask_cluster)
    assert _files(tmp_path / "dask") == _files(mixed_single)

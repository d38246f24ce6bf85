"""Parallel and streamed extraction: the same tables, byte for byte, whatever the jobs.

Nothing here is timed; `make bench` measures speed.
"""
from __future__ import annotations

import io
import random
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.cli import main
from kaidan.constants import TABLE_NAMES as TABLES
from kaidan.dev.synthetic import write_corpus
from kaidan.extract import events as ev
from kaidan.extract import extract_article
from kaidan.extract.read import read_corpus
from kaidan.reference import load_reference
from kaidan.run import executors, loop, writer
from kaidan.run.corpus import Corpus, load_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir) -> Path:
    """Synthetic articles, the seeds, a duplicate, a refused file and an empty one."""
    root = tmp_path_factory.mktemp("parallel") / "corpus"
    write_corpus(root, 36, seed=5)
    shutil.copytree(seeds_dir, root / "seeds")
    shutil.copy(root / "seeds" / sorted(p.name for p in seeds_dir.iterdir())[1], root / "zz-copy.txt")
    (root / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "empty.md").write_text("")
    return root


@pytest.fixture
def many_chunks(monkeypatch):
    """Small corpora go to the pool too, in chunks of three files."""
    monkeypatch.setattr(executors, "PARALLEL_MIN_ITEMS", 0)
    monkeypatch.setattr(executors, "CHUNK_MAX_ITEMS", 3)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _reference_corpus(folder: Path) -> Corpus:
    """Extraction as it was written before chunks and pools: one article after another."""
    reference = load_reference()
    articles = read_corpus(folder)
    rows = {"sentences": [], "mentions": [], "meetings": []}
    for article in schemas.records(articles):
        if schemas.given(article.get("duplicate_of")):
            continue
        for name, items in extract_article(article, reference).items():
            rows[name].extend(items)
    events, meetings = ev.merge_events(schemas.from_records("meetings", rows["meetings"]), articles, reference)
    return Corpus(articles=articles, sentences=schemas.from_records("sentences", rows["sentences"]),
                  mentions=schemas.from_records("mentions", rows["mentions"]), meetings=meetings, events=events)


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    loop.extract_to_folder(corpus, out, jobs=1)
    return out


def test_streamed_tables_are_the_tables_of_one_article_after_another(corpus, serial, tmp_path):
    expected = _reference_corpus(corpus)
    got = Corpus.from_folder(serial)
    for name in TABLES:
        pd.testing.assert_frame_equal(got.tables()[name], Corpus.from_folder(_saved(expected, tmp_path)).tables()[name])
    # and the CSV, the format the evaluation reads, is what Corpus.save writes
    assert _files(serial) == _files(tmp_path / "saved")


def _saved(corpus: Corpus, tmp_path: Path) -> Path:
    corpus.save(tmp_path / "saved")
    return tmp_path / "saved"


def test_two_jobs_write_the_same_bytes(corpus, serial, tmp_path, many_chunks):
    summary = loop.extract_to_folder(corpus, tmp_path / "two", jobs=2)
    assert summary.stats["jobs"] == 2
    assert _files(tmp_path / "two") == _files(serial)


def test_load_corpus_in_parallel_saves_the_same_bytes(corpus, serial, tmp_path, many_chunks):
    loaded = load_corpus(corpus, jobs=2)
    loaded.save(tmp_path / "loaded")
    assert _files(tmp_path / "loaded") == _files(serial)
    assert loaded.stats["extracted"] == loaded.summary()["files"]


def test_duplicates_are_listed_once_and_counted_once(serial):
    corpus = Corpus.from_folder(serial)
    copy = corpus.articles.set_index("path").loc["zz-copy.txt"]
    assert copy["duplicate_of"] and copy["status"] == "warning"
    for name in ("sentences", "mentions", "meetings"):
        assert not (getattr(corpus, name)["article_id"] == copy["article_id"]).any()
    statuses = corpus.articles.set_index("path")["status"]
    assert statuses["picture.txt"] == "error" and statuses["empty.md"] == "error"


def test_file_order_does_not_matter(corpus, serial, tmp_path):
    names = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    shuffled = tmp_path / "shuffled"
    random.Random(1).shuffle(names)
    for rel in names:  # created in another order: another order on disk
        (shuffled / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / rel, shuffled / rel)
    loop.extract_to_folder(shuffled, tmp_path / "out", jobs=2)
    assert _files(tmp_path / "out") == _files(serial)


def test_cli_jobs(corpus, serial, tmp_path, many_chunks, capsys):
    assert main(["extract", str(corpus), "--out", str(tmp_path / "cli"), "--jobs", "2", "--no-cache"]) == 0
    assert _files(tmp_path / "cli") == _files(serial)
    out = capsys.readouterr()
    assert "articles (" in out.out and "zz-copy.txt: warning: duplicate of" in out.err
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(corpus), "--out", str(tmp_path / "x"), "--jobs", "0"])
    assert exit_.value.code == 2


def test_a_failed_run_keeps_the_previous_tables(corpus, serial, tmp_path, monkeypatch):
    out = tmp_path / "kept"
    shutil.copytree(serial, out)

    def broken(*args, **kwargs):  # one article's failure is an error row; a failed merge ends the run
        raise RuntimeError("boom")
    monkeypatch.setattr("kaidan.extract.events.merge_reports", broken)
    with pytest.raises(RuntimeError):
        loop.extract_to_folder(corpus, out, jobs=1)
    assert _files(out) == _files(serial)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_row_groups_do_not_depend_on_how_rows_arrive(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setitem(writer.ROW_GROUP_ROWS, "mentions", 50)
    corpus = Corpus.from_folder(_saved(load_corpus(Path(__file__).resolve().parents[2] / "seeds"), tmp_path))
    corpus.save(tmp_path / "whole")
    pieces = writer.TableWriter(tmp_path / "pieces")
    for name, frame in corpus.tables().items():
        for start in range(0, max(len(frame), 1), 37):
            pieces.append(name, frame.iloc[start:start + 37].reset_index(drop=True))
    pieces.close()
    assert _files(tmp_path / "pieces") == _files(tmp_path / "whole")
    groups = pq.ParquetFile(tmp_path / "whole" / "mentions.parquet").metadata
    assert groups.num_row_groups == -(-len(corpus.mentions) // 50)


def test_tables_read_back_with_their_dtypes(serial):
    for name in TABLES:
        frame = pd.read_parquet(serial / f"{name}.parquet")
        empty = schemas.empty(name)
        assert list(frame.columns) == list(empty.columns)
        for column in schemas.TABLES[name]:
            if column.kind != "list":
                assert frame[column.name].dtype == empty[column.name].dtype, (name, column.name)


def _pairwise_partition(meetings: pd.DataFrame, articles: pd.DataFrame) -> list[list[str]]:
    """merge_events' grouping as written without its indexes: every pair of a block compared.
    Dated reports placed in time merge pairwise; each other report joins the best fit it is
    the same event with, among those placed in time first, then among the rest."""
    rows = schemas.records(meetings.sort_values("meeting_id"))
    dates = {a: ev.parse_day(p) if isinstance(p, str) and p else None
             for a, p in zip(articles["article_id"], articles["published"])}
    placed = [bool(row["date"]) and ev._precise(ev._span(row, dates.get(row["article_id"]))) for row in rows]
    parent = list(range(len(rows)))

    def attach(i, among):
        fits = [(ev._fit(rows[i], rows[j]), rows[j]["meeting_id"], j) for j in among
                if ev._find(parent, j) != ev._find(parent, i) and ev.same_event(rows[i], rows[j], dates, {})]
        if fits:
            parent[ev._find(parent, i)] = ev._find(parent, max(fits)[2])
        return bool(fits)

    for members in ev._blocks([row["countries"] for row in rows]).values():
        dated = [i for i in members if placed[i]]
        for x, i in enumerate(dated):
            for j in dated[x + 1:]:
                if ev.same_event(rows[i], rows[j], dates, {}):
                    parent[ev._find(parent, j)] = ev._find(parent, i)
        vague = [i for i in members if not placed[i]]
        waiting = [i for i in vague if not attach(i, dated)]
        for i in waiting:
            attach(i, [j for j in vague if j != i])
    groups = defaultdict(list)
    for i, row in enumerate(rows):
        groups[ev._find(parent, i)].append(row["meeting_id"])
    return sorted(sorted(g) for g in groups.values())


@pytest.mark.parametrize("seed", range(6))
def test_indexed_event_merge_equals_pairwise_merge(seed):
    rng = random.Random(seed)
    people = ["Wang Yi", "Sergei Lavrov", "Sergei Shoigu", "Xi Jinping", "Vladimir Putin", "Yoko Kamikawa"]

    def day():
        return f"2024-{rng.randint(1, 3):02d}-{rng.randint(1, 4):02d}"
    rows, articles = [], []
    for a in range(150):
        published = rng.choice([None, day(), day(), f"2024-{rng.randint(4, 12):02d}-01"])
        articles.append({"article_id": f"a{a:03d}", "published": published})
        for k in range(rng.randint(1, 3)):
            date = rng.choice([None, None, "2024", "2023", f"2024-{rng.randint(1, 3):02d}", day(), day()])
            rows.append({
                "article_id": f"a{a:03d}", "meeting_id": f"a{a:03d}#{k}", "date": date,
                "date_precision": None if date is None else {4: "year", 7: "month", 10: "day"}[len(date)],
                "date_text": rng.choice([None, None, "3日", "４日午後", "1日"]),
                "city": rng.choice([None, None, "Beijing", "Moscow"]), "host_country": rng.choice([None, "CHN", "RUS"]),
                "countries": rng.choice([["CHN", "RUS"], ["CHN", "RUS"], ["JPN", "RUS"]]),
                "participants": rng.sample(people, rng.randint(0, 3)),
                "mode": rng.choice([None, "in_person", "in_person", "phone", "video"]),
                "series": rng.choice([None, None, "summit", "china_russia_strategic_dialogue"]),
                "session": rng.choice([None, None, None, 20, 21]), "reported_as": rng.choice(["main", "background"]),
                "status": "held", "forum": None, "evidence": "…", "evidence_start": 0, "evidence_end": 1,
                "sentences": [0], "event_id": None})
    meetings = schemas.from_records("meetings", rows)
    articles = pd.DataFrame(articles, dtype=object)
    events, _ = ev.merge_events(meetings, articles)
    assert sorted(sorted(ids) for ids in events["meeting_ids"]) == _pairwise_partition(meetings, articles)
    assert len(events) < len(meetings)  # the case exercises merging


def test_progress_line_only_for_long_runs():
    quiet = io.StringIO()
    bar = loop.Progress(10, stream=quiet)
    bar.add(3)
    bar.close()
    assert quiet.getvalue() == ""  # a short run shows nothing

    log = io.StringIO()
    bar = loop.Progress(10, stream=log)
    bar.started -= 60  # as if the run had been going for a minute
    bar.add(5, cached=2, chars=50_000)
    bar.close()
    assert "extracting 5/10 articles (50%, 2 from cache)" in log.getvalue() and log.getvalue().endswith("\n")

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    tty = Terminal()
    bar = loop.Progress(10, stream=tty)
    bar.started -= 60
    bar.add(10)
    bar.close()
    assert tty.getvalue().startswith("\rkaidan: extracting 10/10") and tty.getvalue().endswith("\r\x1b[K")

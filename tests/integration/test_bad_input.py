"""Issue #5, bad input end to end: one generated corpus with every kind of bad file, run
through `kaidan extract`. Every file is listed with a status and a reason, the reasons reach
stderr naming the file, the run exits 0 (1 with --strict, 2 for a usage error), and the
good articles are still analysed, the duplicate counted once.

Nothing here is a committed binary: the corpus is written by `bad_corpus()` below.
"""
from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

from formats_helpers import png
from kaidan.extract.read import MAX_ANALYSED_CHARS
from kaidan.extract.read import files as read_files
from kaidan.cli import main
from kaidan.run.corpus import Corpus
from kaidan.constants import TABLE_NAMES


def article(topic: str, city: str = "北京") -> str:
    """A short Japanese article reporting one meeting; `topic` makes each text distinct."""
    return (f"日中外相が{city}で会談 {topic}を協議\n"
            "2024年11月19日\n"
            "\n"
            f"王毅外相は2024年11月19日、{city}で岩屋毅外相と会談した。両氏は{topic}について意見を交わした。\n"
            "両氏は「対話を続ける」ことで一致した。\n")


ENGLISH = ("Japan and China hold talks in Beijing\n\nThe foreign ministers of Japan and China met in Beijing on "
           "Tuesday and agreed to continue the dialogue. They discussed trade and the security of the region.\n")
# 王毅, 会谈 and 北京 are all there: Japanese rules applied to it would find a meeting.
CHINESE = ("中国外交部长王毅在北京会见日本外相\n\n中国外交部长王毅与日本外相岩屋毅在北京举行会谈。"
           "双方就两国关系和国际地区问题交换了意见。\n")
HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>日中外相が北京で会談</title>"
             "<script>var tracking = \"スクリプトの中身\";</script></head>\n<body><nav>ホーム</nav>"
             "<h1>日中外相が北京で会談</h1>\n<p>王毅外相は2024年11月19日、北京で岩屋毅外相と会談した。</p>"
             "<p>両氏は対話を続けることで一致した。</p></body></html>\n")


BIG_BLOCK = article("大量のテキスト").encode("utf-8")
BIG = BIG_BLOCK * (MAX_ANALYSED_CHARS // len(article("大量のテキスト")) + 1)  # past the memory safeguard (30 MB)
ONE_MB_LINE = ("王毅外相は北京で岩屋毅外相と会談した。" * 20_000).encode("utf-8")  # one 1 MB line, no line end
# One long line still short enough to analyse: a meeting, then 85,000 characters of talk.
LONG_LINE = "王毅外相は2024年11月19日、北京で岩屋毅外相と会談した。" + "両国は経済協力について意見を交わした。" * 4500

# Text files: name -> bytes, with the text they must read as (None: no text).
TEXTS: dict[str, tuple[bytes, str | None]] = {
    "good.txt": (article("経済協力").encode("utf-8"), article("経済協力")),
    "good_copy.txt": (article("経済協力").encode("utf-8"), article("経済協力")),
    "empty.txt": (b"", ""),
    "whitespace.txt": (" \n\t\r\n\u3000\n".encode("utf-8"), None),
    "image.txt": (png(), None),
    "noise.txt": (bytes(range(128, 256)) * 40, None),
    "truncated.txt": (article("原子力").encode("utf-8").rstrip(b"\n")[:-1], None),
    "shift_jis.txt": (article("漁業").encode("cp932"), article("漁業")),
    "euc_jp.txt": (article("観光").encode("euc_jp"), article("観光")),
    "utf16le_bom.txt": (codecs.BOM_UTF16_LE + article("気候").encode("utf-16-le"), article("気候")),
    "utf16be_bom.txt": (codecs.BOM_UTF16_BE + article("海洋").encode("utf-16-be"), article("海洋")),
    "utf16le_no_bom.txt": (article("宇宙").encode("utf-16-le"), article("宇宙")),
    "utf16be_no_bom.txt": (article("教育").encode("utf-16-be"), article("教育")),
    "utf8_bom.txt": (codecs.BOM_UTF8 + article("農業").encode("utf-8"), article("農業")),
    "crlf.txt": (article("医療").replace("\n", "\r\n").encode("utf-8"), article("医療")),
    "cr.txt": (article("文化").replace("\n", "\r").encode("utf-8"), article("文化")),
    "big.txt": (BIG, BIG.decode("utf-8")),
    "one_mb_line.txt": (ONE_MB_LINE, ONE_MB_LINE.decode("utf-8")),
    "long_line.txt": (LONG_LINE.encode("utf-8"), LONG_LINE),
    "page.txt": (HTML_PAGE.encode("utf-8"), None),
    "english.txt": (ENGLISH.encode("utf-8"), ENGLISH),
    "chinese.txt": (CHINESE.encode("utf-8"), CHINESE),
    "with space.txt": (article("金融").encode("utf-8"), article("金融")),
    "日中外相会談.txt": (article("安全保障").encode("utf-8"), article("安全保障")),
    "📰 news 🇯🇵.md": (article("防災").encode("utf-8"), article("防災")),
    "unreadable.txt": (article("秘密").encode("utf-8"), None),
    "x.txt/inside.txt": (article("入れ子").encode("utf-8"), article("入れ子")),
}

METADATA = ("\ufefffile,url,published,outlet,extra\n"
            "good.txt,https://example.com/2024/11/19/good.html,2024-11-20,Example News,x\n"   # 2: applied
            "shift_jis.txt,,2024-13-45,,\n"                                                   # 3: bad date
            "ghost.txt,,2024-01-01,,\n"                                                       # 4: no such file
            "euc_jp.txt,https://example.com/euc\n"                                            # 5: cells missing
            "crlf.txt,,2024-11-19,Crlf Times,x,surplus,cells\n"                               # 6: cells extra
            "日中外相会談.txt,,2024/11/21,,\n")                                               # 7: applied

# Every file: status, words its message holds ("" = the message is empty).
EXPECTED: dict[str, tuple[str, str]] = {
    "good.txt": ("ok", ""),
    "good_copy.txt": ("warning", "duplicate of good"),
    "empty.txt": ("error", "empty file"),
    "whitespace.txt": ("error", "empty file (whitespace only)"),
    "image.txt": ("error", "binary data (a PNG image), not text"),
    "noise.txt": ("error", "undecodable bytes"),
    "truncated.txt": ("warning", "invalid UTF-8: 2 bytes replaced (the file looks truncated)"),
    "shift_jis.txt": ("ok", ""),
    "euc_jp.txt": ("ok", ""),
    "utf16le_bom.txt": ("ok", ""),
    "utf16be_bom.txt": ("ok", ""),
    "utf16le_no_bom.txt": ("ok", ""),
    "utf16be_no_bom.txt": ("ok", ""),
    "utf8_bom.txt": ("ok", ""),
    "crlf.txt": ("ok", ""),
    "cr.txt": ("ok", ""),
    "big.txt": ("warning", "too long to analyse as one article"),
    "one_mb_line.txt": ("ok", ""),
    "long_line.txt": ("ok", ""),
    "page.txt": ("warning", "a web page saved as text: read as HTML"),
    "english.txt": ("warning", "not Japanese (looks like English)"),
    "chinese.txt": ("warning", "not Japanese (looks like Chinese"),
    "with space.txt": ("ok", ""),
    "日中外相会談.txt": ("ok", ""),
    "📰 news 🇯🇵.md": ("ok", ""),
    "unreadable.txt": ("error", "permission denied"),
    "x.txt": ("error", "is a directory"),
    "x.txt/inside.txt": ("ok", ""),
    "loop_a.txt": ("error", "symlink loop"),
    "loop_b.txt": ("error", "symlink loop"),
    "link_out.txt": ("error", "link points outside the corpus folder"),
    "broken_link.txt": ("error", "broken link"),
    "fifo.txt": ("error", "not a regular file"),
}

METADATA_PROBLEMS = [
    ("unknown column(s) 'extra' ignored", None),
    ("line 3: published '2024-13-45' is not a date", None),
    ("line 4: no file 'ghost.txt' in the corpus", None),
    ("line 5: 2 cells where the header has 5", None),
    ("line 6: 7 cells where the header has 5", None),
]


def bad_corpus(base: Path) -> tuple[Path, Path]:
    """Write the corpus and its metadata file under base; returns (folder, metadata)."""
    root = base / "corpus"
    root.mkdir(parents=True)
    for rel, (data, _) in TEXTS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / "unreadable.txt").chmod(0)
    (base / "outside.txt").write_text(article("外部"), encoding="utf-8")
    (root / "link_out.txt").symlink_to(base / "outside.txt")
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "broken_link.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(root / "fifo.txt")
    metadata = base / "meta.csv"
    metadata.write_text(METADATA, encoding="utf-8")
    return root, metadata


@contextlib.contextmanager
def unreadable_as_root():
    """Root reads a mode-000 file anyway; make reading it fail as it does for anyone else."""
    if os.geteuid() != 0:
        yield
        return
    real = read_files._read_bytes

    def read_bytes(path):
        if not os.stat(path).st_mode & (stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    with mock.patch.object(read_files, "_read_bytes", read_bytes):
        yield


def run_cli(*args: str) -> tuple[int, str, str]:
    """`kaidan ARGS` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), unreadable_as_root():
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def kaidan(*args, timeout=600) -> subprocess.CompletedProcess:
    """`kaidan ARGS` as a separate process, as a scheduled run starts it."""
    return subprocess.run([sys.executable, "-m", "kaidan", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad_input")
    root, metadata = bad_corpus(base)
    out = base / "tables"
    code, stdout, stderr = run_cli("extract", str(root), "--metadata", str(metadata), "--out", str(out),
                                   "--cache", str(base / "cache"))
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False, dtype=str)
    return {"base": base, "root": root, "metadata": metadata, "out": out, "code": code, "stdout": stdout,
            "stderr": stderr, "articles": articles.set_index("path", drop=False),
            "corpus": Corpus.from_folder(out)}


def found_names(root: Path) -> set[str]:
    """Every *.txt and *.md name under root, found without kaidan (links and folders included)."""
    names = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            if name.lower().endswith((".txt", ".md")):
                names.add(Path(dirpath, name).relative_to(root).as_posix())
    return names


# --- the run completes and loses nothing ---------------------------------------------------

def test_the_run_completes_with_exit_status_0(run):
    assert run["code"] == 0, run["stderr"]
    for name in TABLE_NAMES:
        assert (run["out"] / f"{name}.csv").is_file() and (run["out"] / f"{name}.parquet").is_file()


def test_every_file_is_listed_once(run):
    listed = run["articles"]["path"].tolist()
    assert len(listed) == len(set(listed))
    assert set(listed) == found_names(run["root"]) == set(EXPECTED)
    assert len(EXPECTED) == 33
    assert f"{len(EXPECTED)} articles (" in run["stdout"]


@pytest.mark.parametrize("path", list(EXPECTED))
def test_each_file_has_its_status_and_reason(run, path):
    status, words = EXPECTED[path]
    row = run["articles"].loc[path]
    assert row["status"] == status, f"{path}: {row['status']}: {row['message']}"
    if words:
        assert words in row["message"], f"{path}: {row['message']}"
    else:
        assert row["message"] == ""


@pytest.mark.parametrize("path", [p for p, (status, _) in EXPECTED.items() if status != "ok"])
def test_each_reason_reaches_stderr_naming_the_file(run, path):
    status, words = EXPECTED[path]
    lines = [line for line in run["stderr"].splitlines() if line.startswith(f"kaidan: {path}: {status}: ")]
    assert len(lines) == 1, run["stderr"]
    assert words in lines[0]


def test_ok_files_say_nothing_on_stderr(run):
    for path, (status, _) in EXPECTED.items():
        if status == "ok":
            assert f"kaidan: {path}:" not in run["stderr"]


@pytest.mark.parametrize("words", [w for w, _ in METADATA_PROBLEMS])
def test_each_metadata_problem_is_reported_once_naming_the_file(run, words):
    lines = [line for line in run["stderr"].splitlines() if words in line]
    assert len(lines) == 1, run["stderr"]
    assert lines[0].startswith("kaidan: metadata meta.csv")


def test_metadata_that_matched_is_applied_despite_the_bad_rows(run):
    articles = run["articles"]
    good = articles.loc["good.txt"]
    assert (good["published"], good["published_source"], good["outlet"], good["url"]) == (
        "2024-11-20", "metadata", "Example News", "https://example.com/2024/11/19/good.html")
    assert articles.loc["日中外相会談.txt", ["published", "published_source"]].tolist() == ["2024-11-21", "metadata"]
    assert articles.loc["euc_jp.txt", "url"] == "https://example.com/euc"      # the short row's cells
    assert articles.loc["crlf.txt", "outlet"] == "Crlf Times"                  # the long row's known cells
    assert articles.loc["shift_jis.txt", "published_source"] == "dateline"     # bad date ignored, not guessed


# --- what was read -------------------------------------------------------------------------

@pytest.mark.parametrize("path", [p for p, (_, text) in TEXTS.items() if text is not None])
def test_text_is_read_whole_in_its_encoding(run, path):
    articles = run["corpus"].articles.set_index("path")
    assert articles.loc[path, "text"] == TEXTS[path][1]
    assert "\r" not in articles.loc[path, "text"]


def test_encodings_are_recorded(run):
    encoding = run["articles"]["encoding"]
    assert encoding["shift_jis.txt"] in ("cp932", "shift_jis")
    assert encoding["euc_jp.txt"] in ("euc_jp", "euc_jis_2004", "euc_jisx0213")
    assert (encoding["utf16le_bom.txt"], encoding["utf16be_bom.txt"]) == ("utf-16-le", "utf-16-be")
    assert (encoding["utf16le_no_bom.txt"], encoding["utf16be_no_bom.txt"]) == ("utf-16-le", "utf-16-be")
    assert encoding["utf8_bom.txt"] == "utf-8-sig" and encoding["good.txt"] == "utf-8"


def test_truncated_utf8_keeps_what_is_there(run):
    text = run["corpus"].articles.set_index("path").loc["truncated.txt", "text"]
    assert text.endswith("\ufffd") and "原子力について意見を交わした。" in text


def test_html_page_is_read_as_its_visible_text(run):
    row = run["corpus"].articles.set_index("path").loc["page.txt"]
    assert "<" not in row["text"] and "スクリプトの中身" not in row["text"]
    assert row["title"] == "日中外相が北京で会談"
    assert "王毅外相は2024年11月19日、北京で岩屋毅外相と会談した。" in row["body"]


# --- what was analysed ---------------------------------------------------------------------

ANALYSED = [p for p, (status, _) in EXPECTED.items()
            if status == "ok" or p in ("truncated.txt", "page.txt")]


@pytest.mark.parametrize("path", ANALYSED)
def test_each_readable_japanese_article_yields_its_meeting(run, path):
    corpus = run["corpus"]
    article_id = corpus.articles.set_index("path").loc[path, "article_id"]
    meetings = corpus.meetings[corpus.meetings["article_id"] == article_id]
    assert len(meetings) >= 1, path
    assert {"CHN", "JPN"} <= set(meetings.iloc[0]["countries"])


@pytest.mark.parametrize("path", ["english.txt", "chinese.txt", "big.txt",
                                  *[p for p, (status, _) in EXPECTED.items() if status == "error"]])
def test_no_japanese_rules_run_on_what_is_not_a_japanese_article(run, path):
    corpus = run["corpus"]
    article_id = corpus.articles.set_index("path").loc[path, "article_id"]
    for name in ("sentences", "mentions", "meetings"):
        assert (getattr(corpus, name)["article_id"] != article_id).all(), f"{path} has {name}"
    assert not any(article_id in ids for ids in corpus.events["article_ids"])


def test_languages_are_marked(run):
    language = run["articles"]["language"]
    assert (language["english.txt"], language["chinese.txt"], language["good.txt"]) == ("en", "zh", "ja")


def test_the_duplicate_is_listed_marked_and_counted_once(run):
    corpus = run["corpus"]
    articles = corpus.articles.set_index("path")
    assert articles.loc["good_copy.txt", "duplicate_of"] == "good"
    duplicate = articles.loc["good_copy.txt", "article_id"]
    for name in ("sentences", "mentions", "meetings"):
        assert (getattr(corpus, name)["article_id"] != duplicate).all(), name
    assert not any(duplicate in ids for ids in corpus.events["article_ids"])
    good_meetings = corpus.meetings[corpus.meetings["article_id"] == "good"]
    assert len(good_meetings) == 1
    event = corpus.events.set_index("event_id").loc[good_meetings.iloc[0]["event_id"]]
    assert "good" in event["article_ids"] and event["n_articles"] == len(set(event["article_ids"]))


def test_the_tables_pass_their_schemas(run):
    # Corpus.from_folder validates each table; a cell kaidan could not write would fail here.
    assert len(run["corpus"].articles) == len(EXPECTED)
    assert set(run["corpus"].articles["status"]) == {"ok", "warning", "error"}


def test_an_article_whose_analysis_fails_is_an_error_row_and_the_run_goes_on(tmp_path, make_corpus):
    """A bug the fuzz has not found yet must cost one article, not the scheduled run."""
    from kaidan import extract

    root = make_corpus(tmp_path, {"a.txt": article("経済"), "boom.txt": article("爆発"), "c.txt": article("文化")})
    real = extract.extract_article

    def extract_article(row, reference):
        if row["article_id"] == "boom":
            raise RuntimeError("boom for the test")
        return real(row, reference)

    with mock.patch.object(extract, "extract_article", extract_article):
        code, _, stderr = run_cli("extract", str(root), "--out", str(tmp_path / "t"), "--no-cache", "-q")
    assert code == 0, stderr
    corpus = Corpus.from_folder(tmp_path / "t")
    articles = corpus.articles.set_index("path")
    assert articles.loc["boom.txt", "status"] == "error" and "boom for the test" in articles.loc["boom.txt", "message"]
    assert "kaidan: boom.txt: error: " in stderr and "boom for the test" in stderr
    assert set(corpus.meetings["article_id"]) == {"a", "c"}


# --- exit statuses ---------------------------------------------------------------------------

def test_strict_makes_any_warning_fatal_but_still_writes_the_tables(run, tmp_path):
    proc = kaidan("extract", run["root"], "--metadata", run["metadata"], "--out", tmp_path / "t", "--strict",
                  "--no-cache")
    assert proc.returncode == 1, proc.stderr
    assert (tmp_path / "t" / "articles.csv").is_file()
    assert "kaidan: image.txt: error: binary data" in proc.stderr


def test_strict_counts_a_metadata_problem_alone(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"a.txt": article("経済")})
    meta = tmp_path / "meta.csv"
    meta.write_text("file,url,published,outlet\nghost.txt,,,\n", encoding="utf-8")
    assert run_cli("extract", str(root), "--out", str(tmp_path / "t"), "--no-cache")[0] == 0
    code, _, stderr = run_cli("extract", str(root), "--metadata", str(meta), "--out", str(tmp_path / "t"), "--strict",
                              "--no-cache")
    assert code == 1 and "no file 'ghost.txt'" in stderr


def test_strict_passes_a_clean_corpus(tmp_path, make_corpus):
    root = make_corpus(tmp_path, {"a.txt": article("経済"), "b.txt": article("文化", city="東京")})
    code, _, stderr = run_cli("extract", str(root), "--out", str(tmp_path / "t"), "--strict", "--no-cache", "-q")
    assert code == 0 and stderr == ""


@pytest.mark.parametrize("args, words", [
    (["extract", "{base}/nowhere", "--out", "{base}/t"], "corpus folder not found: {base}/nowhere"),
    (["extract", "{base}/corpus", "--metadata", "{base}/nowhere.csv", "--out", "{base}/t"], "nowhere.csv"),
    (["extract", "{base}/meta.csv", "--out", "{base}/t"], "corpus path is not a folder"),
    (["extract", "{base}/corpus"], "the following arguments are required: --out"),
    (["extract", "{base}/corpus", "--out", "{base}/t", "--no-such-option"], "unrecognized arguments"),
], ids=["missing-folder", "missing-metadata", "file-as-folder", "missing-out", "unknown-option"])
def test_usage_errors_exit_2_with_a_message(run, args, words):
    base = str(run["base"])
    proc = kaidan(*[a.format(base=base) for a in args])
    assert proc.returncode == 2, proc.stderr
    assert words.format(base=base) in proc.stderr
    if not words.startswith(("the following", "unrecognized")):  # argparse adds its usage line
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_help_documents_strict_and_every_exit_status():
    proc = kaidan("extract", "--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "--strict" in text and "exit status:" in text
    for line in ("0 every file was read, or refused with a reason", "1 the run failed", "2 usage error"):
        assert line in text, text

"""Issue #10: kaidan never destroys what it did not write, and survives bad names, kills and odd
destinations.

Every refused run leaves the files inside and beside --out as they were; a published folder
keeps the files a colleague put in it; a name that is not UTF-8 is one row; killed runs leave
no process behind and no lock or temporary file that blocks the next; CSV cells cannot run as
formulas and list cells give back their items.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest

from kaidan import publish, schemas
from kaidan import reports as R
from kaidan.messages import shown, summarised
from kaidan.processes import pid_alive
from kaidan.run.writer import csv_rows

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
MEETING_SEED = SEEDS / "001_3004fc1717f84af1.txt"
LINUX = sys.platform.startswith("linux")


def kaidan(*args, cwd=REPO, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaidan", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=env)


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder (links not followed) with a digest of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def site(tmp_path):
    """A working folder with a small corpus, a metadata file, a folder of the user's own files
    and a sentinel file beside them all."""
    corpus = tmp_path / "work" / "corpus"
    corpus.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "work" / "meta.csv").write_text("file,outlet\n", encoding="utf-8")
    mine = tmp_path / "work" / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("my own notes", encoding="utf-8")
    (mine / ".htaccess").write_text("Require all granted", encoding="utf-8")
    (tmp_path / "work" / "sentinel.txt").write_text("beside", encoding="utf-8")
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    return tmp_path


# --- refused destinations ------------------------------------------------------------------------

REFUSED_REPORT = [  # --out (relative to the working folder), what the message says
    ("mine", "not a report folder kaidan published"),
    (".", "contains the corpus"),
    ("..", "contains the corpus"),
    ("corpus", "is the corpus"),
    ("/", "root of the file system"),
    ("../a-file", "is a file"),
    ("/proc/kaidan-cannot-write-here", "cannot write"),
]


@pytest.mark.parametrize("out, message", REFUSED_REPORT)
def test_a_refused_report_run_exits_2_before_any_work_and_destroys_nothing(site, out, message):
    work = site / "work"
    before = tree(site)
    proc = kaidan("report", "--corpus", "corpus", "--metadata", "meta.csv", "--out", out, "--no-figures",
                  cwd=work, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert tree(site) == before, "a refused run changed files"
    assert not list(site.rglob(".*staging*")) and not list(site.rglob(".*.lock"))


def test_the_corpus_survives_an_out_pointed_at_it_or_its_parent(site):
    corpus = site / "work" / "corpus"
    before = tree(corpus)
    for out in (corpus, corpus.parent, corpus / "..", site):
        proc = kaidan("report", "--corpus", corpus, "--out", out, "--no-figures", timeout=120)
        assert proc.returncode == 2 and "corpus" in proc.stderr, proc.stderr
        assert tree(corpus) == before


def test_out_may_not_hold_the_notebooks_the_metadata_or_the_repository(site, tmp_path):
    notebooks = site / "work" / "nb"
    notebooks.mkdir()
    for nb in (REPO / "notebooks").glob("*.ipynb"):
        (notebooks / nb.name).write_bytes(nb.read_bytes())
    cases = [(notebooks, "notebooks", {"--notebooks": notebooks}),
             (site / "work", "metadata file", {"--metadata": site / "work" / "meta.csv"})]
    for out, what, extra in cases:
        args = [x for pair in extra.items() for x in pair]
        proc = kaidan("report", "--corpus", SEEDS, "--out", out, "--no-figures", *args, cwd=tmp_path, timeout=120)
        assert proc.returncode == 2 and what in proc.stderr, proc.stderr
    corpus = site / "work" / "corpus"
    proc = kaidan("report", "--corpus", corpus, "--out", REPO, "--no-figures", cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and "repository" in proc.stderr, proc.stderr
    proc = kaidan("report", "--corpus", corpus, "--out", ".", "--no-figures", cwd=site / "work" / "mine", timeout=120)
    assert proc.returncode == 2 and "is the working folder" in proc.stderr, proc.stderr


@pytest.mark.parametrize("out, message", [
    (".", "is the working folder"), ("..", "contains the corpus"), ("../corpus", "is the corpus"),
    ("/", "root of the file system"), ("../../a-file", "is a file"),
    ("/proc/kaidan-cannot-write-here", "cannot write")])
def test_a_refused_extraction_exits_2_before_any_work(site, out, message):
    before = tree(site)
    proc = kaidan("extract", "../corpus", "--out", out, "--no-cache", cwd=site / "work" / "mine", timeout=120)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert tree(site) == before


# --- publishing over a folder kaidan made ----------------------------------------------------------

def _report_folder(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def test_publish_replaces_kaidans_files_and_keeps_the_others(tmp_path):
    out = _report_folder(tmp_path / "reports", {"index.html": "old", "tables/articles.csv": "old"})
    publish.write_marker(out, "test")
    _report_folder(out, {".htaccess": "deny", "README": "colleague", "tables/notes.txt": "mine"})
    staging = _report_folder(tmp_path / ".reports.staging-1", {"index.html": "new", "tables/articles.csv": "new"})
    publish.publish(staging, out, "test")
    assert (out / "index.html").read_text() == "new" and (out / "tables/articles.csv").read_text() == "new"
    assert (out / ".htaccess").read_text() == "deny" and (out / "README").read_text() == "colleague"
    assert (out / "tables/notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    owned = publish.owned_files(out)
    assert "index.html" in owned and ".htaccess" not in owned and "tables/notes.txt" not in owned


def test_publish_refuses_a_folder_kaidan_did_not_make_unless_told_and_then_keeps_its_files(tmp_path):
    out = _report_folder(tmp_path / "mine", {"index.html": "my page", "data.csv": "1,2"})
    staging = _report_folder(tmp_path / ".mine.staging-1", {"index.html": "report"})
    before = tree(out)
    with pytest.raises(publish.DestinationError, match="not a report folder"):
        publish.publish(staging, out)
    assert tree(out) == before
    publish.publish(staging, out, replace=True)
    assert (out / "index.html").read_text() == "report"
    assert (out / ("index.html" + publish.KEPT_SUFFIX)).read_text() == "my page"
    assert (out / "data.csv").read_text() == "1,2"


def test_a_report_folder_from_before_the_marker_is_kaidans(tmp_path):
    out = _report_folder(tmp_path / "reports", {"index.html": "old", "README": "colleague",
                                               "summary.json": json.dumps({"reports": [], "tables": [], "inputs": {}})})
    assert publish.owned_files(out) == {"index.html", "summary.json", publish.MARKER}
    publish.check_report_out(out, {})  # not refused


def test_a_mount_point_is_published_into_a_folder_inside_it(tmp_path, monkeypatch):
    mount = _report_folder(tmp_path / "share", {"someone-elses.txt": "theirs"})
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == mount or real(p))
    folder, note = publish.report_folder(mount)
    assert folder == mount / publish.MOUNT_FOLDER and "mount point" in note
    publish.check_report_out(folder, {})
    staging = _report_folder(mount / f".{folder.name}.staging-1", {"index.html": "report"})
    publish.publish(staging, folder)
    assert (folder / "index.html").read_text() == "report" and (mount / "someone-elses.txt").read_text() == "theirs"


def test_a_published_folder_keeps_a_colleagues_files_through_a_real_run(site):
    work = site / "work"
    first = kaidan("report", "--corpus", "corpus", "--out", "pub", "--no-figures", cwd=work)
    assert first.returncode == 0, first.stderr
    assert publish.owned_files(work / "pub") is not None
    _report_folder(work / "pub", {".htaccess": "deny", "README": "colleague", "tables/notes.txt": "mine"})
    again = kaidan("report", "--corpus", "corpus", "--out", "pub", "--no-figures", "--force", cwd=work)
    assert again.returncode == 0, again.stderr
    assert "kept 3 file(s)" in again.stderr
    for rel, text in {".htaccess": "deny", "README": "colleague", "tables/notes.txt": "mine"}.items():
        assert (work / "pub" / rel).read_text() == text
    assert (work / "sentinel.txt").read_text() == "beside" and tree(work / "mine")


# --- bad names --------------------------------------------------------------------------------------

def test_a_shift_jis_name_is_one_row_and_the_others_extract(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    name = "日中外相会談.txt".encode("cp932")
    with open(os.path.join(os.fsencode(corpus), name), "wb") as handle:
        handle.write("王毅外相は2024年11月19日、北京で岩屋毅外相と会談した。\n".encode("utf-8"))
    ids = []
    for run in range(2):
        out = tmp_path / f"out{run}"
        proc = kaidan("extract", corpus, "--out", out, "--no-cache")
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        articles = pd.read_parquet(out / "articles.parquet")
        assert len(articles) == 3
        bad = articles[articles["message"].str.contains("not UTF-8")]
        assert len(bad) == 1 and bad.iloc[0]["status"] == "warning"
        assert "日中外相会談" in bad.iloc[0]["message"]  # what it reads as in Shift_JIS
        ident = bad.iloc[0]["article_id"]
        assert ident.isprintable() and ident.isascii()
        ids.append(ident)
        assert (articles["status"] == "ok").sum() == 2
        assert len(pd.read_parquet(out / "meetings.parquet")) > 0
        assert "\\x" in proc.stderr and not any("\udc80" <= c <= "\udcff" for c in proc.stderr)
    assert ids[0] == ids[1]


def test_control_characters_in_a_name_are_shown_escaped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad\x1b[31mred\nname.txt").write_bytes(b"")
    proc = kaidan("extract", corpus, "--out", tmp_path / "out", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stderr and "bad\\x1b[31mred\\nname.txt" in proc.stderr
    assert shown("a\tb\x07\udc93") == "a\\tb\\x07\\udc93" and shown("日本 語") == "日本 語"


def test_repeated_problems_are_summarised_after_the_first_few(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(12):
        (corpus / f"empty{i:02d}.txt").write_bytes(b"")
    proc = kaidan("extract", corpus, "--out", tmp_path / "out", "--no-cache", "-q")
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 6, lines
    assert "… and 7 more like it" in lines[-1] and "see articles.csv" in lines[-1]
    assert len(pd.read_parquet(tmp_path / "out" / "articles.parquet")) == 12
    cut = list(summarised([f"metadata m.csv line {n}: no file 'f{n}.txt' in the corpus" for n in range(100)]))
    assert len(cut) == 6 and cut[-1].startswith("… and 95 more like it")


# --- CSV ------------------------------------------------------------------------------------------------

def test_a_formula_cell_is_neutralised_in_csv_and_exact_in_parquet(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = MEETING_SEED.read_text(encoding="utf-8").split("\n", 1)[1]
    (corpus / "a.txt").write_text('=HYPERLINK("http://evil.invalid","click")\n' + body, encoding="utf-8")
    (corpus / "b.txt").write_text("@SUM(1+1)\n本文です。\n", encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("file,title\nb.txt,+cmd|' /C calc'!A0\n", encoding="utf-8")
    out = tmp_path / "out"
    assert kaidan("extract", corpus, "--metadata", meta, "--out", out, "--no-cache").returncode == 0
    exact = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    with open(out / "articles.csv", encoding="utf-8", newline="") as handle:
        rows = {row["article_id"]: row for row in csv.DictReader(handle)}
    assert exact.loc["a", "text"].startswith("=HYPERLINK") and rows["a"]["text"].startswith("'=HYPERLINK")
    assert exact.loc["b", "title"] == "+cmd|' /C calc'!A0" and rows["b"]["title"] == "'+cmd|' /C calc'!A0"
    for table in schemas.TABLE_NAMES:
        with open(out / f"{table}.csv", encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                assert not any(cell[:1] in schemas.FORMULA_START for cell in row), (table, row)


def test_numbers_are_not_touched_and_only_text_is():
    frame = schemas.from_records("sentences", [{"article_id": "-x", "index": -1, "start": -5, "end": 3,
                                                "text": "\tTab"}])
    assert csv_rows("sentences", frame) == "'-x,-1,-5,3,'\tTab\n".encode()


@pytest.mark.parametrize("items", [["a;b"], ["x\\y", "z"], ["", "a"], ["a\\;b;", ";"], ["日;本", "CHN"]])
def test_list_cells_give_back_their_items(items):
    assert schemas.split_list(schemas.join_list(items)) == items


def test_a_semicolon_in_a_name_round_trips(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "日中;会談.txt").write_bytes(MEETING_SEED.read_bytes())
    out = tmp_path / "out"
    assert kaidan("extract", corpus, "--out", out, "--no-cache").returncode == 0
    with open(out / "events.csv", encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    assert events
    for row in events:
        assert schemas.split_list(row["article_ids"]) == ["日中;会談"]
    with open(out / "meetings.csv", encoding="utf-8", newline="") as handle:
        assert {row["article_id"] for row in csv.DictReader(handle)} == {"日中;会談"}


# --- killed runs ----------------------------------------------------------------------------------

def big_corpus(base: Path, files: int = 60) -> Path:
    """Enough articles that `--jobs 2` starts a pool and takes some seconds."""
    corpus = base / "big"
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(files):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (corpus / f"a{i:03d}.txt").write_text(text + f"\n通し番号{i}。\n", encoding="utf-8")
    return corpus


def tagged(tag: str) -> list[int]:
    """The processes whose environment carries this run's tag: the run and all it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"KAIDAN_TEST_RUN={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def start_tagged(args, cwd: Path) -> tuple[subprocess.Popen, str]:
    tag = uuid.uuid4().hex
    env = {**os.environ, "KAIDAN_TEST_RUN": tag}
    # Ctrl-C as a terminal delivers it, even when this suite runs where SIGINT is ignored (in the
    # background of a non-interactive shell, which every child would inherit)
    proc = subprocess.Popen([sys.executable, "-m", "kaidan", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return proc, tag


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def all_gone(tag: str, seconds: float = 5.0) -> list[int]:
    wait_for(lambda: not [p for p in tagged(tag) if pid_alive(p) and not _zombie(p)], seconds)
    return [p for p in tagged(tag) if not _zombie(p)]


def parent_of(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(") ", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _zombie(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


@pytest.mark.skipif(not LINUX, reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_a_killed_extraction_leaves_no_process_and_the_next_run_cleans_up(tmp_path, sig):
    corpus, out, cache = big_corpus(tmp_path), tmp_path / "out", tmp_path / "cache"
    run, tag = start_tagged(["extract", corpus, "--out", out, "--jobs", "2", "--cache", cache], tmp_path)
    assert wait_for(lambda: len(tagged(tag)) >= 3, 60), "the workers did not start"
    if sig == signal.SIGINT:
        os.killpg(run.pid, sig)  # Ctrl-C reaches the whole foreground group
    else:
        os.kill(run.pid, sig)    # only the main process, as the OOM killer or `kill` does
    run.wait(timeout=30)
    left = all_gone(tag)
    assert not left, f"processes left after {sig.name}: {left}"
    stderr = run.stderr.read()
    if sig == signal.SIGINT:
        assert run.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr, stderr
    if sig == signal.SIGTERM:
        assert run.returncode == 143 and "terminated" in stderr and "Traceback" not in stderr, stderr
    again = kaidan("extract", corpus, "--out", out, "--jobs", "2", "--cache", cache, "-q")
    assert again.returncode == 0, again.stderr
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert len(pd.read_parquet(out / "articles.parquet")) == 60


def test_stale_temporary_files_of_dead_runs_are_removed(tmp_path):
    corpus, out, cache = tmp_path / "corpus", tmp_path / "out", tmp_path / "cache"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(MEETING_SEED.read_bytes())
    assert kaidan("extract", corpus, "--out", out, "--cache", cache, "-q").returncode == 0
    dead = next(pid for pid in range(4_000_000, 4_100_000) if not pid_alive(pid))
    table_temp = out / f".events.csv.{dead}.tmp"
    table_temp.write_text("partial")
    generation = next(p for p in cache.iterdir() if p.is_dir())
    cache_temp = generation / ".tmp" / f"{dead}.123"
    cache_temp.parent.mkdir(exist_ok=True)
    cache_temp.write_bytes(b"partial")
    os.utime(cache_temp, (time.time() - 3600, time.time() - 3600))
    mine = out / f".events.csv.{os.getpid()}.tmp"  # a live writer's file stays
    mine.write_text("in progress")
    assert kaidan("extract", corpus, "--out", out, "--cache", cache, "-q").returncode == 0
    assert not table_temp.exists() and not cache_temp.exists() and mine.exists()


@pytest.mark.skipif(not LINUX, reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_report_killed_mid_extraction_leaves_no_process_and_no_lock(tmp_path, sig):
    corpus, out = big_corpus(tmp_path), tmp_path / "reports"
    run, tag = start_tagged(["report", "--corpus", corpus, "--out", out, "--no-figures"], tmp_path)
    # the extraction child's pool workers (the run's grandchildren) are at work
    assert wait_for(lambda: any(parent_of(parent_of(p)) == run.pid for p in tagged(tag))
                    and list(tmp_path.glob(".reports.staging-*/tables/.extracting")), 60), "no extraction to kill"
    os.kill(run.pid, sig)
    run.wait(timeout=30)
    left = all_gone(tag)
    assert not left, f"processes left after {sig.name}: {left}"
    with R.Lock(out):  # the next run starts at once: nobody holds the lock
        pass
    assert not out.exists()

"""kaidan.reports: parameters, the notebooks as committed, and `kaidan report` end to end."""
from __future__ import annotations

import ast
import csv
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from kaidan import publish
from kaidan.assets import SHARED_ASSETS
from kaidan import reports as R
from kaidan.constants import PLOTLY_MIMETYPE, TABLE_NAMES
from kaidan.reports.params import _is_iso_date

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SEEDS = REPO / "seeds"
HOSTILE_TITLE = "<img src=x onerror=alert(1)> 中ロ「戦略対話」 & <b>速報</b>"
HOSTILE_FILE = "a&b<i>.txt"
MAX_REPORT_BYTES = 300_000


def kaidan(*args, cwd=REPO, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaidan", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


# --- shared report runs (one each per test session; test_browser uses them too) ------------

@functools.lru_cache(maxsize=None)
def good_run(base: str) -> tuple[Path, subprocess.CompletedProcess]:
    """`kaidan report` on seeds/ into a fresh folder."""
    out = Path(base) / "good" / "reports"
    out.parent.mkdir(parents=True, exist_ok=True)
    return out, kaidan("report", "--corpus", SEEDS, "--out", out)


@functools.lru_cache(maxsize=None)
def hostile_run(base: str) -> dict:
    """A run over the good run's output, on a corpus whose title and file name are markup, with
    01 broken so it fails; a second run is started while it goes."""
    base_dir = Path(base) / "hostile"
    base_dir.mkdir(parents=True, exist_ok=True)
    good_out, _ = good_run(base)
    corpus = base_dir / "corpus"
    corpus.mkdir()
    seed = (SEEDS / "002_5334bc82fd01faaf.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    (corpus / HOSTILE_FILE).write_text(HOSTILE_TITLE + "\n" + seed, encoding="utf-8")
    shutil.copy(SEEDS / "004_dc04b11b17a28cd4.txt", corpus / "ok.txt")
    notebooks = base_dir / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    broken = nbformat.read(notebooks / "01_meeting_frequency.ipynb", as_version=4)
    after = next(i for i, c in enumerate(broken.cells) if '"meetings_per_period"' in c.source) + 1
    # after a main figure, which may be drawn before the notebook fails, but is not published
    broken.cells.insert(after, nbformat.v4.new_code_cell('raise RuntimeError("boom for the test")'))
    nbformat.write(broken, notebooks / "01_meeting_frequency.ipynb")
    out = base_dir / "reports"
    shutil.copytree(good_out, out)
    before = (out / "01_meeting_frequency.html").read_bytes()
    first = subprocess.Popen([sys.executable, "-m", "kaidan", "report", "--corpus", str(corpus), "--out", str(out),
                              "--notebooks", str(notebooks)], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(base_dir.glob(".reports.staging-*")) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = kaidan("report", "--corpus", corpus, "--out", out, timeout=120)
    stdout, stderr = first.communicate(timeout=900)
    return {"out": out, "returncode": first.returncode, "stderr": stderr, "second": second, "before": before,
            "base": base_dir}


@pytest.fixture(scope="session")
def good(tmp_path_factory):
    out, proc = good_run(str(tmp_path_factory.getbasetemp()))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    return hostile_run(str(tmp_path_factory.getbasetemp()))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("src"):
            self.srcs.append(attrs["src"])


def links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# --- parameters -------------------------------------------------------------------------------

def test_parameter_dates_are_those_analysis_reads():
    from kaidan import analysis

    for text in ("2024", "2024-02", "2024-02-29", "2023-02-29", "2024-13", "24-01-01", "2024-1-5"):
        assert _is_iso_date(text) == (analysis.date_span(text) is not None), text


def test_defaults_validate():
    params = R.validate_parameters("01_meeting_frequency", {})
    assert params.corpus == "seeds" and params.period == "year" and params.countries == []


@pytest.mark.parametrize("name, value, message", [
    ("start", "2024-13-01", "parameter start = '2024-13-01' is not a date"),
    ("end", "yesterday", "parameter end = 'yesterday' is not a date"),
    ("period", "decade", "parameter period = 'decade': expected one of year, quarter, month"),
    ("lang", "fr", "parameter lang = 'fr': expected one of en, ja"),
    ("countries", "CHN,Russia", "'RUSSIA' not an ISO 3166-1 alpha-3 code"),
    ("countries", 5, "parameter countries = 5"),
    ("countries", "CHN,ZZZ", "'ZZZ' not a country in the gazetteer"),
])
def test_bad_values_are_named(name, value, message):
    with pytest.raises(R.ParameterError) as error:
        R.validate_parameters("01_meeting_frequency", {name: value})
    assert message in str(error.value)


@pytest.mark.parametrize("notebook, name, value", [
    ("02_topic_cooccurrence", "min_count", 0), ("02_topic_cooccurrence", "unit", "word"),
    ("02_topic_cooccurrence", "measure", "odds"), ("03_forum_involvement", "top_n", "many"),
    ("00_corpus_overview", "max_rows", True), ("04_meetings", "latest", 0), ("04_meetings", "nodes", "cities"),
])
def test_bad_own_values_are_named(notebook, name, value):
    with pytest.raises(R.ParameterError, match=f"parameter {name} = {re.escape(repr(value))}"):
        R.validate_parameters(notebook, {name: value})


def test_values_as_papermill_passes_them_are_coerced():
    params = R.validate_parameters("02_topic_cooccurrence", {"start": 2024, "countries": "chn, rus",
                                                             "min_count": "3", "end": "2025-06"})
    assert (params.start, params.end, params.countries, params.min_count) == ("2024", "2025-06", ["CHN", "RUS"], 3)
    assert R.validate_parameters("03_forum_involvement", {"forums": '["SCO", "BRICS"]'}).forums == ["SCO", "BRICS"]
    assert R.validate_parameters("04_meetings", {"latest": "50", "nodes": "people"}).values == {
        **R.PARAMETERS["04_meetings"], "latest": 50, "nodes": "people"}


def test_start_after_end_is_an_error():
    with pytest.raises(R.ParameterError, match="start = '2025' is after end = '2024-06'"):
        R.validate_parameters("01_meeting_frequency", {"start": "2025", "end": "2024-06"})


def test_an_injected_unknown_parameter_is_an_error_not_a_warning():
    namespace = {"In": ["", 'corpus = "seeds"', '# Parameters\nstart = "2024"\nperiodd = "month"\n']}
    with pytest.raises(R.ParameterError, match="unknown parameter 'periodd' for 01_meeting_frequency"):
        R.validate_parameters("01_meeting_frequency", namespace)
    namespace["In"][2] = '# Parameters\nstart = "2024"\n'
    assert R.validate_parameters("01_meeting_frequency", namespace | {"start": "2024"}).start == "2024"


def test_run_parameters_must_be_known_to_some_notebook():
    names = [p.stem for p in R.notebook_paths(NOTEBOOKS)]
    assert R.check_run_parameters([("start", "2024"), ("min_count", "2")], names) == {"start": "2024",
                                                                                     "min_count": 2}
    for pairs, message in (([("nope", "1")], "unknown parameter 'nope'"), ([("tables", "x")], "set by kaidan"),
                           ([("corpus", "x")], "use --corpus")):
        with pytest.raises(R.ParameterError, match=message):
            R.check_run_parameters(pairs, names)


def test_corpus_path_resolves_from_the_repository_and_from_notebooks(monkeypatch):
    monkeypatch.chdir(REPO)
    assert R.resolve_path("seeds", "corpus") == SEEDS
    monkeypatch.chdir(NOTEBOOKS)
    assert R.resolve_path("seeds", "corpus") == SEEDS
    assert R.resolve_path("../seeds", "corpus") == SEEDS
    with pytest.raises(R.ParameterError, match="parameter corpus = 'nowhere': not found"):
        R.resolve_path("nowhere", "corpus")


# --- the committed notebooks ------------------------------------------------------------------

@pytest.mark.parametrize("name", R.NOTEBOOKS)
def test_committed_notebook_shape(name):
    path = NOTEBOOKS / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "kaidan"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    assigned = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign), "the parameters cell only assigns"
        assigned[node.targets[0].id] = ast.literal_eval(node.value)
    assert assigned == R.PARAMETERS[name]
    assert not tagged[0].source.lstrip().startswith("# Parameters")  # papermill's own marker
    validation = nb.cells[nb.cells.index(tagged[0]) + 1].source
    assert f'reports.validate_parameters("{name}", globals())' in validation
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "committed with the outputs of a run"
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    assert path.stat().st_size < 1_000_000
    text = path.read_text(encoding="utf-8")
    assert "plotly.js v" not in text and "cdn.plot.ly" not in text


def test_every_notebook_is_in_the_registry():
    assert [p.stem for p in R.notebook_paths(NOTEBOOKS)] == list(R.NOTEBOOKS) == list(R.PARAMETERS)


def _papermill(notebook, out, *params, cwd):
    return subprocess.run([sys.executable, "-m", "papermill", str(notebook), str(out), "--no-progress-bar",
                           *params], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_papermill_runs_a_notebook_from_the_repository_root(tmp_path):
    proc = _papermill("notebooks/01_meeting_frequency.ipynb", tmp_path / "out.ipynb", "-p", "start", "2024-01-01",
                      cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    text = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "start = 2024-01-01" in text


def test_papermill_runs_a_notebook_from_the_notebooks_folder_and_rejects_unknown_names(tmp_path):
    proc = _papermill("02_topic_cooccurrence.ipynb", tmp_path / "ok.ipynb", "-p", "unit", "sentence", cwd=NOTEBOOKS)
    assert proc.returncode == 0, proc.stderr[-2000:]
    proc = _papermill("02_topic_cooccurrence.ipynb", tmp_path / "bad.ipynb", "-p", "unitt", "sentence",
                      cwd=NOTEBOOKS)
    assert proc.returncode != 0
    assert "unknown parameter 'unitt' for 02_topic_cooccurrence" in proc.stderr + proc.stdout


# --- HTML pieces --------------------------------------------------------------------------------

def test_plotly_div_json_cannot_close_the_script():
    fig = {"data": [{"type": "bar", "x": ["</script><script>alert(1)</script>"], "y": [1]}], "layout": {}}
    markup = R.plotly_div(fig, "fig-1")
    assert markup.count("</script>") == 1 and "\\u003c\\u002fscript\\u003e" in markup


def test_export_hides_code_and_draws_figures_with_the_shared_plotly():

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("secret_code = 1")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        PLOTLY_MIMETYPE: {"data": [{"type": "bar", "y": [1]}], "layout": {"height": 300}}, "text/plain": "[figure]"}),
        nbformat.v4.new_output("stream", name="stderr", text="a library warning")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title <here>"), cell]
    page = R.export_html(nb, "nb", "T & <t>")
    assert "secret_code" not in page and "a library warning" not in page
    parser = Links()
    parser.feed(page)
    assert parser.srcs == ["plotly.min.js"] and 'id="nb-fig1"' in page
    assert "<title>T &amp; &lt;t&gt;</title>" in page
    assert "http://" not in page and "https://" not in page


def test_index_escapes_names_and_paths(tmp_path):
    summary = {"started": "s", "finished": "f", "seconds": 1.0, "version": "v", "status": "ok",
               "corpus": {"path": "/c/<b>", "files": 1, "hash": "h"}, "extraction": {"files": 1},
               "parameters": {"start": "<x>"}, "figures": [], "figures_note": None,
               "reports": [{"name": "n", "title": "<script>t</script>", "ok": False, "seconds": 1.0,
                            "message": "<i>boom</i>", "html": "a\"b.html", "notebook": None}],
               "tables": [{"name": "articles", "rows": 1, "csv": "tables/articles.csv",
                           "parquet": "tables/articles.parquet"}]}
    R.write_index(tmp_path, summary)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<i>boom" not in page and "/c/<b>" not in page
    assert "&lt;script&gt;t&lt;/script&gt;" in page and 'href="a&quot;b.html"' in page


def test_publish_swaps_the_folder_in(tmp_path):
    out, staging = tmp_path / "reports", tmp_path / ".reports.staging-1"
    out.mkdir()
    (out / "old.html").write_text("old")
    publish.write_marker(out, "test")  # kaidan's, so its old report goes
    staging.mkdir()
    (staging / "new.html").write_text("new")
    publish.publish(staging, out)
    assert (out / "new.html").exists() and not (out / "old.html").exists() and not staging.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]
    fresh = tmp_path / ".fresh"
    fresh.mkdir()
    publish.publish(fresh, tmp_path / "first")
    assert (tmp_path / "first").is_dir()


def test_without_a_browser_static_figures_are_skipped_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome-here"))
    assert R.find_browser() is None
    static = R.StaticFigures(tmp_path / "figures", log=lambda m: None)
    static.add("x", {"data": [], "layout": {}})
    assert static.close() == [] and static.problem.startswith("no Chrome or Chromium found")
    assert "apt-get install chromium" in static.problem


def test_a_second_lock_is_refused(tmp_path):
    out = tmp_path / "reports"
    with R.Lock(out):
        with pytest.raises(R.Busy, match=f"pid {os.getpid()}"):
            R.Lock(out).__enter__()
        code = R.run_report(str(SEEDS), str(out), log=lambda m: None)
        assert code == R.EXIT_BUSY
    with R.Lock(out):  # released
        pass


def test_usage_errors_exit_2_before_any_work(tmp_path):
    for args, message in ((["-p", "nope", "1"], "unknown parameter 'nope'"),
                          (["-p", "period", "decade"], "parameter period = 'decade'"),
                          (["--corpus", tmp_path / "missing"], "not found"),
                          (["--columns", "summary=要約"], "--columns: unknown field 'summary'")):
        proc = kaidan("report", "--out", tmp_path / "out", *(["--corpus", SEEDS] if "--corpus" not in args else []),
                      *args, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert message in proc.stderr
        assert not (tmp_path / "out").exists()


# --- kaidan report end to end -------------------------------------------------------------------

def test_report_publishes_reports_index_tables_and_figures(good):
    index = good / "index.html"
    assert index.is_file()
    hrefs = links(index).hrefs
    for href in hrefs:
        assert (good / html.unescape(href)).is_file(), f"index links {href}, which is missing"
    for name in R.NOTEBOOKS:
        assert f"{name}.html" in hrefs
    for table in ("articles", "sentences", "mentions", "meetings", "events"):
        assert f"tables/{table}.csv" in hrefs and f"tables/{table}.parquet" in hrefs
    assert "summary.json" in hrefs
    assert not list(good.parent.glob(".reports.staging-*")), "the staging folder is gone"


def test_each_report_is_small_offline_and_states_its_provenance(good):
    summary = json.loads((good / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "ok" and summary["corpus"]["files"] == len(list(SEEDS.glob("*.txt")))
    assert (good / "plotly.min.js").stat().st_size > 1_000_000  # shipped once, beside the reports
    assert (good / "kaidan-datatables.js").stat().st_size > 100_000  # DataTables, for the explorer's table
    assert "world_110m" in (good / "kaidan-geo.js").read_text(encoding="utf-8")  # the base map, for the map
    for name in R.NOTEBOOKS:
        page_path = good / f"{name}.html"
        page = page_path.read_text(encoding="utf-8")
        assert page_path.stat().st_size <= MAX_REPORT_BYTES, f"{name}.html is {page_path.stat().st_size} bytes"
        assert "plotly.js v" not in page, "plotly.js is not embedded"
        parsed = links(page_path)
        assert parsed.srcs[0] == "plotly.min.js" and set(parsed.srcs) <= {"plotly.min.js", *SHARED_ASSETS}
        if name == "04_meetings":
            assert set(parsed.srcs) == {"plotly.min.js", *SHARED_ASSETS}
        assert not [u for u in parsed.hrefs + parsed.srcs if re.match(r"^(https?:)?//", u)]
        assert re.search(r"Ran</th><td>\d{4}-\d{2}-\d{2}T", page)
        assert f"content hash {summary['corpus']['hash']}" in page
        assert f"{summary['corpus']['files']} articles" in page
        assert "Parameters</th>" in page and "lang = " in page
        assert not re.search(r'class="[^"]*(jp-CodeMirrorEditor|cm-editor|highlight)', page), "code is hidden"
        assert "validate_parameters" not in page and "from kaidan import" not in page, "code is hidden"


def test_static_figures_are_svg_and_png(good):
    if R.find_browser() is None:
        pytest.skip("no Chrome or Chromium for kaleido")
    figures = sorted((good / "figures").iterdir())
    stems = {p.stem for p in figures}
    assert {"meetings_per_period", "pairs", "topic_cooccurrence", "forums_over_time"} <= stems
    titles = {"meetings_per_period": "Meetings per year", "pairs": "Who meets whom",
              "topic_cooccurrence": "Topics together in one article", "forums_over_time": "mentioning each forum"}
    for stem in stems:
        svg = (good / "figures" / f"{stem}.svg").read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg")
        if stem in titles:  # each image holds its own figure, nothing left from the one before
            assert titles[stem] in svg and all(t not in svg for s, t in titles.items() if s != stem)
        assert (good / "figures" / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tables_are_exported(good):
    import pandas as pd

    events = pd.read_parquet(good / "tables" / "events.parquet")
    csv = pd.read_csv(good / "tables" / "events.csv")
    assert len(events) == len(csv)


def test_a_failing_notebook_keeps_the_previous_report_and_exits_1(hostile):
    out = hostile["out"]
    assert hostile["returncode"] == 1, hostile["stderr"]
    assert "01_meeting_frequency FAILED" in hostile["stderr"]
    assert (out / "01_meeting_frequency.html").read_bytes() == hostile["before"]
    failed = out / "failed" / "01_meeting_frequency.ipynb"
    assert failed.is_file() and "boom for the test" in failed.read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    entry = {r["name"]: r for r in summary["reports"]}["01_meeting_frequency"]
    assert not entry["ok"] and entry["previous"] and "boom for the test" in entry["message"]
    assert summary["corpus"]["files"] == 2  # the others were rebuilt on the new corpus
    assert "meetings_per_period" not in {f["name"] for f in summary["figures"]}
    assert not list((out / "figures").glob("meetings_per_period.*")), "a failed notebook's figure is not published"
    assert summary["figures"] and "01_meeting_frequency" not in {f["notebook"] for f in summary["figures"]}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "showing the previous report" in index
    for href in links(out / "index.html").hrefs:
        assert (out / html.unescape(href)).is_file()


def test_a_second_run_while_one_is_going_says_so_and_exits(hostile):
    second = hostile["second"]
    assert second.returncode == R.EXIT_BUSY
    assert "another report run is going" in second.stderr


def test_article_text_reaches_the_reports_escaped(hostile):
    out = hostile["out"]
    raw = ["<img src=x", "<b>速報</b>", "a&b<i>"]
    for page in [out / "index.html", *[out / f"{n}.html" for n in R.NOTEBOOKS if n != "01_meeting_frequency"]]:
        text = page.read_text(encoding="utf-8")
        for needle in raw:
            assert needle not in text, f"{page.name} holds raw {needle!r}"
    overview = (out / "00_corpus_overview.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in overview  # the title, in the articles table
    assert "a&amp;b&lt;i&gt;" in overview  # the file name


# --- re-runs: reuse what is current, run what changed -------------------------------------------

def digest_files(folder: Path) -> dict[str, str]:
    import hashlib

    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def reports_copy(good: Path, tmp_path: Path) -> Path:
    """A copy of the good run's folder (file times kept, as a re-run into it would find it)."""
    out = tmp_path / "reports"
    shutil.copytree(good, out)
    return out


def test_checked_tables_are_the_frames_corpus_from_folder_reads(good, tmp_path):
    from kaidan.run.corpus import Corpus

    tables = shutil.copytree(good / "tables", tmp_path / "tables")
    assert R.vouched_for(tables), "kaidan report vouches for the tables it wrote"
    fast = R.read_folder(tables)
    checked = Corpus.from_folder(tables)
    for name in TABLE_NAMES:
        a, b = getattr(fast, name), getattr(checked, name)
        assert list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes), name
        assert a.equals(b), name
    assert fast.summary() == checked.summary()
    # only what a notebook reads is vouched for: the CSV copies beside the Parquet files are not read
    csv = tables / "articles.csv"
    csv.write_bytes(csv.read_bytes() + b"\n")
    assert R.vouched_for(tables)
    changed = shutil.copytree(good / "tables", tmp_path / "changed")
    parquet = changed / "meetings.parquet"
    parquet.write_bytes(parquet.read_bytes() + b"\0")
    assert not R.vouched_for(changed)
    # tables that are not the bytes kaidan report checked are read (and checked) the slow way
    labels = tables / R.LABELS
    labels.write_text(labels.read_text(encoding="utf-8").replace('"China"', '"Cathay"'), encoding="utf-8")
    assert not R.vouched_for(tables)
    (tables / R.CHECKED).unlink()
    assert not R.vouched_for(tables)


def test_figure_key_follows_the_figure():
    fig = {"data": [{"type": "bar", "y": [1, 2]}], "layout": {"title": {"text": "t"}}}
    same = json.loads(json.dumps(fig))
    assert R.figure_key(fig) == R.figure_key(same)
    same["data"][0]["y"] = [1, 3]
    assert R.figure_key(fig) != R.figure_key(same)


def test_a_previous_report_is_reused_only_while_its_files_are_there(good, tmp_path):
    out = reports_copy(good, tmp_path)
    previous = R.Previous(out)
    entry = previous.reports["02_topic_cooccurrence"]
    assert previous.report("02_topic_cooccurrence", entry["key"]) == entry
    assert previous.report("02_topic_cooccurrence", "another key") is None
    assert previous.whole(figures=True) == (R.find_browser() is not None)
    (out / entry["html"]).unlink()
    assert previous.report("02_topic_cooccurrence", entry["key"]) is None


def test_a_rerun_with_nothing_new_runs_no_notebook_and_changes_nothing(good, tmp_path):
    out = reports_copy(good, tmp_path)
    before = digest_files(out)
    proc = kaidan("report", "--corpus", SEEDS, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "nothing new since the run of" in proc.stderr and "--force" in proc.stderr
    assert not re.search(r"\] \S+ ok \(", proc.stderr), "no notebook ran"
    assert digest_files(out) == before
    assert not list(tmp_path.glob(".reports.staging-*"))


def test_a_changed_parameter_reruns_only_the_notebooks_that_take_it(good, tmp_path):
    out = reports_copy(good, tmp_path)
    before = digest_files(out)
    proc = kaidan("report", "--corpus", SEEDS, "--out", out, "-p", "top_n", "3")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\] 03_forum_involvement ok \(", proc.stderr), proc.stderr
    after = digest_files(out)
    for name in ("00_corpus_overview", "01_meeting_frequency", "02_topic_cooccurrence", "04_meetings"):
        assert f"] {name} unchanged since the run of" in proc.stderr
        for path in (f"{name}.html", f"notebooks/{name}.ipynb"):
            assert after[path] == before[path], f"{path} was made again"
    assert after["notebooks/03_forum_involvement.ipynb"] != before["notebooks/03_forum_involvement.ipynb"]
    assert "top_n = 3" in (out / "03_forum_involvement.html").read_text(encoding="utf-8")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    reused = {r["name"]: bool(r.get("reused")) for r in summary["reports"]}
    assert reused == {"00_corpus_overview": True, "01_meeting_frequency": True, "02_topic_cooccurrence": True,
                      "03_forum_involvement": False, "04_meetings": True}
    assert summary["status"] == "ok" and "reused" in (out / "index.html").read_text(encoding="utf-8")
    for href in links(out / "index.html").hrefs:
        assert (out / html.unescape(href)).is_file()
    if R.find_browser() is not None:  # the figures of the reused reports are the same files
        assert after["figures/pairs.png"] == before["figures/pairs.png"]
        assert {f["name"] for f in summary["figures"]} >= {"pairs", "forums_over_time"}
    # the same parameter again is nothing new
    again = kaidan("report", "--corpus", SEEDS, "--out", out, "-p", "top_n", "3")
    assert again.returncode == 0 and "nothing new" in again.stderr, again.stderr
    assert digest_files(out) == after


def test_an_edited_notebook_is_run_again_and_force_runs_them_all(good, tmp_path):
    out = reports_copy(good, tmp_path)
    before = digest_files(out)
    notebooks = shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    nb = nbformat.read(notebooks / "02_topic_cooccurrence.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A note added for the test."))
    nbformat.write(nb, notebooks / "02_topic_cooccurrence.ipynb")
    proc = kaidan("report", "--corpus", SEEDS, "--out", out, "--notebooks", notebooks, "--no-figures")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"\] 02_topic_cooccurrence ok \(", proc.stderr)
    assert len(re.findall(r"\] \S+ unchanged since", proc.stderr)) == len(R.NOTEBOOKS) - 1
    after = digest_files(out)
    assert "A note added for the test." in (out / "02_topic_cooccurrence.html").read_text(encoding="utf-8")
    assert after["01_meeting_frequency.html"] == before["01_meeting_frequency.html"]
    forced = kaidan("report", "--corpus", SEEDS, "--out", out, "--notebooks", notebooks, "--no-figures", "--force")
    assert forced.returncode == 0, forced.stderr
    assert len(re.findall(r"\] \S+ ok \(", forced.stderr)) == len(R.NOTEBOOKS) and "unchanged" not in forced.stderr
    again = digest_files(out)
    for name in R.NOTEBOOKS:
        assert again[f"notebooks/{name}.ipynb"] != after[f"notebooks/{name}.ipynb"], f"{name} was not run"


def test_other_columns_make_other_tables_and_reports_and_are_recorded(tmp_path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "feed.csv").write_text("記事番号,日付,記事内容,要約\n"
                                     "n1,2024年11月19日,岩屋毅外相は19日、北京で中国の王毅外相と会談した。,"
                                     "首相は記者団の質問に答えた。\n", encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS / "00_corpus_overview.ipynb", notebooks)
    out = tmp_path / "reports"
    # (--columns, the notebook runs, n1's body, the events) run after run into the same folder; the
    # third names the second's columns in another order; without --columns the export has no text
    runs = [("body=記事内容,published=日付,id=記事番号", True, "岩屋毅外相は19日、北京で中国の王毅外相と会談した。", 1),
            ("body=要約,published=日付,id=記事番号", True, "首相は記者団の質問に答えた。", 0),
            (" id=記事番号, published=日付,body=要約", False, "首相は記者団の質問に答えた。", 0),
            (None, True, None, 0)]
    for spec, runs_again, body, events in runs:
        before = digest_files(out) if out.exists() else {}
        proc = kaidan("report", "--corpus", corpus, "--out", out, "--notebooks", notebooks, "--no-figures",
                      *(["--columns", spec] if spec is not None else []))
        assert proc.returncode == 0, proc.stderr
        assert bool(re.search(r"\] 00_corpus_overview ok \(", proc.stderr)) is runs_again, proc.stderr
        if not runs_again:
            assert "nothing new" in proc.stderr and digest_files(out) == before
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        mapping = {} if spec is None else dict(part.strip().split("=") for part in spec.split(","))
        assert summary["corpus"]["columns"] == mapping
        with open(out / "tables" / "articles.csv", encoding="utf-8", newline="") as handle:
            rows = {row["article_id"]: row for row in csv.DictReader(handle)}
        assert (rows["n1"]["body"] if "n1" in rows else None) == body
        assert {t["name"]: t["rows"] for t in summary["tables"]}["events"] == events

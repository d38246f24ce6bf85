"""Issue #5 for `kaidan report`: article text is data, bad parameters stop the run before any
notebook starts, and reports are published atomically.

Safe HTML: a corpus whose titles, bodies (so the evidence sentences), outlets, URLs, file
names and folder name carry script payloads goes through `kaidan report`; every page is opened
in headless Chromium and no payload may run (no marker variable set, no dialog, no inline
handler, no javascript: link, no request out of the folder, nothing hidden by injected CSS).
Each payload sets `window.pwnedN` (or opens a dialog), so a payload that ran is named.

Complements tests/integration/test_reports.py (one hostile title and file name, a failing notebook, a
second run while one goes) and tests/integration/test_browser.py (offline drawing).
"""
from __future__ import annotations

import hashlib
import html
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import block_network
from kaidan import reports as R
from test_reports import Links, good_run, kaidan

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]

# Every payload; each would set window.pwnedN or open a dialog if it ran.
PAYLOADS = {
    1: "<script>window.pwned1=1</script>",
    2: "<img src=x onerror=window.pwned2=1>",
    3: "<svg onload=window.pwned3=1>",
    4: "</script><script>window.pwned4=1</script>",
    5: '<a href="javascript:window.pwned5=1">link5</a>',
    6: "javascript:window.pwned6=1",
    7: '<iframe src="javascript:parent.pwned7=1"></iframe>',
    8: '"><img src=x onerror=window.pwned8=1>',
    9: "'><svg onload=alert('pwned9')>",
    10: "<details open ontoggle=window.pwned10=1>",
    11: "<style>body{display:none} /* pwned11 */</style>",
    12: '<meta http-equiv="refresh" content="0;url=javascript:window.pwned12=1">',
    13: '<base href="https://evil.invalid/pwned13/">',
    14: '<object data="javascript:parent.pwned14=1"></object>',
    15: "<body onload=window.pwned15=1>",
    16: "[link16](javascript:window.pwned16=1)",
    17: "<math><mtext><table><mglyph><style><img src=x onerror=window.pwned17=1>",
    18: "<input autofocus onfocus=window.pwned18=1>",
    19: "<img src=x onerror=alert('pwned19')>",
    20: "${window.pwned20=1}{{constructor.constructor('window.pwned20=1')()}}",
}
# File and folder names cannot hold '/': these payloads can.
NAME_PAYLOADS = [2, 3, 8, 9, 10, 18, 19]


def meeting_article(title: str, body_payloads: list[int], day: int) -> str:
    """A CHN–JPN meeting with topics and a forum (so every notebook traces its evidence), the
    payloads inside the very sentences the meeting is read from."""
    inject = "".join(PAYLOADS[n] for n in body_payloads)
    return (f"{title}\n2024年11月{day}日\n\n"
            f"王毅外相は2024年11月{day}日、北京で岩屋毅外相と会談した{inject}。"
            f"両氏はウクライナ情勢と北朝鮮の非核化{inject}について意見を交わした。\n"
            f"両外相は国連安保理の改革{inject}でも協力することで一致した。\n")


def payload_corpus(base: Path) -> tuple[Path, Path]:
    """The hostile corpus (in a folder whose name is a payload too) and its metadata file."""
    root = base / f"corpus {PAYLOADS[8]}"
    root.mkdir(parents=True)
    articles = {
        "titles.txt": (PAYLOADS[1] + PAYLOADS[2] + PAYLOADS[5] + " 日中外相が北京で会談", [3, 4, 7, 9], 19),
        "more.txt": (PAYLOADS[10] + PAYLOADS[14] + PAYLOADS[16] + " 日中外相会談", [11, 12, 13, 15], 20),
        "rest.txt": (PAYLOADS[17] + PAYLOADS[20] + " 日中外相が協議", [18, 19, 20, 6, 1], 21),
    }
    for name, (title, injected, day) in articles.items():
        (root / name).write_text(meeting_article(title, injected, day), encoding="utf-8")
    for i, n in enumerate(NAME_PAYLOADS):
        (root / f"{PAYLOADS[n]} {i}.txt").write_text(meeting_article(f"日中会談 {i}", [2], 10 + i),
                                                    encoding="utf-8")
    metadata = base / "meta.csv"
    rows = [("file", "url", "published", "outlet", "title"),
            ("titles.txt", PAYLOADS[6], "", PAYLOADS[2] + " News", ""),
            ("more.txt", "javascript:alert('pwned9')", "", PAYLOADS[4] + " Times", PAYLOADS[1] + " 見出し"),
            ("rest.txt", "https://example.com/x?a=<script>window.pwned1=1</script>", "", "", "")]
    metadata.write_text("\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows) + "\n",
                        encoding="utf-8")
    return root, metadata


def digest_tree(folder: Path) -> dict[str, str]:
    """Every file under folder, by relative path, with its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def links_resolve(out: Path) -> None:
    parser = Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    assert parser.hrefs
    for href in parser.hrefs:
        assert (out / html.unescape(href)).is_file(), f"index links {href}, which is missing"


# --- safe HTML ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    base = tmp_path_factory.mktemp("payloads")
    root, metadata = payload_corpus(base)
    out = base / "reports"
    proc = kaidan("report", "--corpus", root, "--metadata", metadata, "--out", out, "--no-figures")
    assert proc.returncode == 0, proc.stderr
    return out


def test_the_payloads_reach_the_reports_as_text(hostile_reports):
    """The test means something only if the payloads got into the pages (escaped)."""
    pages = {p.name: p.read_text(encoding="utf-8") for p in hostile_reports.glob("*.html")}
    overview, meetings = pages["00_corpus_overview.html"], pages["01_meeting_frequency.html"]
    assert html.escape(PAYLOADS[1]) in overview  # a title from the metadata
    assert html.escape(PAYLOADS[17] + PAYLOADS[20], quote=False) in overview or \
        html.escape(PAYLOADS[17] + PAYLOADS[20]) in overview  # a title from the text
    assert html.escape(PAYLOADS[3]) in meetings or html.escape(PAYLOADS[3], quote=False) in meetings  # evidence
    assert "window.pwned8=1" in overview  # a file name, as an article id


def test_no_raw_markup_from_the_articles_in_any_page(hostile_reports):
    for page in [*hostile_reports.glob("*.html")]:
        text = page.read_text(encoding="utf-8")
        for needle in ("<script>window.pwned", "<img src=x", "<svg onload", "<iframe", "<object", "<base ",
                       "<details open", "<input autofocus", "<body onload", '<a href="javascript:', "<meta http-equiv",
                       "<style>body{display:none}", "<mglyph"):
            assert needle not in text, f"{page.name} holds raw {needle!r}"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (make test installs it where it may: root or sudo)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        yield instance
        instance.close()


INSPECT = """() => {
  const all = Array.from(document.querySelectorAll('*'));
  const ran = Object.keys(window).filter(k => k.startsWith('pwned'));
  const handlers = all.filter(e => Array.from(e.attributes).some(
      a => a.name.startsWith('on') && a.value.includes('pwned'))).map(e => e.outerHTML.slice(0, 120));
  const jsLinks = all.filter(e => ['href', 'src', 'data', 'action', 'formaction'].some(
      n => (e.getAttribute(n) || '').trim().toLowerCase().startsWith('javascript:'))).map(e => e.outerHTML.slice(0, 120));
  const planted = Array.from(document.querySelectorAll('iframe, object, embed, base, meta[http-equiv], style'))
      .filter(e => e.outerHTML.includes('pwned')).map(e => e.outerHTML.slice(0, 120));
  return {ran, handlers, jsLinks, planted, bodyShown: getComputedStyle(document.body).display !== 'none',
          url: location.href, text: document.body.innerText};
}"""


def inspect(browser, path: Path) -> dict:
    context = browser.new_context()
    page = context.new_page()
    left, dialogs = block_network(context), []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(500)  # an <img onerror> fires after load
    found = page.evaluate(INSPECT)
    context.close()
    return {**found, "left": left, "dialogs": dialogs}


def test_the_check_catches_payloads_in_a_page_that_does_not_escape(browser, tmp_path):
    """The control: the same payloads written raw into a page are all seen by `inspect`."""
    page = tmp_path / "unsafe.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>"
                    + "</p><p>".join(PAYLOADS.values()) + "</p></body></html>", encoding="utf-8")
    seen = inspect(browser, page)
    assert {"pwned1", "pwned2", "pwned3", "pwned4"} <= set(seen["ran"]), seen["ran"]
    assert any("pwned19" in d or "pwned9" in d for d in seen["dialogs"]), seen["dialogs"]
    assert seen["handlers"] and seen["jsLinks"] and seen["planted"]
    assert seen["left"] or not seen["bodyShown"] or seen["url"] != page.as_uri()


def test_no_payload_runs_in_any_page(browser, hostile_reports):
    pages = [hostile_reports / "index.html", *sorted(hostile_reports.glob("[0-9][0-9]_*.html"))]
    assert len(pages) == 1 + len(R.NOTEBOOKS)
    for path in pages:
        seen = inspect(browser, path)
        assert seen["ran"] == [], f"{path.name}: payloads ran: {seen['ran']}"
        assert seen["dialogs"] == [], f"{path.name}: dialogs opened: {seen['dialogs']}"
        assert seen["handlers"] == [], f"{path.name}: inline handlers from article text: {seen['handlers']}"
        assert seen["jsLinks"] == [], f"{path.name}: javascript: links: {seen['jsLinks']}"
        assert seen["planted"] == [], f"{path.name}: planted elements: {seen['planted']}"
        assert seen["left"] == [], f"{path.name}: requests out of the folder: {seen['left']}"
        assert seen["bodyShown"] and seen["url"] == path.as_uri(), path.name
    overview = inspect(browser, hostile_reports / "00_corpus_overview.html")
    assert PAYLOADS[1] + " 見出し" in overview["text"]  # shown as written, as text


# --- parameters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args, named, accepted", [
    (["-p", "start", "2024-13-01"], "start", "YYYY-MM-DD"),
    (["-p", "end", "2024-02-30"], "end", "YYYY-MM-DD"),
    (["-p", "countries", "ZZZ"], "countries", "CHN"),
    (["-p", "countries", "CHN,XX"], "countries", "CHN"),
    (["-p", "top_n", "-3"], "top_n", "at least 1"),
    (["-p", "top_n", "many"], "top_n", "whole number"),
    (["--corpus", "{tmp}/no such folder"], "corpus", "no such folder"),
    (["--metadata", "{tmp}/missing.csv"], "metadata", "missing.csv"),
], ids=["month-13", "february-30", "unknown-country", "bad-country", "negative-top-n", "word-top-n",
        "missing-corpus", "missing-metadata"])
def test_a_bad_parameter_stops_the_run_before_any_notebook_with_one_line(tmp_path, args, named, accepted):
    out = tmp_path / "reports"
    args = [a.format(tmp=tmp_path) for a in args]
    corpus = [] if "--corpus" in args else ["--corpus", str(REPO / "seeds")]
    started = time.monotonic()
    proc = kaidan("report", *corpus, "--out", out, *args, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert named in lines[0] and accepted in lines[0], lines[0]
    assert not out.exists() and not list(tmp_path.glob(".reports.*")), "work started before the check"
    assert time.monotonic() - started < 60


# --- atomic publishing --------------------------------------------------------------------------

@pytest.fixture
def published(tmp_path_factory, tmp_path):
    """A copy of a good run's reports in a fresh folder, and the digest of every file in it."""
    import shutil

    good, proc = good_run(str(tmp_path_factory.getbasetemp()))
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "reports"
    shutil.copytree(good, out)
    return out, digest_tree(out)


def test_a_run_killed_midway_leaves_the_last_reports_whole(published, tmp_path):
    out, before = published
    # --force: on the same seeds the reports are current, and a run that reuses them is over in
    # a blink after writing its tables; this one runs the notebooks, so there is a middle to kill.
    run = subprocess.Popen([sys.executable, "-m", "kaidan", "report", "--corpus", str(REPO / "seeds"), "--out",
                            str(out), "--no-figures", "--force"], cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    staged = []
    while time.monotonic() < deadline and run.poll() is None:
        staged = [p for p in tmp_path.glob(".reports.staging-*") if (p / "tables" / "articles.parquet").exists()]
        if staged:
            break
        time.sleep(0.05)
    assert staged and run.poll() is None, "the run finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert digest_tree(out) == before
    links_resolve(out)
    # The next run is not blocked by the dead one, clears its leftovers, and publishes.
    again = kaidan("report", "--corpus", REPO / "seeds", "--out", out, "--no-figures")
    assert again.returncode == 0, again.stderr
    assert not list(tmp_path.glob(".reports.staging-*"))
    links_resolve(out)


def test_a_run_that_fails_leaves_the_last_reports_whole(published, tmp_path):
    out, before = published
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("王毅外相は北京で会談した。\n", encoding="utf-8")
    metadata = tmp_path / "meta.csv"
    metadata.write_bytes("file,outlet\na.txt,日経\n".encode("cp932"))  # not UTF-8: extraction fails
    proc = kaidan("report", "--corpus", corpus, "--metadata", metadata, "--out", out, "--no-figures")
    assert proc.returncode in (1, 2), proc.stderr
    assert "meta.csv" in proc.stderr
    assert digest_tree(out) == before
    assert not list(tmp_path.glob(".reports.staging-*"))


def test_two_runs_started_together_do_not_corrupt_the_output(tmp_path):
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "kaidan", "report", "--corpus", str(REPO / "seeds"), "--out", str(out),
               "--no-figures"]
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(run.wait(timeout=900), run.communicate()[1]) for run in runs]
    codes = sorted(code for code, _ in results)
    assert codes in ([R.EXIT_OK, R.EXIT_OK], [R.EXIT_OK, R.EXIT_BUSY]), results
    for code, stderr in results:
        if code == R.EXIT_BUSY:
            assert "another report run is going" in stderr
    links_resolve(out)
    assert (out / "summary.json").is_file()
    assert not list(tmp_path.glob(".reports.staging-*"))

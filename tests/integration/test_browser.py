"""Every HTML report and the index, opened in real headless Chromium with the network blocked.

Asserts that every plot drew (an SVG inside each plot div), that there were no console
errors, that no request left the folder, and that no code cell is visible. Skips only
when Debian's Chromium is not at /usr/bin/chromium.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import block_network
from kaidan import reports as R
from test_reports import good_run, hostile_run

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium "
                                 "(apt-get install chromium)")]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield instance
        instance.close()


def visit(browser, page_path: Path) -> dict:
    """Open one page offline; what it requested outside the folder, its errors, its plots."""
    context = browser.new_context(offline=False)
    page = context.new_page()
    left, errors, dialogs = block_network(context), [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}") if r.url.startswith("file://") else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(page_path.as_uri(), wait_until="load")
    plots = page.locator("div.plotly-graph-div")
    n_plots = plots.count()
    if n_plots:
        page.wait_for_function("n => document.querySelectorAll('div.plotly-graph-div svg.main-svg').length >= n",
                               arg=n_plots, timeout=30_000)
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('div.plotly-graph-div'))
        .map(d => d.querySelector('svg') !== null)""")
    code = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor, div.highlight, .jp-InputPrompt'))
        .filter(e => e.offsetParent !== null).length""")
    text = page.inner_text("body")
    context.close()
    return {"left": left, "errors": errors, "dialogs": dialogs, "plots": n_plots, "drawn": drawn,
            "visible_code": code, "text": text}


def pages_of(folder: Path) -> list[Path]:
    return [folder / "index.html", *sorted(folder.glob("[0-9][0-9]_*.html"))]


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    out, proc = good_run(str(tmp_path_factory.getbasetemp()))
    assert proc.returncode == 0, proc.stderr
    return out


def test_every_report_draws_offline_without_errors_or_code(browser, good):
    pages = pages_of(good)
    assert len(pages) == 1 + len(R.NOTEBOOKS)
    for path in pages:
        seen = visit(browser, path)
        assert seen["left"] == [], f"{path.name} requested {seen['left']}"
        assert seen["errors"] == [], f"{path.name} console errors: {seen['errors']}"
        assert seen["visible_code"] == 0, f"{path.name} shows code"
        assert all(seen["drawn"]), f"{path.name}: a plot div without an SVG"
        if path.name != "index.html":
            assert seen["plots"] >= 1, f"{path.name} has no plots"
            assert "content hash" in seen["text"] and "Parameters" in seen["text"]


def test_hostile_article_text_does_not_run(browser, tmp_path_factory):
    run = hostile_run(str(tmp_path_factory.getbasetemp()))
    for path in pages_of(run["out"]):
        seen = visit(browser, path)
        assert seen["dialogs"] == [], f"{path.name} ran script from article text"
        assert seen["errors"] == [] and seen["left"] == []
        assert all(seen["drawn"])
    overview = visit(browser, run["out"] / "00_corpus_overview.html")
    assert "<img src=x onerror=alert(1)>" in overview["text"]  # shown as written, as text

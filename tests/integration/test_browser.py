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


# --- the meetings explorer (04): a table that filters, a map with its land, a network -----------

def _open(browser, page_path: Path):
    """A page opened offline, kept open for interaction; what it requested outside the folder, its errors."""
    context = browser.new_context()
    left, errors = block_network(context), []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    return context, page, left, errors


def test_the_explorer_table_narrows_as_a_name_is_typed(browser, good):
    context, page, left, errors = _open(browser, good / "04_meetings.html")
    page.wait_for_selector("table#kaidan-meetings.dataTable tbody tr", timeout=30_000)
    rows = page.locator("table#kaidan-meetings tbody tr")
    before = rows.count()
    assert before == 12  # the seeds' events, all on the first page
    page.locator("input[type=search]").first.fill("Shoigu")
    page.wait_for_function("n => document.querySelectorAll('table#kaidan-meetings tbody tr').length < n",
                           arg=before, timeout=10_000)
    kept = rows.all_inner_texts()
    assert 0 < len(kept) < before and all("Shoigu" in text for text in kept)
    page.locator("input[type=search]").first.fill("a name no article has")
    page.wait_for_selector("table#kaidan-meetings td.dt-empty", timeout=10_000)
    context.close()
    assert left == [] and errors == []


def test_the_map_draws_its_land_and_markers_and_the_network_its_nodes(browser, good):
    context, page, left, errors = _open(browser, good / "04_meetings.html")
    page.wait_for_function("() => document.querySelectorAll('div.plotly-graph-div svg.main-svg').length >= 2",
                           timeout=30_000)
    land = page.evaluate("""() => Array.from(document.querySelectorAll('.geo .layer.land path'))
        .map(p => (p.getAttribute('d') || '').length)""")
    borders = page.evaluate("() => document.querySelectorAll('.geo .layer.countries path').length")
    markers = page.locator(".geo .scattergeo path.point").count()
    network = page.evaluate("""() => Array.from(document.querySelectorAll('div.plotly-graph-div'))
        .filter(d => !d.querySelector('.geo'))
        .map(d => ({points: d.querySelectorAll('.scatterlayer path.point').length,
                    labels: Array.from(d.querySelectorAll('.scatterlayer text')).map(t => t.textContent)}))""")
    context.close()
    assert land and min(land) > 1000, "the base map's land was not drawn"  # a world's coastline, not a stub
    assert borders >= 1
    assert markers == 5  # Beijing, Moscow, Tokyo, Kuala Lumpur, Samarkand
    assert any({"China", "Russia", "Japan"} <= set(n["labels"]) for n in network)
    assert left == [] and errors == []

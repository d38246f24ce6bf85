"""index.html: the page that opens a published report folder. Every value is escaped."""
from __future__ import annotations

from pathlib import Path

from kaidan.assets import SHARED_ASSETS
from kaidan.messages import escaped
from kaidan.reports.export import PLOTLY_JS

INDEX_CSS = """body{font-family:"Noto Sans CJK JP","Noto Sans JP",system-ui,sans-serif;max-width:1000px;margin:0 auto;
padding:1rem 1.5rem 3rem;color:#222;line-height:1.5}table{border-collapse:collapse;font-size:.92rem;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
.failed{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}.note{color:#555;font-size:.9rem}"""


def _link(href: str, text: str) -> str:
    return f'<a href="{escaped(href)}">{escaped(text)}</a>'


def _run(summary: dict) -> list[str]:
    """When the run went, on which corpus, with which parameters, and how it ended."""
    corpus = summary["corpus"]
    parts = ["<h2>Run</h2><table>"]
    for key, value in (("Started", summary["started"]), ("Finished", summary["finished"]),
                       ("Duration", f"{summary['seconds']:.1f} s"),
                       ("Corpus", f"{corpus['path']}: {corpus['files']} articles, content hash {corpus['hash']}"),
                       ("Extraction", ", ".join(f"{k} {v}" for k, v in summary["extraction"].items())),
                       ("Parameters", "; ".join(f"{k} = {v}" for k, v in summary["parameters"].items()) or
                        "defaults"),
                       ("kaidan", summary["version"]), ("Status", summary["status"])):
        parts.append(f"<tr><th>{escaped(key)}</th><td>{escaped(value)}</td></tr>")
    parts.append(f"</table><p>{_link('summary.json', 'Run summary (JSON)')}</p>")
    return parts


def _status(r: dict) -> str:
    """A report's status cell: ok (and whether reused), or failed and what is shown instead."""
    if r["ok"]:
        status = '<span class="ok">ok</span>'
        if r.get("reused"):
            status += f'<br><span class="note">unchanged since the run of {escaped(r["ran"])}: reused</span>'
        return status
    status = f'<span class="failed">failed</span>: {escaped(r["message"])}'
    if r.get("previous"):
        status += f'<br><span class="note">showing the previous report, from {escaped(r["previous"])}</span>'
    elif not r.get("html"):
        status += '<br><span class="note">no previous report to show</span>'
    return status


def _reports(summary: dict) -> list[str]:
    parts = ["<h2>Reports</h2><table><tr><th>Report</th><th>Status</th><th>Time</th><th>Notebook</th></tr>"]
    for r in summary["reports"]:
        report = _link(r["html"], r["title"]) if r.get("html") else escaped(r["title"])
        notebook = _link(r["notebook"], r["notebook"]) if r.get("notebook") else ""
        parts.append(f"<tr><td>{report}</td><td>{_status(r)}</td><td>{r['seconds']:.1f} s</td><td>{notebook}</td></tr>")
    parts.append("</table>")
    return parts


def _tables(summary: dict) -> list[str]:
    parts = ["<h2>Tables</h2><table><tr><th>Table</th><th>Rows</th><th>Files</th></tr>"]
    for t in summary["tables"]:
        parts.append(f"<tr><td>{escaped(t['name'])}</td><td>{t['rows']}</td><td>{_link(t['csv'], 'CSV')} · "
                     f"{_link(t['parquet'], 'Parquet')}</td></tr>")
    parts.append("</table><p class=\"note\">CSV cells holding lists join their items with ';'; "
                 "Parquet keeps them as lists.</p>")
    return parts


def _figures(summary: dict) -> list[str]:
    parts = ["<h2>Figures</h2>"]
    if summary["figures"]:
        parts.append("<table><tr><th>Figure</th><th>Files</th></tr>")
        for f in summary["figures"]:
            parts.append(f"<tr><td>{escaped(f['name'])}</td><td>"
                         + " · ".join(_link(p, Path(p).suffix[1:].upper()) for p in f["files"]) + "</td></tr>")
        parts.append("</table>")
    if summary.get("figures_note"):
        parts.append(f"<p class=\"note\">{escaped(summary['figures_note'])}</p>")
    return parts


def write_index(folder: Path, summary: dict) -> None:
    """index.html: the reports, the run (when, corpus, hash, parameters), the tables and figures."""
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kaidan reports</title>"
             f"<style>{INDEX_CSS}</style></head><body><h1>kaidan reports</h1>"]
    parts += _run(summary) + _reports(summary) + _tables(summary) + _figures(summary)
    shared = ", ".join(_link(name, name) for name in (PLOTLY_JS, *SHARED_ASSETS))
    parts.append(f"<p class=\"note\">The reports open offline: they share {shared} "
                 "in this folder and fetch nothing from the network.</p></body></html>\n")
    (folder / "index.html").write_text("".join(parts), encoding="utf-8")

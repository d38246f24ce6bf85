"""An executed notebook as one HTML page: outputs only, figures drawn by a shared plotly.js.

Figures reach the page as plotly JSON in the notebook's outputs (`kaidan.charts.show`); here
each becomes a div and a script calling the ``plotly.min.js`` shipped once beside the
reports, so a page is small and opens offline. Nothing here imports pandas or plotly.
"""
from __future__ import annotations

import copy
import json
import threading
from importlib.util import find_spec
from pathlib import Path

from kaidan.constants import PLOTLY_MIMETYPE
from kaidan.messages import escaped

PLOTLY_JS = "plotly.min.js"

HTML_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head -%}
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{{ resources.kaidan_title | e }}</title>
<script src="{{ resources.kaidan_plotly | e }}" charset="utf-8"></script>
<style>
body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic",Meiryo,system-ui,sans-serif;
 margin:0 auto;max-width:1100px;padding:1rem 1.5rem 3rem;color:#222;line-height:1.55}
nav.kaidan-nav{font-size:.9rem;margin-bottom:1rem}
.jp-InputPrompt,.jp-OutputPrompt,.jp-Collapser,a.anchor-link{display:none}
.jp-Cell{margin:.4rem 0}
h1{font-size:1.7rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}h2{font-size:1.3rem;margin-top:2rem}
table.kaidan-table,table.kaidan-provenance{border-collapse:collapse;font-size:.88rem;margin:.4rem 0}
.kaidan-table th,.kaidan-table td,.kaidan-provenance th,.kaidan-provenance td{border:1px solid #ddd;
 padding:.25rem .5rem;text-align:left;vertical-align:top}
.kaidan-table th,.kaidan-provenance th{background:#f4f4f4}
.kaidan-note,.kaidan-caption{font-size:.85rem;color:#555;margin:.2rem 0}
.kaidan-prose{background:#f7f9fc;border-left:3px solid #1f77b4;padding:.5rem .8rem}
pre{white-space:pre-wrap;font-size:.85rem}
</style>
{%- endblock html_head -%}
{%- block body_header -%}
<body>
<main>
<nav class="kaidan-nav"><a href="index.html">All reports</a></nav>
{%- endblock body_header -%}
"""


def plotly_js() -> Path:
    """plotly's own plotly.min.js, found without importing plotly (which imports pandas)."""
    spec = find_spec("plotly")
    return Path(spec.origin).parent / "package_data" / PLOTLY_JS


def _safe_json(value) -> str:
    """JSON for a <script> block: no ``<``, ``>``, ``/`` or line separators left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"), ("\u2028", "\\u2028"),
                      ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return text


def plotly_div(fig: dict, div_id: str) -> str:
    """A div and the script that draws `fig` with the page's shared plotly.js."""
    layout = fig.get("layout", {})
    height = layout.get("height") or 450
    config = fig.get("config") or {"displaylogo": False, "responsive": True}
    ident = escaped(div_id)
    return (f'<div id="{ident}" class="plotly-graph-div" style="height:{int(height)}px;width:100%;"></div>'
            f"<script>Plotly.newPlot({_safe_json(div_id)},{_safe_json(fig.get('data', []))},"
            f"{_safe_json(layout)},{_safe_json(config)});</script>")


def figures_of(nb) -> list[tuple[str, dict, dict]]:
    """(name, figure, metadata) of every plotly output a notebook (a node or plain JSON) holds, in order."""
    found = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                meta = output.get("metadata", {}).get("kaidan", {})
                found.append((meta.get("figure", f"figure{len(found)}"), data[PLOTLY_MIMETYPE], meta))
    return found


def main_figures(nb) -> list[tuple[str, dict]]:
    """The figures a notebook marks as main: those written as SVG and PNG."""
    return [(name, fig) for name, fig, meta in figures_of(nb) if meta.get("main")]


def notebook_title(nb, fallback: str) -> str:
    """The notebook's first level-one Markdown heading, else `fallback`."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _report_outputs(nb, name: str) -> None:
    """In place: each figure replaced by its div, library warnings (stderr) dropped."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIMETYPE in data:
                n += 1
                output["data"] = {"text/html": plotly_div(data[PLOTLY_MIMETYPE], f"{name}-fig{n}")}
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue  # warnings from libraries are for the log, not the report
            kept.append(output)
        cell["outputs"] = kept


_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()


def prepare_export() -> None:
    """Import nbconvert and compile the page template now (about 0.4 s of CPU), by exporting an
    empty notebook, so that the first report's export does not: `kaidan report` calls it while
    its notebooks wait for the tables."""
    import nbformat  # papermill has imported it

    try:
        export_html(nbformat.v4.new_notebook(), "empty", "empty")
    except Exception:  # noqa: BLE001 only a head start: a report's own export says what is wrong
        pass


def export_html(nb, name: str, title: str, plotly_src: str = PLOTLY_JS) -> str:
    """The executed notebook as one HTML page: outputs only, figures drawn by the shared plotly.js."""
    global _EXPORTER
    # imported here: nbconvert takes about 1.4 s to import, paid by the first export, not by
    # `kaidan extract`, a notebook, or a run whose reports are all reused
    import jinja2
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    _report_outputs(nb, name)
    with _EXPORTER_LOCK:  # one exporter (its templates compiled once), one notebook at a time
        if _EXPORTER is None:
            _EXPORTER = HTMLExporter(extra_loaders=[jinja2.DictLoader({"kaidan.html.j2": HTML_TEMPLATE})],
                                     template_name="lab", template_file="kaidan.html.j2", exclude_input=True,
                                     exclude_input_prompt=True, exclude_output_prompt=True)
        body, _ = _EXPORTER.from_notebook_node(nb, resources={"kaidan_title": title, "kaidan_plotly": plotly_src})
    return body

"""Reports: the notebooks' parameters and helpers, and the `kaidan report` run.

Notebook side (cheap to import: standard library and pandas only)
    `validate_parameters(name, globals())` checks the parameters cell (and anything
    papermill injected) and returns a `Params`; `open_corpus(params)` loads the tables
    and cuts them to the scope; `provenance`, `say` and `table` display a run's
    provenance, sentences written from the data, and bounded, escaped tables.

Run side (`run_report`, behind ``kaidan report``)
    extract the corpus once into ``tables/``; run every notebook with papermill in
    parallel, passing that folder; export each to HTML (code hidden, plotly.js shipped
    once beside the reports, nothing fetched from a network); write the main charts as
    SVG and PNG with kaleido; write ``index.html`` and ``summary.json``; publish the
    folder atomically. A lock makes a second concurrent run exit at once; a failing
    notebook keeps its previous report and lands in ``failed/`` for inspection. A report
    whose inputs (the tables' digest, the notebook's bytes, its parameters, kaidan) are
    those of the last run is reused rather than run again, a figure drawn from the same
    data keeps its files, and a run with nothing new publishes nothing (``--force``).
"""
from __future__ import annotations

import ast
import datetime as dt
import functools
import hashlib
import html
import json
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kaidan.messages import shown, summarised
from kaidan.publish import DestinationError, check_report_out, publish, report_folder

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 75
KERNEL = "kaidan"
NOTEBOOKS = ("00_corpus_overview", "01_meeting_frequency", "02_topic_cooccurrence", "03_forum_involvement")
MAX_ROWS = 15
PLOTLY_JS = "plotly.min.js"
# kaidan.charts.MIMETYPE, repeated so that exporting does not import pandas and plotly into the
# run's own process (tests/test_reports.py keeps the two in step)
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"

# --- parameters -------------------------------------------------------------------------

COMMON = {
    "corpus": "seeds",
    "metadata": "",
    "tables": "",
    "start": "",
    "end": "",
    "countries": [],
    "lang": "en",
}
OWN = {
    "00_corpus_overview": {"period": "month", "max_rows": 20},
    "01_meeting_frequency": {"period": "year"},
    "02_topic_cooccurrence": {"unit": "article", "measure": "lift", "min_count": 1, "period": "year"},
    "03_forum_involvement": {"forums": [], "top_n": 8, "period": "year"},
}
PARAMETERS = {name: {**COMMON, **own} for name, own in OWN.items()}
ISO3 = re.compile(r"^[A-Z]{3}$")


class ParameterError(ValueError):
    """A parameter with a bad value or an unknown name; the message names it."""


def _text(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip()
    raise ParameterError(f"parameter {name} = {value!r}: expected text")


# The choices kaidan.analysis accepts, repeated here so that checking a command line does
# not import pandas (tests/test_reports.py keeps the two in step).
PERIOD_CHOICES = ("year", "quarter", "month")
UNIT_CHOICES = ("article", "paragraph", "sentence")
MEASURE_CHOICES = ("lift", "pmi", "jaccard")


def _is_iso_date(text: str) -> bool:
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _date(name: str, value) -> str:
    text = _text(name, value)
    if text and not _is_iso_date(text):
        raise ParameterError(f"parameter {name} = {value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return text


def _list(name: str, value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                raise ParameterError(f"parameter {name} = {value!r}: not a list") from None
        else:
            return [part for part in re.split(r"[,\s]+", text) if part]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ParameterError(f"parameter {name} = {value!r}: expected a list of names or a comma-separated string")


def _int(name: str, value, low: int = 1) -> int:
    if isinstance(value, bool):
        raise ParameterError(f"parameter {name} = {value!r}: expected a whole number")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or value < low:
        raise ParameterError(f"parameter {name} = {value!r}: expected a whole number of at least {low}")
    return value


def _choice(name: str, value, options) -> str:
    text = _text(name, value)
    if text not in options:
        raise ParameterError(f"parameter {name} = {value!r}: expected one of {', '.join(options)}")
    return text


def check_value(name: str, value):
    """One parameter's value, checked and coerced (``"2"`` → 2, ``"CHN,RUS"`` → a list)."""
    if name in ("corpus",):
        text = _text(name, value)
        if not text:
            raise ParameterError("parameter corpus is empty: give the folder of articles")
        return text
    if name in ("metadata", "tables"):
        return _text(name, value)
    if name in ("start", "end"):
        return _date(name, value)
    if name == "countries":
        codes = [c.upper() for c in _list(name, value)]
        bad = [c for c in codes if not ISO3.match(c)]
        if bad:
            raise ParameterError(f"parameter countries: {', '.join(map(repr, bad))} "
                                 "not an ISO 3166-1 alpha-3 code (e.g. CHN, RUS)")
        known = known_countries() if codes else None
        unknown = [c for c in codes if known is not None and c not in known]
        if unknown:
            raise ParameterError(f"parameter countries: {', '.join(map(repr, unknown))} "
                                 "not a country in the gazetteer (e.g. CHN, RUS)")
        return codes
    if name == "forums":
        return _list(name, value)
    if name == "lang":
        return _choice(name, value, ("en", "ja"))
    if name == "period":
        return _choice(name, value, PERIOD_CHOICES)
    if name == "unit":
        return _choice(name, value, UNIT_CHOICES)
    if name == "measure":
        return _choice(name, value, MEASURE_CHOICES)
    if name in ("min_count", "top_n", "max_rows"):
        return _int(name, value)
    raise ParameterError(f"unknown parameter {name!r}")


_COUNTRIES: list = []


def known_countries() -> frozenset[str] | None:
    """The ISO3 ids of reference/countries.yaml (read with yaml alone, not the whole reference,
    so a command line is checked in a blink); None when the file cannot be read."""
    if not _COUNTRIES:
        try:
            from importlib import resources

            import yaml

            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            text = (resources.files("kaidan") / "reference" / "countries.yaml").read_text(encoding="utf-8")
            _COUNTRIES.append(frozenset(str(e["id"]) for e in yaml.load(text, Loader=loader) if "id" in e))
        except Exception:  # noqa: BLE001 no gazetteer: the shape check above still applies
            _COUNTRIES.append(None)
    return _COUNTRIES[0]


@dataclass
class Params:
    """A notebook's checked parameters, as attributes (``params.start``)."""

    notebook: str
    values: dict

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict:
        return dict(self.values)


def _injected_names(namespace: dict) -> set[str]:
    """Names assigned in cells papermill injected (they start with ``# Parameters``)."""
    names: set[str] = set()
    for source in namespace.get("In") or []:
        if not isinstance(source, str) or not source.lstrip().startswith("# Parameters"):
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def unknown_parameters(notebook: str, names) -> list[str]:
    return sorted(set(names) - set(PARAMETERS[notebook]))


def validate_parameters(notebook: str, namespace: dict) -> Params:
    """Check a notebook's parameters; raise `ParameterError` naming the first bad one.

    `namespace` is the notebook's ``globals()``: the parameters cell's names are read
    from it, and a name that papermill injected but the notebook does not declare is an
    error (papermill itself only warns).
    """
    if notebook not in PARAMETERS:
        raise ParameterError(f"unknown notebook {notebook!r}; known: {', '.join(PARAMETERS)}")
    unknown = unknown_parameters(notebook, _injected_names(namespace))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(map(repr, unknown))} for {notebook}; "
                             f"it takes {', '.join(PARAMETERS[notebook])}")
    values = {}
    for name, default in PARAMETERS[notebook].items():
        values[name] = check_value(name, namespace.get(name, default))
    from kaidan.analysis import parse_bound

    start, end = parse_bound(values["start"]), parse_bound(values["end"], end=True)
    if start and end and start > end:
        raise ParameterError(f"parameter start = {values['start']!r} is after end = {values['end']!r}")
    return Params(notebook, values)


# --- finding the corpus ----------------------------------------------------------------

def repository_root(start: Path | None = None) -> Path | None:
    """The kaidan checkout: the nearest folder above `start` (or the working directory) with
    pyproject.toml and notebooks/, else the one this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    package = Path(__file__).resolve().parents[2]
    if (package / "pyproject.toml").is_file():
        return package
    return None


def resolve_path(value: str, what: str, must_exist: bool = True) -> Path:
    """A path parameter: absolute as given; relative to the working directory if it is there,
    else relative to the repository root (so ``seeds`` works from the repo and from notebooks/)."""
    path = Path(value).expanduser()
    if path.is_absolute():
        candidates = [path]
    else:
        candidates = [Path.cwd() / path]
        root = repository_root()
        if root is not None and root / path not in candidates:
            candidates.append(root / path)
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    if not must_exist:
        return candidates[0]
    looked = " and ".join(str(c) for c in candidates)
    raise ParameterError(f"parameter {what} = {value!r}: not found (looked in {looked})")


BUSY, FAILED, LABELS, CHECKED = ".extracting", ".failed", "labels.json", "checked.json"


def wait_for_tables(folder: Path, timeout: float = 3600) -> None:
    """Wait while `kaidan report` is still extracting into `folder` (it holds a .extracting mark)."""
    deadline = time.monotonic() + timeout
    while (folder / BUSY).exists() and not (folder / FAILED).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"tables in {folder} still being extracted after {timeout:.0f} s")
        time.sleep(0.02)
    if (folder / FAILED).exists():
        raise RuntimeError(f"extraction failed: {(folder / FAILED).read_text(encoding='utf-8').strip()}")


def open_corpus(params: Params):
    """The corpus (read from ``tables`` when given, else extracted from ``corpus``), its `Scope`
    and the `Labels` in the chosen language."""
    from kaidan import analysis

    labels = analysis.Labels(params.lang)
    if params.tables:
        folder = resolve_path(params.tables, "tables")
        wait_for_tables(folder)
        corpus = read_checked_tables(folder)
        if corpus is None:
            from kaidan.run.corpus import Corpus

            corpus = Corpus.from_folder(folder)
        if (folder / LABELS).is_file():
            labels = analysis.Labels.from_file(folder / LABELS, params.lang)
    else:
        from kaidan.run.corpus import load_corpus

        metadata = resolve_path(params.metadata, "metadata") if params.metadata else None
        corpus = load_corpus(resolve_path(params.corpus, "corpus"), metadata)
    corpus.source = params.corpus
    sc = analysis.scope(corpus, params.start or None, params.end or None, params.countries)
    return corpus, sc, labels


TABLE_FILES = ("articles", "sentences", "mentions", "meetings", "events")


def tables_digest(folder: Path) -> str:
    """SHA-256 over every table file and labels.json in `folder`: the extracted corpus's content,
    what each report is a function of (besides its notebook, parameters and kaidan itself)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).iterdir() if p.is_file() and p.name != CHECKED
                       and not p.name.startswith(".")):
        digest.update(path.name.encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


class CheckedTables:
    """The tables `kaidan report` extracted, checked against the schemas and wrote, read back
    without checking them again: importing pandera and validating cost each kernel about half
    a second. Anything else a `kaidan.run.corpus.Corpus` offers (``summary()``, ``save()``) is
    served by a real one, built on first use."""

    def __init__(self, frames: dict, source: str):
        self.__dict__.update(frames)
        self.source = source
        self.problems: list[str] = []

    def tables(self) -> dict:
        return {name: getattr(self, name) for name in TABLE_FILES}

    def corpus(self):
        """The same tables as a `kaidan.run.corpus.Corpus`."""
        from kaidan.run.corpus import Corpus

        return Corpus(**self.tables(), source=self.source, problems=list(self.problems))

    def __getattr__(self, name):
        if name.startswith("_"):  # IPython's probes and dunders: not a Corpus method
            raise AttributeError(name)
        return getattr(self.corpus(), name)

    def __repr__(self) -> str:
        return repr(self.corpus())

    def _repr_html_(self) -> str:
        return self.corpus()._repr_html_()


def read_checked_tables(folder: Path) -> CheckedTables | None:
    """The tables in `folder` when `kaidan report` vouches for exactly these bytes (its
    checked.json holds their digest); None otherwise, and the caller reads them checked."""
    try:
        vouched = json.loads((folder / CHECKED).read_text(encoding="utf-8")).get("digest")
    except (OSError, ValueError, AttributeError):
        return None
    if not vouched or vouched != tables_digest(folder):
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    frames = {}
    for name in TABLE_FILES:
        table = pq.read_table(folder / f"{name}.parquet")
        frame = table.to_pandas()
        for column in table.schema:  # lists come back as arrays: make them lists, as Corpus.from_folder does
            if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
                frame[column.name] = frame[column.name].map(lambda v: [] if v is None else list(v))
        frames[name] = frame
    return CheckedTables(frames, str(folder))


def corpus_hash(articles) -> str:
    """SHA-256 (first 16 hex) over the sorted (path, content hash) of every file."""
    digest = hashlib.sha256()
    for path, content in sorted(zip(articles["path"].astype(str), articles["content_hash"].astype(str))):
        digest.update(f"{path}\t{content}\n".encode())
    return digest.hexdigest()[:16]


# --- displaying in a notebook ------------------------------------------------------------

def _display_html(markup: str, text: str) -> None:
    from IPython.display import display

    display({"text/html": markup, "text/plain": text}, raw=True)


def _tag(name: str, text: str, cls: str | None = None) -> str:
    attr = f' class="{html.escape(cls)}"' if cls else ""
    return f"<{name}{attr}>{html.escape(text)}</{name}>"


def say(lines) -> None:
    """Sentences written from the data, shown as a paragraph (escaped)."""
    if isinstance(lines, str):
        lines = [lines]
    lines = [str(line) for line in lines if line]
    if lines:
        _display_html(_tag("p", " ".join(lines), "kaidan-prose"), " ".join(lines))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_cell(v) for v in value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(frame, columns: dict[str, str] | list[str] | None = None, max_rows: int = MAX_ROWS,
          caption: str | None = None, max_chars: int = 300) -> None:
    """Show at most `max_rows` rows of a frame as an escaped HTML table, saying how many there are
    (cells longer than `max_chars` are cut, so a report stays small)."""
    import pandas as pd

    if columns is None:
        columns = {c: c for c in frame.columns}
    elif isinstance(columns, list):
        columns = {c: c for c in columns}
    if len(set(columns.values())) != len(columns):
        raise ValueError(f"table: two columns share a label in {columns}")
    shown = frame.head(max_rows)
    body = pd.DataFrame({label: [_clip(_cell(v), max_chars) for v in shown[col]] for col, label in columns.items()})
    markup = body.to_html(index=False, escape=True, border=0, classes="kaidan-table", na_rep="")
    note = f"Showing {len(shown)} of {len(frame)} rows." if len(frame) > len(shown) else \
        f"{len(frame)} row{'s' if len(frame) != 1 else ''}."
    head = _tag("p", caption, "kaidan-caption") if caption else ""
    _display_html(head + markup + _tag("p", note, "kaidan-note"), f"{caption or 'table'}: {note}")


def provenance(params: Params, corpus) -> None:
    """When the notebook ran, on which corpus (file count, content hash) and with which parameters."""
    from kaidan import __version__

    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    files = len(corpus.articles)
    shown = {k: v for k, v in params.values.items() if k != "tables"}
    rows = [("Ran", now), ("Corpus", f"{params.corpus}: {files} file{'s' if files != 1 else ''}, "
                                      f"content hash {corpus_hash(corpus.articles)}"),
            ("Tables", "extracted once by kaidan report" if params.tables else "extracted in this notebook"),
            ("Parameters", "; ".join(f"{k} = {_cell(v) if v not in ('', []) else '—'}" for k, v in shown.items())),
            ("kaidan", __version__)]
    markup = "<table class=\"kaidan-provenance\">" + "".join(
        f"<tr>{_tag('th', k)}{_tag('td', v)}</tr>" for k, v in rows) + "</table>"
    _display_html(markup, "\n".join(f"{k}: {v}" for k, v in rows))


# --- running the notebooks -------------------------------------------------------------------

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
    ident = html.escape(div_id)
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


def export_html(nb, name: str, title: str, plotly_src: str = PLOTLY_JS) -> str:
    """The executed notebook as one HTML page: outputs only, figures drawn by the shared plotly.js."""
    import copy

    import jinja2
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
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
    with _EXPORTER_LOCK:  # one exporter (its templates compiled once), one notebook at a time
        global _EXPORTER
        if _EXPORTER is None:
            _EXPORTER = HTMLExporter(extra_loaders=[jinja2.DictLoader({"kaidan.html.j2": HTML_TEMPLATE})],
                                     template_name="lab", template_file="kaidan.html.j2", exclude_input=True,
                                     exclude_input_prompt=True, exclude_output_prompt=True)
        body, _ = _EXPORTER.from_notebook_node(nb, resources={"kaidan_title": title, "kaidan_plotly": plotly_src})
    return body


_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()


@dataclass
class Outcome:
    """How one notebook of a run went: run now, or its previous report reused."""

    name: str
    ok: bool
    seconds: float
    message: str = ""
    html: str | None = None
    notebook: str | None = None
    figures: list = field(default_factory=list)
    key: str | None = None
    title: str | None = None
    reused: str | None = None  # when the reused report ran


def _run_notebook(path: Path, staging: Path, parameters: dict, kernel: str | None, cwd: Path) -> Outcome:
    import nbformat
    import papermill

    name = path.stem
    started = time.monotonic()
    executed = staging / "notebooks" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        # the kernel's own log (TCP notice, shutdown) is noise here; errors reach the notebook.
        # Once the last cell has run the kernel holds nothing the report needs, so it is stopped
        # at once rather than given time for a graceful exit (1 to 2.5 s of tearing down pandas
        # and plotly per kernel, on cores the other notebooks and Chrome still need).
        papermill.execute_notebook(str(path), str(executed), parameters=parameters, kernel_name=kernel,
                                   cwd=str(cwd), progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False, execution_timeout=1800,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                                   shutdown_kernel="immediate")
    except Exception as error:  # noqa: BLE001 any failure: keep the notebook, report the reason
        failed = staging / "failed" / path.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            executed.replace(failed)
        message = f"{type(error).__name__}: {getattr(error, 'evalue', None) or error}"
        return Outcome(name, False, time.monotonic() - started, message.splitlines()[0][:500],
                       notebook=str(failed.relative_to(staging)) if failed.exists() else None)
    nb = nbformat.read(executed, as_version=4)
    title = _notebook_title(nb, name)
    page = export_html(nb, name, title)
    (staging / f"{name}.html").write_text(page, encoding="utf-8")
    return Outcome(name, True, time.monotonic() - started, html=f"{name}.html",
                   notebook=str(executed.relative_to(staging)), figures=main_figures(nb), title=title)


def _notebook_title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


# --- static figures --------------------------------------------------------------------------

NO_BROWSER = ("no Chrome or Chromium found, so the static SVG/PNG figures were skipped; install one "
              "(Debian/Ubuntu: apt-get install chromium; or run plotly_get_chrome) or set BROWSER_PATH")


def find_browser() -> str | None:
    """The Chrome/Chromium kaleido will use: $BROWSER_PATH, else choreographer's search of PATH
    (chromium, google-chrome ...) and its own download, else /usr/bin/chromium."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).is_file() else None
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
        if found:
            return str(found)
    except Exception:  # noqa: BLE001 choreographer missing or its search failed
        pass
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


class StaticFigures:
    """Writes figures as SVG and PNG with kaleido in a background thread; `close()` waits and
    returns what was written. Chrome starts on `start()` (a run whose figures will all be new
    calls it at once) or with the first figure to draw, so a run whose figures are all
    unchanged never starts it."""

    def __init__(self, folder: Path, log):
        import queue
        import threading

        self.folder = folder
        self.log = log
        self.written: list[Path] = []
        self.problem: str | None = None
        self.browser = find_browser()
        import logging

        for noisy in ("choreographer", "kaleido", "logistro"):  # browser chatter, not our business
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
        self._queue: queue.Queue = queue.Queue()
        self._thread = None
        if self.browser is None:
            self.problem = NO_BROWSER
            return
        self._thread = threading.Thread(target=self._run, name="kaidan-static-figures", daemon=True)

    def start(self) -> None:
        """Start Chrome now (`add` does, with the first figure)."""
        if self._thread is not None and self._thread.ident is None:  # not started yet
            self._thread.start()

    def add(self, name: str, fig: dict) -> None:
        if self._thread is not None:
            self.start()
            self._queue.put((name, fig))

    def _run(self) -> None:
        import asyncio

        try:
            asyncio.run(self._main())
        except Exception as error:  # noqa: BLE001 static figures are a bonus: say why and go on
            self.problem = f"static figures failed: {type(error).__name__}: {error}"
            while not self._queue.empty():
                self._queue.get_nowait()

    async def _main(self) -> None:
        import asyncio

        import kaleido

        class Kaleido(kaleido.Kaleido):
            # kaleido reloads its page, and with it the 4.8 MB plotly.js, after every image
            # (three quarters of the export time). Its page renders each figure with
            # Plotly.toImage into a fresh div it purges, so nothing carries over: reuse the
            # tab. Should kaleido rename this hook, the override is unused and kaleido's
            # own behaviour returns; tests check each image holds its own figure.
            async def _return_kaleido_tab(self, tab) -> None:
                await self.tabs_ready.put(tab)

        env_path = os.environ.get("BROWSER_PATH")
        os.environ["BROWSER_PATH"] = self.browser
        try:
            async with Kaleido(n=1, mathjax=False, timeout=120) as k:
                while True:
                    item = await asyncio.to_thread(self._queue.get)
                    if item is None:
                        return
                    name, fig = item
                    layout = fig.get("layout", {})
                    size = {"width": int(layout.get("width") or 1000), "height": int(layout.get("height") or 500)}
                    self.folder.mkdir(parents=True, exist_ok=True)
                    for fmt, scale in (("svg", 1), ("png", 1)):
                        path = self.folder / f"{name}.{fmt}"
                        spec = {"fig": {"data": fig.get("data", []), "layout": layout}, "path": path,
                                "opts": {"format": fmt, "scale": scale, **size}}
                        await k.write_fig_from_object([spec], cancel_on_error=True)
                        self.written.append(path)
        finally:
            if env_path is None:
                os.environ.pop("BROWSER_PATH", None)
            else:
                os.environ["BROWSER_PATH"] = env_path

    def close(self, timeout: float = 300) -> list[Path]:
        if self._thread is not None and self._thread.ident is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            if self._thread.is_alive():
                self.problem = f"static figures did not finish within {timeout:.0f} s"
        return sorted(p for p in self.written if p.exists())


# --- the index --------------------------------------------------------------------------------

INDEX_CSS = """body{font-family:"Noto Sans CJK JP","Noto Sans JP",system-ui,sans-serif;max-width:1000px;margin:0 auto;
padding:1rem 1.5rem 3rem;color:#222;line-height:1.5}table{border-collapse:collapse;font-size:.92rem;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
.failed{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}.note{color:#555;font-size:.9rem}"""


def _e(value) -> str:
    return html.escape(str(value))


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def write_index(folder: Path, summary: dict) -> None:
    """index.html: the reports, the run (when, corpus, hash, parameters), the tables and figures."""
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kaidan reports</title>"
             f"<style>{INDEX_CSS}</style></head><body><h1>kaidan reports</h1>"]
    corpus = summary["corpus"]
    parts.append("<h2>Run</h2><table>")
    for key, value in (("Started", summary["started"]), ("Finished", summary["finished"]),
                       ("Duration", f"{summary['seconds']:.1f} s"),
                       ("Corpus", f"{corpus['path']}: {corpus['files']} files, content hash {corpus['hash']}"),
                       ("Extraction", ", ".join(f"{k} {v}" for k, v in summary["extraction"].items())),
                       ("Parameters", "; ".join(f"{k} = {v}" for k, v in summary["parameters"].items()) or
                        "defaults"),
                       ("kaidan", summary["version"]), ("Status", summary["status"])):
        parts.append(f"<tr><th>{_e(key)}</th><td>{_e(value)}</td></tr>")
    parts.append(f"</table><p>{_link('summary.json', 'Run summary (JSON)')}</p>")
    parts.append("<h2>Reports</h2><table><tr><th>Report</th><th>Status</th><th>Time</th><th>Notebook</th></tr>")
    for r in summary["reports"]:
        report = _link(r["html"], r["title"]) if r.get("html") else _e(r["title"])
        if r["ok"]:
            status = '<span class="ok">ok</span>'
            if r.get("reused"):
                status += f'<br><span class="note">unchanged since the run of {_e(r["ran"])}: reused</span>'
        else:
            status = f'<span class="failed">failed</span>: {_e(r["message"])}'
            if r.get("previous"):
                status += f'<br><span class="note">showing the previous report, from {_e(r["previous"])}</span>'
            elif not r.get("html"):
                status += '<br><span class="note">no previous report to show</span>'
        notebook = _link(r["notebook"], r["notebook"]) if r.get("notebook") else ""
        parts.append(f"<tr><td>{report}</td><td>{status}</td><td>{r['seconds']:.1f} s</td><td>{notebook}</td></tr>")
    parts.append("</table><h2>Tables</h2><table><tr><th>Table</th><th>Rows</th><th>Files</th></tr>")
    for t in summary["tables"]:
        parts.append(f"<tr><td>{_e(t['name'])}</td><td>{t['rows']}</td><td>{_link(t['csv'], 'CSV')} · "
                     f"{_link(t['parquet'], 'Parquet')}</td></tr>")
    parts.append("</table><p class=\"note\">CSV cells holding lists join their items with ';'; "
                 "Parquet keeps them as lists.</p><h2>Figures</h2>")
    if summary["figures"]:
        parts.append("<table><tr><th>Figure</th><th>Files</th></tr>")
        for f in summary["figures"]:
            parts.append(f"<tr><td>{_e(f['name'])}</td><td>"
                         + " · ".join(_link(p, Path(p).suffix[1:].upper()) for p in f["files"]) + "</td></tr>")
        parts.append("</table>")
    if summary.get("figures_note"):
        parts.append(f"<p class=\"note\">{_e(summary['figures_note'])}</p>")
    parts.append(f"<p class=\"note\">The reports open offline: they share {_link(PLOTLY_JS, PLOTLY_JS)} "
                 "in this folder and fetch nothing from the network.</p></body></html>\n")
    (folder / "index.html").write_text("".join(parts), encoding="utf-8")


# --- publishing -------------------------------------------------------------------------------

class Busy(Exception):
    """Another report run holds the lock."""


# The lock files this process holds: a forked child closes them, so that the lock ends with
# this process and not with the last of its children.
_HELD: set = set()


class Lock:
    """An exclusive, non-blocking lock beside the output folder (released when the process ends)."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.handle = None

    def __enter__(self):
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise Busy(holder or "another run") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
        handle.flush()
        self.handle = handle
        _HELD.add(handle)
        return self

    def __exit__(self, *exc):
        import fcntl

        if self.handle:
            _HELD.discard(self.handle)
            self.handle.seek(0)
            self.handle.truncate()
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def _kernel_name(log) -> str | None:
    """The `kaidan` kernel when installed; else None (papermill then uses the notebook's own)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            KernelSpecManager().get_kernel_spec(KERNEL)
            return KERNEL
        except NoSuchKernel:
            log(f"kernel {KERNEL!r} is not installed (make setup installs it); using python3 from {sys.executable}")
            return "python3"
    except ImportError:  # pragma: no cover
        return None


# --- what a report depends on, and reusing what the last run published --------------------------

def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """kaidan's version, a hash of its code and gazetteers, and the versions of the libraries
    that make a report: a report is a function of these too, and an edited checkout keeps
    its version number."""
    from importlib.metadata import PackageNotFoundError, version

    from kaidan import __version__
    from kaidan.run.cache import hash_sources

    digest = hashlib.sha256(__version__.encode())
    hash_sources(digest, (".py", ".yaml"))
    for library in ("pandas", "plotly", "nbconvert", "papermill"):
        try:
            digest.update(f"{library} {version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library} -\0".encode())
    return f"{__version__}-{digest.hexdigest()[:12]}"


def corpus_stamp(corpus_dir: Path, metadata: Path | None) -> str:
    """Paths, sizes and modification times of the corpus's files and the metadata file, and
    the code: a guess, before extracting, whether the corpus changed. Only the tables'
    digest decides what is reused; this says whether to wait for it before starting kernels."""
    digest = hashlib.sha256(code_version().encode())
    for root, dirs, files in os.walk(corpus_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, corpus_dir)}\0{info.st_size}\0{info.st_mtime_ns}\n"
                          .encode("utf-8", "surrogateescape"))
    if metadata is not None:
        info = metadata.stat()
        digest.update(f"metadata {metadata}\0{info.st_size}\0{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def figure_key(fig: dict) -> str:
    """What a static figure is drawn from: its data and layout."""
    return _sha(json.dumps({"data": fig.get("data", []), "layout": fig.get("layout", {})}, sort_keys=True,
                           ensure_ascii=False, default=str))


@dataclass
class Job:
    """One notebook of a run: the parameters papermill gets, and what its report depends on
    besides the tables (its bytes, those parameters, kaidan and the libraries)."""

    path: Path
    params: dict
    source_key: str

    @property
    def name(self) -> str:
        return self.path.stem

    def key(self, tables: str) -> str:
        """The key of this notebook's report on tables with digest `tables`."""
        return _sha(self.source_key, tables)


def plan_jobs(paths: list[Path], values: dict, corpus_dir: Path, metadata_path: Path | None) -> list[Job]:
    jobs = []
    for path in paths:
        own = PARAMETERS.get(path.stem, COMMON)
        params = {k: v for k, v in values.items() if k in own}
        params.update(corpus=str(corpus_dir), metadata=str(metadata_path or ""))
        source_key = _sha(hashlib.sha256(path.read_bytes()).hexdigest(), json.dumps(params, sort_keys=True),
                          code_version())
        jobs.append(Job(path, params, source_key))
    return jobs


class Previous:
    """What the last run published into the output folder, as its summary.json tells."""

    def __init__(self, out: Path):
        self.out = out
        try:
            self.summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            self.inputs = dict(self.summary.get("inputs") or {})
            self.reports = {r["name"]: r for r in self.summary.get("reports", []) if r.get("html")}
            self.figures = {f["name"]: f for f in self.summary.get("figures", []) if f.get("key")}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):  # none, or not one we wrote
            self.summary, self.inputs, self.reports, self.figures = {}, {}, {}, {}

    def _there(self, *paths) -> bool:
        return all(p and (self.out / p).is_file() for p in paths)

    def report(self, name: str, key: str) -> dict | None:
        """The previous report of a notebook that ran without error on exactly these inputs,
        when its page and executed notebook are still there; else None."""
        entry = self.reports.get(name)
        if entry and entry.get("ok") and entry.get("key") == key and self._there(entry["html"], entry.get("notebook")):
            return entry
        return None

    def figure(self, name: str, key: str) -> list[str] | None:
        """The files of a static figure drawn from exactly this figure, when they are all there."""
        row = self.figures.get(name)
        if row and row["key"] == key and row.get("files") and self._there(*row["files"]):
            return row["files"]
        return None

    def whole(self, figures: bool) -> bool:
        """Every file the summary lists is still there (and, when figures are wanted, all were drawn)."""
        if not self.summary or (figures and not self.summary.get("figures_complete")):
            return False
        files = ["index.html", PLOTLY_JS]
        files += [t.get(kind) for t in self.summary.get("tables", []) for kind in ("csv", "parquet")]
        files += [f for row in self.summary.get("figures", []) for f in row.get("files", [])] if figures else []
        return self._there(*files)


# --- the run ----------------------------------------------------------------------------------

def check_run_parameters(pairs: list[tuple[str, str]], notebooks: list[str]) -> dict[str, object]:
    """`-p NAME VALUE` pairs checked: every name must be one some notebook takes."""
    known = set()
    for name in notebooks:
        known |= set(PARAMETERS.get(name, COMMON))
    reserved = {"tables"}
    values = {}
    for name, value in pairs:
        if name in reserved:
            raise ParameterError(f"parameter {name} is set by kaidan report itself")
        if name in ("corpus", "metadata"):
            raise ParameterError(f"parameter {name}: use --{name} instead of -p {name}")
        if name not in known:
            raise ParameterError(f"unknown parameter {name!r}; the notebooks take {', '.join(sorted(known))}")
        values[name] = check_value(name, value)
    return values


def notebook_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def _check_out(out: str, corpus_dir: Path, metadata_path: Path | None, notebook_dir: Path, replace: bool,
               log) -> Path:
    """The folder to publish into, checked before any work (DestinationError says why not)."""
    out_dir, note = report_folder(out)
    protected = {"corpus": corpus_dir, "metadata file": metadata_path, "working folder": Path.cwd(),
                 "repository": repository_root(), "notebooks": notebook_dir}
    check_report_out(out_dir, protected, replace)
    if note:
        log(note)
    return out_dir


def run_report(corpus: str, out: str, metadata: str | None = None, parameters: list[tuple[str, str]] = (),
               notebooks: str | None = None, jobs: int | None = None, figures: bool = True, force: bool = False,
               log=None, replace: bool = False) -> int:
    """Extract once, run and export every notebook whose inputs changed, publish; the exit
    status of `kaidan report`. `force` runs every notebook even when its report is current;
    `replace` publishes into a folder that is not empty though kaidan did not make it."""
    log = log or (lambda message: print(f"kaidan: {message}", file=sys.stderr, flush=True))
    started_at = dt.datetime.now().astimezone()
    started = time.monotonic()
    root = repository_root()
    notebook_dir = Path(notebooks) if notebooks else (root / "notebooks" if root else Path("notebooks"))
    paths = notebook_paths(notebook_dir)
    if not paths:
        log(f"no notebooks in {shown(notebook_dir)}")
        return EXIT_USAGE
    corpus_dir = Path(corpus).expanduser().resolve()
    if not corpus_dir.is_dir():
        log(f"corpus folder {shown(corpus)} not found")
        return EXIT_USAGE
    metadata_path = Path(metadata).expanduser().resolve() if metadata else None
    if metadata_path is not None and not metadata_path.is_file():
        log(f"metadata file {shown(metadata)} not found")
        return EXIT_USAGE
    try:
        values = check_run_parameters(list(parameters), [p.stem for p in paths])
        out_dir = _check_out(out, corpus_dir, metadata_path, notebook_dir.resolve(), replace, log)
    except (ParameterError, DestinationError) as error:
        log(str(error))
        return EXIT_USAGE
    try:
        lock = Lock(out_dir).__enter__()
    except Busy as holder:
        log(f"another report run is going ({holder}); not starting a second one")
        return EXIT_BUSY
    try:
        run = ReportRun(corpus_dir, metadata_path, out_dir, notebook_dir, values, jobs, figures, force, log,
                        started, started_at, replace)
        return run.go(plan_jobs(paths, values, corpus_dir, metadata_path))
    finally:
        lock.__exit__(None, None, None)


def _import_papermill() -> None:
    """Import papermill once, here, rather than in every notebook's thread.

    nbformat validates with jsonschema, which on import probes for rfc3987_syntax and, when
    it is installed, builds a grammar for the "iri" string formats: over a second, and no
    notebook schema uses those formats. Marking the module absent skips only that probe.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import papermill  # noqa: F401


def _follow_parent(parent: int) -> None:
    """In the forked extraction: end with the run (killed or interrupted, it stops this too),
    leave Ctrl-C to it, let go of its lock, and leave the problems for it to print."""
    import logging
    import signal

    from kaidan.processes import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for handle in list(_HELD):
        handle.close()
    _HELD.clear()
    logging.getLogger("kaidan").disabled = True


def _extract(corpus_dir: Path, metadata_path: Path | None, tables: Path, parent: int) -> None:
    """Extraction in a child process: tables, labels.json, checked.json (the digest of what was
    checked and written) and extraction.json; then drop the mark the notebooks wait on.

    Files extracted before come from kaidan's cache (as for `kaidan extract`), so a re-run
    only extracts new or changed articles."""
    code = EXIT_OK
    _follow_parent(parent)
    try:
        from kaidan.analysis import label_names
        from kaidan.run.cache import default_cache_dir
        from kaidan.extract.read import CorpusError
        from kaidan.reference import load_reference
        from kaidan.run.corpus import load_corpus

        try:
            corpus = load_corpus(corpus_dir, metadata_path, jobs=None, cache_dir=default_cache_dir())
        except CorpusError as error:
            (tables / FAILED).write_text(str(error), encoding="utf-8")
            code = EXIT_USAGE
        else:
            corpus.save(tables)
            (tables / LABELS).write_text(json.dumps(label_names(load_reference()), ensure_ascii=False),
                                         encoding="utf-8")
            digest = tables_digest(tables)
            (tables / CHECKED).write_text(json.dumps({"digest": digest}), encoding="utf-8")
            info = {"summary": corpus.summary(), "problems": list(corpus.problems),
                    "hash": corpus_hash(corpus.articles), "digest": digest,
                    "from_cache": int(corpus.stats.get("from_cache") or 0),
                    "rows": {name: len(frame) for name, frame in corpus.tables().items()}}
            (tables.parent / "extraction.json").write_text(json.dumps(info), encoding="utf-8")
    except BaseException as error:  # noqa: BLE001 the parent reports it
        import traceback

        (tables / FAILED).write_text(f"{type(error).__name__}: {error}\n{traceback.format_exc()}", encoding="utf-8")
        code = EXIT_FAILED
    finally:
        (tables / BUSY).unlink(missing_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class ReportRun:
    """One `kaidan report` run, under the lock: extract, run what changed, reuse the rest, publish.

    When the corpus looks unchanged since the last run (same files, sizes and times), it
    extracts first and runs only the notebooks whose report's inputs changed (the tables'
    digest, the notebook's bytes, its parameters, kaidan); when nothing changed it publishes
    nothing. Otherwise it starts every kernel at once, while the corpus is extracted.
    """

    def __init__(self, corpus_dir, metadata_path, out_dir, notebook_dir, values, jobs, figures, force, log,
                 started, started_at, replace=False):
        self.corpus_dir, self.metadata_path, self.out_dir = corpus_dir, metadata_path, out_dir
        self.replace = replace
        self.notebook_dir, self.values, self.jobs, self.figures, self.force = notebook_dir, values, jobs, figures, force
        self.log, self.started, self.started_at = log, started, started_at
        self.staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
        self.tables = self.staging / "tables"
        self.previous = Previous(out_dir)
        self.static: StaticFigures | None = None
        self.pool = None
        self.futures: dict = {}

    def go(self, jobs: list[Job]) -> int:
        import shutil

        for kind in ("staging", "old"):  # what runs that died left (this one holds the lock)
            for stale in self.out_dir.parent.glob(f".{self.out_dir.name}.{kind}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        self.tables.mkdir(parents=True)
        (self.tables / BUSY).write_text(str(os.getpid()), encoding="utf-8")
        finished = False
        try:
            code = self._go(jobs)
            finished = True
            return code
        finally:
            if self.pool is not None:  # interrupted: do not wait for the notebooks
                self.pool.shutdown(wait=finished, cancel_futures=not finished)
            if self.static is not None:
                self.static.close(30 if finished else 0)
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)

    def _start(self, jobs: list[Job]) -> None:
        """Start kernels for `jobs` (papermill in threads); the notebooks wait for the tables."""
        from concurrent.futures import ThreadPoolExecutor

        _import_papermill()
        kernel = _kernel_name(self.log)
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(len(jobs), self.jobs or len(jobs))))
        for job in jobs:
            params = {**job.params, "tables": str(self.tables)}
            future = self.pool.submit(_run_notebook, job.path, self.staging, params, kernel, self.notebook_dir)
            self.futures[future] = job

    def _extraction(self, extractor, t_extract: float) -> dict | None:
        """Wait for the extraction; its summary, or None (said why) when it failed."""
        extractor.join()
        if extractor.exitcode == EXIT_OK:
            info = json.loads((self.staging / "extraction.json").read_text(encoding="utf-8"))
            counts = info["summary"]
            cached = f", {info['from_cache']} of the files from the cache" if info.get("from_cache") else ""
            self.log(f"extracted {counts['files']} files, {counts['meetings']} meetings, {counts['events']} events "
                     f"({time.monotonic() - t_extract:.1f} s{cached})")
            for line in summarised(info["problems"]):
                self.log(shown(line))
            return info
        reason = (self.tables / FAILED).read_text(encoding="utf-8") if (self.tables / FAILED).exists() else \
            f"the extraction process exited with {extractor.exitcode}"
        self.log(f"extraction failed: {reason.strip()}")
        return None

    def _go(self, jobs: list[Job]) -> int:
        import multiprocessing

        stamp = corpus_stamp(self.corpus_dir, self.metadata_path)
        likely_same = not self.force and self.previous.inputs.get("corpus_stamp") == stamp
        # Extraction runs in a forked process (before any thread exists here) while this one
        # starts the kernels and Chrome; the notebooks wait for the tables' mark. (Compiling
        # the export templates beside them gained nothing on two cores: the first export does.)
        extractor = multiprocessing.get_context("fork").Process(
            target=_extract, args=(self.corpus_dir, self.metadata_path, self.tables, os.getpid()),
            name="kaidan-extract")
        t_extract = time.monotonic()
        extractor.start()
        if self.figures:
            self.static = StaticFigures(self.staging / "figures", self.log)
        to_run = jobs
        if not likely_same:
            self.log(f"extracting {self.corpus_dir} and running {len(jobs)} notebooks, "
                     f"{max(1, min(len(jobs), self.jobs or len(jobs)))} at a time")
            self._start(jobs)
            if self.static is not None:  # the figures will be new: Chrome's start-up (and its
                self.static.start()      # parsing plotly.js) is the longest chain of the run
        else:
            self.log(f"extracting {self.corpus_dir} (the same files as at the last run, so the notebooks "
                     "wait to see which reports are current)")
        info = self._extraction(extractor, t_extract)
        if info is None:
            for future in self.futures:
                future.result()  # the notebooks stop at the failed extraction's mark
            self.log(f"nothing published; {self.out_dir} is unchanged")
            return EXIT_USAGE if extractor.exitcode == EXIT_USAGE else EXIT_FAILED
        digest = info["digest"]
        reused = {} if self.force else {j.name: self.previous.report(j.name, j.key(digest)) for j in jobs}
        if likely_same:
            to_run = [j for j in jobs if not reused.get(j.name)]
            if not to_run and self.previous.whole(self.figures):
                self.log(f"nothing new since the run of {self.previous.summary.get('started', '?')}: the corpus, "
                         f"notebooks, parameters and kaidan are the same, so {self.out_dir} is left as it is "
                         "(--force runs the notebooks again)")
                return EXIT_OK
            if to_run:
                self.log(f"running {len(to_run)} of {len(jobs)} notebooks (the others are unchanged)")
                self._start(to_run)
        return self._finish(jobs, to_run, reused, info, stamp)

    def _reuse(self, job: Job, entry: dict) -> "Outcome":
        """The previous report of an unchanged notebook, copied into the new folder."""
        import shutil

        for relative in (entry["html"], entry["notebook"]):
            target = self.staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.out_dir / relative, target)
        figures = []
        if self.figures:
            nb = json.loads((self.staging / entry["notebook"]).read_text(encoding="utf-8"))
            figures = main_figures(nb)
        return Outcome(job.name, True, float(entry.get("seconds") or 0), html=entry["html"], notebook=entry["notebook"],
                       figures=figures, key=entry.get("key"), title=entry.get("title"),
                       reused=entry.get("ran") or "an earlier run")

    def _figures(self, outcome: "Outcome", rows: dict) -> None:
        """A report's main figures as SVG and PNG: the last run's files when drawn from the same
        figure, else drawn now (Chrome starts with the first one to draw)."""
        import shutil

        if self.static is None or not outcome.ok:
            return
        for name, fig in outcome.figures:
            key = figure_key(fig)
            rows[name] = {"name": name, "key": key, "notebook": outcome.name}
            files = self.previous.figure(name, key)
            if files:
                for relative in files:
                    (self.staging / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(self.out_dir / relative, self.staging / relative)
            else:
                self.static.add(name, fig)

    def _finish(self, jobs: list[Job], to_run: list[Job], reused: dict, info: dict, stamp: str) -> int:
        import shutil
        from concurrent.futures import as_completed

        from kaidan import __version__

        outcomes: dict[str, Outcome] = {}
        figure_rows: dict[str, dict] = {}
        running = {j.name for j in to_run}
        done = 0
        for job in jobs:
            if job.name not in running and reused.get(job.name):
                outcome = outcomes[job.name] = self._reuse(job, reused[job.name])
                done += 1
                self.log(f"[{done}/{len(jobs)}] {job.name} unchanged since the run of {outcome.reused}: "
                         "report reused")
                self._figures(outcome, figure_rows)
        for future in as_completed(list(self.futures)):
            job = self.futures[future]
            outcome = future.result()
            if outcome.ok:
                outcome.key = job.key(info["digest"])
            outcomes[outcome.name] = outcome
            done += 1
            state = "ok" if outcome.ok else f"FAILED: {outcome.message}"
            self.log(f"[{done}/{len(jobs)}] {outcome.name} {state} ({outcome.seconds:.1f} s)")
            self._figures(outcome, figure_rows)

        reports = []
        for job in jobs:
            o = outcomes[job.name]
            entry = {"name": o.name, "title": o.title or o.name, "ok": o.ok, "seconds": round(o.seconds, 2),
                     "message": o.message, "html": o.html, "notebook": o.notebook,
                     "ran": (o.reused or started_iso(self.started_at)) if o.ok else None, "key": o.key}
            if o.reused:
                entry["reused"] = True
            elif not o.ok and o.name in self.previous.reports and \
                    (self.out_dir / self.previous.reports[o.name]["html"]).is_file():
                old = self.previous.reports[o.name]
                shutil.copy2(self.out_dir / old["html"], self.staging / old["html"])
                entry.update(html=old["html"], title=old.get("title", o.name),
                             previous=old.get("previous") or old.get("ran") or "an earlier run")
            reports.append(entry)

        shutil.copyfile(_plotly_js(), self.staging / PLOTLY_JS)

        note, complete = None, False
        if self.static is not None:
            t = time.monotonic()
            drawn = self.static.close()
            note = self.static.problem
            if drawn:
                self.log(f"wrote {len(drawn)} static figures ({time.monotonic() - t:.1f} s after the notebooks)")
            elif figure_rows:
                self.log(f"static figures unchanged: {len(figure_rows)} reused")
            if note:
                self.log(note)
            for row in figure_rows.values():
                row["files"] = [f"figures/{row['name']}.{fmt}" for fmt in ("svg", "png")
                                if (self.staging / "figures" / f"{row['name']}.{fmt}").is_file()]
            complete = all(len(row["files"]) == 2 for row in figure_rows.values())
        else:
            note = "static figures were not requested (--no-figures)"
        figure_list = [row for _, row in sorted(figure_rows.items()) if row.get("files")]

        counts = info["summary"]
        failed = [r["name"] for r in reports if not r["ok"]]
        summary = {
            "started": started_iso(self.started_at),
            "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "seconds": round(time.monotonic() - self.started, 2), "version": __version__,
            "status": "ok" if not failed else f"failed: {', '.join(failed)}",
            "corpus": {"path": str(self.corpus_dir), "metadata": str(self.metadata_path or ""),
                       "files": counts["files"], "hash": info["hash"]},
            "extraction": counts, "parameters": {k: _cell(v) for k, v in self.values.items()},
            "reports": reports, "figures": figure_list, "figures_note": note,
            "figures_complete": bool(self.static is not None and complete and not note),
            "tables": [{"name": name, "rows": rows, "csv": f"tables/{name}.csv",
                        "parquet": f"tables/{name}.parquet"} for name, rows in info["rows"].items()],
            "inputs": {"corpus_stamp": stamp, "tables": info["digest"], "code": code_version()},
        }
        (self.staging / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                                   encoding="utf-8")
        (self.staging / "extraction.json").unlink(missing_ok=True)
        write_index(self.staging, summary)
        try:
            publish(self.staging, self.out_dir, __version__, self.replace, self.log)
        except DestinationError as error:  # the folder changed hands while the run went
            self.log(f"{error}; nothing published")
            return EXIT_USAGE
        self.log(f"published {self.out_dir / 'index.html'} ({time.monotonic() - self.started:.1f} s)")
        if failed:
            self.log(f"{len(failed)} notebook(s) failed: {', '.join(failed)}; see {self.out_dir / 'failed'}")
            return EXIT_FAILED
        return EXIT_OK


def started_iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _plotly_js() -> Path:
    """plotly's own plotly.min.js, found without importing plotly (which imports pandas)."""
    from importlib.util import find_spec

    spec = find_spec("plotly")
    return Path(spec.origin).parent / "package_data" / PLOTLY_JS


# --- the committed notebooks ------------------------------------------------------------------

def refresh_notebooks(folder: str | Path | None = None, kernel: str = KERNEL) -> list[Path]:
    """Re-run the committed notebooks in place on their defaults (seeds/), keeping the outputs
    `make test` compares against (nbval). No papermill metadata, no timings, so a re-run on an
    unchanged corpus changes nothing but the provenance timestamp."""
    import nbformat
    from nbclient import NotebookClient

    root = repository_root()
    folder = Path(folder) if folder else (root / "notebooks" if root else Path("notebooks"))
    written = []
    for path in notebook_paths(folder):
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        NotebookClient(nb, kernel_name=kernel, timeout=1800, record_timing=False,
                       resources={"metadata": {"path": str(folder)}},
                       extra_arguments=["--IPKernelApp.log_level=CRITICAL"]).execute()
        nbformat.write(nb, path)
        written.append(path)
    return written


if __name__ == "__main__":  # python -m kaidan.reports refresh [NOTEBOOK_DIR]
    if len(sys.argv) >= 2 and sys.argv[1] == "refresh":
        for written_path in refresh_notebooks(sys.argv[2] if len(sys.argv) > 2 else None):
            print(f"refreshed {written_path} ({written_path.stat().st_size:,} bytes)")
    else:
        print("usage: python -m kaidan.reports refresh [NOTEBOOK_DIR]", file=sys.stderr)
        sys.exit(EXIT_USAGE)

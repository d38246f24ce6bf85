"""What a notebook calls after checking its parameters: `open_corpus` to load the tables cut
to the scope, then `say`, `table` and `provenance` to show sentences, tables and the run's
provenance, every text escaped.

pandas, IPython, kaidan.analysis and kaidan.run.corpus are imported in the functions that use
them: the cli and the `kaidan report` process load this module with kaidan.reports and never
need them (kaidan.analysis alone takes about 430 ms to import).
"""
from __future__ import annotations

import datetime as dt

from kaidan import __version__
from kaidan.messages import escaped
from kaidan.reports.columns import columns_for
from kaidan.reports.extracted import LABELS, CheckedTables, corpus_hash, read_folder, wait_for_tables
from kaidan.reports.params import Params, resolve_path

MAX_ROWS = 15


def open_corpus(params: Params, columns: dict | None = None):
    """The corpus (read from ``tables`` when given, else extracted from ``corpus``), its `Scope`
    and the `Labels` in the chosen language.

    Only the columns the notebook reads are kept (`kaidan.reports.columns`; `columns` overrides
    them, None for a notebook the module does not know keeps every one): read from the tables, or
    cut from the corpus extracted here, so that a notebook using a column it does not declare
    fails on the seeds as it would on tables."""
    from kaidan import analysis

    if columns is None:
        columns = columns_for(params.notebook, params.values)
    labels = analysis.Labels(params.lang)
    if params.tables:
        folder = resolve_path(params.tables, "tables")
        wait_for_tables(folder)
        corpus = read_folder(folder, columns)
        if (folder / LABELS).is_file():
            labels = analysis.Labels.from_file(folder / LABELS, params.lang)
    else:
        from kaidan.run.corpus import load_corpus

        metadata = resolve_path(params.metadata, "metadata") if params.metadata else None
        extracted = load_corpus(resolve_path(params.corpus, "corpus"), metadata)
        corpus = CheckedTables({name: frame if columns is None else frame[[c for c in frame if c in columns[name]]]
                                for name, frame in extracted.tables().items()}, "", extracted.sentences_of)
        corpus.problems = extracted.problems
    corpus.source = params.corpus
    sc = analysis.scope(corpus, params.start or None, params.end or None, params.countries)
    return corpus, sc, labels


def _display_html(markup: str, text: str) -> None:
    from IPython.display import display

    display({"text/html": markup, "text/plain": text}, raw=True)


def _tag(name: str, text: str, cls: str | None = None) -> str:
    attr = f' class="{escaped(cls)}"' if cls else ""
    return f"<{name}{attr}>{escaped(text)}</{name}>"


def say(lines) -> None:
    """Sentences written from the data, shown as a paragraph (escaped)."""
    if isinstance(lines, str):
        lines = [lines]
    lines = [str(line) for line in lines if line]
    if lines:
        _display_html(_tag("p", " ".join(lines), "kaidan-prose"), " ".join(lines))


def cell_text(value) -> str:
    """A value as a table cell shows it: missing as empty, floats to two places, lists joined."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple, set)):
        return ", ".join(cell_text(v) for v in value)
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
    body = pd.DataFrame({label: [_clip(cell_text(v), max_chars) for v in shown[col]]
                         for col, label in columns.items()})
    markup = body.to_html(index=False, escape=True, border=0, classes="kaidan-table", na_rep="")
    note = f"Showing {len(shown)} of {len(frame)} rows." if len(frame) > len(shown) else \
        f"{len(frame)} row{'s' if len(frame) != 1 else ''}."
    head = _tag("p", caption, "kaidan-caption") if caption else ""
    _display_html(head + markup + _tag("p", note, "kaidan-note"), f"{caption or 'table'}: {note}")


def provenance(params: Params, corpus) -> None:
    """When the notebook ran, on which corpus (its articles, content hash) and with which parameters."""
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    articles = len(corpus.articles)
    shown = {k: v for k, v in params.values.items() if k != "tables"}
    rows = [("Ran", now), ("Corpus", f"{params.corpus}: {articles} article{'s' if articles != 1 else ''}, "
                                      f"content hash {corpus_hash(corpus.articles)}"),
            ("Tables", "extracted once by kaidan report" if params.tables else "extracted in this notebook"),
            ("Parameters", "; ".join(f"{k} = {cell_text(v) if v not in ('', []) else '—'}"
                                     for k, v in shown.items())),
            ("kaidan", __version__)]
    markup = "<table class=\"kaidan-provenance\">" + "".join(
        f"<tr>{_tag('th', k)}{_tag('td', v)}</tr>" for k, v in rows) + "</table>"
    _display_html(markup, "\n".join(f"{k}: {v}" for k, v in rows))

"""Article text reaches HTML escaped on every path: the reports' index, the notebooks' prose,
tables and provenance, the explorer's table cells and links, a corpus shown in a notebook, the
figures' div ids, and plotly's titles and hover text.

Each awkward string goes through each path; the page is then parsed as a browser would: no
element may appear that the path did not write itself, and the string must come back whole,
as text or as the attribute it was put in (a quote left raw ends an attribute early, an
ampersand left raw turns `&amp;` into `&`). Plotly's text is checked against what plotly.js
itself decodes.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from kaidan import analysis, charts, event_table, schemas
from kaidan.meeting_charts import event_line
from kaidan.messages import escaped
from kaidan.reports import index, notebook
from kaidan.reports.export import plotly_div
from kaidan.reports.params import Params
from kaidan.run.corpus import Corpus

AWKWARD = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "Tom & Jerry &amp; &lt;b&gt; &#60;",
    "</td></tr></table><b>x</b>",
    "a\"b'c<d>e&f",
    "「会談」<b>速報</b>＆'引用'\"発言\"",
]


class Page(HTMLParser):
    """What a browser makes of markup: the elements, and the text and attribute values decoded."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    def handle_data(self, data):
        self.text.append(data)


def assert_shown_as_written(markup: str, value: str, tags: set[str], attribute: str | None = None) -> None:
    """Only the path's own elements, and `value` whole in the text (and in `attribute`)."""
    page = Page(markup)
    assert set(page.tags) <= tags, f"elements not written by the path: {set(page.tags) - tags}"
    assert value in "".join(page.text), "the text did not come back as written"
    if attribute:
        assert value in [v for name, v in page.attrs if name == attribute] or \
            any(v.endswith(value) for name, v in page.attrs if name == attribute), f"{attribute} was cut or changed"


@pytest.mark.parametrize("value", AWKWARD)
def test_the_check_catches_markup_left_unescaped(value):
    """The check above means something: the same string put in raw does not pass it."""
    with pytest.raises(AssertionError):
        assert_shown_as_written(f"<span title='{value}'>{value}</span>", value, {"span"}, "title")


@pytest.mark.parametrize("value", AWKWARD)
def test_escaped_text_and_attributes(value):
    markup = f'<span title="{escaped(value)}">{escaped(value)}</span>'
    assert_shown_as_written(markup, value, {"span"}, "title")
    assert escaped(None) == "" and escaped(float("nan")) == ""


@pytest.mark.parametrize("value", AWKWARD)
def test_the_index_page(tmp_path, value):
    summary = {"started": value, "finished": "f", "seconds": 1.0, "version": "v", "status": value,
               "corpus": {"path": value, "files": 1, "hash": "h"}, "extraction": {"files": 1},
               "parameters": {"start": value}, "figures": [{"name": value, "files": [f"figures/{value}.svg"]}],
               "figures_note": value,
               "reports": [{"name": "n", "title": value, "ok": False, "seconds": 1.0, "message": value,
                            "html": value, "notebook": None, "previous": value}],
               "tables": [{"name": value, "rows": 1, "csv": "tables/articles.csv", "parquet": "tables/articles.parquet"}]}
    index.write_index(tmp_path, summary)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    tags = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "table", "tr", "th", "td", "p", "a", "span",
            "br"}
    assert_shown_as_written(page, value, tags, "href")


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The HTML a notebook helper displays."""
    found: list[str] = []
    monkeypatch.setattr(notebook, "_display_html", lambda markup, text: found.append(markup))
    return found


@pytest.mark.parametrize("value", AWKWARD)
def test_the_notebooks_prose_tables_and_provenance(shown, value):
    notebook.say([value, "and more"])
    notebook.table(pd.DataFrame({"title": [value], value: [1]}), caption=value)
    corpus = Corpus(**{name: schemas.empty(name) for name in schemas.TABLES}, source=value)
    notebook.provenance(Params("00_corpus_overview", {"corpus": value, "start": value, "tables": ""}), corpus)
    tags = {"p", "table", "thead", "tbody", "tr", "th", "td"}
    for markup in shown:
        assert_shown_as_written(markup, value, tags)
    assert_shown_as_written(corpus._repr_html_(), value, {"b", "code", "table", "tr", "th", "td"})


@pytest.mark.parametrize("value", AWKWARD)
def test_the_explorer_tables_cells_and_links(value):
    info = {value: {"title": value, "url": f"https://example.org/?q={value}"}, "b": {"title": value, "url": None}}
    assert_shown_as_written(event_table.source_links([value], info, "en"), value, {"a"}, "href")
    assert_shown_as_written(event_table.source_links([value], info, "en"), value, {"a"}, "title")
    assert_shown_as_written(event_table.source_links(["b"], info, "en"), value, {"span"})
    cell = event_table.evidence_cell([value, value, value], "ja")
    assert_shown_as_written(cell, value, {"details", "summary", "p"})


@pytest.mark.parametrize("value", AWKWARD)
def test_a_figures_div_id(value):
    page = Page(plotly_div({"data": [], "layout": {}}, value).split("<script>")[0])
    assert page.tags == ["div"] and ("id", value) in page.attrs


# What plotly.js decodes in its text (svg_text_utils' entityToUnicode, and numeric entities); any
# other entity it shows as written.
PLOTLY_ENTITIES = {"mu": "μ", "amp": "&", "lt": "<", "gt": ">", "nbsp": "\xa0", "times": "×", "plusmn": "±",
                   "deg": "°"}


def plotly_decoded(text: str) -> str:
    def entity(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("#"):
            return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
        return PLOTLY_ENTITIES.get(name, match.group(0))
    return re.sub(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);", entity, text)


@pytest.mark.parametrize("value", AWKWARD)
def test_plotly_text_shows_as_written(value):
    labels = analysis.Labels("en")
    texts = [charts.base_layout(value)["title"]["text"], charts.articles_hover(["a"], {"a": value}, 1),
             event_line({"date": None, "countries": [], "participants": [value]}, labels)]
    for text in texts:
        assert "<" not in text.replace("<br>", "") and ">" not in text.replace("<br>", "")
        assert value in plotly_decoded(text)
    if '"' in value:  # why charts.esc is not messages.escaped: plotly.js would show &quot; as written
        assert value not in plotly_decoded(html.escape(value, quote=True))

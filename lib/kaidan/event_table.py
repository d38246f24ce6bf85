"""The meetings explorer's interactive table: every event shown as a searchable, sortable,
filterable DataTable (itables), with links to its sources and its evidence on demand.

The page that shows it loads DataTables from ``kaidan-datatables.js`` beside the reports
(`kaidan.assets`), never from a CDN; the table itself carries only its rows. Cells are HTML
(links, ``<details>`` for the evidence), so every piece of article text, title, name and
address is escaped here, and a source is linked only when its address is http(s).

A report at scale shows the `latest` N events inline and says where the full table is
(``tables/events.csv`` and ``.parquet`` beside the report); `EVIDENCE_PER_EVENT` sentences of
at most `EVIDENCE_CHARS` characters each keep a row small however many articles report it.
"""
from __future__ import annotations

import re

import pandas as pd
from itables import to_html_datatable

from kaidan.analysis import Labels, article_sources, explorer_table
from kaidan.analysis.scoping import Scope
from kaidan.assets import DATATABLES_JS
from kaidan.messages import escaped

TABLE_ID = "kaidan-meetings"
EVIDENCE_PER_EVENT = 2
EVIDENCE_CHARS = 160
TITLE_CHARS = 40
SOURCES_PER_EVENT = 5
PAGE_LENGTH = 25
LAYOUT = {"topStart": "pageLength", "topEnd": "search", "bottomStart": "info", "bottomEnd": "paging"}

HEADERS = {
    "en": {"date": "date", "precision": "precision", "sides": "sides", "participants": "participants",
           "city": "city", "mode": "mode", "series": "series (round)", "forum": "forum", "n_articles": "articles",
           "sources": "sources", "evidence": "evidence"},
    "ja": {"date": "日付", "precision": "精度", "sides": "当事国", "participants": "出席者", "city": "都市",
           "mode": "形式", "series": "会合 (回)", "forum": "枠組み", "n_articles": "記事数", "sources": "出典",
           "evidence": "根拠の文"},
}
PRECISION = {"en": {"day": "day", "month": "month", "year": "year"}, "ja": {"day": "日", "month": "月", "year": "年"}}
WORDS = {"en": {"sentences": "{n} sentence(s)", "more": "… and {n} more", "round": "round {n}"},
         "ja": {"sentences": "{n}文", "more": "…ほか{n}件", "round": "第{n}回"}}
LOADING = f"The table is drawn by {DATATABLES_JS}, which sits beside this report."
SAFE_URL = re.compile(r"^https?://", re.I)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_links(article_ids, info: dict[str, dict], lang: str) -> str:
    """Each source as a link to its address (http/https only) or, without one, its title and id."""
    parts = []
    for aid in list(article_ids)[:SOURCES_PER_EVENT]:
        entry = info.get(aid) or {"title": aid, "url": None}
        title = escaped(_clip(entry.get("title") or aid, TITLE_CHARS))
        url = entry.get("url")
        if isinstance(url, str) and SAFE_URL.match(url.strip()):
            parts.append(f'<a href="{escaped(url.strip())}" title="{escaped(aid)}" rel="noopener">{title}</a>')
        else:
            parts.append(f'<span title="{escaped(aid)}">{title}</span>')
    rest = len(list(article_ids)) - SOURCES_PER_EVENT
    if rest > 0:
        parts.append(escaped(WORDS[lang]["more"].format(n=rest)))
    return "<br>".join(parts)


def evidence_cell(sentences, lang: str) -> str:
    """The evidence sentences, folded: a summary line that opens to show them."""
    sentences = [s for s in sentences if s]
    if not sentences:
        return ""
    shown = "".join(f"<p>{escaped(_clip(s, EVIDENCE_CHARS))}</p>" for s in sentences[:EVIDENCE_PER_EVENT])
    if len(sentences) > EVIDENCE_PER_EVENT:
        shown += f"<p>{escaped(WORDS[lang]['more'].format(n=len(sentences) - EVIDENCE_PER_EVENT))}</p>"
    return f"<details><summary>{escaped(WORDS[lang]['sentences'].format(n=len(sentences)))}</summary>{shown}</details>"


def display_rows(table: pd.DataFrame, sc: Scope, labels: Labels) -> pd.DataFrame:
    """The explorer's rows as the table shows them: labels in the chosen language, HTML cells escaped."""
    lang = labels.lang
    head = HEADERS[lang]
    info = article_sources(sc, {a for ids in table["article_ids"] for a in ids})
    series = [f"{labels('series', s)}" + (f" ({WORDS[lang]['round'].format(n=int(n))})" if n is not None
                                          and not pd.isna(n) else "") if isinstance(s, str) and s else ""
              for s, n in zip(table["series"], table["session"])]
    return pd.DataFrame({
        head["date"]: [escaped(d) if isinstance(d, str) else "" for d in table["date"]],
        head["precision"]: [escaped(PRECISION[lang].get(p, "")) if isinstance(p, str) else ""
                            for p in table["precision"]],
        head["sides"]: [escaped(labels.countries(c)) for c in table["countries"]],
        head["participants"]: [escaped(", ".join(labels("person", p) for p in people))
                               for people in table["participants"]],
        head["city"]: [escaped(labels("place", c)) if isinstance(c, str) else "" for c in table["city"]],
        head["mode"]: [escaped(labels.mode(m)) for m in table["mode"]],
        head["series"]: [escaped(s) for s in series],
        head["forum"]: [escaped(labels("forum", f)) if isinstance(f, str) else "" for f in table["forum"]],
        head["n_articles"]: [int(n) for n in table["n_articles"]],
        head["sources"]: [source_links(ids, info, lang) for ids in table["article_ids"]],
        head["evidence"]: [evidence_cell(ev, lang) for ev in table["evidence"]],
    })


def explorer_html(sc: Scope, labels: Labels, latest: int, table_id: str = TABLE_ID) -> str:
    """The latest `latest` events as one interactive table (HTML with its script), preceded by the
    shared DataTables loader; itables' static copy of the rows is left out (the report is the view)."""
    table = explorer_table(sc).head(latest)
    rows = display_rows(table, sc, labels)
    markup = to_html_datatable(rows, connected=False, table_id=table_id, allow_html=True, showIndex=False,
                               column_filters="footer", pageLength=PAGE_LENGTH, layout=LAYOUT,
                               classes="display compact", scrollX=True, display_logo_when_loading=False)
    markup = _without_static_copy(markup, table_id)
    return f'<script src="{DATATABLES_JS}"></script>\n' + markup


def _without_static_copy(markup: str, table_id: str) -> str:
    """itables' markup less its static preview (a second copy of every row) and the hiding it needs,
    and with its placeholder ("Loading ITables...", linking to itables' web site) saying what it waits for."""
    ident = re.escape(table_id)
    markup = re.sub(rf'<div id="{ident}_fallback">.*?</div><script>.*?</script>', "", markup, count=1, flags=re.S)
    waiting = f"<tbody><tr><td>{escaped(LOADING)}</td></tr></tbody>"
    markup = re.sub(rf'(<table id="{ident}")[^>]*>\s*<tbody>.*?</tbody>', lambda m: m.group(1) + ">" + waiting,
                    markup, count=1, flags=re.S)
    return markup


def show_explorer(sc: Scope, labels: Labels, latest: int) -> None:
    """Display the explorer table in a notebook."""
    from IPython.display import display

    n = min(latest, len(sc.events))
    display({"text/html": explorer_html(sc, labels, latest),
             "text/plain": f"[interactive table: the latest {n} of {len(sc.events)} events]"}, raw=True)


FULL_TABLE = ("tables/events.csv", "tables/events.parquet")  # where `kaidan report` puts every event


def full_table_note(linked: bool) -> str:
    """Where every event is: links to the tables beside the report, or, outside a report, how to get them."""
    if linked:
        links = " and ".join(f'<a href="{escaped(path)}">{escaped(path)}</a>' for path in FULL_TABLE)
        return (f'<p class="kaidan-note">Every event, with all its fields, is one click away: {links} '
                '(the articles behind them, with their addresses, in tables/articles.csv).</p>')
    return ('<p class="kaidan-note">Every event is in <code>corpus.events</code>; <code>kaidan extract</code> '
            'writes it as events.csv and events.parquet, and <code>kaidan report</code> links them here.</p>')


def show_full_table_links(linked: bool) -> None:
    from IPython.display import display

    markup = full_table_note(linked)
    display({"text/html": markup, "text/plain": re.sub(r"<[^>]+>", "", markup)}, raw=True)

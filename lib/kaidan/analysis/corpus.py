"""The corpus overview (notebook 00): every file as read, with its status, source and date,
and the boilerplate cut before extraction. Takes the corpus, not a scope: it shows what was
left out too."""
from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from kaidan.analysis.common import column_rows, empty_frame
from kaidan.analysis.periods import check_period, date_span, parse_bound, period_index, place


def overview(corpus) -> dict:
    """Counts for the corpus as read: files, statuses, duplicates, languages, dates, tables."""
    a = corpus.articles
    spans = [date_span(p) for p in a["published"].tolist()]
    days = sorted(s.first for s in spans if s)
    dup = a["duplicate_of"].astype("object").fillna("").astype(str).str.len() > 0
    return {"files": len(a), "ok": int((a["status"] == "ok").sum()),
            "warnings": int((a["status"] == "warning").sum()), "errors": int((a["status"] == "error").sum()),
            "duplicates": int(dup.sum()), "dated": len(days), "undated": len(a) - len(days),
            "first": days[0].isoformat() if days else None, "last": days[-1].isoformat() if days else None,
            "outlets": int(a["outlet"].dropna().nunique()),
            "languages": dict(Counter(str(x) for x in a["language"].dropna())),
            "sentences": len(corpus.sentences), "mentions": len(corpus.mentions),
            "meetings": len(corpus.meetings), "events": len(corpus.events)}


def status_table(corpus) -> pd.DataFrame:
    """Files by status and message: status, message, n_files, article_ids."""
    a = corpus.articles
    rows = []
    for (status, message), g in a.groupby(["status", a["message"].fillna("")], sort=True):
        rows.append({"status": status, "message": message, "n_files": len(g),
                     "article_ids": sorted(g["article_id"].tolist())})
    columns = ["status", "message", "n_files", "article_ids"]
    order = {"error": 0, "warning": 1, "ok": 2}
    if not rows:
        return empty_frame(columns)
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(by=["status", "n_files"], key=lambda s: s.map(order) if s.name == "status" else -s) \
        .reset_index(drop=True)


def source_counts(corpus) -> pd.DataFrame:
    """Articles per outlet (``(not stated)`` when unknown): outlet, n_articles, first, last, article_ids."""
    a = corpus.articles
    outlets = a["outlet"].astype("object").where(a["outlet"].notna() & (a["outlet"].astype("object") != ""),
                                                 "(not stated)")
    rows = []
    for outlet, g in a.groupby(outlets, sort=True):
        dates = sorted(str(p) for p in g["published"].dropna().tolist() if date_span(p))
        rows.append({"outlet": outlet, "n_articles": len(g), "first": dates[0] if dates else None,
                     "last": dates[-1] if dates else None, "article_ids": sorted(g["article_id"].tolist())})
    columns = ["outlet", "n_articles", "first", "last", "article_ids"]
    if not rows:
        return empty_frame(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["n_articles", "outlet"], ascending=[False, True]) \
        .reset_index(drop=True)


def articles_per_period(corpus, period: str = "month", start=None, end=None) -> pd.DataFrame:
    """Articles published per period, zeros kept: period, period_start, n_articles, article_ids."""
    check_period(period)
    a = corpus.articles
    placed = {aid: place(date_span(p), period) for aid, p in column_rows(a, "article_id", "published")}
    index = period_index(placed.values(), period, parse_bound(start) if isinstance(start, str) else start,
                         parse_bound(end, end=True) if isinstance(end, str) else end)
    rows = []
    for p in index:
        ids = sorted(aid for aid, q in placed.items() if q == p)
        rows.append({"period": str(p), "period_start": p.start_time.date(), "n_articles": len(ids),
                     "article_ids": ids})
    columns = ["period", "period_start", "n_articles", "article_ids"]
    out = pd.DataFrame(rows, columns=columns) if rows else empty_frame(columns)
    out.attrs["unplaced"] = sum(1 for q in placed.values() if q is None)
    return out


def boilerplate_summary(corpus) -> pd.DataFrame:
    """Per article: characters kept in the body and cut as boilerplate, and the share cut."""
    a = corpus.articles
    kept = a["body"].fillna("").str.len()
    cut = a["boilerplate"].fillna("").str.len()
    total = kept + cut
    share = (cut / total.where(total > 0)).fillna(0.0)
    out = pd.DataFrame({"article_id": a["article_id"].to_numpy(), "body_chars": kept.to_numpy(),
                        "boilerplate_chars": cut.to_numpy(), "share_cut": share.to_numpy()})
    return out.sort_values(["boilerplate_chars", "article_id"], ascending=[False, True]).reset_index(drop=True)


def boilerplate_lines(corpus, top: int = 10) -> pd.DataFrame:
    """The lines cut most often, by how many articles they were cut from: line, n_articles, article_ids."""
    seen: dict[str, set] = defaultdict(set)
    for aid, text in column_rows(corpus.articles, "article_id", "boilerplate"):
        for line in str(text or "").split("\n"):
            line = line.strip()
            if line:
                seen[line].add(aid)
    rows = [{"line": line, "n_articles": len(ids), "article_ids": sorted(ids)} for line, ids in seen.items()]
    columns = ["line", "n_articles", "article_ids"]
    if not rows:
        return empty_frame(columns)
    return pd.DataFrame(rows, columns=columns).sort_values(["n_articles", "line"], ascending=[False, True]) \
        .head(top).reset_index(drop=True)


def article_table(corpus) -> pd.DataFrame:
    """One row per file with what was found in it: article_id, title, outlet, published, status,
    n_chars, n_meetings, topics (ids joined by ', ')."""
    a = corpus.articles
    meetings = Counter(corpus.meetings["article_id"].tolist())
    topics: dict[str, set] = defaultdict(set)
    tm = corpus.mentions.loc[corpus.mentions["kind"] == "topic"]
    for aid, t in column_rows(tm, "article_id", "id"):
        topics[aid].add(t)
    return pd.DataFrame({
        "article_id": a["article_id"].to_numpy(), "title": a["title"].astype("object").to_numpy(),
        "outlet": a["outlet"].astype("object").to_numpy(), "published": a["published"].astype("object").to_numpy(),
        "status": a["status"].to_numpy(), "n_chars": a["n_chars"].astype("object").to_numpy(),
        "n_meetings": [meetings.get(x, 0) for x in a["article_id"].tolist()],
        "topics": [", ".join(sorted(topics.get(x, ()))) for x in a["article_id"].tolist()]})

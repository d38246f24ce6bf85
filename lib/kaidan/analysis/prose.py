"""What the numbers say, in words: the ``describe_*`` functions turn each analysis' frame into
a few sentences, and say so when it is empty ("No meetings in this period.")."""
from __future__ import annotations

import pandas as pd

from kaidan.analysis.common import UNKNOWN_MODE, is_missing
from kaidan.analysis.labels import Labels
from kaidan.analysis.scoping import Scope
from kaidan.messages import plural


def _names(items: list[str], limit: int = 3) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    shown = items[:limit]
    rest = len(items) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def describe_scope(sc: Scope) -> list[str]:
    lines = [f"Scope: {sc.description}: {plural(len(sc.articles), 'article')}, "
             f"{plural(len(sc.events), 'event')} ({plural(len(sc.meetings), 'meeting report')})."]
    lines += [note[0].upper() + note[1:] + "." for note in sc.notes]
    return lines


def describe_periods(counts: pd.DataFrame, what: str = "meetings") -> list[str]:
    """Sentences on an events-per-period frame (from `meetings_per_period`)."""
    period = counts.attrs.get("period", "period")
    total = int(counts["n_events"].sum()) if len(counts) else 0
    lines = []
    if total == 0:
        lines.append(f"No {what} in this period.")
    else:
        busiest = counts.sort_values(["n_events", "period"], ascending=[False, True]).iloc[0]
        empty = int((counts["n_events"] == 0).sum())
        lines.append(f"{plural(total, 'event')} across {plural(len(counts), period)} "
                     f"from {counts['period'].iloc[0]} to {counts['period'].iloc[-1]}; "
                     f"the busiest {period} is {busiest['period']} with {plural(int(busiest['n_events']), 'event')}.")
        if empty:
            lines.append(f"{plural(empty, period)} had none; they are shown as zero.")
        scheduled = int(counts["n_scheduled"].sum())
        if scheduled:
            lines.append(f"{plural(scheduled, 'event')} {'was' if scheduled == 1 else 'were'} reported as "
                         "scheduled rather than held.")
    unplaced, undated = counts.attrs.get("unplaced", 0), counts.attrs.get("undated", 0)
    if unplaced:
        lines.append(f"{plural(unplaced, 'event')} dated less precisely than a {period} "
                     f"{'is' if unplaced == 1 else 'are'} not counted here.")
    if undated:
        lines.append(f"{plural(undated, 'event')} without a date {'is' if undated == 1 else 'are'} not counted here.")
    return lines


def describe_pairs(pairs: pd.DataFrame, label: Labels) -> list[str]:
    if pairs.empty:
        return ["No meetings between two named sides in this period."]
    top = pairs.iloc[0]
    lines = [f"{plural(len(pairs), 'pair')} of countries met; {label.pair(top['pair'])} met most often "
             f"({plural(int(top['n_events']), 'event')}, reported in {plural(int(top['n_articles']), 'article')})."]
    if len(pairs) > 1:
        second = pairs.iloc[1]
        lines.append(f"Next is {label.pair(second['pair'])} with {plural(int(second['n_events']), 'event')}.")
    return lines


def describe_modes(modes: pd.DataFrame, label: Labels) -> list[str]:
    if modes.empty:
        return ["No meetings in this period, so no modes to compare."]
    total = int(modes["n_events"].sum())
    parts = [f"{label.mode(r.mode)} {r.n_events}" for r in modes.sort_values("n_events", ascending=False).itertuples()]
    lines = [f"Of {plural(total, 'event')}: " + ", ".join(parts) + "."]
    unknown = modes.loc[modes["mode"] == UNKNOWN_MODE, "n_events"].sum()
    if unknown:
        lines.append(f"{plural(int(unknown), 'event')} did not say how the sides met.")
    return lines


def describe_series(summary: pd.DataFrame, label: Labels, top: int = 5) -> list[str]:
    """A sentence for each of the `top` busiest tracks (from `missing_rounds`) and one for the rest,
    so the prose stays short however many series the corpus holds."""
    if summary.empty:
        return ["No meetings of a named series in this period."]
    lines = []
    if len(summary) > top:
        lines.append(f"{plural(len(summary), 'series track')} (a series between one set of sides); "
                     f"the {top} with the most meetings:")
    for r in summary.head(top).itertuples():
        name = f"{label('series', r.series)} ({label.countries(r.countries)})"
        if not is_missing(r.highest):
            text = f"{name}: {plural(int(r.rounds_seen), 'round')} seen, up to round {int(r.highest)}"
            text += f"; rounds {r.missing_ranges} not in the corpus." if r.missing else "; none missing."
        else:
            text = f"{name}: {plural(int(r.unnumbered), 'meeting')} without a round number."
        lines.append(text)
    rest = summary.iloc[top:]
    if len(rest):
        with_gaps = int(sum(1 for m in rest["missing"] if len(m)))
        lines.append(f"The other {plural(len(rest), 'track')} {'has' if len(rest) == 1 else 'have'} "
                     f"{plural(int(rest['rounds_seen'].sum()), 'round')} "
                     f"seen between them, {with_gaps} with rounds not in the corpus; the events table "
                     "(events.csv, columns series and session) lists every meeting.")
    return lines


def describe_intervals(summary: pd.DataFrame, label: Labels) -> list[str]:
    if summary.empty:
        return ["No pair met twice with dates known to the month, so there are no intervals to show."]
    top = summary.iloc[0]
    lines = [f"{plural(len(summary), 'pair')} met more than once with known dates; "
             f"{label.pair(top['pair'])} has the most intervals ({int(top['n_intervals'])}), "
             f"a median of {top['median_days']:.0f} days apart."]
    shortest = summary.sort_values("min_days").iloc[0]
    lines.append(f"The shortest gap is {int(shortest['min_days'])} days ({label.pair(shortest['pair'])}).")
    return lines


def describe_topics(counts: pd.DataFrame, pairs: pd.DataFrame, label: Labels, unit: str, measure: str) -> list[str]:
    if counts.empty:
        return ["No topics were found in this period."]
    top = counts.iloc[0]
    lines = [f"{plural(len(counts), 'topic')} found; {label('topic', top['topic'])} is the most frequent "
             f"({plural(int(top['n_units']), unit)}, {top['share']:.0%} of all)."]
    if pairs.empty:
        lines.append(f"No two topics share a {unit} often enough to pass the minimum count.")
        return lines
    first = pairs.iloc[0]
    lines.append(f"{label('topic', first['topic_a'])} and {label('topic', first['topic_b'])} appear together "
                 f"most often ({plural(int(first['count']), unit)}).")
    ranked = pairs.dropna(subset=[measure]).sort_values([measure, "count"], ascending=[False, False])
    if len(ranked):
        best = ranked.iloc[0]
        lines.append(f"By {measure}, the strongest association is {label('topic', best['topic_a'])} with "
                     f"{label('topic', best['topic_b'])} ({measure} {best[measure]:.2f}, "
                     f"{plural(int(best['count']), unit)}).")
    return lines


def describe_trends(trends: pd.DataFrame, label: Labels) -> list[str]:
    if trends.empty or trends["n_articles"].sum() == 0:
        return ["No dated articles with topics in this period."]
    totals = trends.groupby("topic")["n_articles"].sum().sort_values(ascending=False)
    lines = [f"Across {trends['period'].nunique()} periods, {label('topic', totals.index[0])} appears in the "
             f"most articles ({int(totals.iloc[0])})."]
    last = trends.loc[trends["period"] == trends["period"].iloc[-1]]
    if last["n_articles"].sum():
        lead = last.sort_values("n_articles", ascending=False).iloc[0]
        lines.append(f"In the latest period ({lead['period']}), {label('topic', lead['topic'])} leads with "
                     f"{plural(int(lead['n_articles']), 'article')}.")
    if trends.attrs.get("unplaced"):
        lines.append(f"{plural(trends.attrs['unplaced'], 'article')} without a usable date "
                     f"{'is' if trends.attrs['unplaced'] == 1 else 'are'} left out of the trend.")
    return lines


def describe_pair_topics(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No articles reporting meetings carry topics in this period."]
    top = table.sort_values(["n_articles", "pair", "topic"], ascending=[False, True, True]).iloc[0]
    return [f"The most frequent pair–topic combination is {label.pair(top['pair'])} with "
            f"{label('topic', top['topic'])} ({plural(int(top['n_articles']), 'article')})."]


def describe_forums(counts: pd.DataFrame, label: Labels) -> list[str]:
    if counts.empty:
        return ["No forums are mentioned in this period."]
    top = counts.iloc[0]
    lines = [f"{plural(len(counts), 'forum')} mentioned; {label('forum', top['forum'])} in the most articles "
             f"({int(top['n_articles'])})."]
    sideline = counts.loc[counts["n_sideline_events"] > 0]
    if len(sideline):
        lines.append("Meetings on the sidelines of " + _names([label('forum', f) for f in sideline["forum"]])
                     + f": {int(sideline['n_sideline_events'].sum())} in all.")
    else:
        lines.append("No meeting in scope was held on a forum's sidelines.")
    return lines


def describe_forum_time(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty or table["n_articles"].sum() == 0:
        return ["No dated articles mention the chosen forums in this period."]
    by_period = table.groupby("period")["n_articles"].sum()
    peak = by_period.idxmax()
    lines = [f"Forum mentions peak in {peak} ({int(by_period.max())} article–forum pairs)."]
    return lines


def describe_forum_country(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No article mentions both a forum and a country in this period."]
    top = table.sort_values(["n_articles", "n_events"], ascending=False).iloc[0]
    return [f"{label('forum', top['forum'])} with {label('country', top['country'])} is the most frequent "
            f"combination ({plural(int(top['n_articles']), 'article')}, "
            f"{plural(int(top['n_events']), 'sideline meeting')})."]


def describe_forum_topic(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No forum and topic appear in the same article in this period."]
    top = table.iloc[0]
    return [f"{label('forum', top['forum'])} comes up most with {label('topic', top['topic'])} "
            f"({plural(int(top['count']), 'article')}, lift {top['lift']:.2f})."]


def describe_sidelines(table: pd.DataFrame, label: Labels) -> list[str]:
    if table.empty:
        return ["No meetings on a forum's sidelines in this period."]
    by_forum = table.groupby("forum").size().sort_values(ascending=False)
    return [f"{plural(len(table), 'meeting')} on the sidelines of {plural(len(by_forum), 'forum')}; "
            f"most at {label('forum', by_forum.index[0])} ({int(by_forum.iloc[0])})."]


def describe_overview(info: dict) -> list[str]:
    if not info["files"]:
        return ["The corpus has no articles."]
    lines = [f"{plural(info['files'], 'article')}: {info['ok']} ok, {plural(info['warnings'], 'warning')}, "
             f"{plural(info['errors'], 'error')}; {plural(info['duplicates'], 'duplicate')}."]
    if info["first"]:
        lines.append(f"Publication dates run from {info['first']} to {info['last']}"
                     + (f"; {info['undated']} article(s) have none." if info["undated"] else "."))
    else:
        lines.append("No article has a publication date.")
    lines.append(f"Extraction found {plural(info['mentions'], 'mention')}, "
                 f"{plural(info['meetings'], 'meeting report')} and {plural(info['events'], 'event')}.")
    return lines


def describe_boilerplate(summary: pd.DataFrame, lines_cut: pd.DataFrame) -> list[str]:
    if summary.empty or summary["boilerplate_chars"].sum() == 0:
        return ["No boilerplate was cut from any article."]
    cut = summary.loc[summary["boilerplate_chars"] > 0]
    total = int(summary["boilerplate_chars"].sum())
    kept = int(summary["body_chars"].sum())
    lines = [f"Boilerplate was cut from {plural(len(cut), 'article')}: {total:,} characters, "
             f"{total / (total + kept):.0%} of the text."]
    if len(lines_cut) and int(lines_cut.iloc[0]["n_articles"]) > 1:
        lines.append(f"The most repeated cut line appears in {int(lines_cut.iloc[0]['n_articles'])} articles.")
    return lines


def describe_explorer(n_shown: int, n_total: int) -> list[str]:
    if not n_total:
        return ["No meetings in this period, so the table is empty."]
    if n_shown >= n_total:
        return [f"The table holds every one of the {plural(n_total, 'event')}, newest first: type in the search "
                "box or a column's filter to narrow it, click a heading to sort, open a row's evidence to read it."]
    return [f"The table holds the latest {n_shown:,} of {n_total:,} events, newest first (the `latest` parameter "
            "sets how many): type in the search box or a column's filter to narrow it, click a heading to sort, "
            "open a row's evidence to read it."]


def describe_places(places: pd.DataFrame, label: Labels) -> list[str]:
    unplaced = int(places.attrs.get("unplaced", 0))
    rest = [f"{plural(unplaced, 'event')} name no city the gazetteer has coordinates for, so "
            f"{'it is' if unplaced == 1 else 'they are'} not on the map."] if unplaced else []
    if places.empty:
        return ["No meeting in this period names a city with coordinates."] + rest
    top = places.iloc[0]
    return [f"Meetings took place in {plural(len(places), 'city', 'cities')}; "
            f"{label('place', top['city'])} hosted most ({plural(int(top['n_events']), 'event')})."] + rest


def describe_network(edges: pd.DataFrame, label: Labels, nodes: str = "countries") -> list[str]:
    kind = "country" if nodes == "countries" else "person"
    what = "countries" if nodes == "countries" else "people"
    if edges.empty:
        return [f"No two {what} met in this period."]
    top = edges.iloc[0]
    return [f"{plural(len(edges), f'pair of {what}', f'pairs of {what}')} met; "
            f"{label(kind, top['a'])} and {label(kind, top['b'])} most often "
            f"({plural(int(top['n_events']), 'event')})."]

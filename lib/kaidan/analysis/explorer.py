"""The meetings explorer (notebook 04): every event as one row, where the meetings took place,
and who meets whom as a network's nodes and edges.

Places come from the gazetteer's coordinates (``reference/places.yaml``), read on their own
with yaml so that a notebook need not load every gazetteer; a person's country for the
people network comes the same way from the people gazetteers.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

from kaidan.constants import NODES
from kaidan.analysis.common import as_list, column_rows, empty_frame, is_missing, union
from kaidan.analysis.frequency import pair_events
from kaidan.analysis.scoping import Scope

EXPLORER_COLUMNS = ["event_id", "date", "precision", "countries", "participants", "city", "host_country", "mode",
                    "series", "session", "forum", "status", "n_articles", "article_ids", "evidence"]
PLACE_COLUMNS = ["city", "country", "lat", "lon", "n_events", "modes", "event_ids", "article_ids", "latest"]
EDGE_COLUMNS = ["a", "b", "n_events", "event_ids", "article_ids", "first", "last"]
EVENTS_PER_POINT = 3  # events a map marker or network edge names in its row (``latest``), newest first


def _yaml(name: str) -> list[dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (resources.files("kaidan") / "reference" / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=loader) or []


@lru_cache(maxsize=1)
def place_coordinates() -> dict[str, dict]:
    """City id → {lat, lon, country} from the places gazetteer (entries without coordinates left out)."""
    out = {}
    for entry in _yaml("places.yaml"):
        if entry.get("lat") is not None and entry.get("lon") is not None:
            out[str(entry["id"])] = {"lat": float(entry["lat"]), "lon": float(entry["lon"]),
                                     "country": entry.get("country")}
    return out


@lru_cache(maxsize=1)
def person_countries() -> dict[str, str]:
    """Person id → ISO3 country, from both people gazetteers."""
    out = {}
    for name in ("people.yaml", "people_world.yaml"):
        for entry in _yaml(name):
            if entry.get("id") and entry.get("country"):
                out[str(entry["id"])] = str(entry["country"])
    return out


def _newest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Latest date first (by the first day the date can be), undated events last, then by id."""
    order = frame.assign(_day=[f or dt.date.min for f in frame["first"]], _undated=frame["first"].isna())
    order = order.sort_values(["_undated", "_day", "event_id"], ascending=[True, False, True])
    return order.drop(columns=["_day", "_undated"])


def explorer_table(sc: Scope) -> pd.DataFrame:
    """One row per event in scope, newest first: its date and precision, sides, participants,
    place, mode, series and round, forum, how many articles and which, and the evidence.
    Computed once per scope (the table, the map and the network share it)."""
    return sc.derived("explorer_table", lambda: _explorer_table(sc))


def _explorer_table(sc: Scope) -> pd.DataFrame:
    ev = sc.event_table
    if ev.empty:
        return empty_frame(EXPLORER_COLUMNS + ["first"]).drop(columns=["first"])
    extra = {eid: (host, evidence) for eid, host, evidence in column_rows(sc.events, "event_id", "host_country",
                                                                          "evidence")}
    event_ids = ev["event_id"].tolist()
    out = ev.assign(
        host_country=[None if is_missing(extra[e][0]) else extra[e][0] for e in event_ids],
        evidence=[[s for s in as_list(extra[e][1]) if isinstance(s, str) and s] for e in event_ids],
        n_articles=[len(ids) for ids in ev["article_ids"].tolist()],
        countries=[list(c) for c in ev["countries"].tolist()])
    return _newest_first(out)[EXPLORER_COLUMNS].reset_index(drop=True)


def article_sources(sc: Scope, article_ids) -> dict[str, dict]:
    """article_id → its title, outlet, published date and URL (None where unknown), for every id
    given (the articles behind the events a table shows), looked up in one pass."""
    wanted = set(article_ids)
    found = sc.all_articles.loc[sc.all_articles["article_id"].isin(wanted)]
    out = {aid: {"article_id": aid, "title": aid, "outlet": None, "published": None, "url": None} for aid in wanted}
    for aid, outlet, published, url in column_rows(found, "article_id", "outlet", "published", "url"):
        out[aid] = {"article_id": aid, "title": sc.titles.get(aid, aid),
                    "outlet": None if is_missing(outlet) else outlet,
                    "published": None if is_missing(published) else published,
                    "url": None if is_missing(url) else url}
    return out


LATEST_COLUMNS = ["event_id", "date", "countries", "participants"]


def _latest(rows: list[tuple], positions, limit: int = EVENTS_PER_POINT) -> list[dict]:
    """The newest events of a group, as the hover text names them: date, sides, participants.
    `rows` are the explorer table's `LATEST_COLUMNS` (`_latest_rows`), `positions` the group's
    rows in it, newest first."""
    return [{"event_id": eid, "date": date, "countries": list(countries), "participants": list(participants)}
            for eid, date, countries, participants in (rows[i] for i in list(positions)[:limit])]


def _latest_rows(table: pd.DataFrame) -> list[tuple]:
    """The explorer table's rows as `_latest` reads them: one pass, not a frame per group."""
    return list(column_rows(table, *LATEST_COLUMNS))


def place_counts(sc: Scope) -> pd.DataFrame:
    """Where meetings took place: one row per city with coordinates, most events first.

    ``modes`` maps each mode to its count; ``latest`` names the newest few events. Events
    with no city, or a city the gazetteer gives no coordinates, are counted in
    ``attrs['unplaced']``.
    """
    table = explorer_table(sc)
    coordinates = place_coordinates()
    placed = table.loc[[isinstance(c, str) and c in coordinates for c in table["city"].tolist()]]
    latest = _latest_rows(table)
    rows = []
    for city, group in placed.groupby("city", sort=False):
        where = coordinates[city]
        rows.append({"city": city, "country": where["country"], "lat": where["lat"], "lon": where["lon"],
                     "n_events": len(group), "modes": dict(Counter(group["mode"])),
                     "event_ids": list(group["event_id"]), "article_ids": union(group["article_ids"]),
                     "latest": _latest(latest, table.index.get_indexer(group.index))})
    out = (pd.DataFrame(rows, columns=PLACE_COLUMNS).sort_values(["n_events", "city"], ascending=[False, True])
           .reset_index(drop=True)) if rows else empty_frame(PLACE_COLUMNS)
    out.attrs["unplaced"] = len(table) - len(placed)
    return out


def _people_pairs(participants, countries: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of an event's participants who are not of the same country (colleagues do not 'meet')."""
    people = sorted(set(participants))
    return [(a, b) for a, b in itertools.combinations(people, 2)
            if countries.get(a) is None or countries.get(a) != countries.get(b)]


def meeting_edges(sc: Scope, nodes: str = "countries") -> pd.DataFrame:
    """Who meets whom as edges: one row per pair of countries (or of people), most events first,
    with the events behind it (``latest`` names the newest few)."""
    if nodes not in NODES:
        raise ValueError(f"nodes {nodes!r} is not one of {', '.join(NODES)}")
    table = explorer_table(sc)
    latest = _latest_rows(table)
    if nodes == "countries":
        pairs = pair_events(sc)
        if pairs.empty:
            return empty_frame(EDGE_COLUMNS + ["latest"])
        position = {eid: i for i, eid in enumerate(table["event_id"].tolist())}  # the table is newest first
        out = pairs.rename(columns={"country_a": "a", "country_b": "b"})[EDGE_COLUMNS].copy()
        out["latest"] = [_latest(latest, sorted(position[e] for e in ids if e in position)) for ids in out["event_ids"]]
        return out.reset_index(drop=True)
    countries = person_countries()
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, people in enumerate(table["participants"]):
        for pair in _people_pairs(people, countries):
            groups[pair].append(i)
    rows = []
    for (a, b), idx in groups.items():
        sub = table.iloc[idx]
        dates = sorted(d for d in sub["date"] if isinstance(d, str) and d)
        rows.append({"a": a, "b": b, "n_events": len(idx), "event_ids": list(sub["event_id"]),
                     "article_ids": union(sub["article_ids"]), "first": dates[0] if dates else None,
                     "last": dates[-1] if dates else None, "latest": _latest(latest, idx)})
    if not rows:
        return empty_frame(EDGE_COLUMNS + ["latest"])
    return (pd.DataFrame(rows, columns=EDGE_COLUMNS + ["latest"])
            .sort_values(["n_events", "a", "b"], ascending=[False, True, True]).reset_index(drop=True))


def node_of(name: str, nodes: str) -> str | None:
    """The country a network node belongs to (itself for a country), for its colour."""
    return name if nodes == "countries" else person_countries().get(name)

"""kaidan's events as PLOVER-style records, one JSON object a line (JSON Lines).

PLOVER (the Open Event Data Alliance's event ontology, which POLECAT codes) files a meeting
as event type CONSULT, with a mode (visit, third-party, multilateral, phone), actors and
recipients as lists of entities (country code, name, identifier, office), a date, a location
object and the texts it was coded from. The mapping, field by field, is in the README; in
short:

- ``event`` is CONSULT for a meeting held, AGREE for one only scheduled (PLOVER codes
  future meetings as AGREE), with ``context: ["future"]``, PLOVER's auxiliary mode for it;
- ``mode``: ``phone`` for a phone or video call; ``multilateral`` on a forum's sidelines;
  ``visit`` when one side hosted (the host is the ``recipient``, the visitors the
  ``actor``); ``third-party`` when the host country is not a side; none when kaidan does
  not know;
- ``date`` is the day only when the articles give the day: PLOVER has no way to write a
  month or a year, and a made-up day is worse than none, so the date at its precision is
  in ``kaidan.date`` and ``kaidan.date_precision``.

What PLOVER has no field for (the date's precision, the series and round, the forum, the
sources beyond the first) goes under ``kaidan``, one object, so a reader knows exactly
which fields are PLOVER's.
"""
from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import IO, Iterable, Iterator

import pandas as pd

from kaidan import __version__
from kaidan.analysis.common import as_list, is_missing
from kaidan.analysis.periods import date_span
from kaidan.reference import Reference

FORMATS = ("plover",)
SCHEMA_FILE = "plover.schema.json"
QUAD_VERBAL_COOPERATION = 1  # PLOVER's quad code of CONSULT and AGREE
# PLOVER's conflict-cooperation scores (the manual's table) for the event types and modes written here
SCALE = {("CONSULT", None): 2.5, ("CONSULT", "visit"): 4.0, ("CONSULT", "third-party"): 1.0,
         ("CONSULT", "multilateral"): 4.0, ("CONSULT", "phone"): 1.5, ("AGREE", None): 2.5}
LOCATION_CITY, LOCATION_COUNTRY = 4, 1  # PLOVER's location resolution codes
LANGUAGE = "ja"  # the articles' language (ISO 639-1)


def _text(value) -> str | None:
    return None if is_missing(value) or value == "" else str(value)


def _int(value) -> int | None:
    return None if is_missing(value) else int(value)


def plover_mode(event: dict) -> str | None:
    """PLOVER's CONSULT mode for an event, or None when kaidan does not know how it was held."""
    sides = set(as_list(event.get("countries")))
    mode, host = _text(event.get("mode")), _text(event.get("host_country"))
    if mode in ("phone", "video"):
        return "phone"  # PLOVER: "via phone or some other remote medium"
    if mode != "in_person":
        return None
    if _text(event.get("forum")):
        return "multilateral"
    if host and host in sides and len(sides) >= 2:
        return "visit"
    if host and host not in sides:
        return "third-party"
    return None


class Gazetteer:
    """What a record needs from the reference: country names, people's countries and offices,
    and the places' coordinates."""

    def __init__(self, reference: Reference):
        self.country_names = {r["id"]: r["name_en"] for r in reference.countries.to_dict("records")}
        self.people = reference.people
        self.places = {r["id"]: r for r in reference.places.to_dict("records")}

    def office(self, person: str, date) -> str | None:
        """The person's roles throughout the event's date (its first and last possible day), or None."""
        entry, span = self.people.get(person), date_span(date)
        if entry is None or span is None:
            return None
        roles = entry.roles_on(span.first)
        if not roles or roles != entry.roles_on(span.last):
            return None
        return "; ".join(sorted(roles))

    def entity(self, code: str | None, person: str | None = None, date=None) -> dict:
        out = {"code": code, "country_name": self.country_names.get(code) if code else None}
        if person:
            out["identifier_text"] = person
            office = self.office(person, date)
            if office:
                out["office"] = office
        return out

    def location(self, city: str | None, host: str | None) -> dict | None:
        place = self.places.get(city) if city else None
        if place is not None:
            country = _text(place.get("country"))
            return {"resolved_place": city, "city": city, "lat": float(place["lat"]), "lon": float(place["lon"]),
                    "country": self.country_names.get(country), "country_code": country,
                    "resolution": LOCATION_CITY}
        if city or host:  # a city without coordinates, or only the host country
            out = {"country": self.country_names.get(host), "country_code": host,
                   "resolution": LOCATION_CITY if city else LOCATION_COUNTRY}
            if city:
                out.update(resolved_place=city, city=city)
            return out
        return None


def _sides(event: dict, mode: str | None, gazetteer: Gazetteer) -> tuple[list[dict], list[dict]]:
    """(actor, recipient): an entity per participant under their country, one per side without a
    named participant; on a visit, the host side is the recipient (PLOVER: the visitor acts)."""
    sides = list(dict.fromkeys(as_list(event.get("countries"))))
    date = event.get("date")
    by_side: dict[str | None, list[dict]] = {c: [] for c in sides}
    for person in as_list(event.get("participants")):
        country = gazetteer.people[person].country if person in gazetteer.people else None
        side = country if country in by_side else None  # a participant of no side keeps no code
        by_side.setdefault(side, []).append(gazetteer.entity(side, person, date))
    host = _text(event.get("host_country")) if mode == "visit" else None
    actor, recipient = [], []
    for side, people in by_side.items():
        entities = people or ([gazetteer.entity(side)] if side else [])
        (recipient if side is not None and side == host else actor).extend(entities)
    return actor, recipient


def _sources(article_ids, articles: dict[str, dict]) -> list[dict]:
    out = []
    for aid in article_ids:
        a = articles.get(aid, {})
        out.append({"article_id": aid, "url": _text(a.get("url")), "title": _text(a.get("title")),
                    "outlet": _text(a.get("outlet")), "published": _text(a.get("published"))})
    return sorted(out, key=lambda s: (s["published"] is None, s["published"] or "", s["article_id"]))


def plover_record(event: dict, articles: dict[str, dict], gazetteer: Gazetteer, corpus: str = "") -> dict:
    """One event as a PLOVER-style record (see the module's docstring and the README)."""
    held = _text(event.get("status")) in (None, "held")
    kind = "CONSULT" if held else "AGREE"
    mode = plover_mode(event) if held else None
    actor, recipient = _sides(event, mode, gazetteer)
    date, precision = _text(event.get("date")), _text(event.get("date_precision"))
    sources = _sources(sorted(set(as_list(event.get("article_ids")))), articles)
    first = sources[0] if sources else None
    return {
        "id": event["event_id"],
        "date": date if precision == "day" else None,
        "actor": actor,
        "recipient": recipient,
        "event": [kind],
        "mode": [mode] if mode else None,
        "context": None if held else ["future"],
        "quad_code": QUAD_VERBAL_COOPERATION,
        "event_scale": SCALE[(kind, mode)],
        "event_loc": gazetteer.location(_text(event.get("city")), _text(event.get("host_country"))),
        "event_text": [s for s in as_list(event.get("evidence")) if isinstance(s, str) and s],
        "link": _text(event.get("series")),
        "cite_info": {"corpus": corpus or None, "citation": first["article_id"], "url": first["url"],
                      "title": first["title"], "publication": first["outlet"], "language": LANGUAGE,
                      "coder": f"kaidan {__version__}"} if first else None,
        "coder": f"kaidan {__version__}",
        "kaidan": {"date": date, "date_precision": precision, "mode": _text(event.get("mode")),
                   "host_country": _text(event.get("host_country")), "series": _text(event.get("series")),
                   "session": _int(event.get("session")), "forum": _text(event.get("forum")),
                   "status": _text(event.get("status")), "n_articles": len(sources), "sources": sources},
    }


def plover_records(events: pd.DataFrame, articles: pd.DataFrame, reference: Reference,
                   corpus: str = "") -> Iterator[dict]:
    """Every event as a record, in the events table's order."""
    gazetteer = Gazetteer(reference)
    by_id = {a["article_id"]: a for a in articles[["article_id", "url", "title", "outlet", "published"]]
             .to_dict("records")}
    for event in events.to_dict("records"):
        yield plover_record(event, by_id, gazetteer, corpus)


def write_plover(records: Iterable[dict], out: IO[str]) -> int:
    """Write records as JSON Lines (UTF-8 text as is, one record a line); returns how many."""
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n


def write_plover_file(records: Iterable[dict], path: Path) -> int:
    """Write to `path` through a temporary file beside it, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            n = write_plover(records, handle)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return n


def read_plover(lines: Iterable[str]) -> pd.DataFrame:
    """Records written by `write_plover`, back as events: event_id, date, date_precision, countries
    (the sides, sorted) and participants (sorted), the columns a round trip compares."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        entities = record["actor"] + record["recipient"]
        rows.append({"event_id": record["id"], "date": record["kaidan"]["date"],
                     "date_precision": record["kaidan"]["date_precision"],
                     "countries": sorted({e["code"] for e in entities if e.get("code")}),
                     "participants": sorted(e["identifier_text"] for e in entities if e.get("identifier_text"))})
    return pd.DataFrame(rows, columns=["event_id", "date", "date_precision", "countries", "participants"], dtype=object)


def schema() -> dict:
    """The JSON Schema every record satisfies (plover.schema.json, shipped with the package)."""
    return json.loads((resources.files("kaidan.export") / SCHEMA_FILE).read_text(encoding="utf-8"))

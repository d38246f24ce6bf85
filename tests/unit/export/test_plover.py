"""kaidan.export.plover on events made here: the modes, actors and recipients, dates and places
the mapping gives, each record valid against the shipped JSON Schema, and a wrong record seen."""
from __future__ import annotations

import jsonschema
import pandas as pd
import pytest

import kaidan
from kaidan.export import plover_records, schema
from kaidan.export.plover import plover_mode

VALIDATOR = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


def _errors(record: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(record)]


def test_the_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_a_schema_violation_is_seen():
    # validating is only worth something if a wrong record fails it
    [good] = _records(_event(host_country="RUS", city="Moscow", participants=["Wang Yi"]))
    assert _errors(good) == []
    for broken in ({**good, "date": "2025-06"}, {**good, "event": ["MEET"]}, {**good, "quad_code": 2},
                   {**good, "actor": [{"code": "China", "country_name": "China"}]}, {**good, "extra": 1}):
        assert _errors(broken), broken


# --- the mapping, on events written here ------------------------------------------------------

def _event(**fields) -> dict:
    base = {"event_id": "E1", "date": "2025-07-10", "date_precision": "day", "city": None, "host_country": None,
            "countries": ["CHN", "RUS"], "participants": [], "mode": "in_person", "series": None, "session": None,
            "status": "held", "forum": None, "article_ids": ["a1"], "meeting_ids": ["a1#0"], "n_articles": 1,
            "evidence": ["会談した。"]}
    return {**base, **fields}


@pytest.mark.parametrize("fields, mode", [
    ({"mode": "phone"}, "phone"),
    ({"mode": "video"}, "phone"),                                    # PLOVER: phone or another remote medium
    ({"host_country": "RUS", "city": "Moscow"}, "visit"),
    ({"host_country": "MYS", "city": "Kuala Lumpur"}, "third-party"),
    ({"host_country": "MYS", "forum": "ASEAN"}, "multilateral"),
    ({}, None),                                                      # in person, nobody hosting: not known
    ({"mode": None}, None),
])
def test_modes(fields, mode):
    assert plover_mode(_event(**fields)) == mode


def _records(*events: dict) -> list[dict]:
    articles = pd.DataFrame([{"article_id": "a1", "url": "https://example.org/a1", "title": "見出し",
                              "outlet": "Example", "published": "2025-07-11"}])
    return list(plover_records(pd.DataFrame(list(events)), articles, kaidan.load_reference(), "test"))


def test_a_visit_has_the_visitors_as_actor_and_the_host_as_recipient():
    [r] = _records(_event(host_country="RUS", city="Moscow", participants=["Wang Yi", "Sergei Lavrov"]))
    assert [(e["code"], e.get("identifier_text")) for e in r["actor"]] == [("CHN", "Wang Yi")]
    assert [(e["code"], e.get("identifier_text")) for e in r["recipient"]] == [("RUS", "Sergei Lavrov")]
    assert r["event_loc"]["country_code"] == "RUS" and r["event_loc"]["resolution"] == 4
    assert "foreign_minister" in r["actor"][0]["office"]
    assert r["cite_info"]["url"] == "https://example.org/a1" and r["event_scale"] == 4.0
    assert _errors(r) == []


def test_a_scheduled_meeting_is_agree_in_the_future_without_a_mode():
    [r] = _records(_event(status="scheduled", mode="phone"))
    assert (r["event"], r["context"], r["mode"]) == (["AGREE"], ["future"], None)
    assert _errors(r) == []


def test_a_side_without_a_named_participant_is_still_an_actor_and_no_place_is_null():
    [r] = _records(_event(participants=["Wang Yi"], date=None, date_precision=None))
    assert sorted(e["code"] for e in r["actor"]) == ["CHN", "RUS"]
    assert (r["date"], r["event_loc"], r["kaidan"]["date"]) == (None, None, None)
    assert "office" not in r["actor"][0]  # no date, so no office to name
    assert _errors(r) == []

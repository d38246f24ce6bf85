"""`kaidan export --format plover`: every record valid against the shipped JSON Schema, and the
events' dates, sides and participants read back exactly; the mapping's rules on events made here."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import kaidan
from kaidan.export import plover_records, read_plover, schema
from kaidan.export.plover import plover_mode

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
VALIDATOR = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


def _errors(record: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(record)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, kaidan.Corpus]:
    out = tmp_path_factory.mktemp("export") / "seeds.jsonl"
    proc = subprocess.run([sys.executable, "-m", "kaidan", "export", str(SEEDS), "--format", "plover", "--out",
                           str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "wrote 12 PLOVER record(s)" in proc.stderr
    return out, kaidan.load_corpus(SEEDS)


def test_the_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_exported_record_validates_against_the_schema(exported):
    out, corpus = exported
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(corpus.events) > 0
    for line in lines:
        record = json.loads(line)
        assert _errors(record) == [], record["id"]


def test_dates_sides_and_participants_round_trip(exported):
    out, corpus = exported
    back = read_plover(out.read_text(encoding="utf-8").splitlines()).set_index("event_id")
    for e in corpus.events.itertuples():
        got = back.loc[e.event_id]
        assert (got["date"], got["date_precision"]) == ((None, None) if pd.isna(e.date) else
                                                        (e.date, e.date_precision)), e.event_id
        assert got["countries"] == sorted(e.countries)
        assert got["participants"] == sorted(e.participants)


def test_plover_date_is_the_day_only_when_the_articles_give_it(exported):
    out, _ = exported
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["kaidan"]["date_precision"] for r in records} >= {"day", "month", "year"}  # the seeds have all three
    for r in records:
        assert r["date"] == (r["kaidan"]["date"] if r["kaidan"]["date_precision"] == "day" else None)


def test_a_schema_violation_is_seen():
    # the validation above is only worth something if a wrong record fails it
    good = next(plover_records(kaidan.load_corpus(SEEDS).events.head(1), kaidan.load_corpus(SEEDS).articles,
                               kaidan.load_reference()))
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

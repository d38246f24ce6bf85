"""`kaidan export --format plover` on the seeds: every record valid against the shipped JSON Schema,
and the events' dates, sides and participants read back exactly."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import kaidan
from kaidan.export import read_plover, schema

REPO = Path(__file__).resolve().parents[2]
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

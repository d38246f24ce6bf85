"""`kaidan export --format plover` on the seeds: every record valid against the shipped JSON Schema,
and the events' dates, sides and participants read back exactly."""
from __future__ import annotations

import json
import os
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


def _export(src: Path, out: Path, *args: str, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaidan", "export", str(src), "--out", str(out), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "KAIDAN_CACHE_DIR": str(cache)})


def test_an_export_with_its_own_column_names_is_read_with_columns(tmp_path):
    src = tmp_path / "news"
    src.mkdir()
    (src / "feed.csv").write_text("記事番号,日付,記事内容\n"
                                  "n1,2024年11月19日,岩屋毅外相は19日、北京で中国の王毅外相と会談した。\n",
                                  encoding="utf-8")
    cases = [((), 0), (("--columns", "body=記事内容,published=日付,id=記事番号"), 1)]
    for args, count in cases:
        out = tmp_path / f"events-{count}.jsonl"
        proc = _export(src, out, *args, cache=tmp_path / "cache")
        assert proc.returncode == 0, proc.stderr
        assert f"wrote {count} PLOVER record(s)" in proc.stderr
    [record] = [json.loads(line) for line in (tmp_path / "events-1.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["date"] == "2024-11-19" and record["cite_info"]["citation"] == "n1"
    assert {side["code"] for side in record["actor"] + record["recipient"]} == {"JPN", "CHN"}

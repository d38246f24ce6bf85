"""Extraction scored against the hand-made gold of ../shared/eval (skipped where that folder is absent).

The seed thresholds are the ones the extraction issue sets; the dev set is scored too,
with its own thresholds, because it is text the rules were not written from line by line.
"""
import importlib.util
import json
from pathlib import Path

import pytest

from kaidan.run.corpus import load_corpus

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO.parent / "shared" / "eval"

pytestmark = pytest.mark.skipif(not (EVAL / "score.py").exists(), reason="../shared/eval is not beside this checkout")


def _scorer():
    spec = importlib.util.spec_from_file_location("kaidan_eval_score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(corpus_dir: Path, gold: Path, out: Path, metadata: Path | None = None) -> dict:
    load_corpus(corpus_dir, metadata).save(out)
    return _scorer().score(json.loads(gold.read_text(encoding="utf-8")), out)


def test_seed_scores_meet_the_thresholds(tmp_path):
    result = _score(REPO / "seeds", EVAL / "seeds" / "gold.json", tmp_path)
    assert result["meetings"]["f1"] >= 0.90
    assert result["date_wrong_rate"] == 0
    assert result["participants"]["f1"] >= 0.90
    for kind in ("forums", "countries", "persons"):
        assert result[kind]["f1"] >= 0.95, kind
    assert result["topics"]["f1"] >= 0.75


def test_dev_scores_meet_the_thresholds(tmp_path):
    dev = EVAL / "dev"
    result = _score(dev / "texts", dev / "gold.json", tmp_path, dev / "metadata.csv")
    assert result["meetings"]["f1"] >= 0.93 and result["main_meeting_recall"] >= 0.95
    assert result["date_exact"] >= 0.90 and result["date_wrong_rate"] <= 0.03
    assert result["participants"]["f1"] >= 0.93 and result["city_accuracy"] >= 0.90
    assert result["forums"]["f1"] >= 0.90 and result["persons"]["f1"] >= 0.90
    assert result["countries"]["f1"] >= 0.85 and result["topics"]["f1"] >= 0.70
    assert result["dedup_pairs"]["f1"] >= 0.95


def test_dev2_scores_meet_the_thresholds(tmp_path):
    """dev2 was scored before any rule was written against it (meetings F1 0.68, one date
    in eight wrong); these floors keep what the generalising work reached, so a rule that
    buys dev a point by losing dev2 fails here."""
    dev2 = EVAL / "dev2"
    result = _score(dev2 / "texts", dev2 / "gold.json", tmp_path, dev2 / "metadata.csv")
    assert result["meetings"]["f1"] >= 0.93 and result["main_meeting_recall"] >= 0.95
    assert result["date_exact"] >= 0.90 and result["date_wrong_rate"] <= 0.03
    assert result["participants"]["f1"] >= 0.92 and result["city_accuracy"] >= 0.92
    assert result["countries"]["f1"] >= 0.95 and result["persons"]["f1"] >= 0.95
    assert result["forums"]["f1"] >= 0.90 and result["topics"]["f1"] >= 0.85
    assert result["dedup_pairs"]["f1"] >= 0.92

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


# The least each evaluation set must score (score.py's names; a table's F1 where it gives one)
# and the most of its dates that may be wrong. dev2 was scored before any rule was written
# against it (meetings F1 0.68, one date in eight wrong); its floors keep what the
# generalising work reached, so a rule that buys dev a point by losing dev2 fails here.
FLOORS = {
    "dev": {"meetings": 0.93, "main_meeting_recall": 0.95, "date_exact": 0.90, "participants": 0.93,
            "city_accuracy": 0.90, "forums": 0.90, "persons": 0.90, "countries": 0.85, "topics": 0.70,
            "dedup_pairs": 0.95},
    "dev2": {"meetings": 0.93, "main_meeting_recall": 0.95, "date_exact": 0.90, "participants": 0.92,
             "city_accuracy": 0.92, "countries": 0.95, "persons": 0.95, "forums": 0.90, "topics": 0.85,
             "dedup_pairs": 0.92},
}
MOST_DATES_WRONG = 0.03


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_evaluation_set_scores_meet_their_floors(tmp_path, name):
    folder = EVAL / name
    result = _score(folder / "texts", folder / "gold.json", tmp_path, folder / "metadata.csv")
    scores = {key: result[key]["f1"] if isinstance(result[key], dict) else result[key] for key in FLOORS[name]}
    assert {key: value for key, value in scores.items() if value < FLOORS[name][key]} == {}
    assert result["date_wrong_rate"] <= MOST_DATES_WRONG

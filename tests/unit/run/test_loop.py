"""The loop's pieces: meetings spilled to disk come back the same, in order, and their CSV rows
made before the merge take their event ids after it; a merge shared with another process
gives the events of one."""
from __future__ import annotations

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.extract import events
from kaidan.processes import OtherProcess
from kaidan.run import loop
from kaidan.run.loop import EVENT_ID_MARK, SpilledFrames, with_event_ids
from kaidan.run.writer import csv_rows


def test_spilled_frames_come_back_equal_and_in_order(tmp_path):
    frames = [schemas.from_records("meetings", [{"article_id": f"a{n}", "meeting_id": f"a{n}#0", "countries": ["CHN"],
                                                 "participants": [], "reported_as": "main", "status": "held",
                                                 "evidence": f"会談{n}", "evidence_start": 0, "evidence_end": 2,
                                                 "sentences": [0], "session": n or None}]) for n in range(3)]
    spilled = SpilledFrames(tmp_path)
    for frame in frames:
        spilled.add(frame)
    for _ in range(2):  # read twice: the merge, then the writing
        back = list(spilled)
        assert len(back) == 3
        for got, want in zip(back, frames):
            pd.testing.assert_frame_equal(got, want)
    spilled.close()
    assert not list(tmp_path.iterdir())  # nothing left beside the tables


def _meetings(evidence: list[str], event_ids: list[str | None]) -> pd.DataFrame:
    return schemas.from_records("meetings", [
        {"article_id": f"a{n}", "meeting_id": f"a{n}#0", "countries": ["CHN", "RUS"], "participants": ["王毅"],
         "reported_as": "main", "status": "held", "evidence": text, "evidence_start": 0, "evidence_end": len(text),
         "sentences": [0], "event_id": event} for n, (text, event) in enumerate(zip(evidence, event_ids))])


SPLICE_CASES = [
    ("ids put in place of the marks", ["王毅氏が会談した。", "=SUM(1)と書いた。"], ["E0123456789", "Eabcdefabcd"]),
    ("text with quotes and a line break", ['「会談」は"実り"あった。\n次回も。', "会談。"], ["E1111111111", "E2222222222"]),
    ("a meeting no event took", ["会談した。"], [None]),
    ("the mark in an article's own text", [f"会談{EVENT_ID_MARK}した。", "会談。"], ["E3333333333", "E4444444444"]),
]


@pytest.mark.parametrize("why, evidence, event_ids", SPLICE_CASES, ids=[c[0] for c in SPLICE_CASES])
def test_meetings_rows_made_before_the_merge_get_the_bytes_made_after_it(why, evidence, event_ids):
    waiting = _meetings(evidence, [None] * len(evidence))
    early = csv_rows("meetings", waiting.assign(event_id=EVENT_ID_MARK))
    merged = _meetings(evidence, event_ids)
    assert with_event_ids(early, merged) == csv_rows("meetings", merged)


HALVES_CASES = [
    ("one big block alone", [[0] * 6, [1] * 2, [2] * 2, [3] * 1], [6, 5]),
    ("even blocks dealt in turn", [[0] * 3, [1] * 3, [2] * 3, [3] * 3], [6, 6]),
    ("a single block", [[0] * 4], [4, 0]),
]


@pytest.mark.parametrize("why, blocks, sizes", HALVES_CASES, ids=[c[0] for c in HALVES_CASES])
def test_halves_deal_every_block_once_into_shares_of_about_as_many_reports(why, blocks, sizes):
    shares = loop.halves(blocks)
    assert [sum(map(len, share)) for share in shares] == sizes
    assert sorted(map(tuple, shares[0] + shares[1])) == sorted(map(tuple, blocks))


def _reports(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n articles of meetings between three pairs of sides, some of them the same meeting."""
    pairs = [["CHN", "RUS"], ["JPN", "RUS"], ["CHN", "USA"]]
    rows = [{"article_id": f"a{k:03d}", "meeting_id": f"a{k:03d}#0", "date": f"2024-0{1 + k % 4}-1{k % 3}",
             "countries": pairs[k % 3], "participants": [["王毅", "ラブロフ"], ["上川陽子"], []][k % 3],
             "city": ["北京", "モスクワ", None][k % 3], "reported_as": "main", "status": "held",
             "evidence": f"会談{k}。", "evidence_start": 0, "evidence_end": 4, "sentences": [0]} for k in range(n)]
    articles = pd.DataFrame({"article_id": [f"a{k:03d}" for k in range(n)], "published": [None] * n}, dtype=object)
    return schemas.from_records("meetings", rows), articles


def test_a_merge_shared_with_another_process_gives_the_events_of_one_process(monkeypatch):
    meetings, articles = _reports(60)
    monkeypatch.setattr(loop, "SHARED_MERGE_MIN_REPORTS", 10)
    started = []
    monkeypatch.setattr(loop, "OtherProcess", lambda *args: started.append(args) or OtherProcess(*args))
    shared_events, shared_ids = loop.merge_reports(meetings, articles, None, shared=True)
    alone_events, alone_ids = events.merge_reports(meetings, articles)
    assert started  # the other process did merge a share
    pd.testing.assert_frame_equal(shared_events, alone_events)
    assert shared_ids == alone_ids and len(alone_events) < len(meetings)


@pytest.mark.parametrize("function, args, outcome", [(sum, ([1, 2, 3],), 6), (int, ("not a number",), ValueError)])
def test_a_function_in_another_process_gives_back_its_value_or_its_error(function, args, outcome):
    other = OtherProcess(function, *args)
    try:
        if isinstance(outcome, type):
            with pytest.raises(outcome):
                other.result()
        else:
            assert other.result() == outcome
    finally:
        other.stop()

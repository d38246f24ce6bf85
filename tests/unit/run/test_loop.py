"""The loop's pieces: meetings spilled to disk come back the same, in order, and their CSV rows
made before the merge take their event ids after it; a chunk made without its CSV rows (for
`load_corpus`) holds the same tables, duplicates marked or not."""
from __future__ import annotations

import pandas as pd
import pytest

from kaidan import schemas
from kaidan.extract.read import plan_corpus
from kaidan.reference import load_reference
from kaidan.run.loop import SpilledFrames
from kaidan.run.work import EVENT_ID_MARK, extract_chunk, with_event_ids
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


def test_a_chunk_made_without_csv_rows_holds_the_same_tables(tmp_path, make_corpus):
    article = "日中外相会談\n\n王毅外相は3日、北京で林芳正外相と会談した。両氏は対話の継続で一致した。\n"
    folder = make_corpus(tmp_path, {"a.txt": article, "b.txt": "韓国の外相は記者会見した。\n", "c.txt": article})
    items, _ = plan_corpus(folder)
    reference = load_reference()
    rendered, bare = (extract_chunk(items, reference, None, render) for render in (True, False))
    assert sorted(rendered.csv) == ["articles", "meetings", "mentions", "sentences"] and bare.csv == {}
    duplicates = {items[-1].article_id}  # c.txt repeats a.txt
    for with_csv, without in ((rendered, bare), (rendered.marked(duplicates), bare.marked(duplicates))):
        assert without.csv == {} and without.rows == with_csv.rows
        for name, frame in with_csv.frames.items():
            pd.testing.assert_frame_equal(without.frames[name], frame)
    assert len(rendered.frames["meetings"]) == 2 and len(rendered.marked(duplicates).frames["meetings"]) == 1

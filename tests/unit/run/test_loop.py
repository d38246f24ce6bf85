"""The loop's pieces: meetings spilled to disk come back the same, in order."""
from __future__ import annotations

import pandas as pd

from kaidan import schemas
from kaidan.run.loop import SpilledFrames


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

"""The corpus stamp (kaidan.reports.reuse.corpus_stamp): the guess, before extracting, whether a
report run's inputs look as they did last time; the export's columns named count as inputs."""
from __future__ import annotations

import pytest

from kaidan.reports.reuse import corpus_stamp


@pytest.mark.parametrize("before, after, same", [
    (None, None, True),
    (None, {}, True),  # `--columns ""` names none, as a run without the option
    (None, {"body": "記事内容"}, False),
    ({"body": "記事内容"}, {"body": "要約"}, False),
    ({"body": "記事内容"}, {"body": "記事内容", "published": "日付"}, False),
    ({"body": "記事内容", "published": "日付"}, {"published": "日付", "body": "記事内容"}, True),
])
def test_the_columns_named_are_part_of_the_stamp(before, after, same, tmp_path):
    (tmp_path / "news.csv").write_text("記事内容,要約\n外相が会談した。,首相が発言した。\n", encoding="utf-8")
    assert (corpus_stamp(tmp_path, None, before) == corpus_stamp(tmp_path, None, after)) is same

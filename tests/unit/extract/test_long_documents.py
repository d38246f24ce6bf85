"""A long document (a news digest, a yearbook chapter, a transcript) is analysed whole: its
meetings are found from its first page to its last. (How its cost grows is `make bench`'s.)"""
from kaidan.extract.meetings import CONTINUES_WITHIN
from kaidan.extract.read import read_article

FIRST = "王毅外相は2024年11月19日、北京で岩屋毅外相と会談した。\n"
MIDDLE = "ラブロフ外相は2024年12月3日、モスクワで王毅外相と会談した。\n"
LAST = "岩屋毅外相は2025年1月15日、東京でラブロフ外相と電話会談した。\n"
FILLER = "経済協力や地域情勢についての分析が続いた。\n"


def _digest(filler_lines: int) -> str:
    return FIRST + FILLER * filler_lines + MIDDLE + FILLER * filler_lines + LAST


def test_a_long_document_is_analysed_and_its_meetings_found_across_it(extract):
    text = _digest(7_500)  # about 330,000 characters: more than three times the old limit
    row = read_article(text.encode("utf-8"))
    assert len(text) > 3 * 100_000 and row["status"] == "ok" and row["body"] == text.rstrip("\n")
    meetings = extract(row["body"], "2025-01-20")["meetings"]
    found = {(m["date"], tuple(m["countries"])) for m in meetings}
    assert found == {("2024-11-19", ("CHN", "JPN")), ("2024-12-03", ("CHN", "RUS")), ("2025-01-15", ("JPN", "RUS"))}
    starts = sorted(m["evidence_start"] for m in meetings)
    assert starts[0] < 100 and starts[-1] > len(text) - 100  # from its first line to its last


def test_an_undated_report_far_down_does_not_join_a_meeting_at_the_top(extract):
    """Within an article a later undated report adds to the meeting it follows; in a document
    longer than CONTINUES_WITHIN one that far down is about another meeting."""
    undated = "王毅外相は北京で岩屋毅外相と会談した。\n"
    gap = FILLER * (CONTINUES_WITHIN // len(FILLER) + 10)
    for between, joined in ((FILLER * 100, True), (gap, False)):
        text = FIRST + between + undated
        meetings = extract(text, "2025-01-20")["meetings"]
        assert [m["date"] for m in meetings] == ["2024-11-19"]
        assert (meetings[0]["evidence_end"] == len(text.rstrip("\n"))) is joined


def test_a_long_document_on_one_line_is_analysed_across_it(extract):
    """A transcript or a digest without line breaks: sentences end at 。 alone."""
    text = _digest(7_500).replace("\n", "")
    meetings = extract(text, "2025-01-20")["meetings"]
    assert {m["date"] for m in meetings} == {"2024-11-19", "2024-12-03", "2025-01-15"}

"""Inputs that broke kaidan once, kept as plain tests (issue #5).

Found by the long fuzz (HYPOTHESIS_PROFILE=fuzz, tests/unit/extract/test_properties.py) or, where the note
says so, by the bad-input corpus of tests/integration/test_bad_input.py.
"""
from __future__ import annotations

import codecs
import datetime as dt

import pytest

from kaidan.extract.meetings import add_offset, anchor_for
from kaidan.extract.read import MAX_ANALYSED_CHARS, decode_bytes, read_article
from kaidan.extract import extract_article


@pytest.fixture(scope="module")
def run(reference):
    def extract(body: str, published: str | None) -> dict[str, list[dict]]:
        return extract_article({"article_id": "a", "body": body, "published": published, "status": "ok",
                                "language": "ja"}, reference)
    return extract


# --- found by the fuzz --------------------------------------------------------------------------

def test_a_year_anchor_before_1000_gives_a_four_digit_year(run):
    """Fuzz: a weekday dated by a year-precision anchor came out as '999', not an ISO year."""
    body = "a・k・アントニーエネルギー相は金曜、アクラでa・k・アントニーエネルギー相と会談した。"
    meetings = run(body, "0999")["meetings"]
    assert [(m["date"], m["date_precision"]) for m in meetings] == [("0999", "year")]


@pytest.mark.parametrize("body", [
    "2013年以来、九千九百年ぶりに王毅外相は北京で岩屋毅外相と会談した。",
    "2013年11月以来、九千九百年ぶりに王毅外相は北京で岩屋毅外相と会談した。",
])
def test_a_since_phrase_that_runs_past_year_9999_is_no_anchor(run, body):
    """Found beside the fuzz case above: 'X以来、N年ぶり' with N in the thousands made an anchor
    of five digits, and find_dates raised ValueError on it, which stopped the whole run."""
    assert anchor_for({"published": None}, body, []) is None
    meetings = run(body, None)["meetings"]
    assert len(meetings) == 1
    date = meetings[0]["date"]
    assert date is None or dt.datetime.strptime(date, {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}[len(date)])


@pytest.mark.parametrize("iso, years, months, expected", [
    ("2013", 3, 0, "2016"), ("2013-11", 3, 4, "2017-03"), ("0999", 0, 0, "0999"), ("0998", 1, 0, "0999"),
    ("2013", 9900, 0, None), ("2013-11", 7986, 2, None), ("9999-12", 0, 0, "9999-12"),
])
def test_add_offset_stays_within_iso_years(iso, years, months, expected):
    assert add_offset(iso, years, months) == expected


# --- found by the bad-input corpus --------------------------------------------------------------

TEXT = "日中外相が北京で会談\n\n王毅外相は19日、北京で岩屋毅外相と会談した。一致した。\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_not_refused_as_binary(encoding):
    """Its NUL bytes made UTF-16 without a BOM look like binary data."""
    decoded = decode_bytes(TEXT.encode(encoding))
    assert (decoded.text, decoded.encoding, decoded.status) == (TEXT, encoding, "ok")
    assert decode_bytes(("Hello, world.\n" * 3).encode(encoding)).encoding == encoding


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4,                                   # every byte value
    b"\x00\x01\x02\x03" * 200,                                # NULs on both sides
    b"".join(bytes([i % 251, 0]) for i in range(600)),       # NULs on one side, control characters between
    codecs.BOM_UTF16_BE + b"\x00" * 64,                       # a byte order mark, then NULs
    codecs.BOM_UTF8 + bytes(64),
])
def test_binary_data_with_nul_bytes_is_still_refused(data):
    decoded = decode_bytes(data)
    assert decoded.text is None and decoded.status == "error" and "binary data" in decoded.message


def test_a_text_over_the_limit_is_listed_whole_but_not_analysed(run):
    """A 20 MB file made the run take hours (mentions and meetings grow with the square of a body)."""
    line = "両国は経済協力について意見を交わした。\n"
    at_limit = ("王毅外相は19日、北京で岩屋毅外相と会談した。\n" + line * MAX_ANALYSED_CHARS)[:MAX_ANALYSED_CHARS]
    row = read_article(at_limit.encode("utf-8"))
    assert row["status"] == "ok" and row["body"] == at_limit.rstrip("\n")
    assert len(run(row["body"], "2024-11-19")["meetings"]) == 1
    over = read_article((at_limit + "。").encode("utf-8"))
    assert over["status"] == "warning" and over["body"] == "" and over["text"] == at_limit + "。"
    assert f"{MAX_ANALYSED_CHARS + 1:,} characters" in over["message"]

"""Issue #5, fuzzing: properties of the reader, the sentence splitter, the date normaliser and the
mention matcher (and the whole per-article extraction) on arbitrary input.

On any input they never raise; offsets lie within the text and slice back to the text they
report; every date is a valid ISO date at its stated precision and never claims more precision
than its expression gives.

`make test` runs a modest number of examples per property (`examples(n)`); the `fuzz` profile
(tests/conftest.py) runs thousands:

    HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/unit/extract/test_properties.py

What a long fuzz finds is kept in tests/unit/extract/test_regressions.py as plain tests.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaidan import schemas
from kaidan.extract.dates import find_dates, parse_date
from kaidan.extract.mentions import matcher
from kaidan.extract.read import decode_bytes, read_article
from kaidan.reference import load_reference
from kaidan.extract.sentences import split_sentences
from kaidan.extract import extract_article
from kaidan.text import fold
from test_dates import _ANCHORS, _FRAGMENTS, _check

REFERENCE = load_reference()


def examples(n: int) -> settings:
    """n examples in `make test`; the loaded profile's count when it asks for more (fuzz)."""
    return settings(max_examples=max(n, settings.default.max_examples), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- strategies ------------------------------------------------------------------------------

_JAPANESE = st.characters(min_codepoint=0x3040, max_codepoint=0x30FF) | \
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_PUNCTUATION = st.sampled_from(list("。、！？!?「」『』（）()【】\n\r \u3000\t・〜~-0123456789２０年月日<>&\"'/=:;"))
_NAMES = sorted(REFERENCE.aliases, key=len)[:4000]
_TITLES = sorted(REFERENCE.titles) + ["氏", "外相", "首相", "大統領", "国防相", "同外相"]
_WORDS = ["会談", "協議", "電話会談", "首脳会談", "訪問した", "会談した。", "は", "が", "と", "で", "に", "の",
          "両国", "双方", "中ロ", "日米", "露外相", "訪中", "以来", "第2回", "初の", "同日", "翌日",
          "2024年11月19日", "19日", "先月", "今年", "ウクライナ危機", "SCO", "ＳＣＯ", "İ", "ß", "ﬁ", "㈱", "Ａ",
          "以来、", "年ぶり", "カ月ぶりに", "九千九百", "千", "百", "999", "記事より", "2023/4/20 ", "のいま"]


def _of_kind(kind: str) -> list[str]:
    return sorted(a for a, entries in REFERENCE.aliases.items() if any(k == kind for k, _ in entries))


_PEOPLE, _PLACES, _COUNTRIES = _of_kind("person"), _of_kind("place"), _of_kind("country")
_TRIGGERS = ["会談した", "電話会談を行った", "協議した", "と会談", "首脳会談を行った", "を訪問し", "戦略対話を行った"]
# A sentence shaped like a meeting report, so the meeting rules run on fuzzed input often.
MEETING_SENTENCE = st.tuples(
    st.sampled_from(_PEOPLE), st.sampled_from(_TITLES), st.sampled_from(_FRAGMENTS + ["19日", "2024年11月19日"]),
    st.sampled_from(_PLACES + _COUNTRIES), st.sampled_from(_PEOPLE), st.sampled_from(_TITLES),
    st.sampled_from(_TRIGGERS), st.sampled_from(["。", "、", "", "\n", "」"]),
).map(lambda p: f"{p[0]}{p[1]}は{p[2]}、{p[3]}で{p[4]}{p[5]}と{p[6]}{p[7]}")
# Text that looks like the articles: names, titles, meeting words, dates, punctuation, noise.
ARTICLE_TEXT = st.lists(
    st.one_of(MEETING_SENTENCE, st.sampled_from(_NAMES), st.sampled_from(_TITLES), st.sampled_from(_WORDS),
              st.sampled_from(_FRAGMENTS), st.text(_JAPANESE, max_size=6), _PUNCTUATION, st.text(max_size=4)),
    max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=300), ARTICLE_TEXT)
# Text as an editor saves it: no control or format characters (a leading U+FEFF would be a BOM).
PRINTABLE_TEXT = ANY_TEXT.map(lambda t: "".join(
    ch for ch in t if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")))

_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp932", "euc_jp",
              "iso2022_jp", "gb18030", "latin-1"]


@st.composite
def file_bytes(draw) -> bytes:
    """What a saved file may hold: text in some encoding, perhaps cut or damaged, or any bytes."""
    kind = draw(st.sampled_from(["binary", "encoded", "damaged", "html"]))
    if kind == "binary":
        return draw(st.binary(max_size=2000))
    text = draw(ANY_TEXT)
    if kind == "html":
        text = f"<!DOCTYPE html><html><head><title>{text[:20]}</title><script>{text[:10]}</script></head>" \
               f"<body><p>{text}</p></body></html>"
    data = text.encode(draw(st.sampled_from(_ENCODINGS)), errors="ignore")
    if kind == "damaged" and data:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut + draw(st.integers(0, 8)):]
    return data


# --- the reader ---------------------------------------------------------------------------------

@examples(300)
@given(file_bytes())
def test_decode_never_raises_and_refuses_only_with_a_reason(data):
    decoded = decode_bytes(data)
    assert decoded.status in schemas.STATUSES
    assert (decoded.text is None) == (decoded.status == "error")
    if decoded.text is None:
        assert decoded.message
    else:
        codecs.lookup(decoded.encoding)  # a real codec name
        assert (decoded.status == "ok") == (decoded.message == "")


@examples(300)
@given(file_bytes())
def test_read_article_gives_a_valid_row_for_any_bytes(data):
    row = read_article(data)
    assert row["status"] in schemas.STATUSES and isinstance(row["message"], str)
    assert (row["status"] == "ok") == (row["message"] == "")
    assert isinstance(row["body"], str) and isinstance(row["boilerplate"], str)
    text = row["text"]
    if row["status"] == "error":
        assert row["body"] == "" and row["message"]
    if not text:
        return
    assert "\r" not in text and unicodedata.is_normalized("NFC", text)
    assert row["n_chars"] == len(text)
    assert row["content_hash"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = {line.strip() for line in text.split("\n")}
    for line in (row["body"] + "\n" + row["boilerplate"]).split("\n"):
        assert not line.strip() or line.strip() in lines  # cut from the text, not made up
    if row.get("published"):
        precision = row["published"].count("-")
        dt.datetime.strptime(row["published"], ("%Y", "%Y-%m", "%Y-%m-%d")[precision])
    assert row.get("language") in (None, "ja", "en", "zh", "unknown")


@examples(200)
@given(st.lists(PRINTABLE_TEXT, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n", "\r"]))
def test_line_ends_and_encodings_do_not_change_what_is_read(lines, newline):
    text = "\n".join(line.replace("\r", "") for line in lines)
    utf8 = read_article(text.encode("utf-8"))
    for data in (text.replace("\n", newline).encode("utf-8"), codecs.BOM_UTF8 + text.encode("utf-8"),
                 codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        row = read_article(data)
        assert (row["text"], row["body"], row["status"], row["message"]) == (
            utf8["text"], utf8["body"], utf8["status"], utf8["message"])


# --- the sentence splitter ------------------------------------------------------------------------

@examples(300)
@given(ANY_TEXT)
def test_sentences_cover_every_character_and_never_cross_a_line(body):
    spans = split_sentences(body)
    covered = [False] * len(body)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(body)
        piece = body[start:end]
        assert piece == piece.strip() and "\n" not in piece
        covered[start:end] = [True] * (end - start)
        previous_end = end
    lost = [ch for ch, seen in zip(body, covered) if not seen and not ch.isspace()]
    assert lost == [], f"characters outside every sentence: {lost!r}"


# --- the date normaliser --------------------------------------------------------------------------

_RANK = {"year": 0, "month": 1, "day": 2}
_DAY_WORDS = re.compile(r"日|朝|夜|晩|曜|\([月火水木金土日]")
_MONTH_WORDS = re.compile(r"月|週|末|暮れ|終わり")


def expression_precision(mention) -> str:
    """The most precision the expression itself can stand for: a day only when it names a day
    (19日, 本日, 昨夜, 金曜, a numeric or English day), a month only when it names a month or a week."""
    text = fold(mention.text)
    if mention.day is not None or mention.kind == "weekday" or _DAY_WORDS.search(text):
        return "day"
    if mention.month is not None or mention.offset_months is not None or _MONTH_WORDS.search(text):
        return "month"
    return "year"


@examples(400)
@given(ANY_TEXT, _ANCHORS)
def test_dates_are_valid_at_their_precision_and_never_claim_more(text, anchor):
    _check(text, anchor)  # offsets, kinds, ISO validity (tests/unit/extract/test_dates.py)
    for mention in find_dates(text, anchor):
        if mention.date is None:
            continue
        assert _RANK[mention.precision] <= _RANK[expression_precision(mention)], mention
        if anchor is None:
            assert mention.kind in ("absolute", "range", "present_year"), mention  # nothing is guessed
        else:
            anchor_rank = _RANK[("year", "month", "day")[anchor.count("-")]]
            if mention.kind in ("weekday",) or (mention.kind == "relative" and mention.day is None
                                                 and mention.precision == "day"):
                assert anchor_rank == 2, mention  # 金曜, 本日, 先週金曜 need the article's day


@examples(300)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(_FRAGMENTS), max_size=8).map("".join)))
def test_parse_date_is_none_or_valid(value):
    result = parse_date(value)
    if result is not None:
        iso, precision = result
        assert len(iso) == {"day": 10, "month": 7, "year": 4}[precision]
        dt.datetime.strptime(iso, {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision])


# --- the mention matcher, and the whole per-article step --------------------------------------------

def _sentences(body: str) -> list[dict]:
    return [{"article_id": "a", "index": i, "start": s, "end": e, "text": body[s:e]}
            for i, (s, e) in enumerate(split_sentences(body))]


KINDS = {"country", "place", "person", "forum", "organisation", "treaty", "series", "topic", "unresolved_person"}


@examples(250)
@given(ARTICLE_TEXT, _ANCHORS)
def test_mentions_lie_in_the_body_and_match_the_reference(body, published):
    from kaidan.extract.mentions import find_mentions

    sentences = _sentences(body)
    rows = find_mentions({"article_id": "a", "body": body, "published": published}, sentences, REFERENCE)
    m = matcher(REFERENCE)
    for row in rows:
        assert 0 <= row["start"] < row["end"] <= len(body), row
        assert body[row["start"]:row["end"]] == row["text"], row
        assert row["kind"] in KINDS, row
        assert 0 <= row["sentence"] < max(len(sentences), 1)
        if sentences:
            assert sentences[row["sentence"]]["start"] <= row["start"]
        folded = fold(row["text"])
        if row["resolution"] == "name":
            assert folded in m.entities.table, row
        elif row["resolution"] == "expression":
            assert folded in m.topics.table, row
        elif row["resolution"] in ("compound", "visit"):
            assert REFERENCE.short_countries.get(folded) == row["id"], row
        if row["kind"] in ("person",):
            assert row["id"] in REFERENCE.people, row


@examples(200)
@given(ARTICLE_TEXT, _ANCHORS)
def test_extraction_gives_valid_rows_for_any_body(body, published):
    rows = extract_article({"article_id": "a", "body": body, "published": published, "status": "ok",
                            "language": "ja"}, REFERENCE)
    for name in ("sentences", "mentions", "meetings"):
        schemas.from_records(name, rows[name])  # every row passes its table's schema
    for meeting in rows["meetings"]:
        assert 0 <= meeting["evidence_start"] < meeting["evidence_end"] <= len(body)
        pieces = meeting["evidence"].split("\n")
        assert body.startswith(pieces[0], meeting["evidence_start"])
        assert body.endswith(pieces[-1], 0, meeting["evidence_end"])
        assert all(piece in body for piece in pieces)
        if meeting["date"] is not None:
            precision = meeting["date_precision"]
            assert len(meeting["date"]) == {"day": 10, "month": 7, "year": 4}[precision]
            dt.datetime.strptime(meeting["date"], {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision])
        else:
            assert meeting["date_precision"] is None
        assert all(0 <= i < len(rows["sentences"]) for i in meeting["sentences"])

"""kaidan.extract.sentences: Japanese sentences as offsets that slice the body back."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaidan import schemas
from kaidan.extract.read import read_corpus
from kaidan.extract.sentences import MAX_BRACKET, sentences_table, split_sentences


def _texts(body: str) -> list[str]:
    return [body[start:end] for start, end in split_sentences(body)]


@pytest.mark.parametrize("body, expected", [
    ("今日は晴れ。明日は雨！本当？", ["今日は晴れ。", "明日は雨！", "本当？"]),
    ("会談した。\n\n共同声明を出した", ["会談した。", "共同声明を出した"]),
    ("本当か！？まさか!?", ["本当か！？", "まさか!?"]),
    ("Yahoo!ニュースによると、会談した。", ["Yahoo!", "ニュースによると、会談した。"]),
    ("詳細は https://example.com/a?id=3 にある。", ["詳細は https://example.com/a?id=3 にある。"]),
    ("  \u3000両国は合意した。  次に進む。 ", ["両国は合意した。", "次に進む。"]),
    ("", []),
    ("\n \n。", ["。"]),
])
def test_splits_at_terminators_and_line_breaks(body, expected):
    assert _texts(body) == expected


def test_quotes_and_brackets_are_not_split():
    body = "王毅氏は「対話を続ける。協力も深める。」と述べた。『第三国を標的としない。』(注。補足)と強調した。次の文。"
    assert _texts(body) == ["王毅氏は「対話を続ける。協力も深める。」と述べた。",
                            "『第三国を標的としない。』(注。補足)と強調した。", "次の文。"]


def test_closing_quote_after_terminator_stays_with_the_sentence():
    assert _texts("彼は言った。」そして去った。") == ["彼は言った。」", "そして去った。"]


def test_unclosed_bracket_closes_at_line_break():
    assert _texts("【中ロ首脳会談。議題は\n両国は合意した。次に進む。") == ["【中ロ首脳会談。議題は", "両国は合意した。", "次に進む。"]


def test_unclosed_bracket_is_bounded_on_a_long_line():
    body = "「" + "会談した。" * 1000
    spans = split_sentences(body)
    assert len(spans) > 900
    assert max(end - start for start, end in spans) <= MAX_BRACKET + 10


def test_seed_offsets_slice_back(seeds_dir):
    articles = read_corpus(seeds_dir)
    table = sentences_table(articles)
    assert list(table.columns) == [c.name for c in schemas.SENTENCES]
    bodies = dict(zip(articles["article_id"], articles["body"]))
    for row in table.itertuples():
        assert bodies[row.article_id][row.start:row.end] == row.text
    assert set(table["article_id"]) == set(articles["article_id"])
    first = table[table["article_id"] == "003_c79ae0ac60eeb63a"]
    assert first["index"].tolist() == list(range(len(first)))
    assert "3月20日、日露外務・防衛担当閣僚協議(2+2)が東京で開催された。" in first["text"].tolist()


def test_sentences_table_skips_missing_bodies():
    articles = pd.DataFrame({"article_id": ["a", "b"], "body": ["会談した。合意した。", None]})
    assert sentences_table(articles)["text"].tolist() == ["会談した。", "合意した。"]
    assert len(sentences_table(articles.iloc[:0])) == 0


_ALPHABET = st.sampled_from(list("。｡！？!?「」『』（）()【】[]\n \u3000\tあ漢aZ1=&/"))


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=_ALPHABET)))
def test_any_text_gives_ordered_spans_that_slice_back(body):
    spans = split_sentences(body)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(body)
        piece = body[start:end]
        assert piece == piece.strip() and piece
        previous_end = end

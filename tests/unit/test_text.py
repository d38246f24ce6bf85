"""Shared text primitives: folding keeps offsets, numerals read in every form."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from kaidan.text import KANA, _fold_char, _translate_whole, fold, kanji_to_int, letter_counts, normalize


def test_fold_unifies_width_case_and_dashes():
    assert fold("ＳＣＯとＧ２０、２＋２〜") == "scoとg20、2+2~"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_keeps_the_length_and_folds_each_character_alone(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(ch) for ch in text)


_SPARSE = "日本と中国の外相は東京で会談し、両国の関係について意見を交わした。" * 20


@pytest.mark.parametrize("text", [
    _SPARSE + "ＡＳＥＡＮ" + _SPARSE,                      # one run in long Japanese text
    "ＳＣＯ" + _SPARSE + "Ｇ２０〜",                        # runs at both ends
    ("岸田首相はASEANとG7、NATOとQUADの首脳と会談した。" * 40),  # runs dense enough to translate whole
    "ＡＢＣ ＤＥＦ ＧＨＩ ＪＫＬ" * 30 + _SPARSE,         # dense at the start, sparse after
    _SPARSE + "Москва와 서울、ｶﾀｶﾅ、İ、㈱、😀 — Ｘ" + _SPARSE,  # characters outside the base table
    "The Foreign Ministers met in Tokyo. " * 50,            # ASCII
    "The Ministers met — “frankly” — in Tokyo. " * 50,      # English with a few other characters
])
def test_fold_of_long_mixed_text_is_each_character_folded_alone(text):
    assert fold(text) == "".join(_fold_char(ord(ch)) for ch in text)


def test_the_cases_above_fold_both_ways():
    assert not _translate_whole(_SPARSE + "ＡＳＥＡＮ" + _SPARSE)  # run by run
    assert _translate_whole("岸田首相はASEANとG7、NATOとQUADの首脳と会談した。" * 40)  # whole text at once


def test_a_character_whose_fold_is_longer_stays_itself():
    assert fold("İ") == "İ" and fold("㈱") == "㈱"


def test_normalize_line_ends_and_composition():
    assert normalize("a\r\nb\rc") == "a\nb\nc"
    assert normalize("か\u3099") == "が"
    assert unicodedata.is_normalized("NFC", normalize("ﾃﾞ"))


def test_kanji_numerals():
    assert kanji_to_int("二〇二五") == 2025
    assert kanji_to_int("十二") == 12 and kanji_to_int("二十") == 20 and kanji_to_int("元") == 1
    assert kanji_to_int("１２") == 12 and kanji_to_int("x") is None


@pytest.mark.parametrize("text", [
    "", "123 ・ー ゛゜", "中国とロシアが会談した", "中国和俄罗斯举行会谈", "The ministers met in Tokyo.",
    "ｶﾀｶﾅとカタカナ、ゝゞヽヾ〇①Ⅱ²", "𠮷野家で会食😀した", "lone \ud800 surrogate と",
])
def test_letter_counts_count_what_isalpha_counts(text):
    expected = (sum(map(str.isalpha, text)), sum(ch.isalpha() and ord(ch) in KANA for ch in text))
    assert letter_counts(text) == expected


def test_a_long_text_folded_again_gives_the_same_fold_without_folding_it_twice():
    from kaidan.text import fold

    body = "ＳＣＯ首脳会議、２０２５年。" * 200
    first = fold(body)
    assert first == "sco首脳会議、2025年。" * 200
    assert fold(body) is first  # the mentions and the dates of one body share its fold
    other = "Ａ" + body[1:]
    assert fold(other).startswith("a") and fold(body) == first  # another text is folded afresh

"""Small text primitives every stage shares: normalising, width folding, numerals.

Offsets are the contract between stages (a mention's start/end slice the body), so the
folding used for matching keeps the text's length: each character is folded on its own,
and a character whose NFKC form is longer than one character is left as it is.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def normalize(text: str) -> str:
    """The text as kaidan keeps it: Unicode NFC, every line end a single \\n."""
    return unicodedata.normalize("NFC", _LINE_ENDS.sub("\n", text))


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch
    # Japanese news writes the long vowel and wave dash in several look-alike code points.
    return {"〜": "~", "～": "~", "―": "-", "‐": "-", "−": "-", "–": "-", "—": "-"}.get(folded, folded)


def fold(text: str) -> str:
    """Width- and case-folded text of the same length, for matching (ＳＣＯ → SCO, ２ → 2)."""
    return "".join(_fold_char(ch) for ch in text).lower()


_KANJI_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                 "六": 6, "七": 7, "八": 8, "九": 9, "元": 1}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
KANJI_NUMERAL = "〇○零一二三四五六七八九十百千元"


def kanji_to_int(token: str) -> int | None:
    """二〇二五 → 2025, 十二 → 12, 二十 → 20, 元 → 1 (元年); Arabic digits pass through."""
    token = unicodedata.normalize("NFKC", token).strip()
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if all(ch in _KANJI_DIGITS for ch in token):  # positional: 二〇二五
        value = 0
        for ch in token:
            value = value * 10 + _KANJI_DIGITS[ch]
        return value
    total, digit = 0, None
    for ch in token:
        if ch in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[ch]
        elif ch in _KANJI_UNITS:
            total += (digit if digit is not None else 1) * _KANJI_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
KANA = re.compile(r"[\u3040-\u30ff]")


def japanese_share(text: str) -> float:
    """Share of kana among the letters: Japanese text has kana; Chinese has none."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u3040" <= ch <= "\u30ff") / len(letters)

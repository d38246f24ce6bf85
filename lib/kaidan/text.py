"""Small text primitives every stage shares: normalising, width folding, numerals.

Offsets are the contract between stages (a mention's start/end slice the body), so the
folding used for matching keeps the text's length: each character is folded on its own,
and a character whose NFKC form is longer than one character is left as it is.
"""
from __future__ import annotations

import re
import unicodedata

_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def gated(first: str, body: str) -> re.Pattern:
    """body, compiled behind a lookahead on the characters a match can start with (`first`, a
    character class's contents): sre then turns every other position down at once, several
    times faster than trying body there. It finds what body finds only if `first` holds every
    character a match of body can start with; a test of each gated pattern checks that."""
    return re.compile(f"(?=[{first}])(?:{body})")


def normalize(text: str) -> str:
    """The text as kaidan keeps it: Unicode NFC, every line end a single \\n."""
    return unicodedata.normalize("NFC", _LINE_ENDS.sub("\n", text))


_DASHES = {"〜": "~", "～": "~", "―": "-", "‐": "-", "−": "-", "–": "-", "—": "-"}


def _fold_char(code: int) -> str:
    """One character folded: NFKC, lower case, look-alike dashes unified; a character whose
    fold would be longer than one character (İ, ㈱) stays as it is."""
    ch = chr(code)
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch
    folded = _DASHES.get(folded, folded)
    lowered = folded.lower()
    return lowered if len(lowered) == 1 else folded


# fold() as a translate table, filled at import for the blocks news text is made of
# (CJK ideographs are their own fold) and grown as other characters are met.
_FOLD_BLOCKS = ((0x0000, 0x0250), (0x2000, 0x2070), (0x3000, 0x3100), (0xFF00, 0xFFF0))
_IDEOGRAPHS = (0x4E00, 0xA000)
_FOLD_BASE = {code: _fold_char(code) for lo, hi in _FOLD_BLOCKS for code in range(lo, hi)}
_FOLD_BASE |= {code: chr(code) for code in range(*_IDEOGRAPHS)}
_OUTSIDE_BASE = re.compile(
    "[^" + "".join(f"\\u{lo:04x}-\\u{hi - 1:04x}" for lo, hi in (*_FOLD_BLOCKS, _IDEOGRAPHS)) + "]")
_FOLDED = dict(_FOLD_BASE)
# The last long text folded and its fold: the mentions and the dates of a body both fold it.
_LAST_FOLD: tuple[str, str] = ("", "")
_REMEMBERED = 1_000  # characters from which a fold is remembered


def fold(text: str) -> str:
    """Width- and case-folded text of the same length, for matching (ＳＣＯ → sco, ２ → 2)."""
    global _LAST_FOLD
    last = _LAST_FOLD
    if last[0] is text:
        return last[1]
    if len(_FOLDED) > len(_FOLD_BASE) + 100_000:  # arbitrary input must not grow it without end
        _FOLDED.clear()
        _FOLDED.update(_FOLD_BASE)
    for ch in set(_OUTSIDE_BASE.findall(text)):
        if ord(ch) not in _FOLDED:
            _FOLDED[ord(ch)] = _fold_char(ord(ch))
    folded = text.translate(_FOLDED)
    if len(text) >= _REMEMBERED:
        _LAST_FOLD = (text, folded)
    return folded


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
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    return sum(map(str.isalpha, KANA.findall(text))) / letters

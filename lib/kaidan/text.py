"""Small text primitives every stage shares: normalising, width folding, numerals.

Offsets are the contract between stages (a mention's start/end slice the body), so the
folding used for matching keeps the text's length: each character is folded on its own,
and a character whose NFKC form is longer than one character is left as it is.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np

_LINE_ENDS = re.compile(r"\r\n?|\u2028|\u2029|\x85")


def gated(first: str, body: str, pairs: tuple[str, ...] = ()) -> re.Pattern:
    """body, compiled behind a lookahead on the characters a match can start with (`first`, a
    character class's contents): sre then turns every other position down at once, several
    times faster than trying body there. A character that starts many other words too (a
    particle: と, を) may be given instead by the two characters a match starts with (`pairs`),
    read by a second lookahead only where the first lets one through. It finds what body finds
    only if these hold every start of a match of body; a test of each gated pattern checks that."""
    if not pairs:
        return re.compile(f"(?=[{first}])(?:{body})")
    heads = "".join(dict.fromkeys(pair[0] for pair in pairs))
    return re.compile(f"(?=[{first}{heads}])(?=[{first}]|{'|'.join(map(re.escape, pairs))})(?:{body})")


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


def _code_ranges(codes: list[int]) -> str:
    """Sorted code points as the contents of a character class, consecutive ones as ranges."""
    ranges, start = [], 0
    for i, code in enumerate(codes):
        if i + 1 == len(codes) or codes[i + 1] != code + 1:
            ranges.append(f"\\u{codes[start]:04x}-\\u{code:04x}")
            start = i + 1
    return "".join(ranges)


# Runs of characters a fold may change (every character but those of the base that fold to
# themselves): news text is mostly kana and kanji, and translating only these runs is about
# three times faster than translating every character. The run's first character is written
# apart, so the pattern opens with a character class, which sre skips to at once (twice as fast).
_UNCHANGED = _code_ranges(sorted(c for c, f in _FOLD_BASE.items() if f == chr(c)))
_CHANGING_RUN = re.compile(f"[^{_UNCHANGED}][^{_UNCHANGED}]*")
# Where runs are this dense or denser (one in so many characters, in a sample at the start),
# one pass of translate over the whole text is faster than a call for each run.
_DENSE_RUNS = 20
_RUN_SAMPLE = 300
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
    if _translate_whole(text):
        _learn(_OUTSIDE_BASE.findall(text))
        folded = text.translate(_FOLDED)
    else:
        folded = _CHANGING_RUN.sub(_fold_run, text)
    if len(text) >= _REMEMBERED:
        _LAST_FOLD = (text, folded)
    return folded


def _translate_whole(text: str) -> bool:
    """Whether to translate the whole text rather than its changing runs: ASCII text (translate
    has a fast path for it) and text where the sample holds many runs."""
    if text.isascii():
        return True
    sample = min(len(text), _RUN_SAMPLE)
    return len(_CHANGING_RUN.findall(text, 0, sample)) * _DENSE_RUNS >= sample


def _fold_run(match: re.Match) -> str:
    """One run of characters that may change, folded (characters outside the base among them)."""
    run = match.group()
    _learn(run)
    return run.translate(_FOLDED)


def _learn(chars) -> None:
    """The fold table grown by those of the characters it does not hold yet."""
    for ch in set(chars):
        if ord(ch) not in _FOLDED:
            _FOLDED[ord(ch)] = _fold_char(ord(ch))


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


KANA = range(0x3040, 0x3100)  # code points of the Hiragana and Katakana blocks: what letter_counts counts as kana

# str.isalpha of every character of the Basic Multilingual Plane, as a table numpy looks a whole
# text up in at once: asking character by character was most of the time telling a language.
_BMP = 0x10000
_IS_LETTER = np.array([chr(code).isalpha() for code in range(_BMP)], dtype=bool)
_IS_KANA_LETTER = np.zeros(_BMP, dtype=bool)
_IS_KANA_LETTER[KANA] = _IS_LETTER[KANA]


def letter_counts(text: str) -> tuple[int, int]:
    """How many letters (str.isalpha) the text has, and how many of them are kana."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    outside = codes >= _BMP
    if outside.any():  # beyond the table (rare ideographs, emoji): asked one by one
        astral = sum(chr(code).isalpha() for code in codes[outside].tolist())
        codes = codes[~outside]
    else:
        astral = 0
    return int(np.count_nonzero(_IS_LETTER[codes])) + astral, int(np.count_nonzero(_IS_KANA_LETTER[codes]))


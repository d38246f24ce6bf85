"""Which language a text is in, told from its letters: Japanese has kana."""
from __future__ import annotations

import re

from kaidan.text import letter_counts


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|in|is|that|for|with|on|was|are)\b", re.IGNORECASE)
LANGUAGE_SAMPLE = 20_000
# Japanese prose has kana in a third or more of its letters; Chinese has none.
JAPANESE_KANA_SHARE = 0.1
_LANGUAGE_NAMES = {"en": "English", "zh": "Chinese: Han characters without kana"}


def detect_language(text: str) -> str:
    """ja when kana are there; zh for Han without kana; en for English; else unknown."""
    sample = text[:LANGUAGE_SAMPLE]
    letters, kana = letter_counts(sample)
    if not letters:
        return "unknown"
    if kana / letters >= JAPANESE_KANA_SHARE:
        return "ja"
    if len(_HAN.findall(sample)) >= letters / 2:
        return "zh"
    latin = len(_LATIN.findall(sample))
    if latin >= letters / 2 and len(_ENGLISH_WORDS.findall(sample)) * 100 >= latin:
        return "en"
    return "unknown"


def _language_note(language: str) -> str:
    """The warning for a text that is not Japanese."""
    return f"not Japanese (looks like {_LANGUAGE_NAMES.get(language, 'an unknown language')})"

"""Split an article body into sentences, as offsets that slice the body back.

Japanese sentences end at 。！？ (and ASCII ! ?) and at line breaks. A terminator inside
「」『』（）() and the like does not end the sentence, so a quoted remark stays whole; a
bracket that is never closed stops counting at the line break or after
`MAX_BRACKET` characters, so one stray 「 cannot swallow the rest of a long text.
"""
from __future__ import annotations

import re

import pandas as pd

from kaidan import schemas

TERMINATORS = "。｡！？!?"
OPENERS = "「『（(【〔［[〈《"
CLOSERS = "」』）)】〕］]〉》"
# A bracket still open this many characters after it opened no longer holds a sentence together.
MAX_BRACKET = 300

_SPECIAL = re.compile("[" + re.escape(TERMINATORS + OPENERS + CLOSERS) + "\n]")
# ASCII ! and ? inside a word or an address (Yahoo!Japan, ?id=3) do not end a sentence.
_ASCII_CONTINUES = re.compile(r"[!?][A-Za-z0-9=&/]")
_TRAILING = frozenset(TERMINATORS + CLOSERS)


def _add_span(body: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append body[start:end] without its surrounding whitespace, unless nothing is left."""
    piece = body[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    if right > left:
        spans.append((start + left, start + right))


def split_sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence in body, in order: body[start:end] is the sentence."""
    spans: list[tuple[int, int]] = []
    start = depth = opened = pos = 0
    size = len(body)
    while (match := _SPECIAL.search(body, pos)) is not None:
        i = match.start()
        ch = body[i]
        pos = i + 1
        if ch == "\n":
            _add_span(body, start, i, spans)
            start, depth = pos, 0
        elif ch in OPENERS:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSERS:
            depth = max(depth - 1, 0)
        elif depth and i - opened <= MAX_BRACKET:
            continue
        elif _ASCII_CONTINUES.match(body, i):
            continue
        else:
            end = pos
            while end < size and body[end] in _TRAILING:  # 。」 ！？ stay with their sentence
                end += 1
            _add_span(body, start, end, spans)
            start = pos = end
            depth = 0
    _add_span(body, start, size, spans)
    return spans


def sentences_table(articles: pd.DataFrame) -> pd.DataFrame:
    """The sentences table: every sentence of every article's body, numbered from 0."""
    rows = []
    for article_id, body in zip(articles["article_id"], articles["body"]):
        if not isinstance(body, str):
            continue
        for index, (start, end) in enumerate(split_sentences(body)):
            rows.append({"article_id": article_id, "index": index, "start": start, "end": end,
                         "text": body[start:end]})
    return schemas.from_records("sentences", rows)

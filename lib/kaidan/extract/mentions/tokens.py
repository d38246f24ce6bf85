"""SudachiPy token boundaries of a body: one tokenizer per thread, fed in chunks its byte limit
allows; a name counts only where it starts and ends on a token boundary."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from kaidan.extract.mentions.words import TOKEN_LIMIT


@lru_cache(maxsize=1)
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_THREAD = threading.local()


def thread_tokenizer():
    """This thread's mode-A tokenizer (SudachiPy's are not safe to share between threads), with
    only the part-of-speech field loaded: the scan needs boundaries and name tags alone; and
    the morpheme list it fills again for each chunk (allocating one per call costs more)."""
    found = getattr(_THREAD, "tokenizer", None)
    if found is None:
        from sudachipy import SplitMode

        dictionary = _dictionary()
        try:
            tokenizer = dictionary.tokenizer(mode=SplitMode.A, fields={"pos"})
        except (AttributeError, TypeError):  # SudachiPy < 0.6.9
            tokenizer = dictionary.create(SplitMode.A)
        found = _THREAD.tokenizer = (tokenizer, tokenizer.tokenize(""))
    return found


@lru_cache(maxsize=1)
def _person_parts() -> dict[int, str]:
    """part-of-speech id -> 姓, 名 or 一般 for the dictionary's person names (固有名詞, 人名),
    read once from its part-of-speech table, so a token needs one lookup by id."""
    dictionary, parts, pos_id = _dictionary(), {}, 0
    while True:
        try:
            pos = dictionary.pos_of(pos_id)
        except (IndexError, ValueError):
            break
        if pos is None:
            break
        if pos[1] == "固有名詞" and pos[2] == "人名":
            parts[pos_id] = pos[3]
        pos_id += 1
    return parts


@dataclass
class Tokens:
    """SudachiPy's tokens of a body: where tokens start and end (one byte for each position
    of the body, 1 where a token starts or ends: a long body's tokens fit in its length), and
    which are names."""

    starts: bytearray
    ends: bytearray
    person_tokens: list[tuple[int, int, str]]  # (start, end, 姓|名|一般)


def tokenize(body: str, spans: list[tuple[int, int]]) -> Tokens:
    """Tokenise each sentence (in bounded chunks) and keep boundaries and name tokens.

    A chunk's tokens tile it, so every token but a chunk's last ends where the next begins:
    the ends are the starts, less the chunks' starts, plus the chunks' ends (one call per token
    fewer; a test holds this against each token's own end)."""
    (tokenizer, morphemes), parts = thread_tokenizer(), _person_parts()
    starts, people, chunks = bytearray(len(body) + 1), [], []
    for s_start, s_end in spans:
        for c_start in range(s_start, s_end, TOKEN_LIMIT):
            c_end = min(s_end, c_start + TOKEN_LIMIT)
            chunks.append((c_start, c_end))
            for m in tokenizer.tokenize(body[c_start:c_end], out=morphemes):
                b = c_start + m.begin()
                starts[b] = 1
                part = parts.get(m.part_of_speech_id())
                if part is not None:
                    people.append((b, c_start + m.end(), part))
    ends = bytearray(starts)
    for c_start, _ in chunks:
        ends[c_start] = 0
    for _, c_end in chunks:
        ends[c_end] = 1
    return Tokens(starts, ends, people)

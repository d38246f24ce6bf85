"""Which way a clause points: ahead (会談する, 予定, 〜へ), back (会談した) or unclear.

A day or weekday written without its month is placed on the side of the article's date
this says.
"""
from __future__ import annotations

import re

from kaidan.text import gated

# ---------------------------------------------------------------------------- tense
# A day or weekday without its month lies ahead of the article's date or behind it as the
# clause's first finite predicate says: 会談する, 予定だ, 会談へ ahead; 会談した behind. A
# predicate that modifies a noun (就任した首相) ends no clause and is passed over.
_CLAUSE_END = "(?=[。、」』\n]|$)"
_QUOTED_END = "(?=[。、」』\n]|と|こと|$)"
# The characters a predicate _P_TENSE reads starts with (`gated`: it is run from each date to its sentence's end).
_TENSE_FIRST = "予見方計意調へす行開臨会訪迎出まるうくむぶつぐしっれべいきみせえめねけてちりぎじびにひん"
_P_TENSE = gated(
    _TENSE_FIRST,
    rf"(?P<ahead>(?:予定|見通し|見込み|方針|計画|意向|調整中)(?=[だで、。」\n]|$)|へ{_CLAUSE_END}"
    rf"|(?:する|します|行う|行います|開く|開きます|開催する|臨む|会う|会います|訪れる|迎える|出席する)"
    rf"(?=[。、」』\n]|と|こと|の[はでが]|$)"
    rf"|(?:(?<!てい)ます|(?<![あいで])る|[うくむぶつぐ])(?=[。」』\n]|$))"
    rf"|(?P<behind>(?:[しっれべいきみせえめねけてちりぎじびにひ]た|んだ){_QUOTED_END})")


# A predicate that modifies the noun after it (開かれた会合, 行われる会談): the time of the
# date right before it, when no comma sets the date apart as the whole sentence's.
_NOUN_START = "(?=[\u3400-\u9fff\u30a1-\u30fc])"
_P_MODIFIER = re.compile(
    rf"(?P<behind>(?:[しっれべいきみせえめねけてちりぎじびにひ]た|んだ){_NOUN_START})"
    rf"|(?P<ahead>(?:する|される|れる|行う|開く|予定の){_NOUN_START})")


def clause_tense(text: str, end: int) -> int:
    """1 when the predicate a date at text[:end] belongs to speaks of what is ahead, -1 of
    what is done, 0 unclear: a modifying predicate right after it (9日に開かれた会合), else the
    clause's first finite predicate (9日、…会談する), words quoted in 「」 stepped over. The
    text may be folded or not: the markers are kana and punctuation, which fold keeps."""
    stop = _sentence_end(text, end)
    finite_at, finite = _first_finite(text, end, stop)
    if not text.startswith("、", end):
        comma = text.find("、", end, finite_at)
        modifier = _P_MODIFIER.search(text, end, comma if comma >= 0 else finite_at)
        if modifier is not None and text.find("「", end, modifier.start()) < 0:
            return 1 if modifier["ahead"] else -1
    return finite


def _sentence_end(folded: str, pos: int) -> int:
    stop = folded.find("。", pos)
    stop = len(folded) if stop < 0 else stop
    line = folded.find("\n", pos, stop)  # a line end only before the 。: a long text need not be read to its end
    return stop if line < 0 else line


def _first_finite(folded: str, pos: int, stop: int) -> tuple[int, int]:
    """(where, tense) of the first finite predicate from pos, or (stop, 0)."""
    while (match := _P_TENSE.search(folded, pos, stop)) is not None:
        quote = folded.find("「", pos, match.start())
        if quote < 0:
            return match.start(), 1 if match["ahead"] else -1
        close = folded.find("」", quote)
        if close < 0:
            break
        pos = close + 1
        stop = max(stop, _sentence_end(folded, pos))
    return stop, 0


"""Where a sentence reports a meeting: the trigger words that count (not 記者会見, not a
count of meetings, not one only hoped for), and the segments a sentence is cut into where a
later clause reports another meeting."""
from __future__ import annotations

import bisect
import re

from kaidan.extract.meetings.context import Context
from kaidan.extract.meetings.patterns import (
    ATTEND, CALLED_OFF, CLAUSE, FREQUENCY, HOPED, MULTILATERAL, NEGATED, NEW_MEETING, NOT_A_MEETING, TRIGGER)


def find_triggers(body: str, start: int, end: int, ctx: Context) -> list[re.Match]:
    """Trigger words in body[start:end] that report a bilateral encounter (kept in ctx by range:
    a sentence's clauses and segments are asked again while it is cut and drafted)."""
    first = bisect.bisect_left(ctx.trigger_starts, start)
    if first == bisect.bisect_left(ctx.trigger_starts, end) and not _runs_across(ctx, first, start):
        return []  # as in most sentences, none of the body's trigger words: nothing to ask or keep
    found = ctx.triggers.get((start, end))
    if found is None:
        reports = ctx.trigger_reports
        found = ctx.triggers[start, end] = []
        for match in trigger_words(ctx, start, end):
            span = match.span()
            kept = reports.get(span)
            if kept is None:
                kept = reports[span] = _reports_meeting(body, match, ctx)
            if kept:
                found.append(match)
    return found


def trigger_words(ctx: Context, start: int, end: int) -> list[re.Match]:
    """TRIGGER's matches in body[start:end], as `TRIGGER.finditer(body, start, end)` gives them,
    taken from the scan of the whole body (`ctx.trigger_words`). A range finds the body's matches
    inside it: TRIGGER has no lookahead that a shorter text could satisfy where the whole could
    not (a test checks), so only a match that reads past the range's end (会議 before は…以来)
    or runs across its start could differ; each is matched again within the range, and on any
    difference the range is scanned on its own."""
    starts = ctx.trigger_starts
    first = bisect.bisect_left(starts, start)
    if _runs_across(ctx, first, start):
        return list(TRIGGER.finditer(ctx.body, start, end))
    found = []
    for word in ctx.trigger_words[first:bisect.bisect_left(starts, end)]:
        again = TRIGGER.match(ctx.body, word.start(), end)
        if again is None or again.end() != word.end():
            return list(TRIGGER.finditer(ctx.body, start, end))
        found.append(again)
    return found


def _runs_across(ctx: Context, first: int, start: int) -> bool:
    """Whether the body's trigger word before its `first` one at or after start runs across start."""
    return first > 0 and ctx.trigger_words[first - 1].end() > start


def _reports_meeting(body: str, match: re.Match, ctx: Context) -> bool:
    """Whether a trigger word reports a meeting, which its span of the body decides, whatever
    the range it was found in (kept in ctx by span: the ranges of a sentence overlap)."""
    window = body[max(0, match.start() - 3):match.end() + 3]
    if NOT_A_MEETING.search(window) or _not_one_held(body, match):
        return False
    if MULTILATERAL.fullmatch(match.group(0)) and _after_forum(ctx, match.start()):
        return False
    return not (ATTEND.fullmatch(match.group(0)) and _forum_attended(ctx, match.start()))


def _not_one_held(body: str, match: re.Match) -> bool:
    """A meeting word for a count or habit (3度会談, 定期的に開催), one not held (会談していない),
    only hoped for (会談の実現を模索) or called off (会談は延期)."""
    after = body[match.end():match.end() + 16]
    return FREQUENCY.search(body[max(0, match.start() - 8):match.start()]) is not None or \
        FREQUENCY.match(after[:4]) is not None or NEGATED.match(after[:10]) is not None or \
        HOPED.match(after) is not None or CALLED_OFF.match(after) is not None


def _after_forum(ctx: Context, pos: int) -> bool:
    """SCO首脳会議, 「BRICS」首脳会議, and a forum whose name holds the word (BRICS首脳会議 read
    as one name): the gathering of a forum."""
    if ctx.forum_over(pos):
        return True
    for end in ctx.forum_ends(pos - 6, pos):
        if not re.search(r"[、。でにと]", ctx.body[end:pos]):
            return True
    return False


def _forum_attended(ctx: Context, pos: int) -> bool:
    """BRICS首脳会議には…が出席する: a forum named earlier in the sentence is what is attended;
    talks held there are reported by their own word (会談, 協議)."""
    stop = ctx.body.rfind("。", 0, pos)
    sentence_start = max(stop, ctx.body.rfind("\n", stop + 1, pos)) + 1  # a line end only after the 。
    return any(m["kind"] in ("forum", "organisation") for m in ctx.mentions_in(sentence_start, pos))


def cut_segments(ctx: Context, sentence: dict) -> list[tuple[int, int]]:
    """Cut a sentence where a later clause reports another meeting: its own trigger with its
    own date, or an 'also met' (とも会談). A clause whose meeting words report none (両者は
    3度面会している, 会談の実現を模索) is set apart, so its people and places join no meeting."""
    start, end = sentence["start"], sentence["end"]
    if not find_triggers(ctx.body, start, end, ctx):
        return []
    cuts = [start] + [m.end() for m in CLAUSE.finditer(ctx.body, start, end)] + [end]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    segments: list[list[int]] = []
    closed = False  # the last segment is a clause set apart: the next clause starts anew
    for a, b in clauses:
        has_trigger = bool(find_triggers(ctx.body, a, b, ctx))
        own_date = any(d.kind not in ("since", "present_year") for d in ctx.dates_in(a, b))
        new = NEW_MEETING.search(ctx.body, a, b) is not None
        no_meeting = not has_trigger and any(_not_one_held(ctx.body, m) for m in trigger_words(ctx, a, b))
        if not segments or closed or no_meeting or (
                has_trigger and (own_date or new) and find_triggers(ctx.body, segments[-1][0], segments[-1][1], ctx)):
            segments.append([a, b])
        else:
            segments[-1][1] = b
        closed = no_meeting
    return [(a, b) for a, b in segments if find_triggers(ctx.body, a, b, ctx)]

"""Where a sentence reports a meeting: the trigger words that count (not 記者会見, not a
count of meetings, not one only hoped for), and the segments a sentence is cut into where a
later clause reports another meeting."""
from __future__ import annotations

import re

from kaidan.extract.meetings.context import Context
from kaidan.extract.meetings.patterns import CLAUSE, FREQUENCY, HOPED, MULTILATERAL, NEGATED, NEW_MEETING, NOT_A_MEETING, TRIGGER


def find_triggers(body: str, start: int, end: int, ctx: Context) -> list[re.Match]:
    """Trigger words in body[start:end] that report a bilateral encounter."""
    found = []
    for match in TRIGGER.finditer(body, start, end):
        window = body[max(0, match.start() - 3):match.end() + 3]
        if NOT_A_MEETING.search(window):
            continue
        if FREQUENCY.search(body[max(0, match.start() - 6):match.start()]) or \
                FREQUENCY.match(body[match.end():match.end() + 4]) or NEGATED.match(body[match.end():match.end() + 10]) \
                or HOPED.match(body[match.end():match.end() + 16]):
            continue
        if MULTILATERAL.fullmatch(match.group(0)) and _after_forum(ctx, match.start()):
            continue
        found.append(match)
    return found


def _after_forum(ctx: Context, pos: int) -> bool:
    """SCO首脳会議, 「BRICS」首脳会議: the gathering of a forum."""
    for mention in ctx.mentions:
        if mention["kind"] in ("forum", "organisation") and 0 <= pos - mention["end"] <= 6 \
                and not re.search(r"[、。でにと]", ctx.body[mention["end"]:pos]):
            return True
    return False


def cut_segments(ctx: Context, sentence: dict) -> list[tuple[int, int]]:
    """Cut a sentence where a later clause reports another meeting: its own trigger with its
    own date, or an 'also met' (とも会談)."""
    start, end = sentence["start"], sentence["end"]
    if not find_triggers(ctx.body, start, end, ctx):
        return []
    cuts = [start] + [m.end() for m in CLAUSE.finditer(ctx.body, start, end)] + [end]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    segments: list[list[int]] = []
    for a, b in clauses:
        has_trigger = bool(find_triggers(ctx.body, a, b, ctx))
        own_date = any(a <= d.start < b and d.kind not in ("since", "present_year") for d in ctx.dates)
        new = NEW_MEETING.search(ctx.body, a, b) is not None
        if segments and has_trigger and (own_date or new) and find_triggers(ctx.body, segments[-1][0], segments[-1][1], ctx):
            segments.append([a, b])
        elif segments:
            segments[-1][1] = b
        else:
            segments.append([a, b])
    return [(a, b) for a, b in segments if find_triggers(ctx.body, a, b, ctx)]

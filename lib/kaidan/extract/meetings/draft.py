"""One meeting drafted from one segment of a sentence, step by step: the trigger, the people
and the sides, the place, the series and round, the mode, the date, and what an 'also met'
(とも会談) or an earlier meeting (<date>以来) carries over from the meetings before it."""
from __future__ import annotations

import re

from kaidan.extract.dates import DateMention, clause_tense
from kaidan.extract.meetings.context import Context, Draft
from kaidan.extract.meetings.dating import meeting_date, month_of
from kaidan.extract.meetings.fold import main_draft
from kaidan.extract.meetings.patterns import (
    ALSO_MET, CAPTION, DONE, FORUM_CONTEXT, HEAD_TITLE, NEW_MEETING, NEXT_ROUND, PHONE, SCHEDULED, SESSION, SUMMIT, VIDEO, VISIT_TRIGGER)
from kaidan.extract.meetings.place import since_venue, venue_of
from kaidan.extract.meetings.sides import heads_of, inherit_subject, participants_of, sides_of
from kaidan.extract.meetings.triggers import find_triggers
from kaidan.text import kanji_to_int


def draft_meeting(ctx: Context, sentence: dict, start: int, end: int, drafts: list[Draft]) -> Draft | None:
    """The meeting body[start:end] reports, or None when it has fewer than two sides."""
    body, reference = ctx.body, ctx.reference
    text = body[start:end]
    triggers = find_triggers(body, start, end, ctx)
    inside = ctx.mentions_in(start, end)
    date, since = meeting_date(ctx, start, end, triggers)
    participants = participants_of(ctx, sentence, start, end, inside, drafts, date.date if date else None)
    countries = sides_of(ctx, inside, participants, triggers)
    city, host = venue_of(ctx, inside)
    if host and len(countries) < 2:
        countries.add(host)
    series, session = _series(ctx, inside, countries, text, drafts)
    mode = _mode(triggers)
    if mode != "in_person":
        city, host = None, None
    heads = heads_of(participants, reference)
    summit = _summit(ctx, start, triggers, heads, host)
    if summit and participants and not heads and SUMMIT.search(" ".join(t.group(0) for t in triggers)):
        participants = []  # 王氏はジャイシャンカル氏に、昨年の首脳会談で…と述べた: ministers speak of the leaders' talks
    if since is not None:
        city, host = since_venue(ctx, since, inside) or (None, host if len(countries) >= 2 else None)
        session = None  # 昨年3月以来3回目: the number counts the meeting now, not the earlier one
    next_round = NEXT_ROUND.search(text) is not None
    if since is not None or next_round:
        series, summit = _main_sides(drafts, countries, series, summit)
    also_met = ALSO_MET.search(body, start, triggers[-1].end() + 4) is not None and bool(drafts)
    if also_met:
        date, city, host = _also_met(ctx, drafts[-1], text, participants, countries, date, city, host)
    if len(countries) < 2:
        return None
    # An official's trip with no one met is not a meeting by itself (a head of state's visit
    # counts as a summit), but it dates and places the meeting a later sentence reports.
    trip_only = all(VISIT_TRIGGER.search(t.group(0)) for t in triggers) and not heads and \
        len({reference.people[p].country for p in participants}) < 2
    if summit and series is None and session is not None and not re.search(r"第\s*\S+\s*回", text):
        session = None  # 22回目の首脳会談 counts personal meetings, not a numbered round
    return Draft(sentences=[sentence["index"]], countries=countries, participants=participants, date=date,
                 city=city, host_country=host, mode=mode, series=series, session=session,
                 status=_status(body, triggers), forum=_forum(body, inside), summit=summit,
                 done=any(DONE.match(body[t.end():t.end() + 8]) for t in triggers),
                 dated_done=bool(date and date.date) and clause_tense(body, date.end) < 0,
                 background=since is not None, trip_only=trip_only, also_met=also_met, next_round=next_round,
                 separate=next_round or NEW_MEETING.search(body, start, triggers[0].end()) is not None,
                 caption=bool(CAPTION.search(sentence["text"])), evidence_spans=[(sentence["start"], sentence["end"])],
                 person_country={p: reference.people[p].country for p in participants})


def _main_sides(drafts: list[Draft], countries: set[str], series: str | None,
                summit: bool) -> tuple[str | None, bool]:
    """An earlier (2019年12月以来) or the next (次回の会議) meeting written with fewer than two
    sides: the sides (added to `countries`), series and kind of the meeting the article is about."""
    if len(countries) >= 2 or not drafts:
        return series, summit
    main = main_draft(drafts)
    countries |= main.countries
    return series or main.series, summit or main.summit


def _series(ctx: Context, inside: list[dict], countries: set[str], text: str,
            drafts: list[Draft]) -> tuple[str | None, int | None]:
    """(the named series, the round): a series the sides fit adds its members to `countries`;
    a round written after a series was named (第8回会合) continues that series."""
    series = None
    for m in inside:
        if m["kind"] == "series" and m["id"] != "summit":
            wanted = ctx.reference.series_countries.get(m["id"], frozenset())
            if not wanted or wanted <= countries or countries <= wanted:
                series = m["id"]
                countries |= set(wanted)
    session = _session(text)
    if series is None and session is not None:
        earlier = next((d for d in reversed(drafts) if d.series and countries <= d.countries), None)
        if earlier is not None:
            series = earlier.series
            countries |= earlier.countries
    return series, session


def _session(text: str) -> int | None:
    """The number of 第3回, 3回目, or 1 for 初の会談."""
    match = SESSION.search(text)
    if not match:
        return None
    if match.group(3):
        return 1
    return kanji_to_int(match.group(1) or match.group(2))


def _mode(triggers: list[re.Match]) -> str:
    """phone, video or in_person, by the first trigger's words."""
    first = triggers[0].group(0)
    return "phone" if PHONE.search(first) else "video" if VIDEO.search(first) else "in_person"


def _summit(ctx: Context, start: int, triggers: list[re.Match], heads: list[str], host: str | None) -> bool:
    """A leaders' meeting: a summit word, 首脳 just before the trigger, two leaders' titles
    there (当時の首相が胡錦濤国家主席との間で合意), heads of two countries, or a leader's visit abroad."""
    people = ctx.reference.people
    before = ctx.body[max(start, triggers[0].start() - 20):triggers[0].start()]
    return bool(SUMMIT.search(" ".join(t.group(0) for t in triggers))) or "首脳" in before[-15:] or \
        len(HEAD_TITLE.findall(before)) >= 2 or \
        len({people[p].country for p in heads}) >= 2 or \
        (any(people[p].country != host for p in heads) and host is not None
         and any(VISIT_TRIGGER.search(t.group(0)) for t in triggers))


def _also_met(ctx: Context, previous: Draft, text: str, participants: list[str], countries: set[str],
              date: DateMention | None, city: str | None,
              host: str | None) -> tuple[DateMention | None, str | None, str | None]:
    """とも会談: another meeting of the previous one's subject on the same trip; unless the
    segment writes them, its month and (with とも) its city are the previous meeting's."""
    inherit_subject(previous, participants, countries, ctx.reference)
    if date is None and previous.date and previous.date.date:
        date = month_of(previous.date)
    city = city or (previous.city if "とも" in text else None)
    return date, city, host or previous.host_country


def _status(body: str, triggers: list[re.Match]) -> str:
    """scheduled when a trigger is followed by words of a plan (予定, 見通し, 方向で調整), else held."""
    return "scheduled" if any(SCHEDULED.match(body[t.end():t.end() + 30]) for t in triggers) else "held"


def _forum(body: str, inside: list[dict]) -> str | None:
    """The forum the meeting was held at: a forum named with に合わせ, の際, の合間 ..."""
    return next((m["id"] for m in inside if m["kind"] == "forum" and FORUM_CONTEXT.match(body[m["end"]:m["end"] + 20])),
                None)

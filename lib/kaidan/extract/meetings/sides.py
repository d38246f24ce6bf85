"""Who takes part in a meeting: the people (not a source, a relation, a former holder, or a
name on a noun like トランプ関税), and the sides, read only from participants, delegations
(韓国代表団, ロシア側) and pair words on the meeting (日米豪首脳会談), never from a country
merely discussed."""
from __future__ import annotations

import copy
import re

from kaidan.extract.meetings.context import Context, Draft
from kaidan.extract.meetings.fold import main_draft
from kaidan.extract.meetings.patterns import (
    BOTH, BOTH_ROLES, DELEGATION_AFTER, HEAD_ROLES, JOINING, KANJI_RUN, NOT_PARTICIPANT_AFTER, SEPARATELY, SIDE_AFTER,
    TWO_PLUS_TWO, TWO_PLUS_TWO_ROLES)
from kaidan.extract.mentions.words import PAIR_JOINERS
from kaidan.reference import Reference, parse_day


def participants_of(ctx: Context, sentence: dict, start: int, end: int, inside: list[dict],
                    drafts: list[Draft], when: str | None = None) -> list[str]:
    """The people of the segment body[start:end], with the sentence's subject (王氏は18日に…と
    会談したほか、19日には…とも協議: the subject counts for every segment) and the two that
    両外相 or 両首脳 stands for (on the meeting's date `when`, else the article's)."""
    body = ctx.body
    subject = [m for m in ctx.mentions_in(sentence["start"], start) if m["kind"] == "person"
               and re.match(r"^(氏|[^、。]{0,8}?)(は|が)", body[m["end"]:m["end"] + 10])]
    participants: list[str] = []
    for m in subject + [m for m in inside if m["kind"] == "person"]:
        if m["id"] not in participants and not _not_participant(body, m) and not _modifier(ctx, m) \
                and not _spokesperson(ctx, m["id"]):
            participants.append(m["id"])
    participants += [p for p in _both(ctx, body[start:end], start, drafts, when) if p not in participants]
    return participants


def join_talks(ctx: Context, sentence: dict, start: int, end: int, talks: Draft, drafts: list[Draft]) -> None:
    """A later sentence about the talks just reported that has someone else take part (会談には
    トルコのチャブシオール外相も同席し、三者会談となった): that person, and their country as a side."""
    if not JOINING.search(ctx.body, start, end) or not talks.participants:
        return
    inside = ctx.mentions_in(start, end)
    for person_id in participants_of(ctx, sentence, start, end, inside, drafts):
        country = ctx.reference.people[person_id].country
        if person_id not in talks.participants and country:
            talks.participants.append(person_id)
            talks.person_country[person_id] = country
            talks.countries.add(country)


def one_by_one(ctx: Context, draft: Draft, start: int, end: int) -> list[Draft]:
    """XはA、Bと相次いで会談した: X met A, then B. The draft keeps X with A; a copy for each
    other person of that side, written as another meeting. Only where one side has one person."""
    if not SEPARATELY.search(ctx.body, start, end):
        return []
    by_side: dict[str, list[str]] = {}
    for person_id in draft.participants:
        by_side.setdefault(draft.person_country.get(person_id) or "", []).append(person_id)
    if len(by_side) != 2 or "" in by_side or sorted(len(p) for p in by_side.values())[0] != 1:
        return []
    (single,), many = sorted(by_side.values(), key=len)
    if len(many) < 2:
        return []
    copies = []
    for other in many[1:]:
        copy_ = copy.deepcopy(draft)
        copy_.participants = [p for p in draft.participants if p in (single, other)]
        copy_.separate = True
        copies.append(copy_)
    draft.participants = [p for p in draft.participants if p in (single, many[0])]
    return copies


def sides_of(ctx: Context, inside: list[dict], participants: list[str], triggers: list[re.Match]) -> set[str]:
    """The countries that take part: those of the participants, when they are of two or more
    countries, with only a pair word written on the meeting itself (日米豪首脳会談) or a named
    delegation (韓国代表団) added; otherwise the countries the clause writes as parties.
    A country merely discussed in the sentence (talks about China) is not a side."""
    sides = {ctx.reference.people[p].country for p in participants if ctx.reference.people[p].country}
    if len(sides) >= 2:
        for m in inside:
            if m["kind"] == "country" and (_on_trigger(ctx.body, m, triggers) or _delegation(ctx.body, m)):
                sides.add(m["id"])
        return sides
    countries = set(sides)
    named = [m for m in inside if m["kind"] == "country"]
    side = [m["resolution"] in ("compound", "context") or _is_side(ctx.body, m) or _delegation(ctx.body, m)
            or _on_trigger(ctx.body, m, triggers) for m in named]
    for i in range(len(named) - 2, -1, -1):  # ロシアとウクライナの代表団: the first of a pair too
        if side[i + 1] and ctx.body[named[i]["end"]:named[i + 1]["start"]] in PAIR_JOINERS:
            side[i] = True
    countries.update(m["id"] for m, is_side in zip(named, side) if is_side)
    return countries


def _on_trigger(body: str, mention: dict, triggers: list[re.Match]) -> bool:
    """A country written on the meeting itself: 日米豪首脳会談, 米中の高官協議, ウクライナの直接交渉."""
    def on(trigger: re.Match) -> bool:
        if trigger.start() < mention["end"]:
            return False
        between = body[mention["end"]:trigger.start()]
        if mention["resolution"] != "compound" and not between.startswith("の"):
            return False
        return len(between) <= 6 and not re.search(r"[、。をとがでに]", between)
    return mention["resolution"] in ("compound", "name") and any(on(t) for t in triggers)


def _delegation(body: str, mention: dict) -> bool:
    """A side written as a delegation: 韓国代表団, ロシア側, ウクライナの代表団."""
    return DELEGATION_AFTER.match(body[mention["end"]:mention["end"] + 8]) is not None


def _modifier(ctx: Context, mention: dict) -> bool:
    """A name written straight onto a noun (トランプ関税, プーチン体制, 習近平思想) qualifies
    the noun: the person is not there. A name goes on with 氏, a particle, punctuation, or a
    run of kanji that ends as titles end (露外務大臣, 長官, 国家主席: the last character of
    some title the reference knows)."""
    run = KANJI_RUN.match(ctx.body, mention["end"], mention["end"] + 24)
    if run is None:
        return False
    word = run.group(0)
    titles, title_ends = _title_words(ctx.reference)
    return not (word.startswith(("氏", "元", "前", "現", "新", "両", "各")) or word.startswith(titles)
                or word[-1] in title_ends)


def _title_words(reference: Reference) -> tuple[tuple[str, ...], frozenset[str]]:
    """Every title the reference knows and the characters titles end with, built once per
    reference (kept in its `derived` indexes), to tell 外相 from 関税."""
    found = reference.derived.get("title_words")
    if found is None:
        found = reference.derived["title_words"] = (tuple(reference.titles), frozenset(t[-1] for t in reference.titles))
    return found


def _not_participant(body: str, mention: dict) -> bool:
    """元国家主席 (a former office holder), 王氏によると (a source), トランプ氏の娘婿 (a relation)."""
    after = body[mention["end"]:mention["end"] + 12]
    return after.startswith(("元", "前")) or NOT_PARTICIPANT_AFTER.match(after) is not None


def _spokesperson(ctx: Context, person_id: str) -> bool:
    """A spokesperson (and nothing else then) announces talks: ザハロワ報道官は…会談が行われると
    明らかにした names the ministers who meet, not her."""
    person = ctx.reference.people[person_id]
    return (person.roles_on(ctx.on) or person.roles_on(None)) == {"spokesperson"}


def _is_side(body: str, mention: dict) -> bool:
    """A country written as a party to the talks: 中国とロシアが, ロシア側, ロシア2閣僚は."""
    after = body[mention["end"]:mention["end"] + 8]
    before = body[max(0, mention["start"] - 1):mention["start"]]
    if SIDE_AFTER.match(after):
        return True
    if after.startswith("と") and re.match(r"^と[^、。]{1,12}?(が|は|の首脳|の外相)", after):
        return True
    return before == "と" and re.match(r"^(が|は|の(首脳|外相|国防相|間))", after) is not None


def _both(ctx: Context, text: str, offset: int, drafts: list[Draft], when: str | None) -> list[str]:
    """両外相, 両首脳: the two people of that role the article named before, holding it when
    the meeting took place (両首脳は2006年10月に…: not today's leaders). Where it named more
    (the host of a summit as well), the two are those of the meeting the text is about;
    failing that, nobody."""
    found: list[str] = []
    for match in BOTH.finditer(text):
        roles = BOTH_ROLES.get(match.group(1))
        named = ctx.people_before(offset + match.start())
        by_country: dict[str, str] = {}
        for person_id in named:
            person = ctx.reference.people[person_id]
            held = (person.roles_on(parse_day(when)) | person.roles_on(parse_day(when, end=True))) if when \
                else person.roles_on(ctx.on)
            if (roles is None or held & set(roles)) and person.country:
                by_country[person.country] = person_id
        if len(by_country) > 2:
            about = main_draft(drafts).countries if drafts else set()
            by_country = {c: p for c, p in by_country.items() if c in about}
        if len(by_country) == 2:
            found += [p for p in by_country.values() if p not in found]
    return found


def heads_of(participants: list[str], reference: Reference) -> list[str]:
    return [p for p in participants if reference.people[p].roles_on(None) & HEAD_ROLES]


def inherit_subject(previous: Draft, participants: list[str], countries: set[str], reference: Reference) -> None:
    """とも会談 with no subject written: the subject is the previous meeting's subject (its
    first participant). With people of two countries already, the subject is written."""
    present = {reference.people[p].country for p in participants}
    if len(present - {None}) >= 2 or not previous.participants:
        return
    subject = previous.participants[0]
    country = reference.people[subject].country
    if country and country not in present:
        participants.insert(0, subject)
        countries.add(country)


def two_plus_two_members(ctx: Context, draft: Draft) -> list[str]:
    """The people of a 2+2 whose own sentences name no one (日豪は2プラス2を開催し…): its sides'
    foreign and defence ministers that the article names, in office on the meeting's date (else
    the article's); none without a day to check the office on."""
    if draft.participants or not any(TWO_PLUS_TWO.search(ctx.body, s, e) for s, e in draft.evidence_spans):
        return []
    day = draft.date.date if draft.date and draft.date.date else ctx.anchor
    if not day or len(day) != 10:
        return []
    on = parse_day(day)
    people = ctx.reference.people
    members: list[str] = []
    for m in ctx.mentions:
        person = people.get(m["id"]) if m["kind"] == "person" else None
        if person is not None and m["id"] not in members and person.country in draft.countries \
                and person.roles_on(on) & TWO_PLUS_TWO_ROLES and not _not_participant(ctx.body, m):
            members.append(m["id"])
    return members

"""The dates of an article's meetings: the article's own date that deictic words (今年, 来月,
7日) count from, the article's dates resolved on it, and the date of one meeting among them.
How a date is read and chained (同日, 翌日) is `kaidan.extract.dates`; this module chooses
which date belongs to a meeting and which to something else (a trip's start, a statement)."""
from __future__ import annotations

import re

from kaidan.extract.dates import DateMention, clause_tense, find_dates, parse_date, resolve_chain
from kaidan.extract.meetings.context import Context
from kaidan.extract.meetings.patterns import (
    BRACKETED, CITATION_BEFORE, DATED_PAPER, DATELINE, JOINT_ACT, LIST_JOINERS, NOUN_PHRASE, ORIGINAL_DATE, RELATIVE_CLAUSE,
    REPORTED, SINCE, STAMP_BEFORE, STARTS, STATEMENT_AFTER, TRIGGER, VISIT_START, VISIT_TRIGGER)


def anchor_for(article: dict, body: str, sentences: list[dict]) -> str | None:
    """The article's own date, which deictic expressions (今年, 来月, 7日, 金曜) refer to."""
    return article_anchor(article, body, sentences)[0]


def article_anchor(article: dict, body: str, sentences: list[dict]) -> tuple[str | None, str]:
    """(the article's own date, where it was read), most trusted first: the original
    article's date for a translation or repost (2023/4/20 RIAC記事より, 2022年03月07日付
    Milliyet紙), the publication date, a dateline 【2024年5月27日 ソウル】, the year an exact
    'since' states (2018年5月以来5年ぶり → 2023; 約5年ぶり states none), the year the text
    says it is (2025年のいま), and last only the month of a full date in the lead: the
    narrative starts there, but that day is not the article's day."""
    original = ORIGINAL_DATE.search(body) or DATED_PAPER.search(body)
    if original and (parsed := parse_date(original.group(1))):
        return parsed[0], "original article"
    published = article.get("published")
    if isinstance(published, str) and published:
        return published, "published"
    if (dateline := DATELINE.search(body)) and (parsed := parse_date(dateline.group(1))):
        return parsed[0], "dateline"
    unanchored = find_dates(body, None)
    for earlier, since in zip(unanchored, unanchored[1:]):
        if since.kind == "since" and not since.approximate and earlier.date \
                and "以来" in body[earlier.end:since.start] and since.start - earlier.end < 20:
            # N年ぶり counts years: the month stays open; N年Mカ月ぶり counts months from a month
            base = earlier.date[:7] if since.offset_months else earlier.date[:4]
            if anchor := add_offset(base, since.offset_years or 0, since.offset_months or 0):
                return anchor, f"{earlier.text}以来{since.text}"
    for mention in unanchored:
        if mention.kind == "present_year" and mention.date:
            return mention.date, mention.text
    lead_end = sentences[min(2, len(sentences) - 1)]["end"] if sentences else 0
    for mention in unanchored:
        if mention.start < lead_end and mention.kind == "absolute" and mention.precision == "day":
            return mention.date[:7], f"month of {mention.text} in the lead"
    return None, ""


def add_offset(iso: str, years: int, months: int) -> str | None:
    """iso moved on by years and months; None past year 9999 (九千年ぶり is no anchor) and
    when months move a year-only date (2013年 + 3年4カ月 may end in 2016 or 2017)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + years:04d}" if parts[0] + years <= 9999 and not months else None
    total = parts[0] * 12 + (parts[1] - 1) + years * 12 + months
    year, month = divmod(total, 12)
    if year > 9999:
        return None
    return f"{year:04d}-{month + 1:02d}" if months or len(parts) == 2 else f"{year:04d}"


def article_dates(body: str, anchor: str | None, source: str) -> list[DateMention]:
    """Every date of the body, chained (同日 after 1日) and resolved on the anchor, each with
    the words it came from; a date right after a newspaper's name cites the paper and is left out."""
    return [_with_basis(d, anchor, source) for d in resolve_chain(find_dates(body, anchor))
            if not CITATION_BEFORE.search(body[max(0, d.start - 6):d.start])]


def _with_basis(mention: DateMention, anchor: str | None, source: str) -> DateMention:
    """The date with the words and the anchor it came from: 来月7日 + published 2021-12-15,
    同日 → 2024-10-01 (from 1日); a date written in full is its own basis."""
    if not mention.date:
        return mention
    if mention.base is not None:
        basis = f"{mention.text} → {mention.date} (from {mention.base})"
    elif mention.kind in ("absolute", "range", "present_year") and mention.year and mention.year > 99:
        basis = mention.text
    else:
        basis = f"{mention.text} + {source} {anchor}"
    return DateMention(**{**vars(mention), "basis": basis})  # dataclasses.replace, without its checks of each field


def meeting_date(ctx: Context, start: int, end: int,
                 triggers: list[re.Match]) -> tuple[DateMention | None, DateMention | None]:
    """(the segment's date, the earlier meeting's date when "<date>以来" names one): a dated
    以来 beside the trigger dates an earlier meeting, not the one reported now."""
    since = since_date(ctx, start, end)
    return (since or trigger_date(ctx, start, end, triggers)), since


def since_date(ctx: Context, start: int, end: int) -> DateMention | None:
    """The first resolved date in body[start:end] followed by 以来 or 以降: 2019年12月以来."""
    for d in ctx.dates_in(start, end):
        if d.date and d.kind not in ("since", "present_year") \
                and SINCE.match(ctx.body[d.end:d.end + 16]):
            return d
    return None


def trigger_date(ctx: Context, start: int, end: int, triggers: list[re.Match]) -> DateMention | None:
    """The date written closest to the trigger (同日 and 翌日 already resolved along the
    text's chain), leaving out dates of something else: the start of a trip before talks
    during it, and a date set off by a comma before talks reported in a statement (10日、
    …と会談したと明らかにした dates the statement). With only a year to anchor on, an
    unresolved day or weekday keeps that year."""
    only_visits = all(VISIT_TRIGGER.search(t.group(0)) for t in triggers)
    reported = [t for t in triggers if REPORTED.match(ctx.body, t.end())]
    usable = [d for d in ctx.dates_in(start, end) if d.kind not in ("since", "present_year")
              and not _dates_other_event(ctx, d)
              and (only_visits or not VISIT_START.match(ctx.body, d.end))
              and not (ctx.body.startswith("、", d.end) and any(t.start() > d.end for t in reported))
              and not (_short_year(d) and not any(_same_clause(ctx.body, d, t) for t in triggers))]
    if not usable:
        return None
    trigger_at = triggers[0].start()
    usable.sort(key=lambda d: (abs(d.start - trigger_at), d.start))
    chosen = usable[0]
    if chosen.date is None and ctx.anchor_is_year and chosen.kind in ("weekday", "relative", "range"):
        year = f"{ctx.on.year:04d}" if ctx.on else None
        basis = f"{chosen.text} + year {year} ({ctx.anchor_source})" if year else None
        return DateMention(chosen.start, chosen.end, chosen.text, chosen.kind, year, "year" if year else None,
                           basis=basis)
    return chosen


def _short_year(mention: DateMention) -> bool:
    """A two-digit year written alone (24年に): a year of the narrative, often of some other event."""
    return mention.kind == "relative" and mention.year is not None and mention.year < 100 and mention.month is None


def _same_clause(body: str, mention: DateMention, trigger: re.Match) -> bool:
    """The date and the trigger in one clause: nothing between them but a topic's comma
    (会議は、25年に開催), no nominalised clause of its own (14年に…編入したことを受け, 協議が…)."""
    between = body[mention.end:trigger.start()] if mention.end <= trigger.start() else body[trigger.end():mention.start]
    return "こと" not in between and all(between[i - 1:i] == "は" for i, ch in enumerate(between) if ch in "、。\n")


def listed_dates(ctx: Context, chosen: DateMention | None, start: int, end: int) -> list[DateMention]:
    """The other dates of a list the meeting's date is in (先月23日や今月6日に電話会談, 2月と
    9月の会談): each is a meeting of its own. Only dates the text resolves take part."""
    if chosen is None or not chosen.date:
        return []
    inside = [d for d in ctx.dates_in(start, end) if d.kind not in ("since", "present_year")
              and (d is chosen or not _dates_other_event(ctx, d))]
    if chosen not in inside:
        return []
    at = inside.index(chosen)
    group = [chosen]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(inside):
            a, b = (inside[i + step], inside[i]) if step < 0 else (inside[i], inside[i + step])
            if ctx.body[a.end:b.start] not in LIST_JOINERS:
                break
            group.append(inside[i + step])
            i += step
    return [d for d in sorted(group[1:], key=lambda d: d.start) if d.date and d.date != chosen.date]


def month_of(mention: DateMention) -> DateMention:
    """The month of a date: a meeting 'also held' on the same trip, day unstated."""
    date = mention.date[:7] if mention.date else None
    precision = "month" if date and len(date) == 7 else mention.precision
    basis = f"month of {mention.basis}" if date and mention.basis else mention.basis
    return DateMention(mention.start, mention.end, mention.text, mention.kind, date, precision, basis=basis)


def _dates_other_event(ctx: Context, mention: DateMention) -> bool:
    """The date belongs to something that is not a meeting: a page's date stamp opening the
    body (date 2025-09-11, 更新日：…), 2014年3月のクリミア併合後 (a noun
    with no meeting word in its clause), 31日に始まる首脳会議 (an opening), 1日に就任した首相
    (a clause modifying a noun), 7日夜に記者会見し (a statement), 昨日…出席することを知らせた
    (a past day cannot date what the clause says is still ahead)."""
    body = ctx.body
    after = body[mention.end:mention.end + 60]
    if STARTS.match(after) or STATEMENT_AFTER.match(after) or _stamp(body, mention):
        return True
    if (relative := RELATIVE_CLAUSE.match(after)) is not None:
        noun = NOUN_PHRASE.match(after, relative.end())
        if not (TRIGGER.search(relative["verb"]) or JOINT_ACT.search(relative["verb"])
                or (noun and TRIGGER.search(noun.group(0)))):
            return True
    if _before_the_article(ctx, mention) and clause_tense(body, mention.end) > 0:
        return True
    if not after.startswith("の") or SINCE.match(after):
        return False
    clause = re.split(r"[、。]", BRACKETED.sub("", after), maxsplit=1)[0]
    return not TRIGGER.search(clause[:30])


def _stamp(body: str, mention: DateMention) -> bool:
    """A page's own date opening the body and set apart by a space (date 2025-09-11 本文…),
    unlike a lead's 2024年11月12日、 that dates what follows."""
    return STAMP_BEFORE.fullmatch(body, 0, mention.start) is not None and body[mention.end:mention.end + 1].isspace()


def _before_the_article(ctx: Context, mention: DateMention) -> bool:
    """A date earlier than the article's own date, at the precision both have."""
    if not mention.date or not ctx.anchor or mention.kind in ("absolute", "range"):
        return False
    n = min(len(mention.date), len(ctx.anchor))
    return mention.date[:n] < ctx.anchor[:n]

"""From drafts to rows: which earlier draft a new segment continues (the same date, round,
sides and mode), merging it in, which meeting is the article's main one, and the meetings
rows, where a background meeting is kept only with its year or round."""
from __future__ import annotations

from kaidan.extract.dates import DateMention, dates_agree
from kaidan.extract.meetings.context import Draft
from kaidan.extract.meetings.patterns import ROUND_WRITTEN


def target_of(drafts: list[Draft], draft: Draft, latest: Draft | None, anchor: str | None) -> Draft | None:
    """The draft a new segment continues: the one with the same date or round, else the
    meeting the text was just about, else the article's main meeting."""
    compatible = [d for d in drafts if _agree(d, draft, anchor)]
    if not compatible:
        return None
    for existing in compatible:
        if draft.date and existing.date and draft.date.date and draft.date.date == existing.date.date:
            return existing
        if draft.session and draft.session == existing.session:
            return existing
    if latest is not None and latest in compatible:
        return latest
    return compatible[0]


def _agree(existing: Draft, draft: Draft, anchor: str | None) -> bool:
    if not (draft.countries <= existing.countries or _joined(existing, draft)):
        return False
    if existing.background and not (draft.date and draft.date.date and existing.date and existing.date.date):
        return False  # an earlier meeting named by 以来 takes only a report that dates it too
    if draft.date and existing.date and not dates_agree(existing.date.date, draft.date.date):
        return False
    if existing.caption != draft.caption and not _same_moment(existing.date, draft.date):
        return False  # a dated photo of other talks: 昨年11月に会談したときの…(提供)
    if _plan_and_past(existing, draft, anchor) or _plan_and_past(draft, existing, anchor):
        return False
    if draft.session and existing.session and draft.session != existing.session:
        return False
    if draft.series and existing.series and draft.series != existing.series:
        return False
    if (draft.summit and existing.series and not existing.summit) or \
            (existing.summit and draft.series and not draft.summit):
        return False  # a leaders' summit is not the ministers' 2+2
    if draft.summit != existing.summit and (existing.participants if draft.summit else draft.participants):
        return False  # nor the ministers' talks the article is about, nor named ministers the leaders' talks
    if draft.mode != existing.mode:
        return False
    if draft.city and existing.city and draft.city != existing.city:
        return False
    return not _side_conflict(existing, draft)


def _plan_and_past(plan: Draft, past: Draft, anchor: str | None) -> bool:
    """A meeting planned with no date given (年内に訪露する方向で調整, 会談に向けた地ならし) and
    talks dated before the article's own date, or, with no date for the article, dated in
    a clause written as past (24年に会談し、…): not the same meeting."""
    if plan.status != "scheduled" or (plan.date and plan.date.date) or not (past.date and past.date.date):
        return False
    if not anchor:
        return past.dated_done
    n = min(len(past.date.date), len(anchor))
    return past.date.date[:n] < anchor[:n]


def _same_moment(a: DateMention | None, b: DateMention | None) -> bool:
    """A caption's date and the body's name the same moment: both resolved and agreeing, or
    the same words; a photo with no date shows whatever the body reports."""
    if a is None or b is None:
        return True
    if a.date and b.date:
        return dates_agree(a.date, b.date)
    return a.text == b.text


def _joined(existing: Draft, draft: Draft) -> bool:
    """The same talks with one more side taking part: a later sentence names both people of
    the meeting and a third country's official with them (a host who mediates)."""
    added = draft.countries - existing.countries
    return len(existing.participants) >= 2 and set(existing.participants) <= set(draft.participants) and \
        added <= {draft.person_country.get(p) for p in draft.participants}


def _side_conflict(existing: Draft, draft: Draft) -> bool:
    """Another person for a side the meeting already has: 王毅–ラブロフ, then 王毅–ショイグ."""
    new = [p for p in draft.participants if p not in existing.participants]
    sides = {existing.person_country.get(p) for p in existing.participants}
    return any(draft.person_country.get(p) in sides for p in new)


def merge(target: Draft, draft: Draft) -> None:
    target.sentences += draft.sentences
    target.evidence_spans += draft.evidence_spans
    target.countries |= draft.countries
    target.participants += [p for p in draft.participants if p not in target.participants]
    target.person_country.update(draft.person_country)
    if draft.date and (target.date is None or (draft.date.date and (
            target.date.date is None or len(draft.date.date) > len(target.date.date)))):
        target.date, target.dated_done = draft.date, draft.dated_done
    if target.city is None and draft.city:
        target.city, target.host_country = draft.city, draft.host_country
    target.host_country = target.host_country or draft.host_country
    target.series = target.series or draft.series
    target.session = target.session or draft.session
    target.forum = target.forum or draft.forum
    target.summit = target.summit or draft.summit
    if draft.status == "held" and (target.status == "held" or draft.done):
        target.status = "held"  # a plan turns held only on words that it took place
    target.done = target.done or draft.done
    target.trip_only = target.trip_only and draft.trip_only


def main_draft(drafts: list[Draft]) -> Draft:
    """The meeting the article is about: the first held one that is not an earlier meeting
    or a photo caption, else the first."""
    drafts = [d for d in drafts if not d.trip_only] or drafts
    for wanted in (lambda d: d.status == "held" and not d.background and not d.caption,
                   lambda d: not d.background and not d.caption, lambda d: True):
        for draft in drafts:
            if wanted(draft):
                return draft
    return drafts[0]


def _round(body: str, draft: Draft) -> int | None:
    """The draft's number when it is a round: of a named series, or written 第N回; without
    either, 5回目 or 初の会談 counts the meetings of these people, it numbers no round."""
    if draft.session is None or draft.series:
        return draft.session
    written = any(ROUND_WRITTEN.search(body, start, end) for start, end in draft.evidence_spans)
    return draft.session if written else None


def rows_of(article: dict, body: str, drafts: list[Draft]) -> list[dict]:
    if not drafts:
        return []
    main = main_draft(drafts)
    rows = []
    for draft in drafts:
        if draft.trip_only:
            continue
        reported_as = "main" if draft is main else "background"
        session = _round(body, draft)
        if reported_as == "background" and not (draft.date and draft.date.date) and session is None \
                and not draft.next_round and not (draft.also_met and not (main.date and main.date.date)):
            continue  # kept only with its year or round, as the next round, or on the trip of an undated main
        series = draft.series or ("summit" if draft.summit else None)
        date = draft.date if draft.date and draft.date.date else None
        spans = sorted(set(draft.evidence_spans))
        rows.append({
            "article_id": article["article_id"],
            "meeting_id": f"{article['article_id']}#{len(rows)}",
            "date": date.date if date else None,
            "date_text": draft.date.text if draft.date else None,
            "date_precision": date.precision if date else None,
            "date_basis": date.basis if date else None,
            "city": draft.city,
            "host_country": draft.host_country,
            "countries": sorted(draft.countries),
            "participants": draft.participants,
            "mode": draft.mode,
            "series": series,
            "session": session,
            "reported_as": reported_as,
            "status": draft.status,
            "forum": draft.forum,
            "evidence": "\n".join(body[s:e] for s, e in spans),
            "evidence_start": spans[0][0],
            "evidence_end": spans[-1][1],
            "sentences": sorted(set(draft.sentences)),
            "event_id": None,
        })
    return rows

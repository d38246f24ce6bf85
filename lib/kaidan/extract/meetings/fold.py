"""From drafts to rows: which earlier draft a new segment continues (the same date, round,
sides and mode), merging it in, which meeting is the article's main one, and the meetings
rows, where a background meeting is kept only with its year or round."""
from __future__ import annotations

from kaidan.extract.dates import dates_agree
from kaidan.extract.meetings.context import Draft
from kaidan.extract.meetings.patterns import ROUND_WRITTEN


def target_of(drafts: list[Draft], draft: Draft, latest: Draft | None) -> Draft | None:
    """The draft a new segment continues: the one with the same date or round, else the
    meeting the text was just about, else the article's main meeting."""
    compatible = [d for d in drafts if _agree(d, draft)]
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


def _agree(existing: Draft, draft: Draft) -> bool:
    if not (draft.countries <= existing.countries):
        return False
    if existing.background and not (draft.date and draft.date.date and existing.date and existing.date.date):
        return False  # an earlier meeting named by 以来 takes only a report that dates it too
    if draft.date and existing.date and not dates_agree(existing.date.date, draft.date.date):
        return False
    if draft.session and existing.session and draft.session != existing.session:
        return False
    if draft.series and existing.series and draft.series != existing.series:
        return False
    if (draft.summit and existing.series and not existing.summit) or \
            (existing.summit and draft.series and not draft.summit):
        return False  # a leaders' summit is not the ministers' 2+2
    if draft.summit and not existing.summit and existing.participants:
        return False  # nor the ministers' talks the article is about
    if draft.mode != existing.mode:
        return False
    if draft.city and existing.city and draft.city != existing.city:
        return False
    return not _side_conflict(existing, draft)


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
        target.date = draft.date
    if target.city is None and draft.city:
        target.city, target.host_country = draft.city, draft.host_country
    target.host_country = target.host_country or draft.host_country
    target.series = target.series or draft.series
    target.session = target.session or draft.session
    target.forum = target.forum or draft.forum
    target.summit = target.summit or draft.summit
    if draft.status == "held":
        target.status = "held"
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
        if reported_as == "background" and not (draft.date and draft.date.date) and session is None:
            continue  # the codebook keeps a background meeting only with its year or round
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

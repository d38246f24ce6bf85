"""Meetings an article reports, by the codebook: who met whom, when, where, how.

A meeting starts at a trigger (会談, 協議, 電話会談, 2プラス2, 訪問 ...). A sentence is cut
into segments where a later clause brings its own trigger with its own date or an
"also met" (とも会談): each segment drafts one meeting from the people, places and
dates in it, with the sentence's subject shared. Later sentences about the same
meeting add to it instead of making a new row. "<date>以来" beside a meeting names an
earlier one. The meeting the article opens with is `main`; the others are
`background`, kept only when the text gives their year or their round. A 2+2 whose own
sentences name no one is held by its sides' foreign and defence ministers the article names.

The steps live in modules named for them: `triggers` (where a sentence reports a meeting),
`draft` (one segment's meeting), `sides` (who takes part), `place` (where), `dating` (the
article's anchor and a meeting's date), `fold` (drafts merged within an article, and rows);
`patterns` holds the words they read and `context` the state they share.
"""
from __future__ import annotations

import copy
from dataclasses import replace

from kaidan.extract.meetings.context import Context, Draft
from kaidan.extract.meetings.dating import add_offset, anchor_for, article_anchor, article_dates, listed_dates
from kaidan.extract.meetings.draft import draft_meeting
from kaidan.extract.meetings.fold import main_draft, merge, rows_of, target_of
from kaidan.extract.meetings.patterns import REFERRING
from kaidan.extract.meetings.sides import join_talks, one_by_one, two_plus_two_members
from kaidan.extract.meetings.triggers import cut_segments
from kaidan.reference import Reference, parse_day

__all__ = ["add_offset", "anchor_for", "article_anchor", "find_meetings"]

# A later sentence continues a meeting reported at most this many characters before it: all of
# an article; in a longer document (a digest, a yearbook chapter) the meetings further back are
# other meetings, and comparing with each of them would make its cost grow with its square.
CONTINUES_WITHIN = 100_000


def find_meetings(article: dict, sentences: list[dict], mentions: list[dict], reference: Reference) -> list[dict]:
    """The meetings rows of one article."""
    body = article["body"]
    if not sentences:
        return []
    anchor, source = article_anchor(article, body, sentences)
    on = parse_day(anchor) if anchor else None
    ctx = Context(body, reference, sorted(mentions, key=lambda m: m["start"]), article_dates(body, anchor, source), on,
                  anchor_is_year=bool(anchor) and len(anchor) == 4, anchor=anchor, anchor_source=source)

    drafts: list[Draft] = []
    recent: list[Draft] = []  # the drafts a segment may continue (CONTINUES_WITHIN)
    latest: Draft | None = None  # the meeting the previous sentence was about
    for sentence in sentences:
        for start, end in cut_segments(ctx, sentence):
            draft = draft_meeting(ctx, sentence, start, end, drafts)
            if draft is None:
                if latest is not None and REFERRING.search(body, start, end):
                    latest.sentences.append(sentence["index"])  # 会談では…: more about the same meeting
                    latest.evidence_spans.append((sentence["start"], sentence["end"]))
                    join_talks(ctx, sentence, start, end, latest, drafts)
                continue
            listed = [replace(copy.deepcopy(draft), date=other, separate=True)
                      for other in listed_dates(ctx, draft.date, start, end)]  # 2月と9月の電話会談: a meeting a date
            listed += one_by_one(ctx, draft, start, end)  # A、Bと相次いで会談: a meeting a person
            recent = [d for d in recent if d.evidence_spans[-1][1] >= start - CONTINUES_WITHIN]
            target = None if (draft.separate or draft.background) else target_of(recent, draft, latest, ctx.anchor)
            if target is None:
                drafts.append(draft)
                recent.append(draft)
                latest = draft
            else:
                merge(target, draft)
                latest = target
            drafts += listed
            recent += listed
    if drafts:
        main = main_draft(drafts)
        main.participants = two_plus_two_members(ctx, main) or main.participants
    return rows_of(article, body, drafts)

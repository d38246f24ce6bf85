"""Extraction: one article's text into rows, stage after stage, in the data's order.

`kaidan.extract.read` reads a file into an articles row (encoding, site furniture, header, date);
then, per article, `kaidan.extract.sentences` splits the body, `kaidan.extract.mentions` finds the
countries, people, places, forums and topics, and `kaidan.extract.meetings` finds the meetings
(with `kaidan.extract.dates` anchoring their dates); `kaidan.extract.events` merges meetings across
articles afterwards. `extract_article` is the per-article chain: a pure function of the
articles row and the reference data, which the in-process, parallel, cached and Dask runs
all call.
"""
from __future__ import annotations

from kaidan import schemas
from kaidan.extract.meetings import find_meetings
from kaidan.extract.mentions import find_mentions
from kaidan.reference import Reference
from kaidan.extract.sentences import split_sentences


def extract_article(article: dict, reference: Reference) -> dict[str, list[dict]]:
    """Sentences, mentions and meetings of one article: a pure function of its row."""
    if article["status"] == "error" or not article["body"] or schemas.given(article.get("language")) not in ("ja", None):
        return {"sentences": [], "mentions": [], "meetings": []}
    body = article["body"]
    spans = split_sentences(body)
    sentences = [{"article_id": article["article_id"], "index": i, "start": s, "end": e,
                  "text": body[s:e]} for i, (s, e) in enumerate(spans)]
    mentions = find_mentions(article, sentences, reference)
    meetings = find_meetings(article, sentences, mentions, reference)
    return {"sentences": sentences, "mentions": mentions, "meetings": meetings}

"""Find countries, people, places, forums, series, treaties and topics in an article body.

Names are matched longest first at SudachiPy token boundaries (its finest split, mode A,
so that compounds such as トランプ政権 still show the name's end), so 稲田 inside 早稲田大学
and 上海 inside 上海協力機構 do not count. Names and topics are two layers, each with its
own longest match, so ウクライナ危機 tags the topic while ウクライナ still counts as a
country. A bare family name or title resolves through the people the article already
named and the roles the gazetteer dates; what cannot be resolved is kept as an
`unresolved_person`, so the analyst sees what to add to the gazetteer.

The package, in the order a body goes through it: `words` (the vocabulary around names),
`tokens` (SudachiPy boundaries), `scan` (every layer's aliases on one automaton), `people`
(family names, offices, names left unresolved); `find_mentions` here joins them.
"""
from __future__ import annotations

from collections import Counter
from operator import itemgetter

from kaidan.extract.mentions.people import (PersonResolver, _family_names, _offices, _title_role, _unresolved,
                                            article_day)
from kaidan.extract.mentions.scan import Spans, _inside_longer_name, _scan, _sentence_index, matcher
from kaidan.extract.mentions.tokens import TOKEN_LIMIT, thread_tokenizer, tokenize
from kaidan.extract.mentions.words import (BOILERPLATE, DIGITS, LANGUAGE_WORDS, REGION_WORDS, SHORT_FORM_FOLLOWERS,
                                           SIDES_WORDS)
from kaidan.reference import Reference
from kaidan.text import fold

# Also the names other stages and the tests import from here (the run's tokenizer, the scan).
__all__ = ["Spans", "TOKEN_LIMIT", "find_mentions", "matcher", "thread_tokenizer", "tokenize"]


# Rows by where they are in the body; then as the table lists them.
_BY_PLACE = itemgetter("start", "end")
_IN_TABLE_ORDER = itemgetter("start", "end", "kind", "id")


def find_mentions(article: dict, sentences: list[dict], reference: Reference) -> list[dict]:
    """Every mention in the article body, as rows of the mentions table."""
    body = article["body"]
    if not body:
        return []
    m = matcher(reference)
    folded = fold(body)
    spans = [(s["start"], s["end"]) for s in sentences]
    tokens = tokenize(body, spans)
    sentence_starts = [s for s, _ in spans]
    article_id = article["article_id"]
    rows: list[dict] = []

    def add(start: int, end: int, kind: str, ident: str, resolution: str) -> None:
        rows.append({"article_id": article_id, "sentence": _sentence_index(sentence_starts, start),
                     "start": start, "end": end, "kind": kind, "id": ident, "text": body[start:end],
                     "resolution": resolution})

    resolver = PersonResolver(reference, article_day(article))
    taken = Spans()  # spans of entity mentions, so family names do not re-match
    named = Spans()  # spans of people and places, which compounds may not cut into

    entity_matches, topic_matches, family_matches = m.aliases.matches(folded)

    # Layer 1: names of countries, places, people, forums, treaties and series.
    entities = m.entities
    for start, end, pattern in _scan(folded, entities, entity_matches, tokens, need_end=True, m=m):
        venue = folded[start:end] in reference.venues
        if venue and _inside_longer_name(folded, start):
            continue
        persons = entities.people[pattern]
        for kind, ident in entities.entries[pattern]:
            if kind != "person":
                add(start, end, kind, ident, "venue" if venue and kind == "place" else "name")
            if kind == "treaty" and ident in reference.treaty_forums:
                add(start, end, "forum", reference.treaty_forums[ident], "name")
        if persons:
            sentence = _sentence_index(sentence_starts, start)
            context = body[spans[sentence][0]:spans[sentence][1]] if spans else body
            person = persons[0] if len(persons) == 1 else resolver.resolve(
                persons, title_role=_title_role(folded, end, m), context=context, countries=set())
            if person:
                resolver.note(person)
                add(start, end, "person", person, "name")
            else:
                add(start, end, "unresolved_person", body[start:end], "ambiguous")
        taken.add(start, end)
        if persons or entities.names_place[pattern]:
            named.add(start, end)

    # Compounds of one-character forms (中ロ, 日米豪, 日・ロ) and forms before a title (露外相).
    for match in m.short_pattern.finditer(folded):
        start, end = match.span()
        if folded[start] == "日" and start > 0 and folded[start - 1] in DIGITS:
            start += 1  # 12日米中: the 日 ends a date, the compound is 米中
            if end - start < 2:
                continue
        if not tokens.starts[start] or named.overlaps(start, end) or folded[start - 1:start] == "訪":
            continue
        rest = folded[end:end + 4]
        if rest.startswith(LANGUAGE_WORDS) or (folded[start:end] == "中米" and rest.startswith(REGION_WORDS)):
            continue
        if not tokens.ends[end] and not rest.startswith(SHORT_FORM_FOLLOWERS):
            continue
        for offset, ch in enumerate(folded[start:end]):
            if ch in reference.short_countries:
                add(start + offset, start + offset + 1, "country", reference.short_countries[ch], "compound")
        named.add(start, end)
    for match in m.short_single.finditer(folded):
        start = match.start()
        if tokens.starts[start] and not named.overlaps(start, start + 1) and not taken.overlaps(start, start + 1):
            add(start, start + 1, "country", reference.short_countries[folded[start]], "compound")
    # 訪日, 訪中, 訪露: a visit names its country
    for match in m.visit_pattern.finditer(folded):
        add(match.start() + 1, match.end(), "country", reference.short_countries[match.group(1)], "visit")

    # Family names and anaphora, resolved in reading order against what came before.
    rows.sort(key=_BY_PLACE)
    _family_names(body, folded, tokens, m, family_matches, resolver, rows, taken, spans, sentence_starts, add)
    _offices(folded, m, reference, resolver.on, rows, add, spans, sentence_starts)

    # Layer 2: topics, longest expression first, independently of names.
    for start, end, pattern in _scan(folded, m.topics, topic_matches, tokens, need_end=False, m=m):
        sentence = spans[_sentence_index(sentence_starts, start)] if spans else (0, len(folded))
        if BOILERPLATE.search(folded, sentence[0], sentence[1]):
            continue
        for kind, ident in m.topics.entries[pattern]:
            add(start, end, kind, ident, "expression")

    for row in [r for r in rows if r["kind"] == "person"]:
        country = reference.people[row["id"]].country
        if country:
            add(row["start"], row["end"], "country", country, "person")
    for row in rows:
        if row["kind"] == "forum" and row["id"] not in reference.codebook_forums:
            row["kind"] = "organisation"
    _sides(body, folded, rows, add)
    _unresolved(body, folded, tokens, m, rows, add)
    rows.sort(key=_IN_TABLE_ORDER)
    return rows


def _sides(body: str, folded: str, rows: list[dict], add) -> None:
    """両国, 双方, 両首脳 stand for the two countries the article is most about."""
    counts = Counter(r["id"] for r in rows if r["kind"] == "country" and r["resolution"] != "person")
    if len(counts) < 2:
        return
    sides = [c for c, _ in counts.most_common(2)]
    for word in SIDES_WORDS:
        start = folded.find(word)
        while start >= 0:  # each occurrence, not overlapping the one before
            end = start + len(word)
            for country in sides:
                add(start, end, "country", country, "context")
            start = folded.find(word, end)

"""People: a bare family name or title resolved through the people the article named and the
roles the gazetteer dates; offices named without a person (同国外相); names left unresolved."""

from __future__ import annotations

import datetime as dt

from kaidan.extract.mentions.scan import Matcher, Spans, _katakana, _scan, _sentence_index, _word_char, title_at
from kaidan.extract.mentions.tokens import Tokens
from kaidan.extract.mentions.words import (ANAPHORA, ENTITY_KINDS, KATAKANA_NAME, OFFICE_SETTLED_DAYS, OTHER_TIME,
                                           PAIR_JOINERS, ROLE_KEYWORDS, SAME_COUNTRY)
from kaidan.reference import Person, Reference, Role, parse_day
from kaidan.text import fold


def article_day(article: dict) -> dt.date | None:
    """The article's own date as a day (its first day where only month or year is known)."""
    published = article.get("published")
    if not isinstance(published, str) or not published:
        return None
    try:
        return parse_day(published)
    except ValueError:
        return None


class PersonResolver:
    """Chooses among the people a name or family name could be, by article, role and date."""

    def __init__(self, reference: Reference, on: dt.date | None):
        self.reference = reference
        self.on = on
        self.seen: list[str] = []  # person ids in order of first mention
        self._seen: set[str] = set()  # the same, to ask in one step

    def note(self, person_id: str) -> None:
        if person_id not in self._seen:
            self._seen.add(person_id)
            self.seen.append(person_id)

    def resolve(self, candidates: list[str], *, title_role: str | None, context: str,
                countries: set[str], unique_name: bool = False) -> str | None:
        """The one candidate the article, title, date and context point to; None when unsure.

        unique_name: the written form is long enough to identify a person (安倍, not 王)."""
        people = [self.reference.people[c] for c in candidates if c in self.reference.people]
        if not people:
            return None
        keyword_roles = {role for word, role in ROLE_KEYWORDS.items() if word in context}
        best, best_score, tie = None, -1.0, False
        for person in people:
            score = self._score(person, title_role, keyword_roles, countries)
            if score > best_score:
                best, best_score, tie = person, score, False
            elif score == best_score:
                tie = True
        if best is None or tie:
            return None
        if best_score < 2 and not (len(people) == 1 and (title_role or (unique_name and self._plausible(best)))):
            return None
        return best.id

    def _plausible(self, person: Person) -> bool:
        """A name written alone (トランプ政権, 安倍政権) means this person only if the article
        already named them or they held office at the article's date."""
        return person.id in self._seen or (self.on is not None and person.active(self.on, slack_days=45))

    def _score(self, person: Person, title_role: str | None, keyword_roles: set[str], countries: set[str]) -> float:
        score = 0.0
        if person.id in self._seen:
            score += 4
        now_roles = person.roles_on(self.on)
        if title_role:
            if title_role in now_roles:
                score += 3
            elif title_role in person.roles_on(None):
                score += 1
        if self.on is not None and person.active(self.on, slack_days=45):
            score += 2
        if keyword_roles & (now_roles if self.on else person.roles_on(None)):
            score += 2
        if person.country and person.country in countries:
            score += 1
        return score

    def by_role(self, role: str) -> str | None:
        """The person most recently named who holds a role: 同外相 after 王毅外相."""
        for person_id in reversed(self.seen):
            if role in self.reference.people[person_id].roles_on(self.on):
                return person_id
        for person_id in reversed(self.seen):
            if role in self.reference.people[person_id].roles_on(None):
                return person_id
        return None


def _title_role(folded: str, pos: int, m: Matcher) -> str | None:
    """The role of a title written right after a name, skipping 兼 chains (国務委員兼外相)."""
    title = title_at(folded, pos, m)
    if title is None:
        return None
    role = m.title_roles.get(title)
    after = pos + len(title)
    if folded.startswith("兼", after):
        return _title_role(folded, after + 1, m) or role
    return role


def _family_names(body, folded, tokens, m, found, resolver, rows, taken, spans, sentence_starts, add):
    """Bare family names (王氏, 李, ショイグ書記) and 同外相, resolved in reading order (`found`:
    the family layer's matches in the body)."""
    person_rows = {r["start"]: r for r in rows if r["kind"] == "person"}
    name_tokens = {b for b, _, _ in tokens.person_tokens}
    country_by_sentence: dict[int, set[str]] = {}
    for r in rows:
        if r["kind"] == "country":
            country_by_sentence.setdefault(r["sentence"], set()).add(r["id"])
    candidates = []
    given_names = {b for b, _, part in tokens.person_tokens if part == "名"}
    for start, end, pattern in _scan(folded, m.family, found, tokens, need_end=False, m=m):
        if taken.overlaps(start, end) or end in given_names:
            continue  # 岡田准一: the same family name with another given name is someone else
        if _katakana(folded[start]) and ((start > 0 and _katakana(folded[start - 1])) or
                                         (end < len(folded) and _katakana(folded[end]))):
            continue  # パワーバランス, ハンガリー: a katakana name inside a longer katakana word
        title = title_at(folded, end, m)
        if title is None and start not in name_tokens and not tokens.ends[end]:
            continue
        if title is None and start not in name_tokens and len(folded[start:end]) < 2:
            continue  # a lone kanji such as 王 or 李 needs a title or a name tag
        candidates.append((start, end, m.family.people[pattern]))
    for match in ANAPHORA.finditer(body):
        candidates.append((match.start(), match.end(), None))
    candidates.sort(key=lambda c: c[0])
    seen_starts = sorted(person_rows)
    passed = 0  # how many of them come before the candidate
    for start, end, people in candidates:
        # people named before this point count as already seen
        while passed < len(seen_starts) and seen_starts[passed] < start:
            resolver.note(person_rows[seen_starts[passed]]["id"])
            passed += 1
        sentence = _sentence_index(sentence_starts, start)
        context = body[spans[sentence][0]:spans[sentence][1]] if spans else body
        if people is None:
            role = m.title_roles.get(fold(body[start + 1:end]))
            person = resolver.by_role(role) if role else (resolver.seen[-1] if resolver.seen else None)
            if person:
                add(start, end, "person", person, "title")
            continue
        person = resolver.resolve(people, title_role=_title_role(folded, end, m), context=context,
                                  countries=country_by_sentence.get(sentence, set()), unique_name=end - start >= 2)
        if person:
            resolver.note(person)
            add(start, end, "person", person, "family_name")
        elif title_at(folded, end, m):
            add(start, end, "unresolved_person", body[start:end], "ambiguous")


# A site's notice (転載, 著作権, 投資の助言) is not a sentence of the article: it treats no topic.


def _offices(folded: str, m: Matcher, reference: Reference, on: dt.date | None, rows: list[dict], add,
             spans: list[tuple[int, int]], sentence_starts: list[int]) -> None:
    """中国の国防相, 韓国外相, 米国務長官, 同国外相: a title after a country, with no name, is the one
    person who held that office on the article's date; with no date, or several or no holders
    in the gazetteer, an office that just changed hands, or a sentence about another time, it
    stays unresolved."""
    if on is None:
        return
    countries = sorted((r for r in rows if r["kind"] == "country" and r["resolution"] in ("name", "compound")),
                       key=lambda r: r["start"])
    named = {(r["start"], r["end"]) for r in rows if r["kind"] == "person"}
    name_ends = {e for _, e in named}
    found = [(r["end"], r["id"]) for r in countries if not _in_compound(folded, r, reference.short_countries)
             and r["start"] not in name_ends]  # トランプ米大統領: the title is the name's
    # the country named last before each 同国: of those ending before it, the last to start
    by_end = sorted(range(len(countries)), key=lambda i: countries[i]["end"])
    passed, last = 0, -1
    for match in SAME_COUNTRY.finditer(folded):
        while passed < len(by_end) and countries[by_end[passed]]["end"] <= match.start():
            last = max(last, by_end[passed])
            passed += 1
        if last >= 0:
            found.append((match.end(), countries[last]["id"]))
    offices = set(found)  # what it adds below asks for no other
    for first, second in zip(countries, countries[1:]):  # ロシアとウクライナの外相: the office of both
        if folded[first["end"]:second["start"]] in PAIR_JOINERS and (second["end"], second["id"]) in offices \
                and (first["end"], first["id"]) in offices:
            found.append((second["end"], first["id"]))
    people = Spans(sorted(named))  # in order, each span joins the end of the list
    for pos, country in found:
        pos += folded.startswith("の", pos)
        title = title_at(folded, pos, m)
        role = m.title_roles.get(title) if title else None
        end = pos + len(title) if title else pos
        if role is None or (end < len(folded) and _word_char(folded[end])):
            continue  # 外相会談, 外相経験: the title begins another word
        if people.overlaps(pos, pos + 1):
            continue
        sentence = spans[_sentence_index(sentence_starts, pos)] if spans else (0, len(folded))
        if OTHER_TIME.search(folded, sentence[0], sentence[1]):
            continue
        holder = _office_holder(reference, country, role, on)
        if holder:
            add(pos, end, "person", holder, "office")


def _in_compound(folded: str, row: dict, short: dict[str, str]) -> bool:
    """韓 in 日韓外相会談: a title after a compound names the office of several countries."""
    if row["resolution"] != "compound":
        return False
    neighbours = folded[row["start"] - 1:row["start"]] + folded[row["end"]:row["end"] + 1]
    return any(ch in short or ch == "・" for ch in neighbours)


def _office_holder(reference: Reference, country: str, role: str, on: dt.date) -> str | None:
    """The one person of a country holding a role on a day and the month before, or None."""
    settled = on - dt.timedelta(days=OFFICE_SETTLED_DAYS)
    terms = _terms(reference).get((country, role), ())
    holders = {pid for pid, term in terms if term.active(on) and term.active(settled)}
    rivals = {pid for pid, term in terms if term.active(on) or term.active(settled)}
    return next(iter(holders)) if len(holders) == 1 and rivals == holders else None


def _terms(reference: Reference) -> dict[tuple[str, str], list[tuple[str, Role]]]:
    """(country, role) -> every (person, term) of it, built once per reference (kept in its
    `derived` indexes) rather than by reading every person at each office."""
    terms = reference.derived.get("terms")
    if terms is None:
        terms = reference.derived["terms"] = {}
        for person in reference.people.values():
            for term in person.roles:
                terms.setdefault((person.country, term.role), []).append((person.id, term))
    return terms


def _unresolved(body: str, folded: str, tokens: Tokens, m: Matcher, rows: list[dict], add) -> None:
    """Names the gazetteer lacks: SudachiPy person names, or katakana names before a title."""
    covered = Spans(sorted((r["start"], r["end"]) for r in rows if r["kind"] in ENTITY_KINDS or r["kind"] == "unresolved_person"))
    found: list[tuple[int, int]] = []
    people = sorted(tokens.person_tokens)
    i = 0
    while i < len(people):
        start, end, part = people[i]
        # a family name followed by a given name is one name (楊 + 潔 → 楊潔)
        while i + 1 < len(people) and people[i + 1][0] == end:
            end = people[i + 1][1]
            i += 1
        i += 1
        # a name before a title, or a family name of two characters or more
        if title_at(folded, end, m) is None and (part != "姓" or end - start < 2):
            continue
        found.append((start, end))
    for match in KATAKANA_NAME.finditer(body):
        if tokens.starts[match.start()] and title_at(folded, match.end(), m) is not None:
            found.append(match.span())
    for start, end in sorted(set(found)):
        if not covered.overlaps(start, end):
            add(start, end, "unresolved_person", body[start:end], "unresolved")
            covered.add(start, end)

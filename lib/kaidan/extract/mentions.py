"""Find countries, people, places, forums, series, treaties and topics in an article body.

Names are matched longest first at SudachiPy token boundaries (its finest split, mode A,
so that compounds such as トランプ政権 still show the name's end), so 稲田 inside 早稲田大学
and 上海 inside 上海協力機構 do not count. Names and topics are two layers, each with its
own longest match, so ウクライナ危機 tags the topic while ウクライナ still counts as a
country. A bare family name or title resolves through the people the article already
named and the roles the gazetteer dates; what cannot be resolved is kept as an
`unresolved_person`, so the analyst sees what to add to the gazetteer.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import ahocorasick_rs

from kaidan.reference import Person, Reference, Role, parse_day
from kaidan.text import KANJI_NUMERAL, fold

DIGITS = "0123456789" + KANJI_NUMERAL
ENTITY_KINDS = ("country", "place", "person", "forum", "treaty", "series")
TOKEN_LIMIT = 2000  # characters per SudachiPy call; its input has a byte limit

# Words after a name that show it is a person: honorifics and the titles in titles.yaml.
HONORIFICS = ("氏", "さん", "容疑者", "被告")
# Words after a one-character country form (露外相, 米政権) that make it a country.
SHORT_FORM_FOLLOWERS = (
    "大統領", "首相", "外相", "国防相", "政府", "政権", "軍", "国務長官", "国防長官", "大使", "外務省", "国防省",
    "国防総省", "大統領府", "側", "当局", "高官", "代表", "議会", "首脳", "両国", "関係", "間", "共同", "合同",
    "戦略", "外務", "防衛", "会談", "協議", "同盟", "対話", "善隣", "艦", "海軍", "空軍", "陸軍", "企業", "経済",
)
# The stricter list for a single form standing alone before an organ (露外相, 米政権).
SINGLE_FORM_FOLLOWERS = (
    "大統領", "首相", "外相", "国防相", "政府", "政権", "軍", "国務長官", "国防長官", "大使", "外務省", "国防省",
    "国防総省", "大統領府", "当局", "高官", "議会", "海軍", "空軍", "陸軍",
)
# Words after a compound that make it a language pair, not countries (中日対訳).
LANGUAGE_WORDS = ("対訳", "翻訳", "辞典", "辞書", "通訳")
# A country or city name that begins another noun does not name the country: 日本語 (a
# language), 日本時間 (a time zone), インド太平洋 / インド洋 (a region, an ocean), 日本海 (a sea),
# マレーシア航空 (an airline).
NOT_A_PLACE_AFTER = ("語", "時間", "太平洋", "洋", "航空")
# 海 after a name is a sea (日本海, フィリピン海) unless it starts a navy or coast-guard word.
SEA = "海"
NOT_A_SEA_AFTER = ("海軍", "海警", "海上", "海兵", "海洋", "海域", "海外", "海運", "海自")
# 中米 followed by these is Central America, not China and the United States.
REGION_WORDS = ("諸国", "地域", "カリブ", "各国")
# Words that tie an unnamed or mistitled person to a role (中国国防省の李部長).
ROLE_KEYWORDS = {
    "国防": "defence_minister", "防衛": "defence_minister", "軍事委員会": "defence_minister",
    "外務": "foreign_minister", "外交部": "foreign_minister", "外交": "foreign_minister",
    "安全保障会議": "security_council_secretary",
}
SIDES_WORDS = ("両国", "双方", "両首脳", "両政府", "両外相", "両国防相", "中露両国", "両者")
# 来日, 来豪: a visit to the country, written from the host's side (not 将来日本, 以来日本).
COME_TO = "(?<![将未本以元由従外到往出伝渡旧在])来"
ANAPHORA = re.compile(r"同(氏|外相|国防相|防衛相|大統領|首相|主席|書記|長官|大臣|部長|補佐官)")


@lru_cache(maxsize=1)
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


_THREAD = threading.local()


def thread_tokenizer():
    """This thread's mode-A tokenizer (SudachiPy's are not safe to share between threads), with
    only the part-of-speech field loaded: the scan needs boundaries and name tags alone; and
    the morpheme list it fills again for each chunk (allocating one per call costs more)."""
    found = getattr(_THREAD, "tokenizer", None)
    if found is None:
        from sudachipy import SplitMode

        dictionary = _dictionary()
        try:
            tokenizer = dictionary.tokenizer(mode=SplitMode.A, fields={"pos"})
        except (AttributeError, TypeError):  # SudachiPy < 0.6.9
            tokenizer = dictionary.create(SplitMode.A)
        found = _THREAD.tokenizer = (tokenizer, tokenizer.tokenize(""))
    return found


@lru_cache(maxsize=1)
def _person_parts() -> dict[int, str]:
    """part-of-speech id -> 姓, 名 or 一般 for the dictionary's person names (固有名詞, 人名),
    read once from its part-of-speech table, so a token needs one lookup by id."""
    dictionary, parts, pos_id = _dictionary(), {}, 0
    while True:
        try:
            pos = dictionary.pos_of(pos_id)
        except (IndexError, ValueError):
            break
        if pos is None:
            break
        if pos[1] == "固有名詞" and pos[2] == "人名":
            parts[pos_id] = pos[3]
        pos_id += 1
    return parts


@dataclass
class Tokens:
    """SudachiPy's tokens of a body: where tokens start and end (one byte for each position
    of the body, 1 where a token starts or ends: a long body's tokens fit in its length), and
    which are names."""

    starts: bytearray
    ends: bytearray
    person_tokens: list[tuple[int, int, str]]  # (start, end, 姓|名|一般)


def tokenize(body: str, spans: list[tuple[int, int]]) -> Tokens:
    """Tokenise each sentence (in bounded chunks) and keep boundaries and name tokens.

    A chunk's tokens tile it, so every token but a chunk's last ends where the next begins:
    the ends are the starts, less the chunks' starts, plus the chunks' ends (one call per token
    fewer; a test holds this against each token's own end)."""
    (tokenizer, morphemes), parts = thread_tokenizer(), _person_parts()
    starts, people, chunks = bytearray(len(body) + 1), [], []
    for s_start, s_end in spans:
        for c_start in range(s_start, s_end, TOKEN_LIMIT):
            c_end = min(s_end, c_start + TOKEN_LIMIT)
            chunks.append((c_start, c_end))
            for m in tokenizer.tokenize(body[c_start:c_end], out=morphemes):
                b = c_start + m.begin()
                starts[b] = 1
                part = parts.get(m.part_of_speech_id())
                if part is not None:
                    people.append((b, c_start + m.end(), part))
    ends = bytearray(starts)
    for c_start, _ in chunks:
        ends[c_start] = 0
    for _, c_end in chunks:
        ends[c_end] = 1
    return Tokens(starts, ends, people)


@dataclass(frozen=True)
class Layer:
    """Aliases of some kinds, compiled into one automaton that finds every alias in a single
    pass over the text (overlapping matches included, so the scan can fall back to a shorter one)."""

    table: dict[str, list[tuple[str, str]]]
    surfaces: tuple[str, ...]               # the automaton's pattern index -> alias
    automaton: ahocorasick_rs.AhoCorasick

    def matches(self, folded: str) -> list[tuple[int, int, int]]:
        """(pattern, start, end) of every alias in folded, by start, the longest first at each."""
        found = self.automaton.find_matches_as_indexes(folded, overlapping=True)
        found.sort(key=_END, reverse=True)
        found.sort(key=_START)  # stable: at one start, the longest stays first
        return found

    def __reduce__(self):  # the automaton does not pickle: rebuild it from the aliases
        return _compiled, (self.table,)


_START, _END = itemgetter(1), itemgetter(2)


def _layer(aliases: dict[str, list[tuple[str, str]]], kinds: tuple[str, ...]) -> Layer:
    table: dict[str, list[tuple[str, str]]] = {}
    for surface, entries in aliases.items():
        kept = [e for e in entries if e[0] in kinds]
        if kept and surface:
            table[surface] = kept
    return _compiled(table)


def _compiled(table: dict[str, list[tuple[str, str]]]) -> Layer:
    surfaces = tuple(table)
    return Layer(table, surfaces, ahocorasick_rs.AhoCorasick(surfaces))


@dataclass(frozen=True)
class Matcher:
    """Everything the scan needs from the reference, built once per gazetteer version."""

    entities: Layer
    topics: Layer
    family: Layer
    titles: tuple[str, ...]        # folded, longest first
    title_roles: dict[str, str]
    title_index: dict[str, tuple[str, ...]]  # first character -> the titles starting with it, longest first
    short_pattern: re.Pattern
    short_single: re.Pattern
    visit_pattern: re.Pattern


def _title_index(titles: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """For each first character, the titles then the honorifics that start with it, in the
    order `title_at` tries them (an empty title, which matches anywhere, under every key and "")."""
    empty = ("",) if "" in titles else ()
    index: dict[str, tuple[str, ...]] = {"": empty}
    for ch in {word[:1] for word in titles + HONORIFICS if word}:
        index[ch] = tuple(t for t in titles if t[:1] == ch) + empty + tuple(h for h in HONORIFICS if h[:1] == ch)
    return index


def _build_matcher(reference: Reference) -> Matcher:
    family_aliases = {surface: [("person", pid) for pid in ids] for surface, ids in reference.family_names.items()}
    titles = tuple(sorted({fold(t) for t in reference.titles}, key=len, reverse=True))
    shorts = "".join(sorted(re.escape(s) for s in reference.short_countries))
    never = re.compile(r"(?!)")
    return Matcher(
        entities=_layer(reference.aliases, ENTITY_KINDS),
        topics=_layer(reference.aliases, ("topic",)),
        family=_layer(family_aliases, ("person",)),
        titles=titles,
        title_roles={fold(t): r for t, r in reference.titles.items()},
        title_index=_title_index(titles),
        short_pattern=re.compile(f"(?:[{shorts}]・?){{2,}}") if shorts else never,
        short_single=re.compile(f"(?<![0-9{KANJI_NUMERAL}])[{shorts}](?=(?:{'|'.join(SINGLE_FORM_FOLLOWERS)}))")
        if shorts else never,
        visit_pattern=re.compile(f"(?:訪|{COME_TO})([{shorts}])") if shorts else never,
    )


def matcher(reference: Reference) -> Matcher:
    """The scan indexes for a reference, built on first use and kept with it."""
    built = reference.derived.get("matcher")
    if built is None:
        built = reference.derived["matcher"] = _build_matcher(reference)
    return built


def _letter(ch: str) -> bool:
    """A character that continues a word: kana, kanji or a Latin letter."""
    return ch.isalpha()


def kinds_of(entries: list[tuple[str, str]]) -> set[str]:
    return {kind for kind, _ in entries}


def _katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


def _word_char(ch: str) -> bool:
    """A kanji or katakana: what continues a Japanese noun (大統領官邸, 外相会談)."""
    return _katakana(ch) or "\u4e00" <= ch <= "\u9fff"


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_ascii_word(text: str) -> bool:
    return text.isascii() and any(ch.isalnum() for ch in text)


def title_at(folded: str, pos: int, m: Matcher) -> str | None:
    """The title (or honorific) that starts at pos, if any: 外相 in 王毅外相."""
    # titles longest first, then honorifics: only those starting with folded[pos] can match
    for title in m.title_index.get(folded[pos:pos + 1], m.title_index[""]):
        if folded.startswith(title, pos):
            return title
    return None


def _scan(folded: str, layer: Layer, tokens: Tokens, *, need_end: bool, m: Matcher):
    """Longest alias at each token start; yields (start, end, entries).

    The automaton lists every alias occurrence, longest first at each start; an alias whose
    boundaries do not hold gives way to a shorter one at the same start."""
    n = len(folded)
    starts, ends = tokens.starts, tokens.ends
    surfaces, table = layer.surfaces, layer.table
    covered_until = -1
    for pattern, i, end in layer.matches(folded):
        if i < covered_until or not starts[i]:
            continue
        surface = surfaces[pattern]
        entries = table[surface]
        if _is_ascii_word(surface):
            if (i > 0 and _ascii_alnum(folded[i - 1])) or (end < n and _ascii_alnum(folded[end])):
                continue
        elif need_end and not ends[end] and end != n and _letter(folded[end]) \
                and title_at(folded, end, m) is None:
            continue
        if kinds_of(entries) <= {"country", "place"} and _begins_another_noun(folded, end):
            continue
        yield i, end, entries
        covered_until = end


def _begins_another_noun(folded: str, end: int) -> bool:
    """日本語, 日本時間, インド太平洋, 日本海: the name is the first part of another noun."""
    if folded.startswith(NOT_A_PLACE_AFTER, end):
        return True
    return folded.startswith(SEA, end) and not folded.startswith(NOT_A_SEA_AFTER, end)


def _inside_longer_name(folded: str, start: int) -> bool:
    """官邸 in 大統領官邸, 迎賓館 in ハノイの迎賓館: a building's name written after a kanji, a
    katakana or の belongs to another building than the one the gazetteer knows."""
    before = folded[start - 1:start]
    return before == "の" or (before != "" and _word_char(before))


def _sentence_index(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


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

    # Layer 1: names of countries, places, people, forums, treaties and series.
    for start, end, entries in _scan(folded, m.entities, tokens, need_end=True, m=m):
        venue = folded[start:end] in reference.venues
        if venue and _inside_longer_name(folded, start):
            continue
        persons = [ident for kind, ident in entries if kind == "person"]
        for kind, ident in entries:
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
        if persons or any(kind == "place" for kind, _ in entries):
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
    rows.sort(key=lambda r: (r["start"], r["end"]))
    _family_names(body, folded, tokens, m, reference, resolver, rows, taken, spans, sentence_starts, add)
    _offices(folded, m, reference, resolver.on, rows, add, spans, sentence_starts)

    # Layer 2: topics, longest expression first, independently of names.
    for start, end, entries in _scan(folded, m.topics, tokens, need_end=False, m=m):
        sentence = spans[_sentence_index(sentence_starts, start)] if spans else (0, len(folded))
        if BOILERPLATE.search(folded, sentence[0], sentence[1]):
            continue
        for kind, ident in entries:
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
    rows.sort(key=lambda r: (r["start"], r["end"], r["kind"], r["id"]))
    return rows


class Spans:
    """Spans of text (never empty), asked whether a span overlaps any of them, in log time:
    kept as the union of the spans that overlap, sorted and disjoint, so one neighbour answers.
    Spans added in the text's order join the end of the lists; others are inserted."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        lo = bisect.bisect_right(self.ends, start)  # the first kept span that ends after start
        hi = bisect.bisect_left(self.starts, end)   # past the last that starts before end
        if lo < hi:
            start, end = min(start, self.starts[lo]), max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1  # the last kept span that starts before end
        return i >= 0 and self.ends[i] > start


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


def _family_names(body, folded, tokens, m, reference, resolver, rows, taken, spans, sentence_starts, add):
    """Bare family names (王氏, 李, ショイグ書記) and 同外相, resolved in reading order."""
    person_rows = {r["start"]: r for r in rows if r["kind"] == "person"}
    name_tokens = {b for b, _, _ in tokens.person_tokens}
    country_by_sentence: dict[int, set[str]] = {}
    for r in rows:
        if r["kind"] == "country":
            country_by_sentence.setdefault(r["sentence"], set()).add(r["id"])
    candidates = []
    given_names = {b for b, _, part in tokens.person_tokens if part == "名"}
    for start, end, entries in _scan(folded, m.family, tokens, need_end=False, m=m):
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
        candidates.append((start, end, [ident for _, ident in entries]))
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
BOILERPLATE = re.compile(r"転載|著作権|無断|免責|助言を構成|利用規約|all rights reserved|copyright")
# ロシアとウクライナの外相: two countries written as a pair before one title.
PAIRED = ("と", "・", "、")
# 同国外相: the title of the country named just before.
SAME_COUNTRY = re.compile(r"同国の?")
# A sentence that speaks of another time (2011年, 昨年, 以来, 当時, 歴代) may mean an earlier holder.
OTHER_TIME = re.compile(r"[0-9０-９]{2,4}年|昨年|去年|前回|以来|当時|かつて|歴代|前任|ぶり")
OFFICE_SETTLED_DAYS = 30  # an office that changed hands this recently is left unresolved


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
        if folded[first["end"]:second["start"]] in PAIRED and (second["end"], second["id"]) in offices \
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
    neighbours = folded[row["start"] - 1:row["start"]] + folded[row["end"]:row["end"] + 1]
    return row["resolution"] == "compound" and any(ch in short or ch == "・" for ch in neighbours)


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


def _sides(body: str, folded: str, rows: list[dict], add) -> None:
    """両国, 双方, 両首脳 stand for the two countries the article is most about."""
    counts = Counter(r["id"] for r in rows if r["kind"] == "country" and r["resolution"] != "person")
    if len(counts) < 2:
        return
    sides = [c for c, _ in counts.most_common(2)]
    for word in SIDES_WORDS:
        for match in re.finditer(re.escape(word), folded):
            for country in sides:
                add(match.start(), match.end(), "country", country, "context")


KATAKANA_NAME = re.compile(r"[ァ-ヴー]{2,}(?:[・=][ァ-ヴー]{2,})*")


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
        if title_at(folded, end, m) is None and part != "姓":
            continue
        if part == "姓" and end - start < 2 and title_at(folded, end, m) is None:
            continue
        found.append((start, end))
    for match in KATAKANA_NAME.finditer(body):
        if title_at(folded, match.end(), m) is not None and tokens.starts[match.start()]:
            found.append(match.span())
    for start, end in sorted(set(found)):
        if not covered.overlaps(start, end):
            add(start, end, "unresolved_person", body[start:end], "unresolved")
            covered.add(start, end)

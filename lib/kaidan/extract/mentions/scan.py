"""The gazetteers' aliases found in a folded body on an Aho-Corasick automaton, longest first,
kept only where tokens and the characters around allow (稲田 not inside 早稲田大学)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from operator import itemgetter

import ahocorasick_rs

from kaidan.extract.mentions.tokens import Tokens
from kaidan.extract.mentions.words import (COME_TO, ENTITY_KINDS, HONORIFICS, NOT_A_PLACE_AFTER, NOT_A_SEA_AFTER, SEA,
                                           SINGLE_FORM_FOLLOWERS)
from kaidan.reference import Reference
from kaidan.text import KANJI_NUMERAL, fold


@dataclass(frozen=True)
class Layer:
    """Aliases of some kinds, each scanned for with its own longest match (`_scan`).

    What the scan asks of each alias is answered once here, by its pattern index in the layer,
    rather than at each of its matches."""

    table: dict[str, list[tuple[str, str]]]  # alias -> its (kind, id); the layer's patterns, in order
    entries: tuple[list[tuple[str, str]], ...]  # pattern index -> (kind, id) of its alias
    people: tuple[list[str], ...]           # pattern index -> the people its alias may name
    ascii_words: tuple[bool, ...]           # pattern index -> the alias is an ASCII word (SCO, ASEAN)
    places_only: tuple[bool, ...]           # pattern index -> the alias names only countries and places
    names_place: tuple[bool, ...]           # pattern index -> the alias may name a place


@dataclass(frozen=True)
class Aliases:
    """The aliases of several layers compiled into one automaton, which finds every alias of
    them all in a single pass over the text (overlapping matches included, so a scan can fall
    back to a shorter one): one pass costs about as much as the pass of one layer's own."""

    layers: tuple[Layer, ...]
    automaton: ahocorasick_rs.AhoCorasick
    indexes: tuple[tuple[int, ...], ...]  # by layer: the automaton's pattern -> the layer's, or -1

    def matches(self, folded: str) -> tuple[list[tuple[int, int, int]], ...]:
        """By layer, (pattern, start, end) of every alias of the layer in folded, the pattern
        the layer's own, by start, the longest first at each."""
        found = self.automaton.find_matches_as_indexes(folded, overlapping=True)
        found.sort(key=_END, reverse=True)
        found.sort(key=_START)  # stable: at one start, the longest stays first
        return tuple([(own, start, end) for pattern, start, end in found if (own := index[pattern]) >= 0]
                     for index in self.indexes)

    def __reduce__(self):  # the automaton does not pickle: rebuild it from the layers
        return _aliases, (self.layers,)


_START, _END = itemgetter(1), itemgetter(2)
_PLACE_KINDS = frozenset({"country", "place"})
# The automaton as a contiguous NFA: a DFA (several MB for these gazetteers) is faster on its
# own, but in a run each body's scan follows SudachiPy's, which leaves the DFA's tables out of
# the CPU caches; the compact NFA is then the faster (about 40% less time in the scans).
_AUTOMATON = ahocorasick_rs.Implementation.ContiguousNFA


def _layer(aliases: dict[str, list[tuple[str, str]]], kinds: tuple[str, ...]) -> Layer:
    table: dict[str, list[tuple[str, str]]] = {}
    for surface, entries in aliases.items():
        kept = [e for e in entries if e[0] in kinds]
        if kept and surface:
            table[surface] = kept
    entries = tuple(table.values())
    return Layer(table, entries,
                 people=tuple([ident for kind, ident in e if kind == "person"] for e in entries),
                 ascii_words=tuple(_is_ascii_word(s) for s in table),
                 places_only=tuple(kinds_of(e) <= _PLACE_KINDS for e in entries),
                 names_place=tuple("place" in kinds_of(e) for e in entries))


def _aliases(layers: tuple[Layer, ...]) -> Aliases:
    surfaces = tuple(dict.fromkeys(surface for layer in layers for surface in layer.table))
    indexes = []
    for layer in layers:
        own = {surface: i for i, surface in enumerate(layer.table)}
        indexes.append(tuple(own.get(surface, -1) for surface in surfaces))
    return Aliases(layers, ahocorasick_rs.AhoCorasick(surfaces, implementation=_AUTOMATON), tuple(indexes))


@dataclass(frozen=True)
class Matcher:
    """Everything the scan needs from the reference, built once per gazetteer version."""

    entities: Layer
    topics: Layer
    family: Layer
    aliases: Aliases               # the three layers' aliases, in that order, on one automaton
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
    entities, topics = _layer(reference.aliases, ENTITY_KINDS), _layer(reference.aliases, ("topic",))
    family = _layer(family_aliases, ("person",))
    return Matcher(
        entities=entities,
        topics=topics,
        family=family,
        aliases=_aliases((entities, topics, family)),
        titles=titles,
        title_roles={fold(t): r for t, r in reference.titles.items()},
        title_index=_title_index(titles),
        # Each pattern opens with the characters its matches start with (a class, or literals),
        # never with a lookbehind: sre then skips every other position of the body at once rather
        # than trying the pattern there (four times faster); what comes before is read after.
        short_pattern=re.compile(f"[{shorts}]・?(?:[{shorts}]・?)+") if shorts else never,
        short_single=re.compile(f"[{shorts}](?<![0-9{KANJI_NUMERAL}].)(?=(?:{'|'.join(SINGLE_FORM_FOLLOWERS)}))")
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


def _scan(folded: str, layer: Layer, found: list[tuple[int, int, int]], tokens: Tokens, *, need_end: bool,
          m: Matcher):
    """Longest alias at each token start; yields (start, end, pattern), the pattern an index
    into the layer's answers about its alias (entries, people, ...).

    `found` lists every occurrence of the layer's aliases (`Aliases.matches`), longest first at
    each start; an alias whose boundaries do not hold gives way to a shorter one at the same start."""
    n = len(folded)
    starts, ends = tokens.starts, tokens.ends
    ascii_words, places_only = layer.ascii_words, layer.places_only
    covered_until = -1
    for pattern, i, end in found:
        if i < covered_until or not starts[i]:
            continue
        if ascii_words[pattern]:
            if (i > 0 and _ascii_alnum(folded[i - 1])) or (end < n and _ascii_alnum(folded[end])):
                continue
        elif need_end and not ends[end] and end != n and _letter(folded[end]) \
                and title_at(folded, end, m) is None:
            continue
        if places_only[pattern] and _begins_another_noun(folded, end):
            continue
        yield i, end, pattern
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
    return (bisect.bisect_right(starts, offset) or 1) - 1  # 0 before the first sentence too


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
        ends = self.ends
        if not ends or ends[-1] <= start:  # after every kept span: the common case
            self.starts.append(start)
            ends.append(end)
            return
        if start >= self.starts[-1]:  # into the last kept span (the others end before it starts)
            if end > ends[-1]:
                ends[-1] = end
            return
        lo = bisect.bisect_right(self.ends, start)  # the first kept span that ends after start
        hi = bisect.bisect_left(self.starts, end)   # past the last that starts before end
        if lo < hi:
            start, end = min(start, self.starts[lo]), max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1  # the last kept span that starts before end
        return i >= 0 and self.ends[i] > start

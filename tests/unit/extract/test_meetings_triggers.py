"""Meeting triggers: implementation checks that the speed-ups find what the plain patterns find."""
import re

import pytest
from hypothesis import given, settings, strategies as st

from kaidan.extract.meetings.patterns import CAPTION, NEW_MEETING, REFERRING, SESSION, TRIGGER, TRIGGER_FIRST, TRIGGER_PAIRS

# Sentences written for these checks, each with trigger words, near-misses and lookarounds.
TRIGGER_TEXTS = [
    "首相は電話会談を行い、外相も電話協議に臨んだ。大統領と電話で会談し、電話で協議した後、電話で話した。",
    "大臣は電話をかけ、オンライン会談とオンラインで会談する方針をオンライン形式で伝えた。",
    "ビデオ会談、ビデオ形式、ビデオ会議、テレビ会談、テレビ会議、リモート会談が続いた。",
    "首脳会談と首脳会議のあと、外相会談、国防相会談、防衛相会談、閣僚協議が開かれた。",
    "会議を開き、会議を行い、直接交渉と和平交渉、停戦交渉を経て、交渉を行い、交渉を開いた。",
    "両氏は会談し、協議し、会見した。主席は接見し、面会した。対話を行い、戦略対話で意見交換を行い、意見交換した。",
    "首相との間で合意した。政府との間で合意した。2プラス2と2+2と２＋２で顔を合わせた。",
    "外相と会い、首相と会った。首相と会う。会合とサミット、晩餐会、公式訪問と国賓訪問。",
    "北京を訪問し、訪問した都市を訪問する前に訪問して、訪問中の外相を訪問、ソウルを訪れた。",
    "訪日、訪中、訪露、訪ロ、訪米、訪韓、訪朝、訪印、訪豪。首相が来日し、将来日本と、本来中国は。",
    "首相が出席し、外相も出席した。補佐官が同席し、次官も同席した。",
    "同会議の開催は2019年以来だ。対話は，2015年以来で、次回会議と次回の会議は来年。",
]


def _ungated(pattern: re.Pattern) -> re.Pattern:
    return re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)(\(\?=\[[^\]]*\]\|[^)]*\))?", "", pattern.pattern))


_PLAIN = _ungated(TRIGGER)
# Texts of trigger words drawn from TRIGGER itself, so a word added to the pattern is drawn too:
# a few matches of it, each with characters of the pattern around (its lookarounds' too).
_DRAWN = st.lists(st.from_regex(_PLAIN, alphabet=st.sampled_from(sorted(set(TRIGGER.pattern) | set("、。")))),
                  min_size=1, max_size=12).map("".join)


def test_every_character_and_pair_of_the_trigger_gate_starts_a_trigger():
    """The gate lists no character and no pair that starts none of the trigger words (each costs a try)."""
    starts = [text[m.start():m.start() + 2] for text in TRIGGER_TEXTS for m in TRIGGER.finditer(text)]
    assert {start[0] for start in starts if start[0] in TRIGGER_FIRST} == set(TRIGGER_FIRST)
    assert {start for start in starts if start[0] not in TRIGGER_FIRST} == set(TRIGGER_PAIRS)


@settings(max_examples=400, derandomize=True, deadline=None)  # enough draws to start with each gate character
@given(_DRAWN)
def test_the_trigger_gate_holds_every_character_a_drawn_trigger_starts_with(text):
    """The gate holds the first character of every word TRIGGER can match (drawn from the
    pattern, so a word added without its first character in the gate is found)."""
    assert [m.span() for m in TRIGGER.finditer(text)] == [m.span() for m in _PLAIN.finditer(text)]


def test_the_trigger_gate_never_changes_what_triggers_are_found():
    assert _PLAIN.pattern != TRIGGER.pattern
    for text in TRIGGER_TEXTS:
        found = [m.span() for m in TRIGGER.finditer(text)]
        assert found == [m.span() for m in _PLAIN.finditer(text)]
        assert len(found) >= 4  # each text holds several triggers


def test_a_shorter_text_gives_trigger_no_match_the_whole_text_does_not():
    """What trigger_words relies on (as with no negative lookahead and no anchor): a trigger word
    that matches when the text ends after it still matches with more text after it. Each word
    the written texts hold (cut anywhere: a lookahead may hide it in the whole text) is followed
    by every run of one to three characters of the pattern (those a lookahead or an anchor could read)."""
    words = {m.group() for text in TRIGGER_TEXTS for end in range(len(text) + 1) for m in TRIGGER.finditer(text, 0, end)}
    source = TRIGGER.pattern + "、。\n"
    after = {source[i:i + size] for size in (1, 2, 3) for i in range(len(source) - size + 1)}
    cut = [word for word in words if TRIGGER.match(word)]
    assert len(cut) >= 60  # the words that need no text before them
    for word in cut:
        assert [text for text in sorted(after) if TRIGGER.match(word + text, 0, len(word)) and
                not TRIGGER.match(word + text)] == [], word


def test_trigger_words_of_a_range_are_what_a_scan_of_the_range_finds(reference):
    """Every range between two places of a text, clause ends included: the words taken from the
    scan of the whole body are those TRIGGER.finditer finds in the range alone (the range that
    cuts 会議は，2015年以来 before 以来 among them)."""
    from kaidan.extract.meetings.context import Context
    from kaidan.extract.meetings.triggers import trigger_words

    for text in TRIGGER_TEXTS:
        ctx = Context(text, reference, [], [], None, False)
        places = sorted({0, len(text)} | {m.end() for m in re.finditer("[、，,。]", text)} | set(range(0, len(text), 7)))
        for i, start in enumerate(places):
            for end in places[i:]:
                assert [m.span() for m in trigger_words(ctx, start, end)] == \
                    [m.span() for m in TRIGGER.finditer(text, start, end)], (text, start, end)
    assert [m.group() for m in trigger_words(ctx, 0, len(text))][:2] == ["会議", "対話"]


def test_find_triggers_of_a_range_are_the_range_scan_judged_word_by_word(reference):
    """find_triggers turns a range with none of the body's words down before asking anything:
    every range, those starting inside a word too, still gives the words TRIGGER.finditer finds
    in it that report a meeting."""
    from kaidan.extract.meetings.context import Context
    from kaidan.extract.meetings.triggers import _reports_meeting, find_triggers

    for text in TRIGGER_TEXTS:
        ctx = Context(text, reference, [], [], None, False)
        places = sorted({0, len(text)} | {m.end() for m in re.finditer("[、，,。]", text)} | set(range(0, len(text), 3)))
        for i, start in enumerate(places):
            for end in places[i:]:
                expected = [m.span() for m in TRIGGER.finditer(text, start, end) if _reports_meeting(text, m, ctx)]
                assert [m.span() for m in find_triggers(text, start, end, ctx)] == expected, (text, start, end)


# The other gated patterns of the meetings package, each with texts that open with a match, so
# that every character (or range) of its gate starts one.
GATED = [
    (NEW_MEETING, ["とも会談した", "先立ち", "先だって", "その後", "続いて", "次いで", "また同日", "さらに、同日"]),
    (SESSION, ["第3回", "5回目", "５回目", "初の会談"]),
    (REFERRING, ["今回の会談", "この協議", "同会合", "会談では", "協議で", "対話後"]),
    (CAPTION, ["＝10日、東京（共同）", "=(聯合ニュース)", "（写真）", "写真", "【写真】", "(外交部提供)"]),
]


@pytest.mark.parametrize("pattern, texts", GATED)
def test_every_character_of_a_gate_starts_a_match(pattern, texts):
    """Each gate lists no character (or range) that starts none of its pattern's matches."""
    gate = re.match(r"\(\?=\[([^\]]*)\]\)", pattern.pattern).group(1)
    assert all((m := pattern.search(text)) is not None and m.start() == 0 for text in texts)
    for item in re.findall(r".-.|.", gate):
        assert any(re.fullmatch(f"[{item}]", text[0]) for text in texts), item


@pytest.mark.parametrize("pattern", [pattern for pattern, _ in GATED])
def test_a_gate_finds_what_its_plain_pattern_finds_in_drawn_matches(pattern):
    """Matches drawn from each plain pattern, with characters of the pattern around: the gated
    pattern finds what the plain one does (a gate missing a first character fails)."""
    plain = _ungated(pattern)
    assert plain.pattern != pattern.pattern
    drawn = st.lists(st.from_regex(plain, alphabet=st.sampled_from(sorted(set(pattern.pattern) | set("、。")))),
                     min_size=1, max_size=6).map("".join)

    @settings(max_examples=300, derandomize=True, deadline=None)
    @given(drawn)
    def check(text):
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]

    check()

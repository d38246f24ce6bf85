"""Mentions: longest match at token boundaries, compounds, people resolved by role and date."""
import pytest


def ids(result, kind):
    return {m["id"] for m in result["mentions"] if m["kind"] == kind}


def test_offsets_slice_back_to_the_text(extract):
    body = "中国の王毅外相はモスクワでロシアのラブロフ外相と会談した。上海協力機構について協議した。"
    result = extract(body, "2025-07-10")
    assert result["mentions"]
    for m in result["mentions"]:
        assert body[m["start"]:m["end"]] == m["text"]


def test_a_name_inside_a_longer_word_does_not_count(extract):
    result = extract("彼は早稲田大学大学院を修了した。上海協力機構の首脳会議が開かれた。", "2017-03-24")
    assert "Tomomi Inada" not in ids(result, "person")
    assert ids(result, "forum") == {"SCO"}
    assert "Shanghai" not in ids(result, "place")


def test_compounds_expand_to_their_countries(extract):
    assert ids(extract("中ロが協議した。"), "country") == {"CHN", "RUS"}
    assert ids(extract("日米豪の防衛協力が進む。"), "country") == {"JPN", "USA", "AUS"}
    assert ids(extract("日中韓首脳会談が開かれた。"), "country") == {"JPN", "CHN", "KOR"}
    assert ids(extract("露外相が発言した。"), "country") == {"RUS"}


def test_language_and_translation_words_are_not_countries(extract):
    assert ids(extract("【中日対訳】日本語版の記事。"), "country") == set()


def test_a_mistranslated_title_resolves_by_family_name_and_context(extract):
    body = "中国国防省の李商務部長はロシアを訪問した。李は、ロシアのプーチン大統領と会談を行った。李大統領の訪問は注目された。"
    result = extract(body, "2023-04-20")
    people = [m for m in result["mentions"] if m["kind"] == "person"]
    assert {m["id"] for m in people} == {"Li Shangfu", "Vladimir Putin"}
    assert sum(1 for m in people if m["id"] == "Li Shangfu") == 3


def test_a_shared_family_name_resolves_by_role_and_date(extract):
    # 李首相 is Li Keqiang in 2015 and Li Qiang in 2024: the title and the article's date decide
    assert ids(extract("中国の李首相は会見した。", "2015-06-01"), "person") == {"Li Keqiang"}
    assert ids(extract("中国の李首相は会見した。", "2024-06-01"), "person") == {"Li Qiang"}


def test_anaphora_resolves_to_the_person_named_before(extract):
    result = extract("ロシアのラブロフ外相は会見した。同外相は協議について述べた。", "2025-01-10")
    people = [m["id"] for m in result["mentions"] if m["kind"] == "person"]
    assert people == ["Sergei Lavrov", "Sergei Lavrov"]


def test_unknown_names_before_a_title_are_kept_unresolved(extract):
    result = extract("ザルガリアン外相は北京で記者団に語った。", "2025-01-10")
    unresolved = {m["id"] for m in result["mentions"] if m["kind"] == "unresolved_person"}
    assert unresolved == {"ザルガリアン"}


def test_topic_expressions_do_not_hide_country_names(extract):
    result = extract("ウクライナ危機について意見を交換した。", "2025-01-10")
    assert ids(result, "topic") == {"ukraine"}
    assert ids(result, "country") == {"UKR"}


def test_both_sides_resolve_to_the_countries_the_article_is_about(extract):
    result = extract("中国とロシアは会談した。中国とロシアの関係は深い。両国は合意した。", "2025-01-10")
    sides = {m["id"] for m in result["mentions"] if m["resolution"] == "context"}
    assert sides == {"CHN", "RUS"}


def test_forums_outside_the_codebook_are_organisations(extract):
    result = extract("独立国家共同体(CIS)と上海協力機構の会合。", "2020-09-05")
    assert ids(result, "forum") == {"SCO"}
    assert "CIS" in ids(result, "organisation")


def test_people_imply_their_country(extract):
    assert "JPN" in ids(extract("岸田文雄首相は李強首相と会談した。", "2024-05-27"), "country")


@pytest.mark.parametrize("body, expected", [
    ("会見は日本時間の午後に始まった。", set()),                     # a time zone
    ("インド太平洋の平和が話題になった。", set()),                   # a region
    ("艦隊がインド洋を航行した。", set()),                           # an ocean
    ("漁船が日本海で操業した。", set()),                             # a sea
    ("マレーシア航空の便が欠航した。", set()),                       # an airline
    ("ロシア海軍の艦船が寄港した。", {"RUS"}),                       # a navy is the country's
    ("インドとの協議が続いた。", {"IND"}),
    ("2025年6月3日米中の協議が再開した。", {"USA", "CHN"}),          # 日 ends the date, not 日米中
    ("日米中の3カ国が協議した。", {"JPN", "USA", "CHN"}),
])
def test_a_name_that_begins_another_noun_is_not_the_country(extract, body, expected):
    assert ids(extract(body), "country") == expected


@pytest.mark.parametrize("body, published, person", [
    ("韓国のユン・ソンニョル大統領が来日した。", "2023-03-16", "Yoon Suk Yeol"),      # NHK's katakana
    ("韓国の尹錫悦(ユン・ソクヨル)大統領が来日した。", "2023-03-16", "Yoon Suk Yeol"),  # hanja, Yonhap's reading
    ("ユン・ソギョル氏に祝意を伝えた。", "2022-03-11", "Yoon Suk Yeol"),              # the spelling of early 2022
    ("トルコのチャウシュオール外相が会見した。", "2022-03-08", "Mevlut Cavusoglu"),
    ("トルコのエルドアン大統領が仲介した。", "2022-03-08", "Recep Tayyip Erdogan"),
    ("ベセント米財務長官が述べた。", "2025-05-12", "Scott Bessent"),
    ("韓国の李在明大統領が訪日した。", "2025-08-23", "Lee Jae-myung"),
    ("韓国の呂翰九通商交渉本部長が訪米した。", "2025-07-20", "Yeo Han-koo"),
])
def test_names_in_the_spellings_japanese_outlets_use(extract, body, published, person):
    assert person in ids(extract(body, published), "person")


# A title after a country, with no name, is the one holder of that office on the article's date;
# unknown date, an office that just changed hands, a compound or a sentence about another time: none.
@pytest.mark.parametrize("body, published, expected", [
    ("韓国外相が来日した。", "2023-08-16", {"Park Jin"}),
    ("中国の国防相は会見で述べた。", "2023-08-16", {"Li Shangfu"}),
    ("米国務長官は北京を訪れた。", "2023-08-16", {"Antony Blinken"}),
    ("トルコを訪れた林外相は、同国外相と会談した。", "2023-08-16", {"Yoshimasa Hayashi", "Hakan Fidan"}),
    ("韓国外相が来日した。", None, set()),                                  # no date: no holder
    ("中国の国防相は会見で述べた。", "2023-03-20", set()),                  # appointed days before
    ("日韓外相会談が開かれた。", "2023-08-16", set()),                      # a compound: both offices
    ("日本の首相と中国主席の会談は2011年以来となる。", "2014-11-10", set()),  # another time
    ("韓国の外相経験者が述べた。", "2023-08-16", set()),                    # the title begins a word
])
def test_a_title_by_office_resolves_to_its_holder_on_the_date(extract, body, published, expected):
    assert ids(extract(body, published), "person") == expected


@pytest.mark.parametrize("body, expected", [
    ("両首脳は元徴用工問題の解決策について意見を交わした。", {"japan"}),
    ("会談では処理水の海洋放出が取り上げられた。", {"japan"}),
    ("両外相は地域の安全保障について話し合った。", set()),                  # no region named
    ("両首脳はインド太平洋の安全保障で協力を確認した。", {"asia_pacific"}),
    ("記事の転載は情報の伝達のみを目的とし、投資の助言を構成するものではありません。", set()),  # a site notice
])
def test_topics_from_what_the_talks_treat(extract, body, expected):
    assert ids(extract(body, "2023-05-10"), "topic") == expected


@pytest.mark.parametrize("text", [
    "中国の王毅外相はモスクワでロシアのラブロフ外相と会談した。",
    "徳島（とくしま）で、すごーーーい会談が\u200bあった。\n\n次の文。",
    "ｶﾞｽﾌﾟﾛﾑ ① ㍻ \ufeff日本 \t 日 本 A\u0301B 😀中 ﾜﾝ･ｲｰ\r\n",
    "長い文" * 900 + "。",  # longer than one SudachiPy call: cut into chunks
])
def test_token_ends_read_from_the_next_start_match_each_tokens_own_end(text):
    from kaidan.extract.mentions import TOKEN_LIMIT, thread_tokenizer, tokenize
    from kaidan.extract.sentences import split_sentences

    spans = split_sentences(text)
    tokenizer, _ = thread_tokenizer()
    ends = {c + m.end() for s, e in spans for c in range(s, e, TOKEN_LIMIT)
            for m in tokenizer.tokenize(text[c:min(e, c + TOKEN_LIMIT)])}
    assert {pos for pos, end in enumerate(tokenize(text, spans).ends) if end} == ends


def test_spans_answer_as_a_scan_of_every_span_would():
    from hypothesis import given, settings, strategies as st

    from kaidan.extract.mentions import Spans

    span = st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda p: (p[0], p[0] + p[1]))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(st.booleans(), span), max_size=30))
    def check(steps):
        kept, spans = [], Spans()
        for is_query, (start, end) in steps:
            if is_query:
                assert spans.overlaps(start, end) == any(s < end and start < e for s, e in kept)
            else:
                kept.append((start, end))
                spans.add(start, end)
        for point in range(50):  # one character at each place: inside a span or not
            assert spans.overlaps(point, point + 1) == any(s <= point < e for s, e in kept)

    check()


def test_each_alias_answers_kept_by_pattern_agree_with_its_entries(reference):
    """The scan reads an alias's people, kinds and form by its pattern index: every index must
    answer what the alias's own entries say."""
    from kaidan.extract.mentions import matcher

    m = matcher(reference)
    assert m.aliases.layers == (m.entities, m.topics, m.family)
    for k, layer in enumerate(m.aliases.layers):
        assert len(layer.table) == len(layer.entries) == len(layer.people) == len(layer.names_place)
        for surface, entries in layer.table.items():
            # the pattern the automaton reports to the layer for the whole alias
            [pattern] = [p for p, start, end in m.aliases.matches(surface)[k] if (start, end) == (0, len(surface))]
            kinds = {kind for kind, _ in entries}
            assert layer.entries[pattern] == entries
            assert layer.people[pattern] == [ident for kind, ident in entries if kind == "person"]
            assert layer.places_only[pattern] == (kinds <= {"country", "place"})
            assert layer.names_place[pattern] == ("place" in kinds)
            assert layer.ascii_words[pattern] == (surface.isascii() and any(ch.isalnum() for ch in surface))


@pytest.mark.parametrize("body, expected", [
    ("中国とロシアは会談した。両国防相は合意した。", [("両国", 2), ("両国防相", 2)]),  # one word inside another
    ("中国とロシアは会談した。両国、両国。", [("両国", 4)]),                          # each occurrence
    ("中国は会談した。両国は合意した。", []),                                        # one country: no sides
])
def test_sides_words_are_found_at_every_occurrence(extract, body, expected):
    rows = [m for m in extract(body, "2025-01-10")["mentions"] if m["resolution"] == "context"]
    counts = {}
    for m in rows:
        counts[m["text"]] = counts.get(m["text"], 0) + 1
    assert sorted(counts.items()) == sorted(expected)

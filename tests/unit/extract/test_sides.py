"""Sides and participants of a meeting: the countries that take part, not those discussed."""
import pytest

SIDES = [
    # talks about a third country: the third country is not a side
    ("日本の岸田首相は5日、東京で米国のバイデン大統領と会談し、日米中の関係について協議した。",
     ["JPN", "USA"]),
    ("韓国の尹錫悦大統領は2日、岸田首相と電話会談し、韓米日が一致して北朝鮮に対応することで一致した。",
     ["JPN", "KOR"]),
    ("中国の王毅外相は3日、北京でロシアのラブロフ外相と会談し、米国の対中政策を批判した。",
     ["CHN", "RUS"]),
    # a pair word written on the meeting itself names every side
    ("岸田首相とバイデン大統領、尹錫悦大統領は18日、キャンプデービッドで日米韓首脳会談を行った。",
     ["JPN", "KOR", "USA"]),
    # no people named: the parties the clause writes
    ("ロシアとウクライナの代表団による協議が16日、イスタンブールで始まった。", ["RUS", "UKR"]),
    ("ロシアとウクライナの直接交渉が16日、イスタンブールで行われた。", ["RUS", "UKR"]),
    ("ジュネーブで10日に行われた米国と中国の閣僚級協議では、関税の引き下げで合意した。", ["CHN", "USA"]),
    # the pair the meeting is written with, not the one a later clause discusses
    ("韓国の尹錫悦大統領は2日、石破首相と電話会談し、韓日と韓米日が一致して対応することで一致した。", ["JPN", "KOR"]),
]


@pytest.mark.parametrize("body, countries", SIDES)
def test_sides_are_the_countries_that_take_part(extract, body, countries):
    rows = extract(body, "2023-08-20")["meetings"]
    assert rows and rows[0]["countries"] == countries


TAKES_PART = [
    # a name written onto a noun qualifies it: nobody of that name takes part
    ("米中の高官協議が10日、ジュネーブで開かれ、トランプ関税への対応を話し合った。", "2025-05-12", "Donald Trump", False),
    ("日中外相会談が北京で3日に開かれ、習近平体制の外交方針が議題となった。", "2025-05-12", "Xi Jinping", False),
    # a name goes on with a title, even a long one or one after a country's short form
    ("中国の王毅外相は19日、インドのドバル国家安全保障担当補佐官と国境問題を協議した。", "2022-03-11", "Ajit Doval", True),
    ("ラブロフ露外務大臣は10日、アンタルヤでクレバ外相と会談した。", "2022-03-11", "Sergei Lavrov", True),
]


@pytest.mark.parametrize("body, published, person, takes_part", TAKES_PART)
def test_a_name_with_a_title_takes_part_a_name_on_a_noun_does_not(extract, body, published, person, takes_part):
    rows = extract(body, published)["meetings"]
    assert rows
    if takes_part:
        assert person in rows[0]["participants"]
    else:
        assert all(person not in r["participants"] for r in rows)


def test_both_leaders_are_the_two_of_the_meeting_not_the_host(extract):
    body = ("ロシアのプーチン大統領は22日、カザンで首脳会議を主催した。"
            "中国の習近平国家主席とインドのモディ首相が23日、カザンで会談した。"
            "両首脳の会談は2019年以来となる。")
    rows = extract(body, "2024-10-24")["meetings"]
    assert [sorted(r["countries"]) for r in rows] == [["CHN", "IND"], ["CHN", "IND"]]
    assert all("Vladimir Putin" not in r["participants"] for r in rows)


LISTED = [
    # one trigger, several dates: a meeting for each
    ("トルコのエルドアン大統領は先月20日や今月4日にプーチン大統領と電話会談を行った。", "2022-03-08",
     ["2022-02-20", "2022-03-04"]),
    ("習近平国家主席とバイデン大統領は5月と8月に電話会談した。", "2021-10-01", ["2021-05", "2021-08"]),
]


@pytest.mark.parametrize("body, published, dates", LISTED)
def test_a_list_of_dates_is_a_meeting_for_each(extract, body, published, dates):
    rows = extract(body, published)["meetings"]
    assert sorted(r["date"] for r in rows) == dates
    assert all(r["mode"] == "phone" and len(r["participants"]) == 2 for r in rows)


HOPED_FOR = [
    "来週の国際会議に合わせて、インドのモディ首相と中国の習近平国家主席の首脳会談が実現する可能性もある。",
    "韓国の外相は日本の外相に会談の早期開催を提案した。",
    "政府は中国の習近平国家主席と岸田首相の首脳会談の実現を模索している。",
]


@pytest.mark.parametrize("body", HOPED_FOR)
def test_a_meeting_only_hoped_for_is_not_recorded(extract, body):
    assert extract(body, "2024-10-10")["meetings"] == []


def test_a_meeting_held_under_another_name_is_recorded(extract):
    body = "中国の王毅外相とインドのドバル国家安全保障担当補佐官は18日、北京で国境問題に関する特別代表会議を開いた。"
    rows = extract(body, "2024-12-19")["meetings"]
    assert [(r["countries"], r["date"], r["city"]) for r in rows] == [(["CHN", "IND"], "2024-12-18", "Beijing")]


def test_also_met_with_its_own_subject_takes_no_one_from_the_meeting_before(extract):
    body = "岸田首相は16日、リマで中国の習近平国家主席と会談したほか、17日には韓国の尹錫悦大統領とも会談した。"
    rows = extract(body, "2023-11-18")["meetings"]
    assert [(r["countries"], r["participants"]) for r in rows] == [
        (["CHN", "JPN"], ["Fumio Kishida", "Xi Jinping"]), (["JPN", "KOR"], ["Fumio Kishida", "Yoon Suk Yeol"])]


STAMPS = [
    # a page's date stamp opening the body is the page's, not the meeting's
    ("date 2025-09-11 米中の国防相が電話会談した。", None),
    ("更新日：2025-09-11 米中の国防相が電話会談した。", None),
    # a lead's date set off by a comma dates what follows
    ("2025年9月10日、中国の王毅外相は北京でロシアのラブロフ外相と会談した。", "2025-09-10"),
]


@pytest.mark.parametrize("body, date", STAMPS)
def test_a_pages_date_stamp_is_not_the_meetings_date(extract, body, date):
    rows = extract(body, "2025-09-11")["meetings"]
    assert rows and rows[0]["date"] == date


def test_a_summit_the_ministers_speak_of_is_not_their_meeting(extract):
    body = ("中国の王毅外相は18日、インドのジャイシャンカル外相とニューデリーで会談した。"
            "王氏はジャイシャンカル氏に対し、2024年の中印首脳会談で両国関係が改善したと指摘した。")
    rows = extract(body)["meetings"]  # no article date: the 18th stays open
    main = [r for r in rows if r["reported_as"] == "main"]
    assert [(r["participants"], r["date"]) for r in main] == [(["Wang Yi", "S. Jaishankar"], None)]


def test_a_spokesperson_announcing_talks_takes_no_part(extract):
    body = "ロシア外務省のザハロワ報道官は、ラブロフ外相とウクライナのクレバ外相の会談が10日に行われると明らかにした。"
    rows = extract(body, "2022-03-08")["meetings"]
    assert [(r["countries"], r["participants"]) for r in rows] == [(["RUS", "UKR"], ["Sergei Lavrov", "Dmytro Kuleba"])]


def test_a_host_who_takes_part_joins_the_talks_as_a_side(extract):
    body = ("ウクライナのクレバ外相は10日、トルコでロシアのラブロフ外相と会談する。"
            "トルコのチャブシオール外相も加わり、アンタルヤでクレバ外相とラブロフ外相の三者会談となる。")
    rows = extract(body, "2022-03-08")["meetings"]
    assert [(r["countries"], r["city"], r["date"]) for r in rows] == [(["RUS", "TUR", "UKR"], "Antalya", "2022-03-10")]
    assert sorted(rows[0]["participants"]) == ["Dmytro Kuleba", "Mevlut Cavusoglu", "Sergei Lavrov"]


JOINED = [
    # (why, body, participants, countries)
    ("one office after two countries is each one's holder",
     "ロシアとウクライナの外相は10日、トルコのアンタルヤで会談した。",
     ["Dmytro Kuleba", "Sergei Lavrov"], ["RUS", "UKR"]),
    ("a host who sits in makes the talks three-sided",
     "ロシアとウクライナの外相は10日、トルコのアンタルヤで会談した。会談にはトルコのチャブシオール外相が同席し、三者会談の形で行われた。",
     ["Dmytro Kuleba", "Sergei Lavrov", "Mevlut Cavusoglu"], ["RUS", "TUR", "UKR"]),
    ("a minister sitting in on the leaders' talks",
     "習近平国家主席は10日、北京でプーチン大統領と会談した。会談には王毅外相も同席した。",
     ["Xi Jinping", "Vladimir Putin", "Wang Yi"], ["CHN", "RUS"]),
    ("a mediator who is not said to sit in is no side",
     "ロシアとウクライナの外相は10日、トルコのアンタルヤで会談した。会談ではトルコのチャブシオール外相の発言が話題になった。",
     ["Dmytro Kuleba", "Sergei Lavrov"], ["RUS", "UKR"]),
]


@pytest.mark.parametrize("why, body, participants, countries", JOINED, ids=[case[0] for case in JOINED])
def test_who_sits_in_on_the_talks(extract, why, body, participants, countries):
    rows = extract(body, "2022-03-11")["meetings"]
    assert [(r["participants"], r["countries"]) for r in rows] == [(participants, countries)]


ONE_BY_ONE = [
    # (why, body, participants of each row)
    ("met one after the other", "中国の王毅外相は2日、モスクワでロシアのラブロフ外相、ショイグ安全保障会議書記と相次いで会談した。",
     [["Wang Yi", "Sergei Lavrov"], ["Wang Yi", "Sergei Shoigu"]]),
    ("met together", "中国の王毅外相は2日、モスクワでロシアのラブロフ外相、ショイグ安全保障会議書記と会談した。",
     [["Wang Yi", "Sergei Lavrov", "Sergei Shoigu"]]),
    ("two on each side, each meeting their counterpart, is one 2+2",
     "岸田外相と小野寺防衛相は2日、東京でラブロフ外相、ショイグ国防相とそれぞれ協議した。",
     [["Fumio Kishida", "Itsunori Onodera", "Sergei Lavrov", "Sergei Shoigu"]]),
]


@pytest.mark.parametrize("why, body, participants", ONE_BY_ONE, ids=[case[0] for case in ONE_BY_ONE])
def test_one_after_the_other_is_a_meeting_each(extract, why, body, participants):
    rows = extract(body, "2025-12-03")["meetings"]
    assert [r["participants"] for r in rows] == participants
    assert all(r["date"] == rows[0]["date"] for r in rows)

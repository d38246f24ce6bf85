"""Meetings: triggers, sides, dates at the precision the text supports, main and background."""
import pytest


def only(meetings):
    assert len(meetings) == 1, meetings
    return meetings[0]


def test_a_reported_meeting_has_its_sides_people_place_and_date(extract):
    m = only(extract("中国の王毅外相は2日、モスクワでロシアのラブロフ外相と会談した。", "2025-12-03")["meetings"])
    assert m["countries"] == ["CHN", "RUS"]
    assert m["participants"] == ["Wang Yi", "Sergei Lavrov"]
    assert (m["city"], m["host_country"], m["mode"]) == ("Moscow", "RUS", "in_person")
    assert (m["date"], m["date_precision"], m["date_text"]) == ("2025-12-02", "day", "2日")
    assert (m["reported_as"], m["status"]) == ("main", "held")


def test_without_an_anchor_the_day_stays_open(extract):
    m = only(extract("中国の王毅外相は2日、モスクワでロシアのラブロフ外相と会談した。")["meetings"])
    assert m["date"] is None and m["date_text"] == "2日"


def test_phone_and_video_have_no_city(extract):
    phone = only(extract("習近平国家主席は28日、プーチン大統領と電話会談した。", "2020-12-29")["meetings"])
    assert (phone["mode"], phone["city"], phone["series"]) == ("phone", None, "summit")
    video = only(extract("プーチン大統領と習近平国家主席は28日、ビデオ形式で会談した。", "2021-06-28")["meetings"])
    assert video["mode"] == "video"


def test_several_sentences_about_one_meeting_make_one_row(extract):
    body = ("中国の王毅外相は10日、クアラルンプールでロシアのラブロフ外相と会談した。"
            "会談では、イラン核問題についても意見交換が行われた。ラブロフ外相は立場を説明した。")
    m = only(extract(body, "2025-07-11")["meetings"])
    assert len(m["sentences"]) >= 2
    assert m["evidence_start"] == 0


def test_also_met_is_another_meeting_with_the_same_subject(extract):
    body = ("中国の王毅外相は2日、モスクワでロシアのラブロフ外相と会談した。"
            "王氏はロシアのショイグ安全保障会議書記とも会談した。")
    rows = extract(body, "2025-12-03")["meetings"]
    assert [r["participants"] for r in rows] == [["Wang Yi", "Sergei Lavrov"], ["Wang Yi", "Sergei Shoigu"]]
    assert [r["reported_as"] for r in rows] == ["main", "background"]
    assert rows[1]["date"] == "2025-12"  # same trip, day unstated


def test_a_numbered_round_and_its_earlier_round(extract):
    body = ("楊潔チ国務委員は15日、モスクワでロシアのパトルシェフ安全保障会議書記と第9回戦略安全保障協議を行った。"
            "2012年には第8回会合が北京で開かれた。")
    rows = extract(body, "2013-08-16")["meetings"]
    assert [(r["session"], r["date"], r["city"]) for r in rows] == [(9, "2013-08-15", "Moscow"), (8, "2012", "Beijing")]
    assert {r["series"] for r in rows} == {"china_russia_strategic_security_consultation"}


def test_since_names_an_earlier_meeting(extract):
    body = "日本の安倍首相は10日、北京で中国の習近平国家主席と会談した。日本の首相と中国主席の会談は11年12月以来。"
    rows = extract(body, "2014-11-11")["meetings"]
    assert [(r["date"], r["reported_as"]) for r in rows] == [("2014-11-10", "main"), ("2011-12", "background")]


def test_a_background_meeting_needs_its_year_or_round(extract):
    body = "中国の王毅外相は2日、モスクワでロシアのラブロフ外相と会談した。両国の首脳は以前に電話会談を行った。"
    assert len(extract(body, "2025-12-03")["meetings"]) == 1


def test_exercises_statements_and_forum_summits_are_not_meetings(extract):
    assert extract("中ロ両軍は日本海で合同演習を実施した。", "2025-01-10")["meetings"] == []
    assert extract("G20首脳会議が開幕した。", "2025-01-10")["meetings"] == []
    assert extract("ロシアのラブロフ外相は記者会見で述べた。", "2025-01-10")["meetings"] == []
    assert extract("両国首脳は年内に3回会談した。", "2025-01-10")["meetings"] == []


def test_a_planned_meeting_is_scheduled(extract):
    m = only(extract("フランスのマクロン大統領は今週中国を訪問し、習近平国家主席と会談する見通しだ。", "2025-12-04")["meetings"])
    assert m["status"] == "scheduled" and m["host_country"] == "CHN" and m["series"] == "summit"


def test_a_date_of_another_event_is_not_the_meetings(extract):
    body = "日ロ2プラス2が20日、東京で開かれ、岸田外相とラブロフ外相が出席した。2014年3月のクリミア併合後、初めてだ。"
    rows = extract(body, "2017-03-21")["meetings"]
    assert [r["date"] for r in rows] == ["2017-03-20"]
    assert rows[0]["series"] == "japan_russia_2plus2"


def test_a_repost_anchors_on_the_original_articles_date(extract):
    body = "今週初め、中国国防省の李部長はロシアを訪問した。李はプーチン大統領と会談を行った。\n2023/4/20 RIAC記事より"
    m = only(extract(body, "2023-05-08")["meetings"])
    assert m["date"] == "2023-04" and m["participants"] == ["Li Shangfu", "Vladimir Putin"]


# Where a meeting took place: a city, a building the gazetteer places in a city, a reading in
# brackets between the name and で, a caption's ＝place; never a building's voice or a city
# written for something else.
@pytest.mark.parametrize("body, city, host", [
    ("岸田首相は10日、首相官邸で韓国の尹錫悦大統領と会談した。", "Tokyo", "JPN"),
    ("岸田首相は10日、韓国の尹錫悦大統領と官邸で会談した。", "Tokyo", "JPN"),
    ("バイデン大統領は10日、ホワイトハウスで岸田首相と会談した。", "Washington", "USA"),
    ("習近平国家主席は10日、人民大会堂でロシアのプーチン大統領と会談した。", "Beijing", "CHN"),
    ("プーチン大統領は10日、クレムリンで中国の王毅外相と会談した。", "Moscow", "RUS"),
    ("林外相は10日、飯倉公館でオーストラリアのウォン外相と会談した。", "Tokyo", "JPN"),
    ("バイデン大統領は10日、釜山（プサン）で習近平国家主席と会談した。", "Busan", "KOR"),
    ("ロシア(ウラジオストク)訪問中の林外相は10日、韓国の朴振外相と会談した。", "Vladivostok", "RUS"),
    ("日豪外相会談に臨む林外相とウォン外相=10日、飯倉公館", "Tokyo", "JPN"),
    ("ミュンヘン安全保障会議に出席中の林外相は10日、韓国の朴振外相と会談した。", "Munich", "DEU"),
    ("シャングリラ会合の際、中国の董軍国防相はオースティン米国防長官と会談した。", "Singapore", "SGP"),
    ("バイデン大統領はホワイトハウスの声明で、習近平国家主席との会談について説明した。", None, None),
    ("ネタニヤフ首相の官邸で、ブリンケン米国務長官は首相と会談した。", None, None),
])
def test_the_place_of_a_meeting(extract, body, city, host):
    rows = extract(body, "2023-03-16")["meetings"]
    assert rows
    assert (rows[0]["city"], rows[0]["host_country"]) == (city, host)


# --- dates (issue 12): anchors, tense, dates of other things, date_basis ----------------------------

@pytest.mark.parametrize(("body", "published", "dates"), [
    # a date in a clause that modifies a noun dates that clause, not the talks
    ("王毅外相は5日、3日に着任したロシアのラブロフ外相と北京で会談した。", "2025-12-06", ["2025-12-05"]),
    # the announcement's date is not the meeting's; the meeting's own day is read ahead
    ("中国外務省は6日、王毅外相が10日にモスクワでロシアのラブロフ外相と会談すると発表した。", "2025-12-07",
     ["2025-12-10"]),
    # a past day cannot date a meeting the clause says is still ahead
    ("中国の王毅外相は昨日、ロシアのラブロフ外相と会談することを明らかにした。", "2025-12-07", [None]),
    # the day of a press conference about a call is not the call's
    ("ロシアのラブロフ外相は8日の記者会見で、中国の王毅外相との電話会談について説明した。", "2025-12-09", [None]),
    # the start of a trip is not the day of talks held during it
    ("中国の王毅外相は18日からロシアを訪問し、ラブロフ外相と会談する。", "2025-12-17", [None]),
    # a headline's 来月7日 and a later 7日 of a scheduled meeting are the same day
    ("王毅外相、来月7日にロシアのラブロフ外相と会談へ\n中国の王毅外相は7日、モスクワでロシアのラブロフ外相と会談する予定だ。",
     "2021-12-15", ["2022-01-07"]),
])
def test_the_meetings_date_is_its_own(extract, body, published, dates):
    assert [m["date"] for m in extract(body, published)["meetings"]] == dates


@pytest.mark.parametrize(("since", "date"), [
    ("2019年4月以来、6年ぶり", "2025"),     # exact years: the year, not the month
    ("2019年4月以来、約6年ぶり", None),     # approximate: nothing
    ("2019年4月以来、6年余りぶり", None),
])
def test_a_since_phrase_anchors_only_what_it_states(extract, since, date):
    body = f"中国の王毅外相は10日、北京でロシアのラブロフ外相と会談した。北京での両外相の会談は{since}。"
    main = [m for m in extract(body)["meetings"] if m["reported_as"] == "main"]
    assert [m["date"] for m in main] == [date]


def test_date_basis_names_the_words_and_the_anchor(extract):
    rows = extract("中国の王毅外相は2日、モスクワでロシアのラブロフ外相と会談した。", "2025-12-03")["meetings"]
    assert [r["date_basis"] for r in rows] == ["2日 + published 2025-12-03"]
    chained = extract("中国の王毅外相は1日、モスクワに到着した。同日、王氏はロシアのラブロフ外相と会談した。",
                      "2025-12-03")["meetings"]
    assert [(r["date"], r["date_basis"]) for r in chained] == [("2025-12-01", "同日 → 2025-12-01 (from 1日)")]
    written = extract("中国の王毅外相は2024年5月2日、モスクワでロシアのラブロフ外相と会談した。")["meetings"]
    assert [r["date_basis"] for r in written] == ["2024年5月2日"]
    undated = extract("中国の王毅外相はモスクワでロシアのラブロフ外相と会談した。", "2025-12-03")["meetings"]
    assert [r["date_basis"] for r in undated] == [None]


@pytest.mark.parametrize(("body", "dates"), [
    # "N日、" before talks reported in a statement dates the statement
    ("ロシア外務省は10日、ラブロフ外相が中国の王毅外相と電話会談したと明らかにした。", [None]),
    ("ロシア外務省は10日、ラブロフ外相が9日に中国の王毅外相と電話会談したと発表した。", ["2025-12-09"]),
    # talks and what was said in them share the date
    ("ロシアのラブロフ外相は10日、中国の王毅外相と電話会談し、協力の強化を確認したと述べた。", ["2025-12-10"]),
])
def test_a_statement_about_talks_is_not_dated_by_them(extract, body, dates):
    assert [m["date"] for m in extract(body, "2025-12-11")["meetings"]] == dates


# --- one meeting, one row; counts of meetings are not meetings or rounds --------------------

COUNT_CASES = [
    # (why, body, published, the one row's session)
    ("a count of meetings in a year", "林芳正外相は19日、韓国の朴振外相と会談した。両外相の会談はここ1年で5回目。",
     "2023-02-20", None),
    ("meetings so far", "上川陽子外相は10日、韓国の趙兌烈外相と会談した。両外相はこれまでに3度会談している。",
     "2024-07-11", None),
    ("last year's total", "中国の王毅外相は12日、ロシアのラブロフ外相と電話会談した。両外相は昨年、計7回会談した。",
     "2024-03-13", None),
    ("the first meeting of these two", "上川陽子外相は10日、韓国の趙兌烈外相と会談した。両外相による初の会談となった。",
     "2024-07-11", None),
    ("the leaders' fortieth meeting", "中国の習近平国家主席は8日、ロシアのプーチン大統領と会談した。両首脳の会談は40回目となった。",
     "2024-05-09", None),
    ("a round written 第N回 without a named series",
     "浜田靖一防衛相は9日、東京でオーストラリアのマールズ国防相と第10回日豪外務・防衛閣僚協議を開いた。", "2022-12-10", 10),
    ("the Nth of a named series is its round",
     "中国の王毅氏は2日、モスクワでロシアのショイグ安全保障会議書記と中ロ戦略安全保障協議を行った。協議は今回で20回目。",
     "2025-12-03", 20),
]


@pytest.mark.parametrize("why, body, published, session", COUNT_CASES, ids=[case[0] for case in COUNT_CASES])
def test_counts_of_meetings_are_neither_meetings_nor_rounds(extract, why, body, published, session):
    m = only(extract(body, published)["meetings"])
    assert m["session"] == session
    assert m["reported_as"] == "main"


FOLD_CASES = [
    # (why, body, published, date, status)
    ("a planned meeting in the headline, the lead and a later sentence",
     "上川外相、趙外相と会談へ\n上川陽子外相は来週、韓国の趙兌烈外相と会談する。上川外相は15日にソウルを訪れ、趙外相と会う予定だ。",
     "2024-07-11", "2024-07-15", "scheduled"),
    ("a held meeting and what was said at it",
     "中国の王毅外相は10日、クアラルンプールでロシアのラブロフ外相と会談した。両外相は会談で協力の強化を確認した。",
     "2025-07-11", "2025-07-10", "held"),
]


@pytest.mark.parametrize("why, body, published, date, status", FOLD_CASES, ids=[case[0] for case in FOLD_CASES])
def test_sentences_about_one_meeting_fold_into_one_row(extract, why, body, published, date, status):
    m = only(extract(body, published)["meetings"])
    assert (m["date"], m["status"]) == (date, status)
    assert len(m["sentences"]) >= 2

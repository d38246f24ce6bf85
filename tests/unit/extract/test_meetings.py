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
    ("岸田首相は10日、東京・元赤坂の迎賓館で韓国の尹錫悦大統領と会談した。", "Tokyo", "JPN"),  # a district after the city
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


@pytest.mark.parametrize(("body", "dates"), [
    # a two-digit year in the trigger's clause dates the meeting
    ("王毅外相は2022年に初めてラブロフ外相と会談した。両外相は24年に北京で再び会談した。", ["2022", "2024"]),
    # one in a clause of its own (…したことを受け, 会談で、…) dates that clause, not the talks
    ("王毅外相は2022年5月3日、北京でラブロフ外相と会談した。21年に米国が中ロ両国に制裁を科したことを受け、"
     "中ロ外相の会談は注目された。", ["2022-05-03"]),
    ("王毅外相は2022年5月3日、北京でラブロフ外相と会談した。王氏は会談で、21年に中ロ国境の周辺地域で起きた事故に触れた。",
     ["2022-05-03"]),
])
def test_a_two_digit_year_dates_talks_in_its_clause(extract, body, dates):
    assert [m["date"] for m in extract(body)["meetings"]] == dates


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


# --- words that name a meeting that is not one (issue 12) ------------------------------------

NOT_MEETINGS = [
    # (why, body)
    ("a forum's summit, its name read as one", "インドのモディ首相と中国の習近平国家主席は来月、BRICS首脳会議に臨む。"),
    ("attending a forum", "来月ブラジルで開かれるBRICS首脳会議には、インドのモディ首相と中国の習近平国家主席が出席する。"),
    ("talks put off", "中国の王毅外相とロシアのラブロフ外相の会談は来月に持ち越しとなった。"),
    ("talks called off", "予定されていた日中外相会談は中止された。"),
    ("talks postponed", "岸田首相と韓国の尹錫悦大統領の首脳会談は延期された。"),
    ("a kind of talks in a list", "ゼレンスキー大統領は、プーチン大統領との首脳会談を含め、あらゆる選択肢を排除しないと述べた。"),
    ("a habit of exchanging views", "中国の王毅外相とロシアのラブロフ外相は定期的に意見交換を行っている。"),
]


@pytest.mark.parametrize("why, body", NOT_MEETINGS, ids=[case[0] for case in NOT_MEETINGS])
def test_words_of_a_meeting_that_did_not_take_place(extract, why, body):
    assert extract(body, "2024-10-10")["meetings"] == []


HELD_ALL_THE_SAME = [
    # (why, body): the same words around a meeting that did take place
    ("a conclusion carried over", "中国の王毅外相は10日、ロシアのラブロフ外相と会談したが、結論は持ち越した。"),
    ("ministers attending a bilateral forum", "日ロ2プラス2には、岸田外相、浜田防衛相とラブロフ外相、ショイグ国防相が出席した。"),
    ("talks on the sidelines of a forum", "中国の王毅外相は10日、ASEAN外相会議に合わせてロシアのラブロフ外相と会談した。"),
]


@pytest.mark.parametrize("why, body", HELD_ALL_THE_SAME, ids=[case[0] for case in HELD_ALL_THE_SAME])
def test_the_same_words_beside_a_meeting_that_took_place(extract, why, body):
    assert len(extract(body, "2024-10-11")["meetings"]) == 1


# --- one meeting or two: photos, "also on the same day", earlier and next rounds ---------------

SEPARATE_CASES = [
    # (why, body, published, [(date, reported_as, city)] in row order)
    ("a dated photo of earlier talks beside today's",
     "昨年11月にリマで会談したときの岩屋外相(右)と趙長官(外交部提供)=(聯合ニュース)\n"
     "韓国の趙兌烈外交部長官は13日、ソウルで日本の岩屋毅外相と会談した。",
     "2025-01-14", [("2024-11", "background", "Lima"), ("2025-01-13", "main", "Seoul")]),
    ("a file photo's year against a day the text leaves open",
     "2022年の日豪外相会談=東京都港区の飯倉公館(代表撮影)\n林芳正外相は9月5日にオーストラリアのウォン外相と会談する。",
     None, [("2022", "background", "Tokyo"), (None, "main", None)]),
    ("a second meeting on the same day",
     "林外相と浜田防衛相は9日、東京でオーストラリアのウォン外相、マールズ国防相と日豪2プラス2を開く。"
     "また、同日、林外相とウォン外相の間で日豪外相会談が行われる。",
     "2022-12-02", [("2022-12-09", "main", "Tokyo"), ("2022-12-09", "background", None)]),
    ("an earlier meeting named as the subject of 以来",
     "米国のバイデン大統領は28日、中国の習近平国家主席と電話会談した。両首脳の直接対話は3月以来となる。",
     "2022-07-29", [("2022-07-28", "main", None), ("2022-03", "background", None)]),
    ("an earlier round named by 同会議",
     "中国の王毅外相とインドのドバル国家安全保障担当補佐官は18日、北京で特別代表会議を開いた。同会議の開催は2019年以来。",
     "2024-12-19", [("2024-12-18", "main", "Beijing"), ("2019", "background", None)]),
    ("the next round, agreed at this one",
     "中国の王毅外相とインドのドバル国家安全保障担当補佐官は18日、北京で特別代表会議を開いた。"
     "次回の会議は、来年インドで開催することで合意した。",
     "2024-12-19", [("2024-12-18", "main", "Beijing"), ("2025", "background", None)]),
    ("an undated plan and past talks dated in a past clause, in an article with no date",
     "中国の王毅外相は5日、北京でロシアのラブロフ外相と会談した。プーチン大統領は上海で開かれる会議に出席し、"
     "習近平国家主席との会談に向けた準備を進める。2024年の中ロ首脳会談は関係を深めたと評価された。"
     "両首脳は24年にもカザフスタンで会談し、協力を確認していた。",
     None, [(None, "main", "Beijing"), ("2024", "background", None)]),
]


@pytest.mark.parametrize("why, body, published, expected", SEPARATE_CASES, ids=[case[0] for case in SEPARATE_CASES])
def test_one_meeting_or_two(extract, why, body, published, expected):
    rows = extract(body, published)["meetings"]
    assert [(r["date"], r["reported_as"], r["city"]) for r in rows] == expected
    assert all(len(r["countries"]) == 2 for r in rows)


def test_also_met_on_the_trip_of_an_undated_meeting_is_kept_undated(extract):
    body = "中国の王毅外相は2日、モスクワでロシアのショイグ安全保障会議書記と協議した。王部長は同日、ラブロフ外相とも会談した。"
    rows = extract(body)["meetings"]  # no year anywhere: neither meeting has a date
    assert [(r["date"], r["reported_as"], r["participants"]) for r in rows] == [
        (None, "main", ["Wang Yi", "Sergei Shoigu"]), (None, "background", ["Wang Yi", "Sergei Lavrov"])]
    earlier = extract("中国の王毅外相は2日、モスクワでロシアのショイグ安全保障会議書記と協議した。両氏は7月にも北京で会談していた。")
    assert len(earlier["meetings"]) == 1  # an earlier meeting with no year is left out


# --- who belongs to which meeting: plans, summits, habits (issue 12) --------------------------

PARTICIPANT_CASES = [
    # (why, body, published, [participants of each row, in row order])
    ("a trip being arranged is not the talks just held",
     "日本とロシアは31日、モスクワで外務・防衛閣僚協議(2プラス2)を開いた。年内に河野克俊統合幕僚長が訪露する方向で調整する。"
     "河野太郎外相、小野寺五典防衛相、ラブロフ外相、ショイグ国防相が出席した。",
     "2018-08-02", [["Taro Kono", "Itsunori Onodera", "Sergei Lavrov", "Sergei Shoigu"]]),
    ("ministers' talks do not join the leaders' summit",
     "日中首脳会談が10日、北京で開かれた。林芳正外相は同日、王毅外相と会談した。",
     "2023-07-11", [[], ["Yoshimasa Hayashi", "Wang Yi"]]),
    ("a relation written after a name with a country's short form",
     "トランプ米大統領の娘婿クシュナー氏とウィットコフ特使は2日、モスクワでプーチン大統領と会談した。",
     "2024-07-11", [["Jared Kushner", "Steve Witkoff", "Vladimir Putin"]]),
    ("ministers who speak of a summit are not in it",
     "中国の王毅外相は18日、ニューデリーでインドのジャイシャンカル外相と会談した。"
     "王氏はジャイシャンカル氏に、2024年の中印首脳会談で関係が改善したと述べた。",
     "2025-08-19", [["Wang Yi", "S. Jaishankar"], []]),
    ("a habit agreed is not a meeting",
     "日ロ両政府は2日、東京で外務・防衛閣僚協議(2プラス2)を開いた。両国は2プラス2を定期的に開催することで一致した。",
     "2013-11-03", [[]]),
    ("the next meeting, planned with no date, is kept",
     "インドのモディ首相は19日、ニューデリーで中国の王毅外相と会談した。モディ氏は習近平国家主席との次の会談を楽しみにしていると述べた。",
     "2025-08-20", [["Narendra Modi", "Wang Yi"], ["Narendra Modi", "Xi Jinping"]]),
]


@pytest.mark.parametrize("why, body, published, participants", PARTICIPANT_CASES,
                         ids=[case[0] for case in PARTICIPANT_CASES])
def test_who_belongs_to_which_meeting(extract, why, body, published, participants):
    rows = extract(body, published)["meetings"]
    assert [r["participants"] for r in rows] == participants


STATUS_CASES = [
    # (why, body, status of the one row)
    ("a plan in the headline, held in the lead", "岸田首相、尹大統領と会談へ\n岸田文雄首相は10日、韓国の尹錫悦大統領と東京で会談した。", "held"),
    ("a plan's words in the next sentence are not this meeting's",
     "王毅外相は10日、北京でロシアのラブロフ外相と会談した。次回は来年モスクワで開くことで一致した。", "held"),
    ("talks prepared for", "林外相は、中国の王毅外相との会談に向けた調整を進めている。", "scheduled"),
    ("a goal after the talks is not a plan", "林外相は10日、中国の王毅外相と会談し、関係改善に向けて協力することを確認した。", "held"),
]


@pytest.mark.parametrize("why, body, status", STATUS_CASES, ids=[case[0] for case in STATUS_CASES])
def test_held_or_planned(extract, why, body, status):
    rows = extract(body, "2024-07-11")["meetings"]
    assert [r["status"] for r in rows if r["reported_as"] == "main"] == [status]


WORDING_CASES = [
    # (why, body, [(countries, participants, city, host)] in row order)
    ("an exchange of views is talks",
     "中国の王毅外相とインドのドバル国家安全保障担当補佐官は19日、ニューデリーで国境問題について意見交換を行った。",
     [(["CHN", "IND"], ["Wang Yi", "Ajit Doval"], "New Delhi", "IND")]),
    ("a leader's visit written from the host's side", "オーストラリアのアルバニージー首相は2022年10月に来日した。",
     [(["AUS", "JPN"], ["Anthony Albanese"], None, "JPN")]),
    ("将来日本 is no visit", "将来日本と中国の関係が改善することを望むと述べた。日中の首相は会談した。",
     [(["CHN", "JPN"], [], None, None)]),
    ("a count's place is not today's venue",
     "王毅外相は10日、ロシアのラブロフ外相と会談したが、両外相はモスクワで3度にわたって会談している。",
     [(["CHN", "RUS"], ["Wang Yi", "Sergei Lavrov"], None, None)]),
]


@pytest.mark.parametrize("why, body, expected", WORDING_CASES, ids=[case[0] for case in WORDING_CASES])
def test_words_that_report_a_meeting(extract, why, body, expected):
    rows = extract(body, "2024-07-11")["meetings"]
    assert [(r["countries"], r["participants"], r["city"], r["host_country"]) for r in rows] == expected


AGREED_WITH = [
    # (why, second sentence after a 2014 summit, the rows after the main: (date, participants, series))
    ("an agreement reached with a named leader is a meeting of that time, without today's leaders",
     "両首脳は、2006年10月に日本の首相が胡錦濤国家主席(当時)との間で合意した関係の原点に立ち戻ることで一致した。",
     [("2006-10", ["Hu Jintao"], "summit")]),
    ("an agreement between governments names no one who met", "日本政府は2006年10月、中国との間で合意した。", []),
]


@pytest.mark.parametrize("why, sentence, background", AGREED_WITH, ids=[case[0] for case in AGREED_WITH])
def test_an_agreement_with_an_official_was_reached_at_a_meeting(extract, why, sentence, background):
    rows = extract("安倍晋三首相は10日、北京で中国の習近平国家主席と会談した。" + sentence, "2014-11-11")["meetings"]
    assert [(r["date"], r["participants"], r["series"]) for r in rows[1:]] == background
    assert rows[0]["participants"] == ["Shinzo Abe", "Xi Jinping"] and rows[0]["status"] == "held"


TWO_PLUS_TWO_CASES = [
    # (why, body, published, participants of the main row)
    ("the ministers named after a 2+2 that names no one",
     "日本とオーストラリアは外務・防衛閣僚協議(2プラス2)を開き、協力の強化で一致した。\n"
     "マールズ国防相は中谷防衛相と護衛艦を視察した。\n岩屋外相は「連携を確認した」と述べた。",
     "2025-09-06", ["Richard Marles", "Gen Nakatani", "Takeshi Iwaya"]),
    ("no day to check their offices on",
     "日本とオーストラリアは外務・防衛閣僚協議(2プラス2)を開き、協力の強化で一致した。\n"
     "マールズ国防相は中谷防衛相と護衛艦を視察した。", None, []),
    ("not in office on the article's day",
     "日本とオーストラリアは2プラス2を開き、協力の強化で一致した。\n中谷氏は以前、防衛相を務めた。",
     "2023-03-01", []),
    ("not a 2+2: talks that name no one stay without people",
     "日本とオーストラリアは外相会談を開き、協力の強化で一致した。\n中谷防衛相は護衛艦を視察した。",
     "2025-09-06", []),
]


@pytest.mark.parametrize("why, body, published, participants", TWO_PLUS_TWO_CASES,
                         ids=[case[0] for case in TWO_PLUS_TWO_CASES])
def test_a_two_plus_two_is_its_sides_foreign_and_defence_ministers(extract, why, body, published, participants):
    main = [r for r in extract(body, published)["meetings"] if r["reported_as"] == "main"]
    assert [r["participants"] for r in main] == [participants]

"""kaidan.extract.dates: Japanese temporal expressions → ISO dates at the precision the text supports."""
from __future__ import annotations

import datetime as dt
import re
from re import _parser as sre_parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaidan.extract.dates import find, handlers, patterns, tense
from kaidan.extract.dates import DateMention, anchor_precision, find_dates, parse_date, resolve_chain, weekday_before
from kaidan.text import fold

DAY = "2025-12-05"      # a Friday
FAR = "2040-06-15"      # far from every absolute date below: it must change nothing


def found(text: str, anchor: str | None = None) -> list[tuple]:
    return [(m.text, m.kind, m.date, m.precision) for m in find_dates(text, anchor)]


def only(text: str, anchor: str | None = None) -> DateMention:
    mentions = find_dates(text, anchor)
    assert len(mentions) == 1, mentions
    return mentions[0]


# ---------------------------------------------------------------------------- absolute
ABSOLUTE = [
    # text, expression found, date, precision
    ("2025年7月10日、王毅外相が", "2025年7月10日", "2025-07-10", "day"),
    ("2025年7月のクアラルンプール", "2025年7月", "2025-07", "month"),
    ("2025年は節目の年", "2025年", "2025", "year"),
    ("2023/4/20 RIAC記事", "2023/4/20", "2023-04-20", "day"),
    ("公開 2023-04-20", "2023-04-20", "2023-04-20", "day"),
    ("2023.4.20発表", "2023.4.20", "2023-04-20", "day"),
    ("2025-12-03T10:00:00+09:00", "2025-12-03", "2025-12-03", "day"),
    ("２０２５年１２月２日に", "２０２５年１２月２日", "2025-12-02", "day"),
    ("二〇二五年十二月二日", "二〇二五年十二月二日", "2025-12-02", "day"),
    ("一九四五年八月十五日", "一九四五年八月十五日", "1945-08-15", "day"),
    ("令和7年", "令和7年", "2025", "year"),
    ("令和元年5月30日", "令和元年5月30日", "2019-05-30", "day"),
    ("令和七年十二月", "令和七年十二月", "2025-12", "month"),
    ("平成30年", "平成30年", "2018", "year"),
    ("平成三十年", "平成三十年", "2018", "year"),
    ("昭和64年1月7日", "昭和64年1月7日", "1989-01-07", "day"),
    ("㍻31年4月", "㍻31年4月", "2019-04", "month"),
    ("2017年03月24日(金)21時30分", "2017年03月24日(金)", "2017-03-24", "day"),
    ("2017年3月24日（金曜日）に", "2017年3月24日（金曜日）", "2017-03-24", "day"),
    ("2025年 12月 2日", "2025年 12月 2日", "2025-12-02", "day"),
    ("2024年末", "2024年末", "2024-12", "month"),
    ("2024年の暮れ", "2024年の暮れ", "2024-12", "month"),
    ("2025年初頭", "2025年初頭", "2025", "year"),
    ("2025年前半", "2025年前半", "2025", "year"),
    ("2014年以来", "2014年", "2014", "year"),
    ("1689年のネルチンスク条約", "1689年", "1689", "year"),
    ("11月下旬ではなく2025年11月下旬", "2025年11月下旬", "2025-11", "month"),
    ("November 19, 2024", "November 19, 2024", "2024-11-19", "day"),
    ("16:23, November 19, 2024", "November 19, 2024", "2024-11-19", "day"),
    ("記事は19 November 2024に", "19 November 2024", "2024-11-19", "day"),
    ("Nov. 3, 2023", "Nov. 3, 2023", "2023-11-03", "day"),
    ("Sept 1 2023", "Sept 1 2023", "2023-09-01", "day"),
    ("ＮＯＶＥＭＢＥＲ １９, ２０２４", "ＮＯＶＥＭＢＥＲ １９, ２０２４", "2024-11-19", "day"),
    ("December 2025", "December 2025", "2025-12", "month"),
]


@pytest.mark.parametrize("anchor", [None, FAR, "2040"])
@pytest.mark.parametrize(("text", "expr", "iso", "precision"), ABSOLUTE)
def test_absolute(text, expr, iso, precision, anchor):
    mentions = [m for m in find_dates(text, anchor) if m.kind == "absolute"]
    assert [(m.text, m.date, m.precision) for m in mentions][-1] == (expr, iso, precision)


def test_absolute_parts():
    m = only("二〇二五年十二月二日")
    assert (m.year, m.month, m.day, m.start, m.end) == (2025, 12, 2, 0, 10)
    m = only("令和元年5月30日")
    assert (m.year, m.month, m.day) == (2019, 5, 30)


@pytest.mark.parametrize("anchor", [None, DAY])
def test_a_date_never_claims_more_than_its_expression(anchor):
    assert found("2025年に", anchor) == [("2025年", "absolute", "2025", "year")]
    assert found("2025年6月に", anchor) == [("2025年6月", "absolute", "2025-06", "month")]


@pytest.mark.parametrize("anchor", [None, DAY])
@pytest.mark.parametrize(("text", "parts"), [
    ("2025年2月30日", (2025, 2, 30)),
    ("2025年2月29日", (2025, 2, 29)),     # not a leap year
    ("2025年4月31日", (2025, 4, 31)),
    ("2025/2/30", (2025, 2, 30)),
    ("February 30, 2025", (2025, 2, 30)),
])
def test_invalid_days_have_no_date(text, parts, anchor):
    m = only(text, anchor)
    assert m.date is None and m.precision is None
    assert (m.year, m.month, m.day) == parts


def test_leap_day():
    assert only("2024年2月29日").date == "2024-02-29"
    assert only("2月29日", "2024-03-01").date == "2024-02-29"
    assert only("2月29日", "2025-03-01").date is None


# ---------------------------------------------------------------------------- two-digit years
@pytest.mark.parametrize(("text", "anchor", "expr", "iso"), [
    ("24年10月に", "2025-12-05", "24年10月", "2024-10"),
    ("19年6月の首脳会談", "2025-12-05", "19年6月", "2019-06"),
    ("11年12月以来", "2017-03-24", "11年12月", "2011-12"),
    ("24年10月5日", "2025", "24年10月5日", "2024-10-05"),
    ("45年8月15日", "2017-03-24", "45年8月15日", "1945-08-15"),   # past, not 2045
    ("30年1月", "2025-01-01", "30年1月", "2030-01"),             # up to ten years ahead
    ("99年3月", "2005-01-01", "99年3月", "1999-03"),
])
def test_two_digit_year_with_month(text, anchor, expr, iso):
    m = only(text, anchor)
    assert (m.text, m.date) == (expr, iso)
    assert m.year == int(expr[:2]) and m.kind == "relative"   # the century comes from the anchor
    unanchored = only(text)
    assert unanchored.date is None and unanchored.year == m.year and unanchored.month == m.month


# A two-digit year alone (24年に) is a year only after a full year within ten years of it.
@pytest.mark.parametrize(("text", "anchor", "expr", "iso"), [
    ("2023年に合意した。両氏は24年に再び会談した。", None, "24年", "2024"),
    ("2022年の協定に基づき、25年に次の協議を開く。", None, "25年", "2025"),
    ("2016年に初めて訪れたが、訪問は18年以来途絶えた。", None, "18年", "2018"),
    ("2021年の会談では、20年、国境で起きた衝突が話題になった。", None, "20年", "2020"),  # before a comma
    ("2010年代の2018年と19年に訪れた。", None, "19年", "2019"),       # a list: 2018年と19年
    ("首脳会談は2017年に始まり、実現すれば19年以来となる。", None, "19年", "2019"),
    ("2021年に合意し、24年から実施した。", "2025-03-01", "24年", "2024"),  # the century is the anchor's
])
def test_a_two_digit_year_after_a_full_year(text, anchor, expr, iso):
    short = [m for m in find_dates(text, anchor) if m.text == expr]
    assert [(m.date, m.precision, m.year) for m in short] == [(iso, "year", int(expr[:2]))]


@pytest.mark.parametrize("text", [
    "両氏は24年に再び会談した。",                      # no full year written before it
    "24年に会談し、2024年の合意を確認した。",            # the full year comes only after it
    "1990年の合意を受け、24年に会談した。",              # too far from the full year
    "2024年は戦後80年に当たる。",                       # a count after a noun
    "2024年、この20年に起きた変化を振り返った。",         # a span: この20年
    "2024年、あと10年に迫った。",
    "2024年、五輪は10年に一度だ。",                     # 10年に一度: a rate
    "2024年、任期は20年になる。",                        # 20年になる: a length
    "2024年、期間は15年から20年とされる。",               # 15年から20年: a range of lengths
    "2024年、関係は25年ぶりに改善した。",                # 25年ぶり: a since
    "2024年、25年度予算を組んだ。",                      # a fiscal year is not a calendar year
    "2024年、国交正常化から20年に当たる。",              # から20年: a count from an event
])
def test_a_two_digit_number_of_years_is_not_a_year(text):
    assert [m.text for m in find_dates(text) if m.year is not None and m.year < 100] == []
    assert [m.text for m in find_dates(text, DAY) if m.year is not None and m.year < 100] == []


@pytest.mark.parametrize("text", [
    "20年前", "5年間", "3年ぶり", "20年", "26年は重要な年", "国連創設80年", "戦後80年の節目",
    "10年…", "12年以来", "20年4カ月",
])
def test_durations_and_counts_are_not_years(text):
    assert [m for m in find_dates(text, DAY) if m.kind in ("absolute", "relative")] == []


# ---------------------------------------------------------------------------- relative
RELATIVE = [
    # text, anchor, expression, date, precision, (year, month, day) parts
    ("2日、モスクワで", DAY, "2日", "2025-12-02", "day", (None, None, 2)),
    ("28日夜に", DAY, "28日夜", "2025-11-28", "day", (None, None, 28)),       # previous month is nearer
    ("27日午前に会談した。", DAY, "27日午前", "2025-11-27", "day", (None, None, 27)),
    ("27日午前", DAY, "27日午前", None, None, (None, None, 27)),            # no tense, 8 days back: open
    ("19日に会談する。", DAY, "19日", "2025-12-19", "day", (None, None, 19)),
    ("20日に会談した", DAY, "20日", "2025-11-20", "day", (None, None, 20)),
    ("20日に会談する予定", DAY, "20日", "2025-12-20", "day", (None, None, 20)),
    ("3日", "2025-12-30", "3日", "2026-01-03", "day", (None, None, 3)),       # no tense, 4 days ahead
    ("3日に会談した", "2025-12-30", "3日", "2025-12-03", "day", (None, None, 3)),
    ("31日に会う", "2025-03-02", "31日", "2025-03-31", "day", (None, None, 31)),  # no February 31
    ("2日", "2025-12", "2日", "2025-12-02", "day", (None, None, 2)),          # month anchor: that month
    ("31日", "2025-11", "31日", None, None, (None, None, 31)),
    ("2日", "2025", "2日", None, None, (None, None, 2)),                      # year anchor: open
    ("二十八日、", DAY, "二十八日", "2025-11-28", "day", (None, None, 28)),
    ("12月2日、", DAY, "12月2日", "2025-12-02", "day", (None, 12, 2)),
    ("12月28日", "2026-01-10", "12月28日", "2025-12-28", "day", (None, 12, 28)),
    ("1月5日", "2025-12-20", "1月5日", "2025-01-05", "day", (None, 1, 5)),       # next year's: 来年1月5日
    ("1月5日に訪中する", "2025-12-20", "1月5日", "2026-01-05", "day", (None, 1, 5)),  # unless the clause is ahead
    ("1月5日(月)", "2025-12-20", "1月5日(月)", "2026-01-05", "day", (None, 1, 5)),  # or the weekday says so
    ("7月1日", "2025-12-15", "7月1日", "2025-07-01", "day", (None, 7, 1)),
    ("6月10日", "2025-12-15", "6月10日", "2025-06-10", "day", (None, 6, 10)),   # 188 days back: not 来年
    ("6月10日に開く", "2025-12-15", "6月10日", "2026-06-10", "day", (None, 6, 10)),  # 177 days ahead
    ("十二月二日", DAY, "十二月二日", "2025-12-02", "day", (None, 12, 2)),
    ("3月20日", "2017-03-24", "3月20日", "2017-03-20", "day", (None, 3, 20)),
    ("12月2日", "2025-11", "12月2日", "2025-12-02", "day", (None, 12, 2)),
    ("1月2日", "2025-11", "1月2日", "2025-01-02", "day", (None, 1, 2)),
    ("1月2日に会う", "2025-11", "1月2日", "2026-01-02", "day", (None, 1, 2)),
    ("12月2日", "2025", "12月2日", None, None, (None, 12, 2)),
    ("11月", DAY, "11月", "2025-11", "month", (None, 11, None)),
    ("2月", "2025-11-20", "2月", "2025-02", "month", (None, 2, None)),          # next February: 来年2月
    ("2月に訪米する予定", "2025-11-20", "2月", "2026-02", "month", (None, 2, None)),
    ("12月", "2026-01-10", "12月", "2025-12", "month", (None, 12, None)),        # the turn of the year
    ("12月の首脳会談", "2025-06-10", "12月", "2025-12", "month", (None, 12, None)),  # a tie: this year's
    ("12月の首脳会談に向け協議した", "2025-11-20", "12月", "2025-12", "month", (None, 12, None)),
    ("11月下旬", DAY, "11月下旬", "2025-11", "month", (None, 11, None)),
    ("3月末", "2025-05-10", "3月末", "2025-03", "month", (None, 3, None)),
    ("3月末", DAY, "3月末", "2025-03", "month", (None, 3, None)),               # next year's: 来年3月末
    ("3月末に訪日する", DAY, "3月末", "2026-03", "month", (None, 3, None)),     # nearer ahead
    ("6月", DAY, "6月", "2025-06", "month", (None, 6, None)),                   # six months: the past
    ("今年6月には", "2025-07-10", "今年6月", "2025-06", "month", (None, 6, None)),
    ("本年6月", "2025-07-10", "本年6月", "2025-06", "month", (None, 6, None)),
    ("今年の6月2日", "2025", "今年の6月2日", "2025-06-02", "day", (None, 6, 2)),
    ("今年は", DAY, "今年", "2025", "year", (None, None, None)),
    ("今年6月", "2025", "今年6月", "2025-06", "month", (None, 6, None)),   # the text gives the month
    ("昨年", DAY, "昨年", "2024", "year", (None, None, None)),
    ("去年", DAY, "去年", "2024", "year", (None, None, None)),
    ("昨年10月", DAY, "昨年10月", "2024-10", "month", (None, 10, None)),
    ("一昨年", DAY, "一昨年", "2023", "year", (None, None, None)),
    ("来年", DAY, "来年", "2026", "year", (None, None, None)),
    ("来年4月", DAY, "来年4月", "2026-04", "month", (None, 4, None)),
    ("再来年", DAY, "再来年", "2027", "year", (None, None, None)),
    ("今月", DAY, "今月", "2025-12", "month", (None, None, None)),
    ("先月", DAY, "先月", "2025-11", "month", (None, None, None)),
    ("来月", DAY, "来月", "2026-01", "month", (None, None, None)),
    ("先月下旬", DAY, "先月下旬", "2025-11", "month", (None, None, None)),
    ("今月2日", DAY, "今月2日", "2025-12-02", "day", (None, None, 2)),
    ("先月", "2025", "先月", None, None, (None, None, None)),
    ("年末に", DAY, "年末", "2025-12", "month", (None, 12, None)),
    ("年末に", "2025", "年末", "2025-12", "month", (None, 12, None)),
    ("昨年末の訪日", "2017-03-24", "昨年末", "2016-12", "month", (None, 12, None)),
    ("年初", DAY, "年初", "2025", "year", (None, None, None)),
    ("年頭", DAY, "年頭", "2025", "year", (None, None, None)),
    ("今年の初めに", "2025-11-28", "今年の初め", "2025", "year", (None, None, None)),
    ("今年初頭", DAY, "今年初頭", "2025", "year", (None, None, None)),
    ("年明けにも", "2025-12-05", "年明け", "2026", "year", (None, None, None)),
    ("年明け以降", "2025-02-05", "年明け", "2025", "year", (None, None, None)),
    ("年明け", "2025", "年明け", None, None, (None, None, None)),
    ("本日", DAY, "本日", "2025-12-05", "day", (None, None, None)),
    ("昨日", DAY, "昨日", "2025-12-04", "day", (None, None, None)),
    ("一昨日", DAY, "一昨日", "2025-12-03", "day", (None, None, None)),
    ("昨夜", DAY, "昨夜", "2025-12-04", "day", (None, None, None)),
    ("昨日", "2025-12", "昨日", None, None, (None, None, None)),
]


@pytest.mark.parametrize(("text", "anchor", "expr", "iso", "precision", "parts"), RELATIVE)
def test_relative(text, anchor, expr, iso, precision, parts):
    m = only(text, anchor)
    assert (m.text, m.kind, m.date, m.precision) == (expr, "relative", iso, precision)
    assert (m.year, m.month, m.day) == parts


@pytest.mark.parametrize(("text", "anchor", "expr", "iso", "precision", "parts"), RELATIVE)
def test_relative_without_anchor_keeps_the_parts(text, anchor, expr, iso, precision, parts):
    m = only(text)
    assert (m.text, m.kind, m.date, m.precision) == (expr, "relative", None, None)
    assert (m.year, m.month, m.day) == parts


@pytest.mark.parametrize(("text", "offset_years", "offset_months"), [
    ("今年", 0, None), ("昨年10月", -1, None), ("一昨年", -2, None), ("来年4月", 1, None),
    ("今月", None, 0), ("先月下旬", None, -1), ("来月2日", None, 1),
])
def test_relative_offsets(text, offset_years, offset_months):
    m = only(text)
    assert (m.offset_years, m.offset_months) == (offset_years, offset_months)


def test_weekday_in_the_text_picks_the_month():
    # 30日(日) with a 2025-12-15 anchor: November 30 is a Sunday, December 30 is not.
    assert only("30日(日)", "2025-12-15").date == "2025-11-30"
    assert only("30日(火)", "2025-12-15").date == "2025-12-30"
    assert only("30日に会談した", "2025-12-15").date == "2025-11-30"
    assert only("30日(日)に会談する", "2025-12-15").date == "2025-11-30"   # the text's weekday wins


# ---------------------------------------------------------------------------- weeks and weekdays
@pytest.mark.parametrize(("text", "anchor", "iso", "precision"), [
    ("今週", DAY, "2025-12", "month"),                   # Dec 1–7
    ("先週", DAY, "2025-11", "month"),                   # Nov 24–30
    ("来週", DAY, "2025-12", "month"),
    ("今週初め", "2023-05-08", "2023-05", "month"),      # seed 001: a Monday
    ("先週末", DAY, "2025-11", "month"),                 # Nov 28–30
    ("今週", "2025-12-31", "2025", "year"),              # Dec 29 – Jan 4 … no: that spans years
    ("今週", "2025-10-01", "2025", "year"),              # Sep 29 – Oct 5: two months
    ("今週末", "2025-10-01", "2025-10", "month"),        # Oct 3–5
    ("先週金曜日", DAY, "2025-11-28", "day"),
    ("先週の金曜", DAY, "2025-11-28", "day"),
    ("今週月曜", DAY, "2025-12-01", "day"),
    ("来週水曜日", DAY, "2025-12-10", "day"),
    ("今週", "2025-12", None, None),
    ("今週", None, None, None),
])
def test_weeks(text, anchor, iso, precision):
    if (text, anchor) == ("今週", "2025-12-31"):
        iso, precision = None, None    # the week of 2025-12-31 runs into 2026: no year either
    m = only(text, anchor)
    assert (m.text, m.kind, m.date, m.precision) == (text, "relative", iso, precision)


@pytest.mark.parametrize(("text", "expr", "anchor", "iso"), [
    ("金曜日に北京で会談した", "金曜日", DAY, "2025-12-05"),       # the anchor day itself
    ("金曜日に北京で会談した", "金曜日", "2025-12-08", "2025-12-05"),
    ("金曜日に北京で会談する", "金曜日", "2025-12-08", "2025-12-12"),
    ("月曜に会った。", "月曜", DAY, "2025-12-01"),
    ("月曜に会う予定だ。", "月曜", DAY, "2025-12-08"),
    ("（金）に会談した", "（金）", "2025-12-04", "2025-11-28"),
    ("(日)", "(日)", DAY, None),                          # no tense: either way is a guess
    ("土曜日", "土曜日", "2025-12", None),
    ("金曜日", "金曜日", "2025", None),
    ("金曜日", "金曜日", None, None),
])
def test_weekday(text, expr, anchor, iso):
    m = only(text, anchor)
    assert (m.text, m.kind, m.date) == (expr, "weekday", iso)
    assert m.precision == ("day" if iso else None)


def test_weekday_after_a_date_belongs_to_it():
    assert found("12月2日(火)に", DAY) == [("12月2日(火)", "relative", "2025-12-02", "day")]
    assert found("毎週金曜日に", DAY) == []


# ---------------------------------------------------------------------------- chained, since, present
@pytest.mark.parametrize(("text", "kind", "parts", "offsets"), [
    ("同日", "same_day", (None, None, None), (None, None)),
    ("同日夜", "same_day", (None, None, None), (None, None)),
    ("当日", "same_day", (None, None, None), (None, None)),
    ("翌日", "next_day", (None, None, None), (None, None)),
    ("翌朝", "next_day", (None, None, None), (None, None)),
    ("前日", "previous_day", (None, None, None), (None, None)),
    ("同月下旬", "same_month", (None, None, None), (None, 0)),
    ("同21日", "same_month", (None, None, 21), (None, 0)),
    ("同月21日", "same_month", (None, None, 21), (None, 0)),
    ("翌月", "next_month", (None, None, None), (None, 1)),
    ("前月", "previous_month", (None, None, None), (None, -1)),
    ("同年12月", "same_year", (None, 12, None), (0, None)),
    ("同年末", "same_year", (None, 12, None), (0, None)),
    ("翌年3月", "next_year", (None, 3, None), (1, None)),
    ("翌年", "next_year", (None, None, None), (1, None)),
    ("前年", "previous_year", (None, None, None), (-1, None)),
])
@pytest.mark.parametrize("anchor", [None, DAY])
def test_chained_to_the_previous_date(text, kind, parts, offsets, anchor):
    """They count from the date the narrative is at, not the article's: no date here."""
    m = only(text, anchor)
    assert (m.text, m.kind, m.date, m.precision) == (text, kind, None, None)
    assert (m.year, m.month, m.day) == parts
    assert (m.offset_years, m.offset_months) == offsets


def test_year_after_yoku_is_absolute():
    assert found("翌2014年には", DAY) == [("2014年", "absolute", "2014", "year")]


@pytest.mark.parametrize(("text", "anchor", "iso", "precision", "offsets"), [
    ("4年ぶり", "2017-03-24", "2013", "year", (4, None)),
    ("3年ぶり", "2017-03-24", "2014", "year", (3, None)),
    ("四年ぶり", "2017-03-24", "2013", "year", (4, None)),
    ("6カ月ぶり", "2025-03-10", "2024-09", "month", (None, 6)),
    ("3年4カ月ぶり", "2025-12-05", "2022-08", "month", (3, 4)),
    ("3年4ヶ月ぶり", "2025-12", "2022-08", "month", (3, 4)),
    ("3年4カ月ぶり", "2025", None, None, (3, 4)),          # months need a month anchor
    ("約4年半ぶり", "2025-12-05", None, None, (4, 6)),      # approximate spans date nothing
    ("4年半ぶり", "2025-03-05", None, None, (4, 6)),
    ("約4年ぶり", "2025", None, None, (4, None)),
    ("半年ぶり", "2025-03-05", None, None, (None, 6)),
    ("約3カ月ぶり", "2025-02-05", None, None, (None, 3)),
    ("10年余りぶり", DAY, None, None, (10, None)),
    ("2年ほど前", DAY, None, None, (2, None)),
    ("5年近く前", DAY, None, None, (5, None)),
    ("20年前", DAY, "2005", "year", (20, None)),
    ("3カ月前", DAY, "2025-09", "month", (None, 3)),
    ("4年ぶり", None, None, None, (4, None)),
])
def test_since(text, anchor, iso, precision, offsets):
    m = only(text, anchor)
    assert (m.text, m.kind, m.date, m.precision) == (text, "since", iso, precision)
    assert (m.offset_years, m.offset_months) == offsets


@pytest.mark.parametrize("text", ["20年前後", "1カ月前倒し", "数年ぶり", "3日ぶり", "2週間ぶり"])
def test_not_since(text):
    assert [m for m in find_dates(text, DAY) if m.kind == "since"] == []


@pytest.mark.parametrize("anchor", [None, DAY, "2030"])
@pytest.mark.parametrize(("text", "expr"), [
    ("2025年のいま、ウクライナ", "2025年のいま"),
    ("2025年現在", "2025年現在"),
    ("2025年の今、", "2025年の今"),
    ("二〇二五年現在", "二〇二五年現在"),
])
def test_present_year(text, expr, anchor):
    m = only(text, anchor)
    assert (m.text, m.kind, m.date, m.precision, m.year) == (expr, "present_year", "2025", "year", 2025)


def test_present_year_not_the_future():
    assert found("2025年の今後") == [("2025年", "absolute", "2025", "year")]


# ---------------------------------------------------------------------------- ranges
RANGES = [
    # text, anchor, expression, date, end_date, precision
    ("2025年12月1〜2日", None, "2025年12月1〜2日", "2025-12-01", "2025-12-02", "day"),
    ("2025年12月1～2日", None, "2025年12月1～2日", "2025-12-01", "2025-12-02", "day"),
    ("12月1日〜3日", DAY, "12月1日〜3日", "2025-12-01", "2025-12-03", "day"),
    ("12月1〜2日にかけロシアを訪問", "2025-12-01", "12月1〜2日にかけ", "2025-12-01", "2025-12-02", "day"),
    ("1日から2日にかけて", DAY, "1日から2日にかけて", "2025-12-01", "2025-12-02", "day"),
    ("1日から3日まで", DAY, "1日から3日まで", "2025-12-01", "2025-12-03", "day"),
    ("11月30日〜12月2日", DAY, "11月30日〜12月2日", "2025-11-30", "2025-12-02", "day"),
    ("2025年12月30日〜2026年1月2日", None, "2025年12月30日〜2026年1月2日", "2025-12-30", "2026-01-02", "day"),
    ("12月30日〜1月2日", DAY, "12月30日〜1月2日", "2025-12-30", "2026-01-02", "day"),
    ("30日〜2日にかけて", DAY, "30日〜2日にかけて", "2025-11-30", "2025-12-02", "day"),
    ("12月1、2日", DAY, "12月1、2日", "2025-12-01", "2025-12-02", "day"),
    ("3月20・21日", "2017-03-24", "3月20・21日", "2017-03-20", "2017-03-21", "day"),
    ("12月1日(月)〜3日(水)", DAY, "12月1日(月)〜3日(水)", "2025-12-01", "2025-12-03", "day"),
    ("6〜7月", DAY, "6〜7月", "2025-06", "2025-07", "month"),
    ("2025年6月から7月にかけて", None, "2025年6月から7月にかけて", "2025-06", "2025-07", "month"),
    ("12月〜1月", DAY, "12月〜1月", "2025-12", "2026-01", "month"),
    ("今年1月〜3月", DAY, "今年1月〜3月", "2025-01", "2025-03", "month"),
    ("今年1〜3月", DAY, "今年1〜3月", "2025-01", "2025-03", "month"),
    ("昨年11月〜12月", DAY, "昨年11月〜12月", "2024-11", "2024-12", "month"),
    ("3、4月", "2025-05-10", "3、4月", "2025-03", "2025-04", "month"),
    ("今月1〜2日", DAY, "今月1〜2日", "2025-12-01", "2025-12-02", "day"),
    ("27～28日に北京で会談した", DAY, "27～28日", "2025-11-27", "2025-11-28", "day"),
    ("13～14日の日程で訪問する", DAY, "13～14日", "2025-12-13", "2025-12-14", "day"),
    ("12、13の両日", DAY, "12、13の両日", "2025-12-12", "2025-12-13", "day"),
    ("1、2両日", DAY, "1、2両日", "2025-12-01", "2025-12-02", "day"),
    ("30日〜12月2日", DAY, "30日〜12月2日", "2025-11-30", "2025-12-02", "day"),
    ("2014〜2016年", None, "2014〜2016年", "2014", "2016", "year"),
    ("2014〜16年", None, "2014〜16年", "2014", "2016", "year"),
    ("2014年から2016年まで", None, "2014年から2016年まで", "2014", "2016", "year"),
]


@pytest.mark.parametrize(("text", "anchor", "expr", "iso", "end", "precision"), RANGES)
def test_ranges(text, anchor, expr, iso, end, precision):
    m = only(text, anchor)
    assert (m.text, m.kind, m.date, m.end_date, m.precision) == (expr, "range", iso, end, precision)


@pytest.mark.parametrize(("text", "kind", "parts", "offsets"), [
    ("同年1〜3月", "same_year", (None, 1, None), (0, None)),
    ("同月27〜28日", "same_month", (None, None, 27), (None, 0)),
    ("同27〜28日", "same_month", (None, None, 27), (None, 0)),
    ("翌年12月1〜2日", "next_year", (None, 12, 1), (1, None)),
])
def test_chained_ranges_take_the_chained_kind(text, kind, parts, offsets):
    m = only(text, DAY)
    assert (m.text, m.kind, m.date, m.end_date) == (text, kind, None, None)
    assert ((m.year, m.month, m.day), (m.offset_years, m.offset_months)) == (parts, offsets)


@pytest.mark.parametrize(("text", "parts"), [
    ("12月1日〜3日", (None, 12, 1)), ("1日から2日にかけて", (None, None, 1)), ("6〜7月", (None, 6, None)),
])
def test_relative_ranges_without_anchor(text, parts):
    m = only(text)
    assert (m.kind, m.date, m.end_date, (m.year, m.month, m.day)) == ("range", None, None, parts)


@pytest.mark.parametrize(("text", "expected"), [
    ("2〜3日で届く", []),                                     # a duration as often as a date
    ("2、3日中に", []),
    ("1日から3日間", [("1日", "relative", "2025-12-01", "day")]),
    ("1日、2日", [("1日", "relative", "2025-12-01", "day"), ("2日", "relative", "2025-12-02", "day")]),
    ("2013年から20年", [("2013年", "absolute", "2013", "year")]),  # twenty years since 2013
    ("2月28日〜30日", [("2月28日〜30日", "range", None, None)]),
    ("5～6日", []),
    ("日米2+2、5月9日の式典", [("5月9日", "relative", "2025-05-09", "day")]),
    ("十月、一月ほど", [("十月", "relative", "2025-10", "month"), ("一月", "relative", "2025-01", "month")]),
    ("10月、1月", [("10月", "relative", "2025-10", "month"), ("1月", "relative", "2025-01", "month")]),
])
def test_not_ranges(text, expected):
    assert found(text, DAY) == expected


# ---------------------------------------------------------------------------- false positives
@pytest.mark.parametrize("text", [
    "第20回", "20回目の安全保障協議", "2プラス2", "2+2", "30%増", "2025億円", "3日間の日程", "5時間",
    "2日目", "1日当たり", "一日も早く", "2000年前", "1990年代", "2023年度予算", "1000年に一度",
    "中国5000年の歴史", "3日後", "約3日", "10日前後", "12/23発売", "1.5倍", "G20", "3カ月間",
    "将来年金", "日本年金機構", "将来月面", "担当日", "共同日程", "同一日", "今朝鮮", "朝鮮半島",
    "version 2023.4", "3 may 2", "mayor 2024", "第2日", "1日2回", "数日", "土日", "1日平均", "毎月1日",
])
def test_no_false_positives(text):
    assert found(text, DAY) == []


def test_article_passage():
    text = ("日露は2013年11月に初の2+2を東京で開催したが、翌2014年にはウクライナ危機が勃発した。"
            "しかし、昨年末のプーチン大統領訪日をきっかけに、今年1月には3年ぶりにロシア艦艇が日本を訪問。"
            "3月20日、第2回2+2が東京で開催された。同日夜、両外相は会談した。")
    assert found(text, "2017-03-24") == [
        ("2013年11月", "absolute", "2013-11", "month"),
        ("2014年", "absolute", "2014", "year"),
        ("昨年末", "relative", "2016-12", "month"),
        ("今年1月", "relative", "2017-01", "month"),
        ("3年ぶり", "since", "2014", "year"),
        ("3月20日", "relative", "2017-03-20", "day"),
        ("同日夜", "same_day", None, None),
    ]


def test_offsets_refer_to_the_text_as_passed():
    text = "ＡＢＣ　２０２５年１２月２日、İstanbulで12月3日"
    for m in find_dates(text, DAY):
        assert text[m.start:m.end] == m.text
    assert [m.text for m in find_dates(text)] == ["２０２５年１２月２日", "12月3日"]


# ---------------------------------------------------------------------------- parse_date and helpers
@pytest.mark.parametrize(("value", "expected"), [
    ("2025-12-03", ("2025-12-03", "day")),
    ("2023/4/20", ("2023-04-20", "day")),
    ("2017年03月24日(金)21時30分", ("2017-03-24", "day")),
    ("16:23, November 19, 2024", ("2024-11-19", "day")),
    ("November 19, 2024", ("2024-11-19", "day")),
    ("Tue, 19 Nov 2024 16:23:00 +0900", ("2024-11-19", "day")),
    ("令和元年5月30日", ("2019-05-30", "day")),
    ("2013年8月16日", ("2013-08-16", "day")),
    ("2024年11月", ("2024-11", "month")),
    ("2019", ("2019", "year")),
    (" 2019 ", ("2019", "year")),
    ("date 2025-12-03", ("2025-12-03", "day")),
    ("published: 2025-12", ("2025-12", "month")),
    ("2025/12", ("2025-12", "month")),
    ("20251203", ("2025-12-03", "day")),
    ("２０２５年１２月３日", ("2025-12-03", "day")),
    ("2025-12-03T10:00:00Z", ("2025-12-03", "day")),
    ("2025年のいま", ("2025", "year")),
    ("2025年12月1〜2日", ("2025-12-01", "day")),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [
    "", "   ", "hello", "12月2日", "金曜日", "昨年", "第20回", "2025-13", "20251303", "2025-02-30",
    "12345", "4年ぶり", "24年10月", None, 2025,
])
def test_parse_date_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(("iso", "precision"), [("2025-12-02", "day"), ("2025-12", "month"), ("2025", "year")])
def test_anchor_precision(iso, precision):
    assert anchor_precision(iso) == precision


@pytest.mark.parametrize("bad", ["", "2025-1-2", "2025-13", "2025-02-30", "12月2日", "2025/12/02", "x"])
def test_bad_anchors_raise(bad):
    with pytest.raises(ValueError):
        anchor_precision(bad)
    with pytest.raises(ValueError):
        find_dates("2日", bad)


@pytest.mark.parametrize(("anchor", "weekday", "expected"), [
    ("2025-12-05", 4, "2025-12-05"),   # Friday on a Friday: the same day
    ("2025-12-05", 0, "2025-12-01"),
    ("2025-12-05", 5, "2025-11-29"),
    ("2025-12-01", 6, "2025-11-30"),
])
def test_weekday_before(anchor, weekday, expected):
    assert weekday_before(anchor, weekday) == expected


@pytest.mark.parametrize(("anchor", "weekday"), [("2025-12", 4), ("2025", 0), ("2025-12-05", 7), ("0001-01-01", 6)])
def test_weekday_before_refuses(anchor, weekday):
    with pytest.raises(ValueError):
        weekday_before(anchor, weekday)


def test_calendar_edges_do_not_overflow():
    assert only("来年", "9999-06-01").date is None
    assert only("来週", "9999-12-31").date is None
    assert only("金曜日", "0001-01-01").date is None
    assert only("20年前", "0010-01-01").date is None
    assert only("12月30日", "9999-12-31").date == "9999-12-30"
    assert only("1月2日に会う", "9999-12-31").date == "9999-01-02"   # the year after 9999 does not exist


# ---------------------------------------------------------------------------- implementation checks
def test_gates_never_change_what_a_rule_finds():
    """Each rule's regex sits behind a lookahead on its first characters for speed."""
    corpus = "\n".join(row[0] for table in (ABSOLUTE, RELATIVE, RANGES) for row in table)
    corpus += "同日 翌日 前日 当日 翌朝 同21日 今週 先週末 来週水曜日 4年ぶり 約4年半ぶり 半年ぶり (金) 金曜"
    for pattern, _ in handlers._RULES:
        body = re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern))
        assert [m.span() for m in pattern.finditer(corpus)] == [m.span() for m in body.finditer(corpus)]
        assert pattern.pattern != body.pattern


def _ungated(pattern: re.Pattern) -> re.Pattern:
    return re.compile(re.sub(r"^\(\?=\[[^\]]*\]\)", "", pattern.pattern))


# Predicates written for the check, one starting with each character of the tense gate.
_PREDICATES = ("予定。見通し。見込み。方針。計画。意向。調整中。へ。する。行う。開く。臨む。会う。訪れる。迎える。出席する。"
               "ます。る。う。く。む。ぶ。つ。ぐ。した。った。れた。べた。いた。きた。みた。せた。えた。めた。ねた。"
               "けた。てた。ちた。りた。ぎた。じた。びた。にた。ひた。んだ。")


def test_every_character_of_the_tense_gate_starts_a_predicate():
    """The gate lists no character that starts no predicate (each costs a try)."""
    assert {_PREDICATES[m.start()] for m in tense._P_TENSE.finditer(_PREDICATES)} == set(tense._TENSE_FIRST)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.from_regex(_ungated(tense._P_TENSE), alphabet=st.sampled_from(sorted(set(tense._P_TENSE.pattern) | set("、。」\n")))),
                min_size=1, max_size=8).map("".join))
def test_the_tense_gate_holds_every_character_a_drawn_predicate_starts_with(text):
    """Predicates drawn from the pattern itself, so one added without its first character in
    the gate is found: the gated pattern finds what the plain one does."""
    plain = _ungated(tense._P_TENSE)
    assert plain.pattern != tense._P_TENSE.pattern
    assert [(m.span(), m.lastgroup) for m in tense._P_TENSE.finditer(text)] == \
        [(m.span(), m.lastgroup) for m in plain.finditer(text)]


# Expressions where several rules match over one another, and a rule matches again inside
# another rule's match: the one pass must find every rule's matches as each rule alone does.
OVERLAPPING = [
    "2025年12月1〜2日(月)に会談し、2025年のいま、今年6月と同21日、12月1日から3日まで滞在した。",
    "2024年11月~2025年2月、24年10月に、令和元年5月30日、2023/4/20 november 19, 2024 と 3 march 2023。",
    "来週水曜日(水・祝)と先週末の金曜、昨日の夜、同日午後、翌朝、約4年半ぶりに、20年前の5日間。",
    "一昨年末から昨年初め、年明け、2019年12月以来3回目で、十二月二十八日、三日、二〇二五年十月。その後、24年に会った。",
]


def test_one_pass_finds_what_each_rule_finds_alone():
    """find_dates reads the text once and tries each rule only where it can start."""
    corpus = "\n".join([row[0] for table in (ABSOLUTE, RELATIVE, RANGES) for row in table] + OVERLAPPING)
    for text in [corpus, *OVERLAPPING]:
        folded = fold(text)
        alone = sorted((m.start(), -m.end(), order) for order, (pattern, _) in enumerate(handlers._RULES)
                       for m in pattern.finditer(folded))
        one_pass = [(start, neg_end, order) for start, neg_end, order, _, _ in find._candidates(text)[1]]
        assert one_pass == alone
        assert len({order for _, _, order in alone}) >= 5  # many rules, over one another
    assert {candidate[2] for candidate in find._candidates(corpus)[1]} == set(range(len(handlers._RULES)))


def test_every_character_a_rule_starts_with_leads_to_that_rule():
    gates = [re.compile(f"[{patterns._FIRST_CHARS[pattern]}]") for pattern, _ in handlers._RULES]
    for code in range(0x10000):
        char = chr(code)
        expected = [order for order, gate in enumerate(gates) if gate.match(char)]
        if expected:
            assert [order for order, _, _ in find._rules_starting(char)] == expected
        else:  # the one pass never stops at a character no rule starts with
            assert find._ANY_FIRST.match(char + "年月日曜2") is None


# Text where numbers meet every character a date writes after one, and words that begin as
# date words do (一方, 日本, 月面, 同社, 前回, 来日, 本部, 平和, 大使, 明日, 約束, お知らせ).
_NEAR_DATES = ("2025年 3 月 1日(金)~ 5日、6-7日から8日 2023/4/20 2024.5.3 3rd march 2023 1st may 2021 22nd june 2020 4th july 2019 "
               "5カ月ぶり 3ヶ月 二〇二五年十二月二十八日 三日、十日(午後) 一方 統一 日本 月面 同社 同 21日 前回 "
               "来日 本部 平和 大使 明日 約束 お知らせ 実に 20年ぶり 半年ぶり 一昨年 一昨日 年末 年明け 金曜日 (水) "
               "令和元年5月30日 平成 31 年 昭和 大正 明治 ㍻ jan. 5, 2020 sept 2019 december 2018 3人 100万 50% 3.5")


def _fragment_texts():
    """Many texts joined from the property fragments (a fixed seed: the same texts each run)."""
    import random

    chooser = random.Random(14)
    return [_NEAR_DATES] + ["".join(chooser.choices(_FRAGMENTS, k=12)) for _ in range(3000)]


def test_heads_hold_where_every_rule_starts():
    """The one pass stops only where some rule's head holds (`patterns.head_of`), and at a number
    tries only the rules that read the character after it: each rule, behind its heads, finds
    what it finds alone, and the one pass finds what every rule does."""
    corpus = [row[0] for table in (ABSOLUTE, RELATIVE, RANGES) for row in table] + OVERLAPPING + _fragment_texts()
    matched = 0
    for text in corpus:
        folded = fold(text)
        for pattern, _ in handlers._RULES:
            behind = re.compile(f"(?={patterns.head_of(pattern)})(?:{pattern.pattern})")
            spans = [m.span() for m in pattern.finditer(folded)]
            assert [m.span() for m in behind.finditer(folded)] == spans, (text, pattern.pattern[:40])
            matched += len(spans)
        alone = sorted((m.start(), -m.end(), order) for order, (pattern, _) in enumerate(handlers._RULES)
                       for m in pattern.finditer(folded))
        assert [c[:3] for c in find._candidates(text)[1]] == alone
    assert matched > 5000


def test_heads_turn_down_words_that_only_begin_as_dates():
    words = fold("一方。統一。日本。月面。同社。前回。来日。本部。平和。大使。約束。お知らせ。3人。100万。")
    assert [m.start() for m in find._ANY_FIRST.finditer(words)] == []
    dates = fold("2025年。同日。令和。金曜。約3年。")
    assert [dates[m.start()] for m in find._ANY_FIRST.finditer(dates)] == ["2", "同", "令", "金", "約", "3"]


def test_no_rule_starts_a_match_inside_a_number():
    """The one pass skips a digit right after a digit: no rule may start a match there."""
    rows = [row[0] for table in (ABSOLUTE, RELATIVE, RANGES) for row in table] + OVERLAPPING
    corpus = fold("\n".join(f"{digit}{row}" for row in rows for digit in "019"))
    inside = [at for at in range(1, len(corpus)) if corpus[at - 1:at + 1].isdigit() and corpus[at - 1:at + 1].isascii()]
    assert len(inside) > 500
    for pattern, _ in handlers._RULES:
        assert [at for at in inside if pattern.match(corpus, at)] == []


def test_no_rule_matches_nothing():
    """A rule that could match the empty string would be read differently by finditer."""
    for pattern, _ in handlers._RULES:
        assert sre_parse.parse(pattern.pattern).getwidth()[0] >= 1


# ---------------------------------------------------------------------------- properties
_PRECISION_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_RANK = {"year": 0, "month": 1, "day": 2}
_ANCHORED_KINDS = {"relative", "weekday", "since"}
_CHAINED_KINDS = {f"{w}_{u}" for w in ("same", "next", "previous") for u in ("day", "month", "year")}
_KINDS = {"absolute", "range", "present_year"} | _ANCHORED_KINDS | _CHAINED_KINDS

# Fragments that combine into near-dates, so the properties meet the edge cases often.
_FRAGMENTS = [
    "2025", "1945", "24", "12", "1", "3", "30", "31", "29", "二〇二五", "十二", "二十八", "元", "年", "月", "日",
    "〜", "~", "-", "・", "、", "から", "にかけて", "まで", "今年", "昨年", "一昨年", "来年", "翌年", "前年", "同年",
    "今月", "先月", "同", "今週", "先週", "末", "初め", "明け", "下旬", "金曜", "(金)", "曜日", "夜", "午前",
    "ぶり", "前", "約", "半", "カ月", "令和", "平成", "のいま", "現在", "第", "回", "間", "本日", "昨日", "同日",
    "翌日", "November ", "19, ", "19 ", "Nov. ", "/", ".", " ", "\n", "İ", "ｶ", "２", "〇",
]
_ANCHORS = st.one_of(
    st.none(),
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.dates().map(lambda d: d.isoformat()[:4]),
)
_TEXTS = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join))


def _check(text: str, anchor: str | None) -> None:
    mentions = find_dates(text, anchor)
    taken = 0
    for m in mentions:
        assert taken <= m.start < m.end <= len(text)
        taken = m.end
        assert text[m.start:m.end] == m.text
        assert m.kind in _KINDS
        assert (m.date is None) == (m.precision is None)
        if m.end_date is not None:
            assert m.kind == "range" and m.date is not None and m.end_date >= m.date
            dt.datetime.strptime(m.end_date, _PRECISION_FORMAT[m.precision])
        if m.date is None:
            continue
        assert len(m.date) == {"day": 10, "month": 7, "year": 4}[m.precision]
        dt.datetime.strptime(m.date, _PRECISION_FORMAT[m.precision])
        assert m.kind not in _CHAINED_KINDS
        if m.kind in _ANCHORED_KINDS:
            assert anchor is not None
        if m.kind in {"absolute", "range", "present_year"} or m.month is not None or m.day is not None:
            # never more precise than the parts the expression gives
            given = "day" if m.day is not None else "month" if m.month is not None else "year"
            assert _RANK[m.precision] <= _RANK[given]
        if m.kind == "since":
            assert m.precision == "year" or (m.offset_months and m.precision == "month")


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _ANCHORS)
def test_property_any_text(text, anchor):
    _check(text, anchor)


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_property_absolute_dates_do_not_depend_on_the_anchor(text):
    plain = {(m.start, m.end, m.date) for m in find_dates(text) if m.kind == "absolute" and m.year and m.year > 99}
    anchored = {(m.start, m.end, m.date) for m in find_dates(text, FAR) if m.kind == "absolute"}
    assert plain <= anchored


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_property_parse_date_never_raises(value):
    result = parse_date(value)
    if result is not None:
        iso, precision = result
        dt.datetime.strptime(iso, _PRECISION_FORMAT[precision])


# ---------------------------------------------------------------------------- chains
@pytest.mark.parametrize("text, expected", [
    ("2013年11月2日に会談し、翌日も協議した。", ["2013-11-02", "2013-11-03"]),
    ("2024年3月に開かれ、同年12月に再び開かれた。", ["2024-03", "2024-12"]),
    ("2日に会談。同日、外相とも会った。", [None, None]),
    ("2017年に締結し、翌年発効した。", ["2017", "2018"]),
    ("12月1日に到着し、同3日に帰国した。", ["2025-12-01", "2025-12-03"]),
])
def test_chained_expressions_follow_the_last_date(text, expected):
    anchor = "2025-12-05" if "12月1日" in text else None
    assert [m.date for m in resolve_chain(find_dates(text, anchor))] == expected


# ---------------------------------------------------------------------------- issue 12: tense, rates, approximations
@pytest.mark.parametrize(("text", "anchor", "iso"), [
    # the clause's first finite predicate places a day without its month
    ("9日に首脳会談を行う予定だ。", "2024-06-20", "2024-07-09"),
    ("9日に首脳会談を行った。", "2024-06-20", "2024-06-09"),
    ("9日、外相と会談する。", "2024-06-20", "2024-07-09"),
    ("9日の会談へ", "2024-06-20", "2024-07-09"),
    ("9日に会談する見通し。", "2024-06-20", "2024-07-09"),
    ("9日に会談する方針だ。", "2024-06-20", "2024-07-09"),
    ("9日に会談したと発表した。", "2024-06-20", "2024-06-09"),
    ("9日に会談すると発表した。", "2024-06-20", "2024-07-09"),
    # a verb right after the date that modifies a noun is the date's own predicate ...
    ("9日に開かれた会合に出席する。", "2024-06-20", "2024-06-09"),
    ("9日に開かれる会合に出席した。", "2024-06-20", "2024-07-09"),
    # ... but after a comma the date is the sentence's, and the modifier is passed over
    ("9日、就任した首相と会談する。", "2024-06-20", "2024-07-09"),
    # words in 「」 keep their own tense
    ("9日、「協力していく」と述べ、一致した。", "2024-06-20", "2024-06-09"),
    # no tense at all and far from the article: open
    ("9日 首脳会談", "2024-06-20", None),
    ("18日 首脳会談", "2024-06-20", "2024-06-18"),
])
def test_tense_places_a_day_without_its_month(text, anchor, iso):
    assert find_dates(text, anchor)[0].date == iso


@pytest.mark.parametrize(("text", "anchor", "iso"), [
    ("金曜に会談した。", "2024-06-19", "2024-06-14"),
    ("金曜に会談する。", "2024-06-19", "2024-06-21"),
    ("金曜日の会談へ", "2024-06-19", "2024-06-21"),
    ("金曜日、会談", "2024-06-19", None),
])
def test_tense_places_a_weekday(text, anchor, iso):
    assert find_dates(text, anchor)[0].date == iso


@pytest.mark.parametrize("text", [
    "週3日の勤務", "1日1時間の協議", "1日半の日程", "年20日の休暇", "3日に1回の会合", "3日間の訪問",
    "1泊2日の日程", "2泊3日で訪れた", "1日2万人が訪れる", "紀元前2000年の遺跡", "毎年4〜6月に開く",
    "毎年3月に開かれる", "例年の10月に",
])
def test_rates_durations_and_habits_are_no_dates(text):
    assert find_dates(text, "2024-06-20") == []


def test_a_day_before_earlier_is_three_days_back():
    assert found("一昨昨日に会談した", "2024-06-20") == [("一昨昨日", "relative", "2024-06-17", "day")]


@pytest.mark.parametrize(("text", "iso"), [
    ("3月10日木曜日に会談する", "2022-03-10"),
    ("10日木曜に会談する", "2022-03-10"),
    ("10日(木)に会談する", "2022-03-10"),
])
def test_a_weekday_right_after_a_day_is_that_day(text, iso):
    assert [m.date for m in find_dates(text, "2022-03-07")] == [iso]


@pytest.mark.parametrize(("text", "iso", "precision"), [
    ("10日ごろ会談した", "2024-06", "month"),
    ("3月頃に会談した", "2024", "year"),
    ("2019年ごろ", None, None),
])
def test_an_approximate_date_says_one_step_less(text, iso, precision):
    m = find_dates(text, "2024-06-20")[0]
    assert (m.date, m.precision, m.approximate) == (iso, precision, True)


@pytest.mark.parametrize(("text", "approximate"), [
    ("5年ぶり", False), ("約5年ぶり", True), ("5年余りぶり", True), ("5年半ぶり", True),
    ("およそ5年ぶり", True), ("5年ほど前", True), ("5年以上前", True), ("3年4カ月ぶり", False),
])
def test_since_marks_an_approximate_span(text, approximate):
    m = only(text, "2024-06-20")
    assert m.approximate is approximate
    assert (m.date is None) is approximate

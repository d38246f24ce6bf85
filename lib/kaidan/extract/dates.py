"""Japanese temporal expressions → ISO dates at the precision the text supports.

``find_dates(text, anchor)`` returns every date expression of an article, in order, with
its offsets, its kind, the parts the text gives, and (where the text or the article's own
date allows) an ISO date: ``2025-12-02`` (day), ``2025-12`` (month) or ``2025`` (year).
Nothing is guessed: a date that needs an anchor and has none, or that would claim more
than the expression says, stays ``None``.

How it works: each form has one regex in ``_RULES``, run over the width-folded text (same
length as the input, so offsets carry over). Every match goes to its rule's handler, which
returns the mention's fields or ``None`` when the match is not a date after all. Of
overlapping candidates the leftmost, then the longest, wins, so ``2025年のいま`` beats
``2025年`` and ``今年6月`` beats ``6月``. A date's head (the year and month before its
day) is read by one function, ``_head``, for single dates and ranges alike.

Kinds: ``absolute`` (the text gives the year), ``relative`` (needs the anchor: 12月2日,
2日, 今年, 先月, 今週, 24年10月 …), ``weekday``, ``since`` (4年ぶり, 20年前),
``present_year`` (2025年のいま), ``range`` (12月1〜2日), and the chained kinds, which
count from the date the narrative is at rather than the article's date and so always have
date ``None``: ``same_day`` / ``next_day`` / ``previous_day`` (同日, 翌日, 前日),
``same_month`` / ``next_month`` / ``previous_month`` (同月, 同21日, 翌月, 前月) and
``same_year`` / ``next_year`` / ``previous_year`` (同年, 翌年3月, 前年).

Deictic expressions resolve against the anchor (the article's own date), never against
another date in the text. A day or weekday without its month lies on the side of the anchor
the tense of its clause points to (``clause_tense``: 会談する, 予定, 〜へ ahead; 会談した
back); with no tense, a day is read only within a week of the anchor and a weekday not at
all. Rates and durations (週3日, 1日1時間, 3日に1回, 1泊2日), habits (毎年4〜6月) and 紀元前
years are no dates; an approximate span (約5年ぶり, 2年ほど前) dates nothing and 10日ごろ
says one precision less.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Callable

from kaidan.text import fold, kanji_to_int

__all__ = ["DateMention", "find_dates", "parse_date", "anchor_precision", "weekday_before", "clause_tense",
           "dates_agree"]


@dataclass(frozen=True)
class DateMention:
    """One temporal expression: where it is, what it says, and the date it resolves to."""

    start: int
    end: int
    text: str
    kind: str
    date: str | None
    precision: str | None
    end_date: str | None = None
    year: int | None = None       # as written: 2025, the Western year of an era year, 24 for 24年
    month: int | None = None
    day: int | None = None
    offset_years: int | None = None   # since: N years back (positive); year words: signed (昨年 -1)
    offset_months: int | None = None  # likewise (3年4カ月ぶり 4; 先月 -1)
    approximate: bool = False         # since: the span is approximate (約, 余り, 半), so it dates nothing
    base: str | None = None           # chained: the expression it was resolved from (同日 ← 1日)
    basis: str | None = None          # how the date was reached, for an analyst to audit (set by callers)


# ---------------------------------------------------------------------------- vocabulary
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867,
             "㋿": 2018, "㍻": 1988, "㍼": 1925, "㍽": 1911, "㍾": 1867}
_REL_YEAR = {"一昨年": -2, "昨年": -1, "去年": -1, "今年": 0, "本年": 0, "来年": 1, "再来年": 2}
_REL_MONTH = {"先月": -1, "今月": 0, "来月": 1}
_CHAINED = {"同年": ("same_year", 0), "翌年": ("next_year", 1), "前年": ("previous_year", -1),
            "同月": ("same_month", 0), "同": ("same_month", 0), "翌月": ("next_month", 1),
            "前月": ("previous_month", -1),
            "同日": ("same_day", 0), "当日": ("same_day", 0), "翌日": ("next_day", 1),
            "翌朝": ("next_day", 1), "前日": ("previous_day", -1)}
_CHAINED_KINDS = frozenset(kind for kind, _ in _CHAINED.values())
_WEEKDAYS = {ch: i for i, ch in enumerate("月火水木金土日")}  # Monday = 0, as datetime
_WEEK_OFFSET = {"先々週": -2, "先週": -1, "今週": 0, "来週": 1, "再来週": 2}
# Which days (Monday = 0) of the week a part of it covers.
_WEEK_DAYS = {None: range(7), "初め": range(3), "明け": range(3), "前半": range(3),
              "半ば": range(1, 4), "後半": range(3, 7), "末": range(4, 7)}
_DAY_WORD = {"本日": 0, "今朝": 0, "今夜": 0, "昨日": -1, "昨夜": -1, "昨晩": -1, "一昨日": -2, "一昨昨日": -3}
_YEAR_END = frozenset({"末", "暮れ", "終わり"})   # → December; other parts of a year keep year precision
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
_EN_MONTH = {name: i for i, full in enumerate(_EN_MONTHS, 1) for name in (full, full[:3])} | {"sept": 9}

# ---------------------------------------------------------------------------- patterns
# Pieces shared by the rules. All match the output of ``fold``: ASCII digits, "~", "(",
# lower case.
_K = "〇○零一二三四五六七八九十百千"           # kanji numeral characters
_KNUM = f"[{_K}]"
_IDEO = "\u3005\u4e00-\u9fff"                  # kanji: a word after one may be the tail of a longer word
_NB = rf"(?<![0-9{_K},.第])"                    # a number starts here, not inside another
_SP = " ?"                                      # "2025年 12月 2日" in PDFs and some sites
_MONTH = "(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = ("(?:3[01]|[12][0-9]|0?[1-9]"
        "|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])")
_ASCII_YEAR = "(?:1[6-9][0-9]{2}|2[01][0-9]{2})"  # 1600–2199: 1000年に一度 is not a year
_WD = "[月火水木金土日]"
_ERA = "|".join(_ERA_BASE)
_REL_YEAR_WORD = rf"一昨年|再来年|今年|昨年|去年|(?<![{_IDEO}])(?:本年|来年|前年|翌年|同年)"
_REL_MONTH_WORD = rf"今月|先月|(?<![{_IDEO}])(?:来月|前月|翌月|同月)"
_SAME_MONTH_DAY = rf"(?<![{_IDEO}])(?P<same{{n}}>同)(?={_SP}(?:[0-9]|[二三四五六七八九十]))"  # 同21日

# After N年 these make a count of years, not a calendar year (2000年前, 1990年代, 5000年の歴史).
_YEAR_NOT_DATE = rf"(?!{_SP}(?:間|前(?!半)|後(?!半)|代|ぶり|振り|余|超|以上|近く|目|ほど|程度|にわたり|の歴史))"
# After N日 these make a count of days or a rate (3日間, 2日目, 1日当たり, 1日も早く, 1日半,
# 3日に1回, 1日1時間, 1日2万人).
_COUNTER = "(?:回|度|時間|人|件|本|発|隻|機|カ所|か所|万|億|千|トン|キロ|ドル|円|%)"
_DAY_NOT_DATE = (rf"(?!{_SP}(?:間|目|連続|以内|以上|後(?!半)|前(?!半)|ぶり|振り|おき|ごと|毎|当たり|あたり"
                 rf"|平均|余|超|近く|足らず|程度|ほど|がかり|未満|も早|分の|半|に?[0-9{_K}]+{_COUNTER}))")
# Before a month or day these make a habit or a rate, not a date (毎年4〜6月, 週3日, 1泊2日, 年20日).
_HABIT = "(?<!毎年)(?<!毎年の)(?<!例年)(?<!例年の)"
_RATE_BEFORE_DAY = "(?<![週泊年月])"
_DAYPART = "(?:午前|午後|未明|早朝|朝(?![鮮刊])|昼|夕方|夜|深夜)"
_YEAR_PART = "末|暮れ|終わり|初め|初頭|始め|明け|前半|後半|半ば|上半期|下半期|春|夏|秋|冬"
_MONTH_PART = "上旬|中旬|下旬|初旬|初め|末|半ば"
_SEP = "~|-|・|、|から"
_SPAN = "(?P<span>にかけて|にかけ|まで)?"


def _year(n: str = "") -> str:
    """A calendar year and its 年: era year, four-digit (or kanji) year, or a two-digit
    year that only counts as one when a month follows (24年10月, but not 20年)."""
    return (rf"(?<!紀元前)(?<!紀元前 )(?:(?P<era{n}>{_ERA}){_SP}(?P<ey{n}>元|[0-9]{{1,2}}|{_KNUM}{{1,4}})"
            rf"|{_NB}(?P<y{n}>{_ASCII_YEAR}|{_KNUM}{{3,7}})"
            rf"|{_NB}(?P<yy{n}>[0-9]{{2}})(?={_SP}年{_SP}{_MONTH}{_SP}月)){_SP}年(?!度)")


def _year_head(n: str = "") -> str:
    """The year a date starts with: a calendar year or a year word (今年, 昨年, 同年)."""
    return rf"(?:{_year(n)}|(?P<ry{n}>{_REL_YEAR_WORD})(?!度))"


def _day_tail(n: str = "") -> str:
    """What may follow a day and belongs to it: (金), (月・祝), 木曜日, 夜, 午前. A weekday
    written right after a day names that day; it is no second date."""
    return (rf"(?:{_SP}\((?P<wd{n}>{_WD})(?:曜日?)?(?:・祝)?\)|{_SP}(?P<wdb{n}>{_WD})曜日?)?"
            rf"{_DAYPART}?")


def _day_or_part(n: str = "") -> str:
    """What may follow a month: a day (N日 and its tail) or a part of the month (上旬, 末)."""
    return (rf"(?:{_SP}(?P<d{n}>{_DAY}){_SP}日{_DAY_NOT_DATE}{_day_tail(n)}"
            rf"|(?P<mq{n}>{_MONTH_PART}))?")


def _gated(first: str, body: str) -> re.Pattern:
    """body, compiled behind a lookahead on the characters a match can start with: sre
    then turns every other position down at once, about ten times faster than trying the
    body there. (A test checks that the gate never changes what a rule finds.)"""
    return re.compile(f"(?=[{first}])(?:{body})")


_NUM_FIRST = f"0-9{_K}"
_ERA_FIRST = "".join(sorted({era[0] for era in _ERA_BASE}))
_YEAR_WORD_FIRST = "一再今昨去本来前翌同"
_MONTH_WORD_FIRST = "今先来前翌同"
_EN_FIRST = "".join(sorted({name[0] for name in _EN_MONTHS}))
_EN = "(?P<mon>" + "|".join(sorted(_EN_MONTH, key=len, reverse=True)) + r")(?![a-z])\.?"

# Each rule's regex; its handler is paired with it in _RULES below.
_P_PRESENT = _gated(
    _NUM_FIRST,
    rf"{_NB}(?P<y>{_ASCII_YEAR}|{_KNUM}{{3,7}}){_SP}年の?(?:いま|今(?![{_IDEO}])|現在|現時点)")
_P_DAY_RANGE = _gated(
    _NUM_FIRST + _ERA_FIRST + _YEAR_WORD_FIRST + _MONTH_WORD_FIRST,
    rf"{_HABIT}{_RATE_BEFORE_DAY}(?:{_year_head('1')}の?{_SP})?"
    rf"(?:{_NB}(?P<m1>{_MONTH}){_SP}月{_SP}|(?P<rm1>{_REL_MONTH_WORD}){_SP}|{_SAME_MONTH_DAY.format(n=1)})?"
    rf"{_NB}(?P<d1>{_DAY}){_SP}(?P<n1>日)?(?:{_SP}\((?P<wd1>{_WD})(?:曜日?)?\))?{_SP}(?P<sep>{_SEP}){_SP}"
    rf"(?:(?:{_year('2')}{_SP})?(?P<m2>{_MONTH}){_SP}月{_SP})?"
    rf"(?P<d2>{_DAY}){_SP}(?:日|(?P<both>の?両日)){_DAY_NOT_DATE}{_day_tail('2')}{_SPAN}")
_P_MONTH_RANGE = _gated(
    _NUM_FIRST + _ERA_FIRST + _YEAR_WORD_FIRST,
    rf"{_HABIT}(?:{_year_head('1')}の?{_SP})?{_NB}(?P<m1>{_MONTH}){_SP}(?P<n1>月)?{_SP}(?P<sep>{_SEP}){_SP}"
    rf"(?:{_year('2')}{_SP})?(?P<m2>{_MONTH}){_SP}月(?!{_SP}{_DAY}{_SP}日){_SPAN}")
_P_YEAR_RANGE = _gated(
    "12",
    rf"{_NB}(?P<y1>{_ASCII_YEAR}){_SP}年?{_SP}(?P<sep>~|-|から){_SP}(?P<y2>{_ASCII_YEAR}|[0-9]{{2}})"
    rf"{_SP}年(?!度){_YEAR_NOT_DATE}(?!{_SP}{_MONTH}{_SP}月){_SPAN}")
_P_YEAR_LED = _gated(
    _NUM_FIRST + _ERA_FIRST + _YEAR_WORD_FIRST,
    rf"{_year_head()}{_YEAR_NOT_DATE}"
    rf"(?:{_SP}の?{_SP}(?P<m>{_MONTH}){_SP}月{_day_or_part()}|の?(?P<yq>{_YEAR_PART}))?")
_P_MONTH_LED = _gated(
    _NUM_FIRST + _MONTH_WORD_FIRST,
    rf"(?:{_HABIT}{_NB}(?<![0-9{_K}][~・-])(?P<m>{_MONTH}){_SP}月|(?P<rm>{_REL_MONTH_WORD})|{_SAME_MONTH_DAY.format(n='')})"
    rf"{_day_or_part()}")
# A bare kanji day (二十八日) only with a sign it is a date: 一日も早く is not the 1st.
_P_DAY_LED = _gated(
    _NUM_FIRST,
    rf"{_NB}{_RATE_BEFORE_DAY}(?<![約計数毎延])(?<!毎月)(?<![0-9][~・、-])(?<![0-9]から)"
    rf"(?:(?P<d>3[01]|[12][0-9]|0?[1-9]){_SP}日|(?P<dk>{_DAY})日(?=[、,(午夜朝昼深未早]|付))"
    rf"{_DAY_NOT_DATE}{_day_tail()}")
_P_NUMERIC = _gated(
    "12",
    rf"(?<![0-9./-])(?P<y>[12][0-9]{{3}})(?P<sep>[/.-])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
    rf"(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9]|[./-][0-9]){_day_tail()}")
_P_EN_MDY = _gated(
    _EN_FIRST,
    rf"(?<![a-z]){_EN} ?(?P<d>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?,? (?P<y>[12][0-9]{{3}})(?![0-9])")
_P_EN_DMY = _gated(
    "0-9",
    rf"(?<![0-9])(?P<d>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)? {_EN},? (?P<y>[12][0-9]{{3}})(?![0-9])")
_P_EN_MY = _gated(_EN_FIRST, rf"(?<![a-z]){_EN},? (?P<y>[12][0-9]{{3}})(?![0-9])")
_P_YEAR_WORD = _gated(
    "年", rf"(?<![{_IDEO}{_K}0-9])年(?P<yq>末(?!年始)|暮れ|初め|初頭|初|頭|始(?!末)|明け)")
_P_WEEK = _gated(
    "先今再来",
    rf"(?P<wk>先々週|先週|今週|(?<![{_IDEO}])(?:再来週|来週))"
    rf"(?:の?(?P<part>初め|明け|前半|半ば|後半|末))?(?:の?(?P<wd>{_WD})曜日?)?")
_P_WEEKDAY = _gated(
    "月火水木金土日(",
    rf"(?<![0-9毎])(?<!毎週)(?P<wd>{_WD})曜日?|\((?P<wdp>{_WD})(?:曜日?)?(?:・祝)?\)")
_P_DAY_WORD = _gated(
    "本一昨今", rf"(?P<rd>(?<![{_IDEO}])本日|一昨昨日|一昨日|(?<!昨)昨日|今朝(?!鮮)|昨夜|今夜|昨晩){_DAYPART}?")
_P_CHAINED_DAY = _gated(
    "同当翌前", rf"(?<![{_IDEO}])(?P<cd>同日(?!程)|当日|翌日|前日|翌朝){_DAYPART}?")
_SINCE_NUM = f"(?:[0-9]{{1,3}}|{_KNUM}{{1,4}})"
_P_SINCE = _gated(
    _NUM_FIRST + "約およほ実半",
    rf"(?:(?P<approx>約|およそ|ほぼ|実に){_SP})?(?<![0-9{_K}第])"
    rf"(?:(?P<y>{_SINCE_NUM})年(?P<yhalf>半)?(?:(?P<m>{_SINCE_NUM})[カヶかケ箇ヵ]月)?"
    rf"|(?P<mo>{_SINCE_NUM})[カヶかケ箇ヵ]月(?P<mhalf>半)?|(?P<half>半)年)"
    rf"(?P<more>余り|あまり|超|以上|ほど|近く|程度)?(?:ぶり|振り|前(?![後半倒]))")


# ---------------------------------------------------------------------------- tense
# A day or weekday without its month lies ahead of the article's date or behind it as the
# clause's first finite predicate says: 会談する, 予定だ, 会談へ ahead; 会談した behind. A
# predicate that modifies a noun (就任した首相) ends no clause and is passed over.
_CLAUSE_END = "(?=[。、」』\n]|$)"
_QUOTED_END = "(?=[。、」』\n]|と|こと|$)"
_P_TENSE = re.compile(
    rf"(?P<ahead>(?:予定|見通し|見込み|方針|計画|意向|調整中)(?=[だで、。」\n]|$)|へ{_CLAUSE_END}"
    rf"|(?:する|します|行う|行います|開く|開きます|開催する|臨む|会う|会います|訪れる|迎える|出席する)"
    rf"(?=[。、」』\n]|と|こと|の[はでが]|$)"
    rf"|(?:(?<!てい)ます|(?<![あいで])る|[うくむぶつぐ])(?=[。」』\n]|$))"
    rf"|(?P<behind>(?:[しっれべいきみせえめねけてちりぎじびにひ]た|んだ){_QUOTED_END})")
_UNDIRECTED_DAYS = 7   # a day with no tense to place it is read only this close to the article


# A predicate that modifies the noun after it (開かれた会合, 行われる会談): the time of the
# date right before it, when no comma sets the date apart as the whole sentence's.
_NOUN_START = "(?=[\u3400-\u9fff\u30a1-\u30fc])"
_P_MODIFIER = re.compile(
    rf"(?P<behind>(?:[しっれべいきみせえめねけてちりぎじびにひ]た|んだ){_NOUN_START})"
    rf"|(?P<ahead>(?:する|される|れる|行う|開く|予定の){_NOUN_START})")


def clause_tense(text: str, end: int) -> int:
    """1 when the predicate a date at text[:end] belongs to speaks of what is ahead, -1 of
    what is done, 0 unclear: a modifying predicate right after it (9日に開かれた会合), else the
    clause's first finite predicate (9日、…会談する), words quoted in 「」 stepped over. The
    text may be folded or not: the markers are kana and punctuation, which fold keeps."""
    stop = _sentence_end(text, end)
    finite_at, finite = _first_finite(text, end, stop)
    if not text.startswith("、", end):
        comma = text.find("、", end, finite_at)
        modifier = _P_MODIFIER.search(text, end, comma if comma >= 0 else finite_at)
        if modifier is not None and text.find("「", end, modifier.start()) < 0:
            return 1 if modifier["ahead"] else -1
    return finite


def _sentence_end(folded: str, pos: int) -> int:
    return min((i for i in (folded.find("。", pos), folded.find("\n", pos)) if i >= 0), default=len(folded))


def _first_finite(folded: str, pos: int, stop: int) -> tuple[int, int]:
    """(where, tense) of the first finite predicate from pos, or (stop, 0)."""
    while (match := _P_TENSE.search(folded, pos, stop)) is not None:
        quote = folded.find("「", pos, match.start())
        if quote < 0:
            return match.start(), 1 if match["ahead"] else -1
        close = folded.find("」", quote)
        if close < 0:
            break
        pos = close + 1
        stop = max(stop, _sentence_end(folded, pos))
    return stop, 0


# ---------------------------------------------------------------------------- anchors
@dataclass(frozen=True)
class _Anchor:
    year: int
    month: int | None
    day: int | None
    direction: int = 0   # the clause's tense: 1 ahead (会談する, 予定), -1 back (会談した), 0 unclear

    @property
    def date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day else None


_ANCHOR_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _parse_anchor(iso: str) -> _Anchor:
    """An ISO date at any precision, or ValueError: a bad anchor is the caller's bug."""
    m = _ANCHOR_ISO.fullmatch(iso.strip()) if isinstance(iso, str) else None
    if not m:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {iso!r}")
    year, month, day = (int(g) if g else None for g in m.groups())
    if _iso(year, month, day) is None:
        raise ValueError(f"not a valid date: {iso!r}")
    return _Anchor(year, month, day)


def anchor_precision(iso: str) -> str:
    """'day', 'month' or 'year' for an ISO date; ValueError when it is not one."""
    anchor = _parse_anchor(iso)
    return _precision_of(anchor.month, anchor.day)


def weekday_before(anchor_iso: str, weekday: int) -> str:
    """The most recent ``weekday`` (Monday = 0) on or before the anchor day, as ISO."""
    anchor = _parse_anchor(anchor_iso)
    if anchor.date is None or not 0 <= weekday <= 6:
        raise ValueError("weekday_before needs a day-precision anchor and a weekday 0–6")
    found = _weekday_on_or_before(anchor.date, weekday)
    if found is None:
        raise ValueError(f"no such weekday on or before {anchor_iso}")
    return found.isoformat()


# ---------------------------------------------------------------------------- calendar helpers
Resolved = tuple[str, str] | None   # (iso, precision)


def _precision_of(month: int | None, day: int | None) -> str:
    return "day" if day is not None else "month" if month is not None else "year"


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _iso(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO at the precision of the parts given, or None when they are not a real date."""
    if year is None or not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        return None if day is not None else f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return d.isoformat() if (d := _date(year, month, day)) else None


def _resolved(year: int | None, month: int | None = None, day: int | None = None) -> Resolved:
    iso = _iso(year, month, day)
    return (iso, _precision_of(month, day)) if iso else None


def _day_resolved(day: dt.date | None) -> Resolved:
    return (day.isoformat(), "day") if day else None


def _add_days(day: dt.date, n: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        return None


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date | None:
    return _add_days(day, -((day.weekday() - weekday) % 7))


def _shift_month(year: int, month: int, k: int) -> tuple[int, int]:
    year, month0 = divmod(year * 12 + month - 1 + k, 12)
    return year, month0 + 1


def _month_day_near(month: int, day: int, target: dt.date, weekday: int | None) -> Resolved:
    """The year that puts month/day within half a year of the anchor day (the past on an
    exact tie, unless the weekday the text gives says otherwise), then the day checked:
    2月29日 in a March 2025 article is no date, not 2024-02-29."""
    near = []
    for year in (target.year - 1, target.year, target.year + 1):
        first = _date(year, month, 1)
        if first is not None and abs(offset := (first - target).days + day - 1) <= 184:
            near.append((abs(offset), offset, _date(year, month, day)))
    near.sort(key=lambda option: option[:2])
    if weekday is not None:
        near = [o for o in near if o[2] and o[2].weekday() == weekday] or near
    return _day_resolved(near[0][2]) if near else None


def _day_near(day: int, target: dt.date, weekday: int | None, direction: int) -> Resolved:
    """A day of month (in the anchor's month, the one before or the one after) on the side
    of the anchor day the clause's tense points to, the first such; with the tense unclear,
    the nearest only when it lies within a week of the article (a weekday the text gives
    narrows them)."""
    months = (_shift_month(target.year, target.month, k) for k in (-1, 0, 1))
    candidates = [d for y, m in months if (d := _date(y, m, day))]
    if weekday is not None and any(c.weekday() == weekday for c in candidates):
        candidates = [c for c in candidates if c.weekday() == weekday]
        if len(candidates) == 1:
            return _day_resolved(candidates[0])   # 30日(日): the day and its weekday fix the month
    if direction:
        candidates = [c for c in candidates if (c - target).days * direction >= 0]
    else:
        candidates = [c for c in candidates if abs((c - target).days) <= _UNDIRECTED_DAYS]
    return _day_resolved(min(candidates, key=lambda c: (abs((c - target).days), c), default=None))


def _calendar(year: int | None, month: int | None, day: int | None,
              anchor: _Anchor | None, weekday: int | None = None) -> Resolved:
    """Resolve year/month/day parts; a missing year or month is taken from the anchor,
    the one that puts the date nearest the anchor (12月2日, 28日)."""
    if year is not None:
        return _resolved(year, month, day)
    if anchor is None or anchor.month is None or (month is None and day is None):
        return None
    target = anchor.date
    if month is not None:
        if day is not None and target is not None:
            return _month_day_near(month, day, target, weekday)
        years = (anchor.year - 1, anchor.year, anchor.year + 1)
        nearest = min(years, key=lambda y: (abs((y - anchor.year) * 12 + month - anchor.month), y))
        return _resolved(nearest, month, day)
    if target is None:   # day of month against a month-precision anchor: that month
        return _resolved(anchor.year, anchor.month, day)
    return _day_near(day, target, weekday, anchor.direction)


def _two_digit_year(yy: int, anchor: _Anchor | None) -> int | None:
    """24年 → the latest year ending in 24 no more than ten years after the article
    (so 45年8月 in a 2017 article is 1945, 19年6月 is 2019). None without an anchor."""
    if anchor is None:
        return None
    limit = anchor.year + 10
    return limit - (limit - yy) % 100


# ---------------------------------------------------------------------------- reading match groups
Groups = dict[str, str | None]   # a match's groupdict()


def _num(token: str | None) -> int | None:
    return None if token is None else kanji_to_int(token)


def _weekday(g: Groups, name: str = "wd") -> int | None:
    ch = g.get(name) or g.get(name.replace("wd", "wdb", 1))
    return None if ch is None else _WEEKDAYS[ch]


def _given_year(g: Groups, n: str = "") -> tuple[bool, int | None, int | None]:
    """(ok, year, two_digit) from a ``_year`` piece; ok is False when the number is no year."""
    if (era := g.get(f"era{n}")) is not None:
        number = _num(g[f"ey{n}"])
        return bool(number), _ERA_BASE[era] + number, None
    if (year := _num(g.get(f"y{n}"))) is not None:
        return 1600 <= year <= 2199, year, None
    return True, None, _num(g.get(f"yy{n}"))


@dataclass
class _Head:
    """The year and month a date starts with, as far as the text and anchor fix them."""

    kind: str = "relative"     # absolute when the text gives the year; a chained kind for 同年, 翌月 …
    year: int | None = None    # the full year to resolve with
    month: int | None = None   # the month to resolve with
    open: bool = False         # the text ties the date to an anchor that is missing
    parts: dict = field(default_factory=dict)   # DateMention parts as the text gives them


def _head(g: Groups, anchor: _Anchor | None, n: str = "") -> _Head | None:
    """Read the year (2025年, 令和7年, 24年, 今年, 同年) and month (12月, 先月, 同月, 同)
    groups; None when the number is no year after all."""
    ok, year, two_digit = _given_year(g, n)
    if not ok:
        return None
    head = _Head()
    if year is not None:
        head.kind, head.year, head.parts["year"] = "absolute", year, year
    elif two_digit is not None:
        head.year, head.parts["year"] = _two_digit_year(two_digit, anchor), two_digit
        head.open = head.year is None
    elif (word := g.get(f"ry{n}")) is not None:
        if word in _CHAINED:
            head.kind, offset = _CHAINED[word]
        else:
            offset = _REL_YEAR[word]
            head.year = anchor.year + offset if anchor else None
            head.open = anchor is None
        head.parts["offset_years"] = offset
    if (month := _num(g.get(f"m{n}"))) is not None:
        head.month = head.parts["month"] = month
    if (word := g.get(f"rm{n}") or g.get(f"same{n}")) is not None:
        if word in _CHAINED:
            head.kind, offset = _CHAINED[word]
        else:
            offset = _REL_MONTH[word]
            if anchor is None or anchor.month is None:
                head.open = True
            else:
                head.year, head.month = _shift_month(anchor.year, anchor.month, offset)
        head.parts["offset_months"] = offset
    return head


def _fields(kind: str, resolved: Resolved = None, **parts) -> dict:
    iso, precision = resolved or (None, None)
    return {"kind": kind, "date": iso, "precision": precision, **parts}


# ---------------------------------------------------------------------------- handlers
# Each takes the match's groups and the anchor and returns DateMention fields, or None:
# the match is not a date after all. Handlers shared by several rules read groups with .get.

def _on_present(g: Groups, anchor: _Anchor | None) -> dict | None:
    year = _num(g["y"])
    if not 1600 <= year <= 2199:
        return None
    return _fields("present_year", _resolved(year), year=year)


def _on_calendar(g: Groups, anchor: _Anchor | None) -> dict | None:
    """One date: 2025年7月10日, 今年6月, 昨年末, 12月2日, 先月下旬, 同21日, 28日夜."""
    head = _head(g, anchor)
    if head is None:
        return None
    day = _num(g.get("d") or g.get("dk"))
    if g.get("same") and day is None:
        return None   # 同 alone is no date; 同21日 is
    parts = head.parts | {"day": day}
    month = head.month
    if g.get("yq") in _YEAR_END:
        month = parts["month"] = 12
    if head.kind in _CHAINED_KINDS or head.open:
        return _fields(head.kind, None, **parts)
    return _fields(head.kind, _calendar(head.year, month, day, anchor, _weekday(g)), **parts)


def _range_kind(head: _Head) -> str:
    return head.kind if head.kind in _CHAINED_KINDS else "range"


def _second_year(g: Groups, anchor: _Anchor | None) -> tuple[bool, int | None]:
    """(ok, year) for the year the second half of a range gives (2026年, 26年), if any."""
    ok, year, two_digit = _given_year(g, "2")
    return ok, (_two_digit_year(two_digit, anchor) if two_digit is not None else year)


def _on_day_range(g: Groups, anchor: _Anchor | None) -> dict | None:
    """12月1〜2日, 1日から2日にかけて, 11月30日〜12月2日, 12、13の両日: date is the first
    day, end_date the last. Bare ranges of small numbers (2〜3日) read as durations."""
    head = _head(g, anchor, "1")
    ok, last_year = _second_year(g, anchor)
    if head is None or not ok:
        return None
    first_day, has_month = _num(g["d1"]), "month" in head.parts or "offset_months" in head.parts
    if g["m2"] and not (has_month or g["n1"]):
        return None   # 2、5月9日 is a list
    if g["sep"] == "、" and (g["n1"] or g["m2"] or not (has_month or g["span"] or g["both"])):
        return None   # 1日、2日 is a list; 2、3日 is "two or three days"
    if not (has_month or "year" in head.parts or g["n1"] or g["span"] or g["both"] or first_day >= 10):
        return None
    parts = head.parts | {"day": first_day}
    kind = _range_kind(head)
    if kind != "range" or head.open:
        return _fields(kind, None, **parts)
    resolved = _calendar(head.year, head.month, first_day, anchor, _weekday(g, "wd1"))
    if resolved is None:
        return _fields(kind, None, **parts)
    first = dt.date.fromisoformat(resolved[0])
    last_month = _num(g["m2"])
    last = _date(last_year or first.year, last_month or first.month, _num(g["d2"]))
    if last is not None and last < first and last_year is None:   # 30日〜2日, 12月30日〜1月2日
        year, month = (_shift_month(first.year, first.month, 1) if last_month is None
                       else (first.year + 1, last_month))
        last = _date(year, month, _num(g["d2"]))
    if last is None or last < first:
        return _fields(kind, None, **parts)
    return _fields(kind, resolved, end_date=last.isoformat(), **parts)


def _on_month_range(g: Groups, anchor: _Anchor | None) -> dict | None:
    """6〜7月, 3、4月, 2025年12月〜26年1月: date and end_date at month precision."""
    if g["sep"] == "、" and g["n1"]:
        return None   # 10月、1月 is a list
    head = _head(g, anchor, "1")
    ok, last_year = _second_year(g, anchor)
    if head is None or not ok:
        return None
    kind = _range_kind(head)
    if kind != "range" or head.open:
        return _fields(kind, None, **head.parts)
    resolved = _calendar(head.year, head.month, None, anchor)
    if resolved is None:
        return _fields(kind, None, **head.parts)
    first = (int(resolved[0][:4]), head.month)
    last = (last_year or first[0], _num(g["m2"]))
    if last < first and last_year is None:   # 12月〜1月
        last = (last[0] + 1, last[1])
    if last <= first:
        return _fields(kind, None, **head.parts)
    return _fields(kind, resolved, end_date=_iso(*last), **head.parts)


def _on_year_range(g: Groups, anchor: _Anchor | None) -> dict | None:
    """2014〜2016年, 2014〜16年: year precision. 2013年から20年 is "20 years since", not a range."""
    first, token = int(g["y1"]), g["y2"]
    if len(token) == 2:
        if g["sep"] == "から":
            return None
        last = first - first % 100 + int(token)
    else:
        last = int(token)
    if last <= first:
        return None
    return _fields("range", _resolved(first), end_date=f"{last:04d}", year=first)


def _on_numeric(g: Groups, anchor: _Anchor | None) -> dict | None:
    year, month, day = int(g["y"]), int(g["m"]), int(g["d"])
    return _fields("absolute", _resolved(year, month, day), year=year, month=month, day=day)


def _on_english(g: Groups, anchor: _Anchor | None) -> dict | None:
    """November 19, 2024 / 19 Nov 2024 / November 2024."""
    year, month, day = int(g["y"]), _EN_MONTH[g["mon"]], _num(g.get("d"))
    return _fields("absolute", _resolved(year, month, day), year=year, month=month, day=day)


def _on_year_word(g: Groups, anchor: _Anchor | None) -> dict | None:
    """年末 → December of the article's year; 年初/年頭/年始 → its year; 年明け → the coming
    new year (next year when the article is from the second half of the year)."""
    part = g["yq"]
    if anchor is None:
        resolved = None
    elif part in _YEAR_END:
        resolved = _resolved(anchor.year, 12)
    elif part == "明け":
        resolved = None if anchor.month is None else _resolved(anchor.year + (anchor.month >= 7))
    else:
        resolved = _resolved(anchor.year)
    return _fields("relative", resolved, month=12 if part in _YEAR_END else None, offset_years=0)


def _on_week(g: Groups, anchor: _Anchor | None) -> dict | None:
    """今週, 先週末, 先週金曜: day precision only when a weekday pins the day; else the month
    (or year) that all the days meant lie in. Weeks run Monday to Sunday."""
    resolved = None
    if anchor is not None and anchor.date is not None:
        monday = _add_days(anchor.date, 7 * _WEEK_OFFSET[g["wk"]] - anchor.date.weekday())
        weekday = _weekday(g)
        days = [monday and _add_days(monday, i)
                for i in ([weekday] if weekday is not None else _WEEK_DAYS[g["part"]])]
        if all(days):
            first, last = days[0], days[-1]
            if weekday is not None:
                resolved = _day_resolved(first)
            elif (first.year, first.month) == (last.year, last.month):
                resolved = _resolved(first.year, first.month)
            elif first.year == last.year:
                resolved = _resolved(first.year)
    return _fields("relative", resolved)


def _on_weekday(g: Groups, anchor: _Anchor | None) -> dict | None:
    """金曜日, (金): the nearest such day from a day-precision anchor on the side the
    clause's tense points to (会談した → back, 会談する → ahead); none when it is unclear."""
    weekday = _weekday(g, "wd" if g["wd"] else "wdp")
    resolved = None
    if anchor is not None and anchor.date is not None and anchor.direction < 0:
        resolved = _day_resolved(_weekday_on_or_before(anchor.date, weekday))
    elif anchor is not None and anchor.date is not None and anchor.direction > 0:
        resolved = _day_resolved(_add_days(anchor.date, (weekday - anchor.date.weekday()) % 7))
    return _fields("weekday", resolved)


def _on_day_word(g: Groups, anchor: _Anchor | None) -> dict | None:
    """本日, 昨日, 昨夜: days from a day-precision anchor. (今日 and 明日 are left out:
    in writing they mostly mean "nowadays" and "the future".)"""
    resolved = None
    if anchor is not None and anchor.date is not None:
        resolved = _day_resolved(_add_days(anchor.date, _DAY_WORD[g["rd"]]))
    return _fields("relative", resolved)


def _on_chained_day(g: Groups, anchor: _Anchor | None) -> dict | None:
    return _fields(_CHAINED[g["cd"]][0])


def _on_since(g: Groups, anchor: _Anchor | None) -> dict | None:
    """4年ぶり, 3年4カ月ぶり, 約4年半ぶり, 20年前: the offset, and the anchor minus it at
    year precision, or month precision when the text counts months exactly."""
    years = _num(g["y"])
    months = _num(g["m"] or g["mo"])
    if g["yhalf"] or g["half"]:
        months = (months or 0) + 6
    if g["mhalf"] or not (years or months):
        return None   # 3カ月半: half a month is below what a month date can say
    approx = bool(g["approx"] or g["more"] or g["yhalf"] or g["half"])
    return _fields("since", None if approx else _since(anchor, years or 0, months or 0),
                   offset_years=years, offset_months=months, approximate=approx)


def _since(anchor: _Anchor | None, years: int, months: int) -> Resolved:
    """An exact span back from the anchor: the year, or the month when months are counted.
    (An approximate span, 約4年半ぶり, dates nothing: the codebook.)"""
    if anchor is None:
        return None
    if not months:
        return _resolved(anchor.year - years)
    if anchor.month is None:
        return None
    year, month = _shift_month(anchor.year, anchor.month, -(years * 12 + months))
    return _resolved(year, month)


Handler = Callable[[Groups, _Anchor | None], dict | None]

# Rule order breaks ties between candidates with the same start and length.
_RULES: tuple[tuple[re.Pattern, Handler], ...] = (
    (_P_PRESENT, _on_present),
    (_P_DAY_RANGE, _on_day_range),
    (_P_MONTH_RANGE, _on_month_range),
    (_P_YEAR_RANGE, _on_year_range),
    (_P_YEAR_LED, _on_calendar),
    (_P_MONTH_LED, _on_calendar),
    (_P_DAY_LED, _on_calendar),
    (_P_NUMERIC, _on_numeric),
    (_P_EN_MDY, _on_english),
    (_P_EN_DMY, _on_english),
    (_P_EN_MY, _on_english),
    (_P_YEAR_WORD, _on_year_word),
    (_P_WEEK, _on_week),
    (_P_WEEKDAY, _on_weekday),
    (_P_DAY_WORD, _on_day_word),
    (_P_CHAINED_DAY, _on_chained_day),
    (_P_SINCE, _on_since),
)


# 10日ごろ, 3月頃: an approximate date says one step less than it writes.
_P_ABOUT = re.compile(f"{_SP}(?:ごろ|頃)")


def _coarser(fields: dict) -> dict:
    """The date of an approximate expression one precision coarser (day → month → year → none)."""
    iso = fields.get("date")
    if iso is None:
        return {}
    shorter = {10: iso[:7], 7: iso[:4], 4: None}[len(iso)]
    return {"date": shorter, "precision": {7: "month", 4: "year"}.get(len(shorter or "")),
            "approximate": True}


# The handlers whose dates the clause's tense places (a day or weekday without its month).
_TENSED = frozenset({_on_calendar, _on_day_range, _on_weekday})


# ---------------------------------------------------------------------------- entry points
def find_dates(text: str, anchor: str | None = None) -> list[DateMention]:
    """Every temporal expression in text, in order, resolved against anchor (the article's
    own date, ISO at any precision) where they need one. Overlaps go to the leftmost, then
    the longest. ValueError only for a malformed anchor; any text is fine."""
    parsed = _parse_anchor(anchor) if anchor is not None else None
    folded = fold(text)
    candidates = [(match.start(), -match.end(), order, match, handler)
                  for order, (pattern, handler) in enumerate(_RULES)
                  for match in pattern.finditer(folded)]
    candidates.sort(key=lambda c: c[:3])
    mentions, taken = [], 0
    for start, neg_end, _, match, handler in candidates:
        if start < taken:
            continue
        seen = parsed
        if parsed is not None and handler in _TENSED:
            seen = replace(parsed, direction=clause_tense(folded, -neg_end))
        # A handler turning its match down leaves the place to the next candidate.
        if (fields := handler(match.groupdict(), seen)) is not None:
            if _P_ABOUT.match(folded, -neg_end):
                fields |= _coarser(fields)
            taken = -neg_end
            mentions.append(DateMention(start, taken, text[start:taken], **fields))
    return mentions


_STANDALONE_KINDS = frozenset({"absolute", "range", "present_year"})
_LABEL = r"(?:[a-z_]+ ?[:=]? ?)?"   # "date 2025-12", "published: 2019"
_P_BARE = re.compile(rf"{_LABEL}(?P<y>[12][0-9]{{3}})(?:[-/.](?P<m>1[0-2]|0?[1-9]))?")
_P_COMPACT = re.compile(rf"{_LABEL}(?P<y>[12][0-9]{{3}})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12][0-9]|3[01])")


def dates_agree(a: str | None, b: str | None) -> bool:
    """Two ISO dates at any precision agree at the precision both have (2024, 2024-05 and
    2024-05-03 agree; 2024-05 and 2024-06 do not); an unknown date contradicts nothing."""
    if not a or not b:
        return True
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def parse_date(value: str) -> tuple[str, str] | None:
    """A standalone date (metadata cell, dateline) in any common form → (iso, precision):
    '2025-12-03', '2023/4/20', '2017年03月24日(金)21時30分', 'November 19, 2024',
    '令和元年5月30日', '2024年11月', '2019', '20251203'. None when it is not a date
    that stands on its own (12月2日 needs an anchor)."""
    if not isinstance(value, str):
        return None
    for mention in find_dates(value):
        if mention.kind in _STANDALONE_KINDS and mention.date is not None:
            return mention.date, mention.precision
    bare = fold(value).strip()
    if m := _P_COMPACT.fullmatch(bare):
        return _resolved(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _P_BARE.fullmatch(bare):
        return _resolved(int(m["y"]), _num(m["m"]))
    return None


def resolve_chain(mentions: list[DateMention]) -> list[DateMention]:
    """Resolve 同日, 翌日, 同年12月, 翌年 against the date the text mentioned last, at no more
    precision than both give: the narrative's own chain, not the article's date."""
    resolved: list[DateMention] = []
    last: DateMention | None = None
    for mention in mentions:
        if mention.kind in _CHAINED_KINDS and mention.date is None and last is not None:
            mention = _chained(mention, last) or mention
        if mention.date and mention.kind not in ("since", "present_year"):
            last = mention
        resolved.append(mention)
    return resolved


def _chained(mention: DateMention, last: DateMention) -> DateMention | None:
    base = [int(p) for p in last.date.split("-")]
    unit = mention.kind.split("_")[1]
    offset = {"same": 0, "next": 1, "previous": -1}[mention.kind.split("_")[0]]
    year, month, day = (base + [None, None])[:3]
    if unit == "day":
        if day is None:
            return None
        try:
            moved = dt.date(year, month, day) + dt.timedelta(days=offset)
        except OverflowError:
            return None
        return replace(mention, date=moved.isoformat(), precision="day", base=last.text)
    if unit == "month":
        if month is None:
            return None
        year, month = _shift_month(year, month, offset)
        day = mention.day
    else:
        year += offset
        month, day = mention.month, mention.day if mention.month else None
    iso = _iso(year, month, day)
    if iso is None:
        return None
    return replace(mention, date=iso, precision=_precision_of(month, day), base=last.text)

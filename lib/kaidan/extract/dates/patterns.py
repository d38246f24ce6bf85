"""The words and regexes of Japanese (and English) date expressions, one regex per form.

Every pattern matches the output of ``fold``. The guards that keep counts, rates and
habits from reading as dates (3日間, 週3日, 毎年4〜6月, 2000年前) sit here beside the forms
they guard.
"""
from __future__ import annotations

import re

from kaidan.text import gated

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


# The characters each rule's matches can start with. A rule is compiled behind them (`gated`),
# and find_dates tries it only where one of them stands (`_FIRST_CHARS`, by rule).
_FIRST_CHARS: dict[re.Pattern, str] = {}
# What each rule's matches begin with, a little further than their first character (`head_of`,
# by rule): find_dates' one pass stops only where some rule's head holds, which turns down
# most places a first character stands (一 in 一方, 日 in 日本, 月 in 月面) before any rule is tried.
# A match that begins with a number begins with a whole run of numerals (no rule starts inside
# one, of digits or of kanji numerals, nor lets a numeral follow the number it reads), and what
# follows the run is what the rule reads next (年, 月, 日, a separator, a bracket, st, カ月):
# those characters, by rule, are `_FOLLOWERS`, and at a number only the rules they allow are tried.
_FOLLOWERS: dict[re.Pattern, str] = {}
_WORD_HEADS: dict[re.Pattern, str] = {}  # the other heads, as a regex


def _rule(first: str, body: str, *, number: str = "", words: str = "") -> re.Pattern:
    """A rule's regex: body behind its first characters; those, the characters that may follow
    the number a match begins with (`number`, none when no match begins with one) and the other
    heads of its matches (`words`) are kept in `_FIRST_CHARS`, `_FOLLOWERS` and `_WORD_HEADS`."""
    pattern = gated(first, body)
    _FIRST_CHARS[pattern] = first
    _FOLLOWERS[pattern] = number
    _WORD_HEADS[pattern] = words
    return pattern


def number_head(followers: str, keep: bool = False) -> str:
    """A whole run of digits or of kanji numerals, then one of followers (a character class's
    contents), kept as group 1 if asked."""
    after = f"([{followers}])" if keep else f"[{followers}]"
    return rf"(?:(?<![0-9])[0-9]+|(?<![0-9{_K}])[{_K}]+){after}"


def head_of(pattern: re.Pattern) -> str:
    """Every head of a rule's matches, as one regex."""
    heads = [number_head(re.escape(_FOLLOWERS[pattern]))] if _FOLLOWERS[pattern] else []
    return "|".join(heads + ([_WORD_HEADS[pattern]] if _WORD_HEADS[pattern] else []))


_NUM_FIRST = f"0-9{_K}"
_ERA_FIRST = "".join(sorted({era[0] for era in _ERA_BASE}))
_YEAR_WORD_FIRST = "一再今昨去本来前翌同"
_MONTH_WORD_FIRST = "今先来前翌同"
_EN_FIRST = "".join(sorted({name[0] for name in _EN_MONTHS}))
_EN = "(?P<mon>" + "|".join(sorted(_EN_MONTH, key=len, reverse=True)) + r")(?![a-z])\.?"

# The heads that are words, and what follows a year (2025年, 2025 年), a month, a day.
_ERA_HEAD = "|".join(_ERA_BASE)
_YEAR_WORD_HEAD = "|".join(_REL_YEAR) + "|前年|翌年|同年"
_MONTH_WORD_HEAD = "|".join(_REL_MONTH) + f"|前月|翌月|同月|同{_SP}[0-9二三四五六七八九十]"
_EN_HEAD = "|".join(sorted({name[:3] for name in _EN_MONTHS}))  # every name and short form begins so
_AFTER_YEAR, _AFTER_MONTH, _AFTER_DAY = " 年", " 月", " 日"
_AFTER_SEP = "~-・、か"  # _SEP's first characters
# Each rule's regex; its handler is paired with it in _RULES below.
_P_PRESENT = _rule(
    _NUM_FIRST,
    rf"{_NB}(?P<y>{_ASCII_YEAR}|{_KNUM}{{3,7}}){_SP}年の?(?:いま|今(?![{_IDEO}])|現在|現時点)",
    number=_AFTER_YEAR)
_P_DAY_RANGE = _rule(
    _NUM_FIRST + _ERA_FIRST + _YEAR_WORD_FIRST + _MONTH_WORD_FIRST,
    rf"{_HABIT}{_RATE_BEFORE_DAY}(?:{_year_head('1')}の?{_SP})?"
    rf"(?:{_NB}(?P<m1>{_MONTH}){_SP}月{_SP}|(?P<rm1>{_REL_MONTH_WORD}){_SP}|{_SAME_MONTH_DAY.format(n=1)})?"
    rf"{_NB}(?P<d1>{_DAY}){_SP}(?P<n1>日)?(?:{_SP}\((?P<wd1>{_WD})(?:曜日?)?\))?{_SP}(?P<sep>{_SEP}){_SP}"
    rf"(?:(?:{_year('2')}{_SP})?(?P<m2>{_MONTH}){_SP}月{_SP})?"
    rf"(?P<d2>{_DAY}){_SP}(?:日|(?P<both>の?両日)){_DAY_NOT_DATE}{_day_tail('2')}{_SPAN}",
    number=_AFTER_YEAR + _AFTER_MONTH + _AFTER_DAY + "(" + _AFTER_SEP,
    words=f"{_ERA_HEAD}|{_YEAR_WORD_HEAD}|{_MONTH_WORD_HEAD}")
_P_MONTH_RANGE = _rule(
    _NUM_FIRST + _ERA_FIRST + _YEAR_WORD_FIRST,
    rf"{_HABIT}(?:{_year_head('1')}の?{_SP})?{_NB}(?P<m1>{_MONTH}){_SP}(?P<n1>月)?{_SP}(?P<sep>{_SEP}){_SP}"
    rf"(?:{_year('2')}{_SP})?(?P<m2>{_MONTH}){_SP}月(?!{_SP}{_DAY}{_SP}日){_SPAN}",
    number=_AFTER_YEAR + _AFTER_MONTH + _AFTER_SEP, words=f"{_ERA_HEAD}|{_YEAR_WORD_HEAD}")
_P_YEAR_RANGE = _rule(
    "12",
    rf"{_NB}(?P<y1>{_ASCII_YEAR}){_SP}年?{_SP}(?P<sep>~|-|から){_SP}(?P<y2>{_ASCII_YEAR}|[0-9]{{2}})"
    rf"{_SP}年(?!度){_YEAR_NOT_DATE}(?!{_SP}{_MONTH}{_SP}月){_SPAN}",
    number=_AFTER_YEAR + "~-か")
_P_YEAR_LED = _rule(
    _NUM_FIRST + _ERA_FIRST + _YEAR_WORD_FIRST,
    rf"{_year_head()}{_YEAR_NOT_DATE}"
    rf"(?:{_SP}の?{_SP}(?P<m>{_MONTH}){_SP}月{_day_or_part()}|の?(?P<yq>{_YEAR_PART}))?",
    number=_AFTER_YEAR, words=f"{_ERA_HEAD}|{_YEAR_WORD_HEAD}")
_P_MONTH_LED = _rule(
    _NUM_FIRST + _MONTH_WORD_FIRST,
    rf"(?:{_HABIT}{_NB}(?<![0-9{_K}][~・-])(?P<m>{_MONTH}){_SP}月|(?P<rm>{_REL_MONTH_WORD})|{_SAME_MONTH_DAY.format(n='')})"
    rf"{_day_or_part()}",
    number=_AFTER_MONTH, words=_MONTH_WORD_HEAD)
# A bare kanji day (二十八日) only with a sign it is a date: 一日も早く is not the 1st.
_P_DAY_LED = _rule(
    _NUM_FIRST,
    rf"{_NB}{_RATE_BEFORE_DAY}(?<![約計数毎延])(?<!毎月)(?<![0-9][~・、-])(?<![0-9]から)"
    rf"(?:(?P<d>3[01]|[12][0-9]|0?[1-9]){_SP}日|(?P<dk>{_DAY})日(?=[、,(午夜朝昼深未早]|付))"
    rf"{_DAY_NOT_DATE}{_day_tail()}",
    number=_AFTER_DAY)
_P_NUMERIC = _rule(
    "12",
    rf"(?<![0-9./-])(?P<y>[12][0-9]{{3}})(?P<sep>[/.-])(?P<m>1[0-2]|0?[1-9])(?P=sep)"
    rf"(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9]|[./-][0-9]){_day_tail()}",
    number="/.-")
_P_EN_MDY = _rule(
    _EN_FIRST,
    rf"(?<![a-z]){_EN} ?(?P<d>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?,? (?P<y>[12][0-9]{{3}})(?![0-9])",
    words=_EN_HEAD)
_P_EN_DMY = _rule(
    "0-9",
    rf"(?<![0-9])(?P<d>3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)? {_EN},? (?P<y>[12][0-9]{{3}})(?![0-9])",
    number=" snrt")
_P_EN_MY = _rule(_EN_FIRST, rf"(?<![a-z]){_EN},? (?P<y>[12][0-9]{{3}})(?![0-9])", words=_EN_HEAD)
_P_YEAR_WORD = _rule(
    "年", rf"(?<![{_IDEO}{_K}0-9])年(?P<yq>末(?!年始)|暮れ|初め|初頭|初|頭|始(?!末)|明け)",
    words="年[末暮初頭始明]")
_P_WEEK = _rule(
    "先今再来",
    rf"(?P<wk>先々週|先週|今週|(?<![{_IDEO}])(?:再来週|来週))"
    rf"(?:の?(?P<part>初め|明け|前半|半ば|後半|末))?(?:の?(?P<wd>{_WD})曜日?)?",
    words="先々週|先週|今週|再来週|来週")
_P_WEEKDAY = _rule(
    "月火水木金土日(",
    rf"(?<![0-9毎])(?<!毎週)(?P<wd>{_WD})曜日?|\((?P<wdp>{_WD})(?:曜日?)?(?:・祝)?\)",
    words=rf"{_WD}曜|\({_WD}")
_P_DAY_WORD = _rule(
    "本一昨今",
    rf"(?P<rd>(?<![{_IDEO}])本日|一昨昨日|一昨日|(?<!昨)昨日|今朝(?!鮮)|昨夜|今夜|昨晩){_DAYPART}?",
    words="本日|一昨|昨日|今朝|昨夜|今夜|昨晩")
_P_CHAINED_DAY = _rule(
    "同当翌前", rf"(?<![{_IDEO}])(?P<cd>同日(?!程)|当日|翌日|前日|翌朝){_DAYPART}?",
    words="同日|当日|翌日|前日|翌朝")
# A two-digit year standing alone (24年に, 18年以来, 20年、): a year only where the text
# makes it one. It must follow punctuation or a particle, not a noun (戦後80年, 国交正常化50年)
# nor a word of duration (この20年, あと10年, から20年), and be followed by に (not 10年に一度,
# 20年になる), から (not 5年から10年), 以来 or a comma. The caller also asks for a full year
# written before it (see find_dates).
_SHORT_YEAR_BEFORE = r"(?:^|(?<=[\s、。「『（(【・])|(?<=[はがもやば])|(?<=(?<!あ)と))"
_P_SHORT_YEAR = _rule(
    "0-9",
    rf"{_SHORT_YEAR_BEFORE}(?P<yy>[0-9]{{2}}){_SP}年"
    rf"(?=に(?![0-9{_K}]|な|及|達|わた|渡|延|短|引|一|満)|から(?![0-9{_K}])|以来|、)",
    number=_AFTER_YEAR)
_SINCE_NUM = f"(?:[0-9]{{1,3}}|{_KNUM}{{1,4}})"
_P_SINCE = _rule(
    _NUM_FIRST + "約おほ実半",
    rf"(?:(?P<approx>約|およそ|ほぼ|実に){_SP})?(?<![0-9{_K}第])"
    rf"(?:(?P<y>{_SINCE_NUM})年(?P<yhalf>半)?(?:(?P<m>{_SINCE_NUM})[カヶかケ箇ヵ]月)?"
    rf"|(?P<mo>{_SINCE_NUM})[カヶかケ箇ヵ]月(?P<mhalf>半)?|(?P<half>半)年)"
    rf"(?P<more>余り|あまり|超|以上|ほど|近く|程度)?(?:ぶり|振り|前(?![後半倒]))",
    number="年カヶかケ箇ヵ", words=rf"(?:約|およそ|ほぼ|実に){_SP}[0-9{_K}半]|半年")



# 10日ごろ, 3月頃: an approximate date says one step less than it writes.
_P_ABOUT = re.compile(f"{_SP}(?:ごろ|頃)")

"""Meetings an article reports, by the codebook: who met whom, when, where, how.

A meeting starts at a trigger (会談, 協議, 電話会談, 2プラス2, 訪問 ...). A sentence is cut
into segments where a later clause brings its own trigger with its own date or an
"also met" (とも会談): each segment drafts one meeting from the people, places and
dates in it, with the sentence's subject shared. Later sentences about the same
meeting add to it instead of making a new row. "<date>以来" beside a meeting names an
earlier one. The meeting the article opens with is `main`; the others are
`background`, kept only when the text gives their year or their round.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field, replace

from kaidan.extract.dates import DateMention, clause_tense, dates_agree, find_dates, parse_date, resolve_chain
from kaidan.reference import Reference, parse_day
from kaidan.text import kanji_to_int

# Words that report an encounter between officials.
TRIGGER = re.compile(
    r"電話会談|電話協議|電話で会談|電話で協議|電話で話|電話をかけ|オンライン会談|オンラインで会談|オンライン形式|ビデオ会談|"
    r"ビデオ形式|ビデオ会議|テレビ会談|テレビ会議|リモート会談|首脳会談|首脳会議|外相会談|国防相会談|防衛相会談|"
    r"閣僚協議|会議を開|会議を行|直接交渉|和平交渉|停戦交渉|交渉を行|交渉を開|会談|協議|会見し|会見した|接見|面会|"
    r"対話を行|戦略対話|2プラス2|2\+2|２＋２|顔を合わせ|と会い|と会った|"
    r"と会う|会合|サミット|晩餐会|公式訪問|国賓訪問|訪問し|訪問した|訪問する|訪問して|訪問中|を訪問|を訪れ|訪日|訪中|訪露|訪ロ|"
    r"訪米|訪韓|訪朝|訪印|が出席|も出席|が同席|も同席")
# Trigger words that, inside these, do not make a meeting.
NOT_A_MEETING = re.compile(r"記者会見|協議会|会談後の記者|協議体|委員会会合|閣僚会合|外相会合|国防相会合|首脳会合")
# A count or habit of meetings (年内に3回会談, 電話会談を重ねて) is not one meeting.
FREQUENCY = re.compile(r"(?<![第0-9０-９])[0-9０-９一二三四五六七八九十数]+(回|度)(の)?$|^を?重ね|^を繰り返|たびたび$|頻繁に$|"
                       r"何度も$")
# Words of a multilateral gathering: after a forum's name they are the forum's meeting, not a bilateral one.
MULTILATERAL = re.compile(r"首脳会議|サミット|会合|会議|閣僚会議|外相会議|国防相会議")
VISIT_TRIGGER = re.compile(r"訪問|訪れ|訪[日中露ロ米韓朝印]")
PHONE = re.compile(r"電話")
VIDEO = re.compile(r"オンライン|ビデオ|テレビ会|リモート")
SUMMIT = re.compile(r"首脳|サミット|国賓|公式訪問")
SCHEDULED = re.compile(r"^.{0,25}?(予定|見通し|方向で調整|調整して|開く方針|開催する方針|行う方針|臨む|見込み|計画|へ$|へ[。 、\n]|招待|"
                       r"ことで(合意|一致)|を楽しみ|「楽しみ」)")
ALSO_MET = re.compile(r"とも(個別に)?(会談|会い|会っ|協議|面会|会見)")
NEW_MEETING = re.compile(ALSO_MET.pattern + r"|先立ち|先立って|先だって|その後|続いて|次いで")
STARTS = re.compile(r"^(に|から)(始まる|始まった|開幕|開会)")
BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
# 会談の実現を模索, 会談を提案, 会談が実現する可能性: a meeting only hoped for or proposed.
HOPED = re.compile(r"^(の(早期)?(実現|開催))?[をがもに]?(実現|開催)?(する|される)?(可能性|検討|模索|呼びかけ|提案|要請|打診|"
                   r"求め|望|希望|目指|に意欲)")
# 会談を行っていない, 会談せず: a meeting that did not happen.
NEGATED = re.compile(r"^(を|は)?(行って|行われて|開いて|開かれて)?(い)?ない|^(せず|しなかった|していない|できず|できなかった)")
SESSION = re.compile(r"第\s*([0-9０-９一二三四五六七八九十]+)\s*回|([0-9０-９]+)\s*回目|(初の|初めての|初会合)")
# A round written as one (第10回); 5回目 and 初の are rounds only of a named series, else counts of meetings.
ROUND_WRITTEN = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]+\s*回")
SINCE = re.compile(r"^((の|に)[^。]{0,40}?)?(以来|以降)")
VENUE_AFTER = re.compile(r"^(都|府|県|州|省|市)?(内|郊外|近郊)?(など)?(の[^、。でにはがを]{1,12})?"
                         r"(で|にて|において|を訪問|を訪れ|での|入り|に到着|訪問)")  # 北京の人民大会堂で
# After a building (人民大会堂, ホワイトハウス): only "at" counts; ホワイトハウスの声明で is its voice.
VENUE_AT = re.compile(r"^(内|の中|の一室)?(で|にて|において|での|を訪問|を訪れ|入り|に到着)")
# A photo caption names where it was taken right after ＝: ＝16日、首相官邸, ＝東京都港区.
CAPTION_PLACE = re.compile(r"[=＝]([0-9０-９]{1,2}日[、,]?)?(午前|午後)?$")
AT_FORUM = re.compile(r"[」』)）]?(に合わせ|にあわせ|の際|の合間|に際し|期間中|に?出席|に?参加|を機に|の場で|の傍ら|の機会|で)")
READING = re.compile(r"[(（][^()（）、。]{1,20}[)）]")
VISIT_AFTER = re.compile(r"^(を(公式|国賓)?訪問|を訪れ|(公式|国賓|実務)?訪問|入り|に到着)")
FORUM_CONTEXT = re.compile(r"^[」』)）]?.{0,12}?(に合わせ|にあわせ|の際|の合間|に際し|に伴い|期間中|に出席|を機に|の場で|の傍ら|の機会)")
ORIGINAL_DATE = re.compile(
    r"^\s*(\d{4}[/\-.年]\d{1,2}[/\-.月]\d{1,2}日?)\s*\S{0,20}(記事より|より転載|より翻訳|原文)", re.MULTILINE)
# 2022年03月07日付 Milliyet 紙: the date of the translated paper's article.
DATED_PAPER = re.compile(r"^\s*(\d{4}年\d{1,2}月\d{1,2}日)付[^\n]{0,30}?(紙|新聞|通信)", re.MULTILINE)
# 【2024年5月27日 ソウル】 at the top of an article: its dateline.
DATELINE = re.compile(r"^\s*【\s*(\d{4}年\s*\d{1,2}月\s*\d{1,2}日)[^】]{0,20}】")
# 1日に就任した石破首相と: a date inside a clause that modifies a noun dates that clause.
RELATIVE_CLAUSE = re.compile(r"^に?(?P<verb>[^、。「」]{0,12}?(?<!ま)[たる])(?=[\u3400-\u9fff\u30a1-\u30fc])")
NOUN_PHRASE = re.compile(r"[^、。とをにでがはもへの「」]{1,20}")
# 首脳間で署名した宣言: an act of both sides together is done where they meet.
JOINT_ACT = re.compile(r"(首脳|外相|閣僚|国防相|防衛相)(間|同士)|両(首脳|外相|国防相|防衛相|大臣|閣僚)")
# 7日夜に記者会見し / 20日の声明で: the date of a statement, not of the talks it reports.
STATEMENT_AFTER = re.compile(r"^(夜|午前|午後|朝)?(に|の)?(記者会見|会見|声明|談話|インタビュー|取材|記者団|ブリーフィング)")
# 会談したと明らかにした: a meeting reported inside a statement; "10日、" before it dates the statement.
REPORTED = re.compile(r"(を行った|を行う|した|する|を行っている|していた|を実施した)?(と|ことを)"
                      r"(明らかにし|発表し|述べ|語っ|伝え|表明し|公表し|知らせ|説明し)")
# 18日から訪米: the start of a trip, not the day of talks held during it.
VISIT_START = re.compile(r"(から|より)[^、。]{0,20}?(訪[日中露ロ米韓朝印]|訪問|来日|訪れ|滞在|の日程)")
# A date right after a newspaper's name in 『』 cites the paper, not the meeting: 『讀賣新聞』3月21日.
CITATION_BEFORE = re.compile(r"[』]\s*$|(新聞|紙|通信|電子版)\s*$")
# A person written as a source or a relation, not a participant: 王氏によると, トランプ氏の娘婿.
NOT_PARTICIPANT_AFTER = re.compile(
    r"^(氏|首相|大統領|主席|外相)?(によると|によれば|の話では|政権|政府|内閣|陣営|の(娘婿|妻|夫|息子|娘|父|母|側近|発言|"
    r"政権|政府|顧問|補佐官|特使|報道官|後任|前任|時代|就任))")
SIDE_AFTER = re.compile(
    r"^(側|政府|代表|首脳|外相|国防相|両国|高官|当局|主席|国家主席|大統領|首相|"
    r"の(首脳|外相|国防相|代表|大統領|首相|国家主席|主席|高官|閣僚))|"
    r"^[0-9０-９二両]?(閣僚|首脳|高官|代表団|大臣)")
DELEGATION_AFTER = re.compile(r"^(側|の?代表団|の?政府代表|の?交渉団)")
# What may stand before a page's own date stamp at the very start of a body.
STAMP_BEFORE = re.compile(r"\s*(date|published|updated|日付|更新日?|公開日?|掲載日?|配信日?|投稿日?)?\s*[:：]?\s*", re.I)
# Words that refer back to the meeting just reported: 会談では, 今回の協議, 同会談.
REFERRING = re.compile(r"(今回の|この|同)(会談|協議|会合|対話)|(会談|協議|会合|対話)(では|で|の中で|後)")
BOTH = re.compile(r"両(首脳|外相|国防相|防衛相|大臣|閣僚|氏)")
BOTH_ROLES = {"首脳": ("head_of_state", "head_of_government"), "外相": ("foreign_minister",),
              "国防相": ("defence_minister",), "防衛相": ("defence_minister",)}
CAPTION = re.compile(r"[=＝].{0,20}(提供|撮影|ロイター|AFP|共同|時事)|（?写真[）)]?$|【写真")
CLAUSE = re.compile(r"[、，,]")
HEAD_ROLES = {"head_of_state", "head_of_government"}
LIST_JOINERS = ("と", "や", "及び", "および", "・")  # not 、: 5日、3日に着任した外相と is no list
PAIR_JOINERS = ("と", "・", "、")  # ロシアとウクライナ, 日・ロ: two countries written as one party
KANJI_RUN = re.compile(r"[\u4e00-\u9fff々]+")


@dataclass
class Draft:
    """A meeting being assembled from one or more sentence segments."""

    sentences: list[int]
    countries: set[str]
    participants: list[str]
    date: DateMention | None
    city: str | None
    host_country: str | None
    mode: str
    series: str | None
    session: int | None
    status: str
    forum: str | None
    summit: bool
    background: bool = False   # an earlier meeting named by 以来
    caption: bool = False      # read from a photo caption
    trip_only: bool = False    # only a visit so far: reported only once a meeting joins it
    separate: bool = False     # written as another meeting (とも会談, これに先立ち, その後)
    person_country: dict[str, str | None] = field(default_factory=dict)
    evidence_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Context:
    """What the segments of one article share."""

    body: str
    reference: Reference
    mentions: list[dict]
    dates: list[DateMention]
    on: dt.date | None
    anchor_is_year: bool
    anchor: str | None = None     # the article's own date, as ISO
    anchor_source: str = ""       # where it was read: published, dateline, 2018年5月以来5年ぶり …


def anchor_for(article: dict, body: str, sentences: list[dict]) -> str | None:
    """The article's own date, which deictic expressions (今年, 来月, 7日, 金曜) refer to."""
    return article_anchor(article, body, sentences)[0]


def article_anchor(article: dict, body: str, sentences: list[dict]) -> tuple[str | None, str]:
    """(the article's own date, where it was read), most trusted first: the original
    article's date for a translation or repost (2023/4/20 RIAC記事より, 2022年03月07日付
    Milliyet紙), the publication date, a dateline 【2024年5月27日 ソウル】, the year an exact
    'since' states (2018年5月以来5年ぶり → 2023; 約5年ぶり states none), the year the text
    says it is (2025年のいま), and last only the month of a full date in the lead: the
    narrative starts there, but that day is not the article's day."""
    original = ORIGINAL_DATE.search(body) or DATED_PAPER.search(body)
    if original and (parsed := parse_date(original.group(1))):
        return parsed[0], "original article"
    published = article.get("published")
    if isinstance(published, str) and published:
        return published, "published"
    if (dateline := DATELINE.search(body)) and (parsed := parse_date(dateline.group(1))):
        return parsed[0], "dateline"
    unanchored = find_dates(body, None)
    for earlier, since in zip(unanchored, unanchored[1:]):
        if since.kind == "since" and not since.approximate and earlier.date \
                and "以来" in body[earlier.end:since.start] and since.start - earlier.end < 20:
            # N年ぶり counts years: the month stays open; N年Mカ月ぶり counts months from a month
            base = earlier.date[:7] if since.offset_months else earlier.date[:4]
            if anchor := _add_offset(base, since.offset_years or 0, since.offset_months or 0):
                return anchor, f"{earlier.text}以来{since.text}"
    for mention in unanchored:
        if mention.kind == "present_year" and mention.date:
            return mention.date, mention.text
    lead_end = sentences[min(2, len(sentences) - 1)]["end"] if sentences else 0
    for mention in unanchored:
        if mention.start < lead_end and mention.kind == "absolute" and mention.precision == "day":
            return mention.date[:7], f"month of {mention.text} in the lead"
    return None, ""


def _add_offset(iso: str, years: int, months: int) -> str | None:
    """iso moved on by years and months; None past year 9999 (九千年ぶり is no anchor) and
    when months move a year-only date (2013年 + 3年4カ月 may end in 2016 or 2017)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + years:04d}" if parts[0] + years <= 9999 and not months else None
    total = parts[0] * 12 + (parts[1] - 1) + years * 12 + months
    year, month = divmod(total, 12)
    if year > 9999:
        return None
    return f"{year:04d}-{month + 1:02d}" if months or len(parts) == 2 else f"{year:04d}"


def _session(text: str) -> int | None:
    match = SESSION.search(text)
    if not match:
        return None
    if match.group(3):
        return 1
    return kanji_to_int(match.group(1) or match.group(2))


def find_meetings(article: dict, sentences: list[dict], mentions: list[dict], reference: Reference) -> list[dict]:
    """The meetings rows of one article."""
    body = article["body"]
    if not sentences:
        return []
    anchor, source = article_anchor(article, body, sentences)
    dates = [_with_basis(d, anchor, source) for d in resolve_chain(find_dates(body, anchor))
             if not CITATION_BEFORE.search(body[max(0, d.start - 6):d.start])]
    on = parse_day(anchor) if anchor else None
    ctx = Context(body, reference, sorted(mentions, key=lambda m: m["start"]), dates, on,
                  anchor_is_year=bool(anchor) and len(anchor) == 4, anchor=anchor, anchor_source=source)

    drafts: list[Draft] = []
    latest: Draft | None = None  # the meeting the previous sentence was about
    for sentence in sentences:
        for start, end in _segments(ctx, sentence):
            draft = _draft(ctx, sentence, start, end, drafts)
            if draft is None:
                if latest is not None and REFERRING.search(body, start, end):
                    latest.sentences.append(sentence["index"])  # 会談では…: more about the same meeting
                    latest.evidence_spans.append((sentence["start"], sentence["end"]))
                continue
            listed = [replace(copy.deepcopy(draft), date=other, separate=True)
                      for other in _listed(ctx, draft.date, start, end)]  # 2月と9月の電話会談: a meeting a date
            target = None if (draft.separate or draft.background) else _target(drafts, draft, latest)
            if target is None:
                drafts.append(draft)
                latest = draft
            else:
                _merge(target, draft)
                latest = target
            drafts += listed
    return _rows(article, body, drafts)


def _listed(ctx: Context, chosen: DateMention | None, start: int, end: int) -> list[DateMention]:
    """The other dates of a list the meeting's date is in (先月23日や今月6日に電話会談, 2月と
    9月の会談): each is a meeting of its own. Only dates the text resolves take part."""
    if chosen is None or not chosen.date:
        return []
    inside = [d for d in ctx.dates if start <= d.start < end and d.kind not in ("since", "present_year")
              and (d is chosen or not _dates_other_event(ctx, d))]
    if chosen not in inside:
        return []
    at = inside.index(chosen)
    group = [chosen]
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(inside):
            a, b = (inside[i + step], inside[i]) if step < 0 else (inside[i], inside[i + step])
            if ctx.body[a.end:b.start] not in LIST_JOINERS:
                break
            group.append(inside[i + step])
            i += step
    return [d for d in sorted(group[1:], key=lambda d: d.start) if d.date and d.date != chosen.date]


def _triggers(body: str, start: int, end: int, ctx: Context) -> list[re.Match]:
    """Trigger words in body[start:end] that report a bilateral encounter."""
    found = []
    for match in TRIGGER.finditer(body, start, end):
        window = body[max(0, match.start() - 3):match.end() + 3]
        if NOT_A_MEETING.search(window):
            continue
        if FREQUENCY.search(body[max(0, match.start() - 6):match.start()]) or \
                FREQUENCY.match(body[match.end():match.end() + 4]) or NEGATED.match(body[match.end():match.end() + 10]) \
                or HOPED.match(body[match.end():match.end() + 16]):
            continue
        if MULTILATERAL.fullmatch(match.group(0)) and _after_forum(ctx, match.start()):
            continue
        found.append(match)
    return found


def _after_forum(ctx: Context, pos: int) -> bool:
    """SCO首脳会議, 「BRICS」首脳会議: the gathering of a forum."""
    for mention in ctx.mentions:
        if mention["kind"] in ("forum", "organisation") and 0 <= pos - mention["end"] <= 6 \
                and not re.search(r"[、。でにと]", ctx.body[mention["end"]:pos]):
            return True
    return False


def _segments(ctx: Context, sentence: dict) -> list[tuple[int, int]]:
    """Cut a sentence where a later clause reports another meeting: its own trigger with its
    own date, or an 'also met' (とも会談)."""
    start, end = sentence["start"], sentence["end"]
    if not _triggers(ctx.body, start, end, ctx):
        return []
    cuts = [start] + [m.end() for m in CLAUSE.finditer(ctx.body, start, end)] + [end]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    segments: list[list[int]] = []
    for a, b in clauses:
        has_trigger = bool(_triggers(ctx.body, a, b, ctx))
        own_date = any(a <= d.start < b and d.kind not in ("since", "present_year") for d in ctx.dates)
        new = NEW_MEETING.search(ctx.body, a, b) is not None
        if segments and has_trigger and (own_date or new) and _triggers(ctx.body, segments[-1][0], segments[-1][1], ctx):
            segments.append([a, b])
        elif segments:
            segments[-1][1] = b
        else:
            segments.append([a, b])
    return [(a, b) for a, b in segments if _triggers(ctx.body, a, b, ctx)]


def _draft(ctx: Context, sentence: dict, start: int, end: int, drafts: list[Draft]) -> Draft | None:
    body, reference = ctx.body, ctx.reference
    text = body[start:end]
    triggers = _triggers(body, start, end, ctx)
    inside = [m for m in ctx.mentions if start <= m["start"] < end]
    # the sentence's subject (王氏は18日に…と会談したほか、19日には…とも協議) counts for every segment
    subject = [m for m in ctx.mentions if sentence["start"] <= m["start"] < start and m["kind"] == "person"
               and re.match(r"^(氏|[^、。]{0,8}?)(は|が)", body[m["end"]:m["end"] + 10])]
    participants: list[str] = []
    for m in subject + [m for m in inside if m["kind"] == "person"]:
        if m["id"] not in participants and not _not_participant(body, m) and not _modifier(ctx, m):
            participants.append(m["id"])
    participants += [p for p in _both(ctx, text, start, drafts) if p not in participants]
    countries = _sides(ctx, inside, participants, triggers)

    city, host = _venue(ctx, inside)
    if host and len(countries) < 2:
        countries.add(host)
    background_since = None
    series = None
    for m in inside:
        if m["kind"] == "series" and m["id"] != "summit":
            wanted = reference.series_countries.get(m["id"], frozenset())
            if not wanted or wanted <= countries or countries <= wanted:
                series = m["id"]
                countries |= set(wanted)
    session = _session(text)
    if series is None and session is not None:
        # 第8回会合 after the series was named: the same series, between the same sides
        earlier = next((d for d in reversed(drafts) if d.series and countries <= d.countries), None)
        if earlier is not None:
            series = earlier.series
            countries |= earlier.countries

    first = triggers[0].group(0)
    mode = "phone" if PHONE.search(first) else "video" if VIDEO.search(first) else "in_person"
    if mode != "in_person":
        city, host = None, None
    heads = _heads(participants, reference)
    summit = bool(SUMMIT.search(" ".join(t.group(0) for t in triggers))) or \
        bool(re.search(r"首脳", body[max(start, triggers[0].start() - 15):triggers[0].start()])) or \
        len({reference.people[p].country for p in heads}) >= 2 or \
        (any(reference.people[p].country != host for p in heads) and host is not None
         and any(VISIT_TRIGGER.search(t.group(0)) for t in triggers))  # a leader's visit abroad

    date = _date(ctx, start, end, triggers)
    for d in ctx.dates:
        if start <= d.start < end and d.date and d.kind not in ("since", "present_year") and SINCE.match(body[d.end:d.end + 16]):
            background_since, date = d, d
            break
    if background_since is not None:
        city, host = _since_venue(ctx, background_since, inside) or (None, host if len(countries) >= 2 else None)
        session = None  # 昨年3月以来3回目: the number counts the meeting now, not the earlier one

    if background_since is not None and len(countries) < 2 and drafts:
        main = _main(drafts)
        countries |= main.countries
        series = series or main.series
        summit = summit or main.summit
    separate = NEW_MEETING.search(body, start, triggers[0].end()) is not None
    if ALSO_MET.search(body, start, triggers[-1].end() + 4) and drafts:
        _inherit_subject(drafts[-1], participants, countries, reference)
        if date is None and drafts[-1].date and drafts[-1].date.date:
            date = _month_of(drafts[-1].date)
        city = city or (drafts[-1].city if re.search(r"とも", text) else None)
        host = host or drafts[-1].host_country
    if len(countries) < 2:
        return None
    # An official's trip with no one met is not a meeting by itself (a head of state's visit
    # counts as a summit), but it dates and places the meeting a later sentence reports.
    trip_only = all(VISIT_TRIGGER.search(t.group(0)) for t in triggers) and not heads and \
        len({reference.people[p].country for p in participants}) < 2

    status = "scheduled" if any(SCHEDULED.match(body[t.end():t.end() + 30]) for t in triggers) else "held"
    forum = next((m["id"] for m in inside if m["kind"] == "forum" and FORUM_CONTEXT.match(body[m["end"]:m["end"] + 20])),
                 None)
    if summit and series is None and session is not None and not re.search(r"第\s*\S+\s*回", text):
        session = None  # 22回目の首脳会談 counts personal meetings, not a numbered round
    return Draft(sentences=[sentence["index"]], countries=countries, participants=participants, date=date,
                 city=city, host_country=host, mode=mode, series=series, session=session, status=status,
                 forum=forum, summit=summit, background=background_since is not None, trip_only=trip_only,
                 separate=separate,
                 caption=bool(CAPTION.search(sentence["text"])), evidence_spans=[(sentence["start"], sentence["end"])],
                 person_country={p: reference.people[p].country for p in participants})


def _sides(ctx: Context, inside: list[dict], participants: list[str], triggers: list[re.Match]) -> set[str]:
    """The countries that take part: those of the participants, when they are of two or more
    countries, with only a pair word written on the meeting itself (日米豪首脳会談) or a named
    delegation (韓国代表団) added; otherwise the countries the clause writes as parties.
    A country merely discussed in the sentence (talks about China) is not a side."""
    sides = {ctx.reference.people[p].country for p in participants if ctx.reference.people[p].country}
    if len(sides) >= 2:
        for m in inside:
            if m["kind"] == "country" and (_on_trigger(ctx.body, m, triggers) or _delegation(ctx.body, m)):
                sides.add(m["id"])
        return sides
    countries = set(sides)
    named = [m for m in inside if m["kind"] == "country"]
    side = [m["resolution"] in ("compound", "context") or _is_side(ctx.body, m) or _delegation(ctx.body, m)
            or _on_trigger(ctx.body, m, triggers) for m in named]
    for i in range(len(named) - 2, -1, -1):  # ロシアとウクライナの代表団: the first of a pair too
        if side[i + 1] and ctx.body[named[i]["end"]:named[i + 1]["start"]] in PAIR_JOINERS:
            side[i] = True
    countries.update(m["id"] for m, is_side in zip(named, side) if is_side)
    return countries


def _on_trigger(body: str, mention: dict, triggers: list[re.Match]) -> bool:
    """A country written on the meeting itself: 日米豪首脳会談, 米中の高官協議, ウクライナの直接交渉."""
    def on(trigger: re.Match) -> bool:
        if trigger.start() < mention["end"]:
            return False
        between = body[mention["end"]:trigger.start()]
        if mention["resolution"] != "compound" and not between.startswith("の"):
            return False
        return len(between) <= 6 and not re.search(r"[、。をとがでに]", between)
    return mention["resolution"] in ("compound", "name") and any(on(t) for t in triggers)


def _delegation(body: str, mention: dict) -> bool:
    """A side written as a delegation: 韓国代表団, ロシア側, ウクライナの代表団."""
    return DELEGATION_AFTER.match(body[mention["end"]:mention["end"] + 8]) is not None


def _modifier(ctx: Context, mention: dict) -> bool:
    """A name written straight onto a noun (トランプ関税, プーチン体制, 習近平思想) qualifies
    the noun: the person is not there. A name goes on with 氏, a particle, punctuation, or a
    run of kanji that ends as titles end (露外務大臣, 長官, 国家主席: the last character of
    some title the reference knows)."""
    run = KANJI_RUN.match(ctx.body, mention["end"], mention["end"] + 24)
    if run is None:
        return False
    word = run.group(0)
    titles, title_ends = _title_words(ctx.reference)
    return not (word.startswith(("氏", "元", "前", "現", "新", "両", "各")) or word.startswith(titles)
                or word[-1] in title_ends)


def _title_words(reference: Reference) -> tuple[tuple[str, ...], frozenset[str]]:
    """Every title the reference knows and the characters titles end with, built once per
    reference (kept in its `derived` indexes), to tell 外相 from 関税."""
    found = reference.derived.get("title_words")
    if found is None:
        found = reference.derived["title_words"] = (tuple(reference.titles), frozenset(t[-1] for t in reference.titles))
    return found


def _not_participant(body: str, mention: dict) -> bool:
    """元国家主席 (a former office holder), 王氏によると (a source), トランプ氏の娘婿 (a relation)."""
    after = body[mention["end"]:mention["end"] + 12]
    return after.startswith(("元", "前")) or NOT_PARTICIPANT_AFTER.match(after) is not None


def _is_side(body: str, mention: dict) -> bool:
    """A country written as a party to the talks: 中国とロシアが, ロシア側, ロシア2閣僚は."""
    after = body[mention["end"]:mention["end"] + 8]
    before = body[max(0, mention["start"] - 1):mention["start"]]
    if SIDE_AFTER.match(after):
        return True
    if after.startswith("と") and re.match(r"^と[^、。]{1,12}?(が|は|の首脳|の外相)", after):
        return True
    return before == "と" and re.match(r"^(が|は|の(首脳|外相|国防相|間))", after) is not None


def _both(ctx: Context, text: str, offset: int, drafts: list[Draft]) -> list[str]:
    """両外相, 両首脳: the two people of that role the article named before. Where it named
    more (the host of a summit as well), the two are those of the meeting the text is about;
    failing that, nobody."""
    found: list[str] = []
    for match in BOTH.finditer(text):
        roles = BOTH_ROLES.get(match.group(1))
        named = [m["id"] for m in ctx.mentions if m["kind"] == "person" and m["start"] < offset + match.start()]
        by_country: dict[str, str] = {}
        for person_id in named:
            person = ctx.reference.people[person_id]
            held = person.roles_on(ctx.on)
            if (roles is None or held & set(roles)) and person.country:
                by_country[person.country] = person_id
        if len(by_country) > 2:
            about = _main(drafts).countries if drafts else set()
            by_country = {c: p for c, p in by_country.items() if c in about}
        if len(by_country) == 2:
            found += [p for p in by_country.values() if p not in found]
    return found


def _heads(participants: list[str], reference: Reference) -> list[str]:
    return [p for p in participants if reference.people[p].roles_on(None) & HEAD_ROLES]


def _venue(ctx: Context, inside: list[dict]) -> tuple[str | None, str | None]:
    """The city written as where it happened (モスクワで, 北京などを訪れ, 釜山（プサン）で, 人民大会堂で,
    a photo caption's =東京都港区の飯倉公館, シャングリラ会合の際), or the country visited."""
    for m in inside:
        if m["kind"] != "place":
            continue
        after = _after_name(ctx.body, m)
        where = VENUE_AT if m["resolution"] == "venue" else VENUE_AFTER
        if (where.match(after) and not SINCE.match(after)) or CAPTION_PLACE.search(ctx.body, max(0, m["start"] - 12), m["start"]):
            return m["id"], ctx.reference.city_country.get(m["id"])
    for m in inside:  # ミュンヘン安全保障会議に出席中: a conference that always meets in one city
        seat = ctx.reference.forum_cities.get(m["id"]) if m["kind"] in ("forum", "organisation") else None
        if seat and AT_FORUM.match(ctx.body, m["end"], m["end"] + 20):
            return seat, ctx.reference.city_country.get(seat)
    for m in inside:
        after = _after_name(ctx.body, m)
        if m["kind"] == "country" and m["resolution"] == "visit":
            return None, m["id"]
        if m["kind"] == "country" and (VISIT_AFTER.match(after) or VENUE_AFTER.match(after)):
            return None, m["id"]
    return None, None


def _after_name(body: str, mention: dict) -> str:
    """The words after a name, past a reading in brackets (釜山（プサン）で) or the bracket that
    closes around it (ロシア(ウラジオストク)訪問中)."""
    end = mention["end"]
    if body[mention["start"] - 1:mention["start"]] in ("(", "（") and body[end:end + 1] in (")", "）"):
        end += 1
    elif reading := READING.match(body, end):
        end = reading.end()
    return body[end:end + 16]


def _since_venue(ctx: Context, since: DateMention, inside: list[dict]) -> tuple[str | None, str | None] | None:
    """The place written with an earlier meeting: 5月のモスクワ以来, 成都で開かれた2019年12月以来."""
    for m in inside:
        if m["kind"] == "place" and abs(m["start"] - since.start) < 16:
            return m["id"], ctx.reference.city_country.get(m["id"])
        if m["kind"] == "country" and since.end <= m["start"] < since.end + 12 and \
                re.match(r"^で", ctx.body[m["end"]:m["end"] + 1]):
            return None, m["id"]
    return None


def _date(ctx: Context, start: int, end: int, triggers: list[re.Match]) -> DateMention | None:
    """The date written closest to the trigger (同日 and 翌日 already resolved along the
    text's chain), leaving out dates of something else: the start of a trip before talks
    during it, and a date set off by a comma before talks reported in a statement (10日、
    …と会談したと明らかにした dates the statement). With only a year to anchor on, an
    unresolved day or weekday keeps that year."""
    only_visits = all(VISIT_TRIGGER.search(t.group(0)) for t in triggers)
    reported = [t for t in triggers if REPORTED.match(ctx.body, t.end())]
    usable = [d for d in ctx.dates if start <= d.start < end and d.kind not in ("since", "present_year")
              and not _dates_other_event(ctx, d)
              and (only_visits or not VISIT_START.match(ctx.body, d.end))
              and not (ctx.body.startswith("、", d.end) and any(t.start() > d.end for t in reported))]
    if not usable:
        return None
    trigger_at = triggers[0].start()
    usable.sort(key=lambda d: (abs(d.start - trigger_at), d.start))
    chosen = usable[0]
    if chosen.date is None and ctx.anchor_is_year and chosen.kind in ("weekday", "relative", "range"):
        year = f"{ctx.on.year:04d}" if ctx.on else None
        basis = f"{chosen.text} + year {year} ({ctx.anchor_source})" if year else None
        return DateMention(chosen.start, chosen.end, chosen.text, chosen.kind, year, "year" if year else None,
                           basis=basis)
    return chosen


def _dates_other_event(ctx: Context, mention: DateMention) -> bool:
    """The date belongs to something that is not a meeting: a page's date stamp opening the
    body (date 2025-09-11, 更新日：…), 2014年3月のクリミア併合後 (a noun
    with no meeting word in its clause), 31日に始まる首脳会議 (an opening), 1日に就任した首相
    (a clause modifying a noun), 7日夜に記者会見し (a statement), 昨日…出席することを知らせた
    (a past day cannot date what the clause says is still ahead)."""
    body = ctx.body
    after = body[mention.end:mention.end + 60]
    if STARTS.match(after) or STATEMENT_AFTER.match(after) or _stamp(body, mention):
        return True
    if (relative := RELATIVE_CLAUSE.match(after)) is not None:
        noun = NOUN_PHRASE.match(after, relative.end())
        if not (TRIGGER.search(relative["verb"]) or JOINT_ACT.search(relative["verb"])
                or (noun and TRIGGER.search(noun.group(0)))):
            return True
    if _before_the_article(ctx, mention) and clause_tense(body, mention.end) > 0:
        return True
    if not after.startswith("の") or SINCE.match(after):
        return False
    clause = re.split(r"[、。]", BRACKETED.sub("", after), maxsplit=1)[0]
    return not TRIGGER.search(clause[:30])


def _stamp(body: str, mention: DateMention) -> bool:
    """A page's own date opening the body and set apart by a space (date 2025-09-11 本文…),
    unlike a lead's 2024年11月12日、 that dates what follows."""
    return STAMP_BEFORE.fullmatch(body, 0, mention.start) is not None and body[mention.end:mention.end + 1].isspace()


def _before_the_article(ctx: Context, mention: DateMention) -> bool:
    """A date earlier than the article's own date, at the precision both have."""
    if not mention.date or not ctx.anchor or mention.kind in ("absolute", "range"):
        return False
    n = min(len(mention.date), len(ctx.anchor))
    return mention.date[:n] < ctx.anchor[:n]


def _with_basis(mention: DateMention, anchor: str | None, source: str) -> DateMention:
    """The date with the words and the anchor it came from: 来月7日 + published 2021-12-15,
    同日 → 2024-10-01 (from 1日); a date written in full is its own basis."""
    if not mention.date:
        return mention
    if mention.base is not None:
        basis = f"{mention.text} → {mention.date} (from {mention.base})"
    elif mention.kind in ("absolute", "range", "present_year") and mention.year and mention.year > 99:
        basis = mention.text
    else:
        basis = f"{mention.text} + {source} {anchor}"
    return replace(mention, basis=basis)


def _month_of(mention: DateMention) -> DateMention:
    """The month of a date: a meeting 'also held' on the same trip, day unstated."""
    date = mention.date[:7] if mention.date else None
    precision = "month" if date and len(date) == 7 else mention.precision
    basis = f"month of {mention.basis}" if date and mention.basis else mention.basis
    return DateMention(mention.start, mention.end, mention.text, mention.kind, date, precision, basis=basis)


def _inherit_subject(previous: Draft, participants: list[str], countries: set[str], reference: Reference) -> None:
    """とも会談 with no subject written: the subject is the previous meeting's subject (its
    first participant). With people of two countries already, the subject is written."""
    present = {reference.people[p].country for p in participants}
    if len(present - {None}) >= 2 or not previous.participants:
        return
    subject = previous.participants[0]
    country = reference.people[subject].country
    if country and country not in present:
        participants.insert(0, subject)
        countries.add(country)


def _target(drafts: list[Draft], draft: Draft, latest: Draft | None) -> Draft | None:
    """The draft a new segment continues: the one with the same date or round, else the
    meeting the text was just about, else the article's main meeting."""
    compatible = [d for d in drafts if _agree(d, draft)]
    if not compatible:
        return None
    for existing in compatible:
        if draft.date and existing.date and draft.date.date and draft.date.date == existing.date.date:
            return existing
        if draft.session and draft.session == existing.session:
            return existing
    if latest is not None and latest in compatible:
        return latest
    return compatible[0]


def _agree(existing: Draft, draft: Draft) -> bool:
    if not (draft.countries <= existing.countries):
        return False
    if existing.background and not (draft.date and draft.date.date and existing.date and existing.date.date):
        return False  # an earlier meeting named by 以来 takes only a report that dates it too
    if draft.date and existing.date and not dates_agree(existing.date.date, draft.date.date):
        return False
    if draft.session and existing.session and draft.session != existing.session:
        return False
    if draft.series and existing.series and draft.series != existing.series:
        return False
    if (draft.summit and existing.series and not existing.summit) or \
            (existing.summit and draft.series and not draft.summit):
        return False  # a leaders' summit is not the ministers' 2+2
    if draft.summit and not existing.summit and existing.participants:
        return False  # nor the ministers' talks the article is about
    if draft.mode != existing.mode:
        return False
    if draft.city and existing.city and draft.city != existing.city:
        return False
    return not _side_conflict(existing, draft)


def _side_conflict(existing: Draft, draft: Draft) -> bool:
    """Another person for a side the meeting already has: 王毅–ラブロフ, then 王毅–ショイグ."""
    new = [p for p in draft.participants if p not in existing.participants]
    sides = {existing.person_country.get(p) for p in existing.participants}
    return any(draft.person_country.get(p) in sides for p in new)


def _merge(target: Draft, draft: Draft) -> None:
    target.sentences += draft.sentences
    target.evidence_spans += draft.evidence_spans
    target.countries |= draft.countries
    target.participants += [p for p in draft.participants if p not in target.participants]
    target.person_country.update(draft.person_country)
    if draft.date and (target.date is None or (draft.date.date and (
            target.date.date is None or len(draft.date.date) > len(target.date.date)))):
        target.date = draft.date
    if target.city is None and draft.city:
        target.city, target.host_country = draft.city, draft.host_country
    target.host_country = target.host_country or draft.host_country
    target.series = target.series or draft.series
    target.session = target.session or draft.session
    target.forum = target.forum or draft.forum
    target.summit = target.summit or draft.summit
    if draft.status == "held":
        target.status = "held"
    target.trip_only = target.trip_only and draft.trip_only


def _main(drafts: list[Draft]) -> Draft:
    """The meeting the article is about: the first held one that is not an earlier meeting
    or a photo caption, else the first."""
    drafts = [d for d in drafts if not d.trip_only] or drafts
    for wanted in (lambda d: d.status == "held" and not d.background and not d.caption,
                   lambda d: not d.background and not d.caption, lambda d: True):
        for draft in drafts:
            if wanted(draft):
                return draft
    return drafts[0]


def _round(body: str, draft: Draft) -> int | None:
    """The draft's number when it is a round: of a named series, or written 第N回; without
    either, 5回目 or 初の会談 counts the meetings of these people, it numbers no round."""
    if draft.session is None or draft.series:
        return draft.session
    written = any(ROUND_WRITTEN.search(body, start, end) for start, end in draft.evidence_spans)
    return draft.session if written else None


def _rows(article: dict, body: str, drafts: list[Draft]) -> list[dict]:
    if not drafts:
        return []
    main = _main(drafts)
    rows = []
    for draft in drafts:
        if draft.trip_only:
            continue
        reported_as = "main" if draft is main else "background"
        session = _round(body, draft)
        if reported_as == "background" and not (draft.date and draft.date.date) and session is None:
            continue  # the codebook keeps a background meeting only with its year or round
        series = draft.series or ("summit" if draft.summit else None)
        date = draft.date if draft.date and draft.date.date else None
        spans = sorted(set(draft.evidence_spans))
        rows.append({
            "article_id": article["article_id"],
            "meeting_id": f"{article['article_id']}#{len(rows)}",
            "date": date.date if date else None,
            "date_text": draft.date.text if draft.date else None,
            "date_precision": date.precision if date else None,
            "date_basis": date.basis if date else None,
            "city": draft.city,
            "host_country": draft.host_country,
            "countries": sorted(draft.countries),
            "participants": draft.participants,
            "mode": draft.mode,
            "series": series,
            "session": session,
            "reported_as": reported_as,
            "status": draft.status,
            "forum": draft.forum,
            "evidence": "\n".join(body[s:e] for s, e in spans),
            "evidence_start": spans[0][0],
            "evidence_end": spans[-1][1],
            "sentences": sorted(set(draft.sentences)),
            "event_id": None,
        })
    return rows

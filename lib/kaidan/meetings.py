"""Meetings an article reports, by the codebook: who met whom, when, where, how.

A meeting starts at a trigger (会談, 協議, 電話会談, 2プラス2, 訪問 ...) and collects its
sides, participants, place, date, mode, series and round from that sentence; later
sentences about the same meeting (no conflicting date, round or people) add to it
rather than making a new row. The meeting the article opens with is `main`; the
others are `background`, kept only when the text gives their year or their round.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kaidan.dates import DateMention, find_dates, parse_date
from kaidan.reference import Reference
from kaidan.text import fold

# Words that report an encounter between officials.
TRIGGER = re.compile(
    r"電話会談|電話協議|電話で会談|電話で協議|電話で話|電話をかけ|オンライン会談|オンラインで会談|オンライン形式|ビデオ会談|"
    r"ビデオ形式|ビデオ会議|テレビ会談|テレビ会議|リモート会談|首脳会談|首脳会議|外相会談|国防相会談|防衛相会談|"
    r"閣僚協議|会談|協議|会見し|会見した|接見|面会|対話を行|戦略対話|2プラス2|2\+2|２＋２|顔を合わせ|と会い|と会った|"
    r"と会う|会合|サミット|公式訪問|国賓訪問|訪問し|訪問した|訪問する|訪問して|を訪れ|訪日|訪中|訪露|訪ロ|訪米|訪韓|訪朝|訪印")
# Trigger words that, on their own, do not make a meeting.
NOT_A_MEETING = re.compile(r"記者会見|協議会|会談後の記者|共同記者会見|協議体|委員会会合")
PHONE = re.compile(r"電話")
VIDEO = re.compile(r"オンライン|ビデオ|テレビ会|リモート")
SUMMIT = re.compile(r"首脳|サミット|国賓|公式訪問")
SCHEDULED = re.compile(r"予定|見通し|方向で調整|調整して|開く方針|開催する方針|行う方針|臨む|へ。|見込み|計画")
NEW_MEETING = re.compile(r"とも(個別に)?(会談|会い|会っ|協議|面会)|に先立ち|に先立って|先だって|これに先立")
SESSION = re.compile(r"第\s*([0-9０-９一二三四五六七八九十]+)\s*回|([0-9０-９]+)\s*回目|(初の|初めての|初会合)")
VISIT = re.compile(r"を(公式|国賓)?訪問|を訪れ|訪問先の|に到着")
VENUE_AFTER = re.compile(r"^(郊外)?(市内|市)?(で|にて|において|を訪問|を訪れ|で開|での|入り|に到着|訪問)")
FORUM_CONTEXT = re.compile(r"^.{0,12}?(に合わせ|の際|の合間|に際し|に伴い|期間中|に出席|を機に|の場で|の傍ら|の機会)")
ORIGINAL_DATE = re.compile(r"^\s*(\d{4}[/\-.年]\d{1,2}[/\-.月]\d{1,2}日?)\s*\S{0,20}(記事より|より転載|より翻訳|原文)",
                           re.MULTILINE)
SHORT_VISIT = {"訪日": "JPN", "訪中": "CHN", "訪露": "RUS", "訪ロ": "RUS", "訪米": "USA", "訪韓": "KOR",
               "訪朝": "PRK", "訪印": "IND"}
HEAD_ROLES = {"head_of_state", "head_of_government"}


@dataclass
class Draft:
    """A meeting being assembled from one or more sentences."""

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
    summit_words: bool
    evidence_spans: list[tuple[int, int]] = field(default_factory=list)


def _anchor(article: dict, body: str) -> str | None:
    """The date relative expressions refer to: the original article's date for a translation
    or repost (a line like 2023/4/20 RIAC記事より), else the publication date."""
    original = ORIGINAL_DATE.search(body)
    if original:
        parsed = parse_date(original.group(1))
        if parsed:
            return parsed[0]
    published = article.get("published")
    return published if isinstance(published, str) and published else None


def _present_year(dates: list[DateMention]) -> str | None:
    for mention in dates:
        if mention.kind == "present_year" and mention.date:
            return mention.date
    return None


def _session(text: str) -> int | None:
    from kaidan.text import kanji_to_int

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
    anchor = _anchor(article, body)
    dates = find_dates(body, anchor)
    if anchor is None:
        year = _present_year(dates)
        if year:
            dates = find_dates(body, year)
    by_sentence: dict[int, list[dict]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention["sentence"], []).append(mention)
    dates_by_sentence: dict[int, list[DateMention]] = {}
    for mention in dates:
        index = _sentence_of(sentences, mention.start)
        dates_by_sentence.setdefault(index, []).append(mention)

    drafts: list[Draft] = []
    last_date: DateMention | None = None
    for sentence in sentences:
        index, text = sentence["index"], sentence["text"]
        sentence_dates = dates_by_sentence.get(index, [])
        for mention in sentence_dates:
            if mention.date and mention.kind not in ("since", "present_year"):
                last_date = mention
        triggers = [m for m in TRIGGER.finditer(text) if not _negated(text, m)]
        if not triggers:
            continue
        draft = _draft(sentence, triggers, by_sentence.get(index, []), sentence_dates, last_date, reference, body)
        if draft is None:
            continue
        target = None if NEW_MEETING.search(text) and drafts else _compatible(drafts, draft)
        if target is None:
            drafts.append(draft)
        else:
            _merge(target, draft)
    return _rows(article, body, sentences, drafts, reference)


def _negated(text: str, match: re.Match) -> bool:
    """A trigger inside a word that is not a meeting (記者会見, 協議会)."""
    window = text[max(0, match.start() - 3):match.end() + 3]
    return bool(NOT_A_MEETING.search(window))


def _sentence_of(sentences: list[dict], offset: int) -> int:
    for sentence in sentences:
        if sentence["start"] <= offset < sentence["end"] or offset < sentence["start"]:
            return sentence["index"]
    return sentences[-1]["index"]


def _draft(sentence, triggers, mentions, sentence_dates, last_date, reference, body) -> Draft | None:
    text, base = sentence["text"], sentence["start"]
    people = [m for m in mentions if m["kind"] == "person"]
    participants: list[str] = []
    for m in people:
        if m["id"] not in participants and not _former(body, m):
            participants.append(m["id"])
    person_countries = {reference.people[p].country for p in participants if reference.people[p].country}
    countries = set(person_countries)
    country_mentions = [m for m in mentions if m["kind"] == "country"]
    for m in country_mentions:
        if m["resolution"] in ("compound",) or _is_side(body, m):
            countries.add(m["id"])

    city, host = None, None
    for m in mentions:
        if m["kind"] == "place" and VENUE_AFTER.match(body[m["end"]:m["end"] + 6]):
            city, host = m["id"], reference.city_country.get(m["id"])
            break
    if host is None:
        for m in country_mentions:
            if VISIT.match(body[m["end"]:m["end"] + 8]) or VENUE_AFTER.match(body[m["end"]:m["end"] + 6]):
                host = m["id"]
                countries.add(m["id"])
                break
    for word, iso in SHORT_VISIT.items():
        if word in text:
            host = host or iso
            countries.add(iso)
    if host and city is None and not countries & {host} and len(countries) == 1:
        countries.add(host)

    series, session = None, None
    for m in mentions:
        if m["kind"] == "series":
            wanted = reference.series_countries.get(m["id"], frozenset())
            if not wanted or wanted <= countries or (countries and countries <= wanted):
                if m["id"] != "summit":
                    series = m["id"]
                    countries |= set(wanted)
    session = _session(text)
    trigger_text = " ".join(t.group(0) for t in triggers)
    mode = "phone" if PHONE.search(trigger_text) else "video" if VIDEO.search(text) and VIDEO.search(
        text[max(0, triggers[0].start() - 20):triggers[-1].end() + 5]) else "in_person"
    if mode != "in_person":
        city, host = None, None
    summit_words = bool(SUMMIT.search(trigger_text)) or _heads_on_both_sides(participants, countries, reference)
    if len(countries) < 2:
        return None
    date = _meeting_date(sentence_dates, last_date, triggers)
    status = "scheduled" if SCHEDULED.search(text[triggers[-1].end():triggers[-1].end() + 25]) else "held"
    forum = None
    for m in mentions:
        if m["kind"] == "forum" and FORUM_CONTEXT.match(body[m["end"]:m["end"] + 20]):
            forum = m["id"]
            break
    if summit_words and series is None and session is not None and not re.search(r"第\s*\S+\s*回", text):
        session = None  # 22回目の首脳会談 counts personal meetings, not a numbered series round
    return Draft(sentences=[sentence["index"]], countries=countries, participants=participants, date=date,
                 city=city, host_country=host, mode=mode, series=series, session=session, status=status,
                 forum=forum, summit_words=summit_words, evidence_spans=[(sentence["start"], sentence["end"])])


def _former(body: str, mention: dict) -> bool:
    """元国家主席, 前大統領: a former office holder is named, not met."""
    after = body[mention["end"]:mention["end"] + 2]
    return after.startswith(("元", "前"))


def _is_side(body: str, mention: dict) -> bool:
    """A country written as a party to the talks: 中国とロシアが, ロシア側, 中国の代表."""
    after = body[mention["end"]:mention["end"] + 6]
    before = body[max(0, mention["start"] - 2):mention["start"]]
    if re.match(r"^(側|政府|代表|首脳|外相|国防相|両国|の(首脳|外相|国防相|代表|大統領|首相|国家主席))", after):
        return True
    if re.match(r"^(と|は|が)", after) and re.match(r"^(と|は|が).{0,12}?(と|が|は)", after + "") is not None:
        return True
    return before.endswith("と") and re.match(r"^(が|は|の)", after) is not None


def _heads_on_both_sides(participants: list[str], countries: set[str], reference: Reference) -> bool:
    heads = {reference.people[p].country for p in participants
             if reference.people[p].roles_on(None) & HEAD_ROLES}
    return len(heads) >= 2


def _meeting_date(sentence_dates: list[DateMention], last_date: DateMention | None, triggers) -> DateMention | None:
    """The date written closest to the trigger; 同日 takes the date before it."""
    usable = [d for d in sentence_dates if d.kind not in ("since", "present_year")]
    if not usable:
        return None
    trigger_at = triggers[0].start()
    usable.sort(key=lambda d: abs(d.start - trigger_at))
    chosen = usable[0]
    if chosen.kind in ("same_day",) and last_date is not None:
        return last_date
    return chosen


def _compatible(drafts: list[Draft], draft: Draft) -> Draft | None:
    """The latest draft this sentence continues, if any."""
    for existing in reversed(drafts):
        if existing.countries != draft.countries and not (draft.countries <= existing.countries):
            continue
        if draft.date and existing.date and not _dates_agree(existing.date, draft.date):
            continue
        if draft.session and existing.session and draft.session != existing.session:
            continue
        if draft.series and existing.series and draft.series != existing.series:
            continue
        if draft.mode != existing.mode:
            continue
        new_people = [p for p in draft.participants if p not in existing.participants]
        if new_people and existing.participants and len(existing.participants) >= 2 and draft.date is None:
            # someone new on a side already represented: another meeting of the same trip
            continue
        return existing
    return None


def _dates_agree(a: DateMention, b: DateMention) -> bool:
    if not a.date or not b.date:
        return True
    n = min(len(a.date), len(b.date))
    return a.date[:n] == b.date[:n]


def _merge(target: Draft, draft: Draft) -> None:
    target.sentences += draft.sentences
    target.evidence_spans += draft.evidence_spans
    target.countries |= draft.countries
    target.participants += [p for p in draft.participants if p not in target.participants]
    if draft.date and (target.date is None or (target.date.precision != "day" and draft.date.precision == "day")):
        target.date = draft.date
    target.city = target.city or draft.city
    target.host_country = target.host_country or draft.host_country
    target.series = target.series or draft.series
    target.session = target.session or draft.session
    target.forum = target.forum or draft.forum
    target.summit_words = target.summit_words or draft.summit_words
    if draft.status == "held":
        target.status = "held"


def _rows(article: dict, body: str, sentences: list[dict], drafts: list[Draft], reference: Reference) -> list[dict]:
    if not drafts:
        return []
    main = drafts[0]
    rows = []
    for draft in drafts:
        reported_as = "main" if draft is main else "background"
        if reported_as == "background" and not (draft.date and draft.date.date) and draft.session is None:
            continue  # the codebook keeps a background meeting only with its year or round
        series = draft.series
        if series is None and draft.summit_words:
            series = "summit"
        date = draft.date
        spans = sorted(draft.evidence_spans)
        rows.append({
            "article_id": article["article_id"],
            "meeting_id": f"{article['article_id']}#{len(rows)}",
            "date": date.date if date else None,
            "date_text": date.text if date else None,
            "date_precision": date.precision if date and date.date else None,
            "city": draft.city,
            "host_country": draft.host_country,
            "countries": sorted(draft.countries),
            "participants": draft.participants,
            "mode": draft.mode,
            "series": series,
            "session": draft.session,
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

"""Where a meeting took place: the city written as its venue (モスクワで, 人民大会堂で, a photo
caption's ＝東京都港区), the seat of a forum it met at, or the country visited; and the place
written with an earlier meeting (5月のモスクワ以来)."""
from __future__ import annotations

import re

from kaidan.extract.dates import DateMention
from kaidan.extract.meetings.context import Context
from kaidan.extract.meetings.patterns import AT_FORUM, CAPTION_PLACE, READING, SINCE, VENUE_AFTER, VENUE_AT, VISIT_AFTER


def venue_of(ctx: Context, inside: list[dict]) -> tuple[str | None, str | None]:
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


def since_venue(ctx: Context, since: DateMention, inside: list[dict]) -> tuple[str | None, str | None] | None:
    """The place written with an earlier meeting: 5月のモスクワ以来, 成都で開かれた2019年12月以来."""
    for m in inside:
        if m["kind"] == "place" and abs(m["start"] - since.start) < 16:
            return m["id"], ctx.reference.city_country.get(m["id"])
        if m["kind"] == "country" and since.end <= m["start"] < since.end + 12 and \
                re.match(r"^で", ctx.body[m["end"]:m["end"] + 1]):
            return None, m["id"]
    return None

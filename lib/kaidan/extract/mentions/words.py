"""The words and patterns the mention finder reads around a name: honorifics, followers of
a country's short form, what begins another noun, role keywords, pair joiners."""

from __future__ import annotations

import re

from kaidan.text import KANJI_NUMERAL


DIGITS = "0123456789" + KANJI_NUMERAL
ENTITY_KINDS = ("country", "place", "person", "forum", "treaty", "series")
TOKEN_LIMIT = 2000  # characters per SudachiPy call; its input has a byte limit

# Words after a name that show it is a person: honorifics and the titles in titles.yaml.
HONORIFICS = ("氏", "さん", "容疑者", "被告")
# Words after a one-character country form (露外相, 米政権) that make it a country.
SHORT_FORM_FOLLOWERS = (
    "大統領", "首相", "外相", "国防相", "政府", "政権", "軍", "国務長官", "国防長官", "大使", "外務省", "国防省",
    "国防総省", "大統領府", "側", "当局", "高官", "代表", "議会", "首脳", "両国", "関係", "間", "共同", "合同",
    "戦略", "外務", "防衛", "会談", "協議", "同盟", "対話", "善隣", "艦", "海軍", "空軍", "陸軍", "企業", "経済",
)
# The stricter list for a single form standing alone before an organ (露外相, 米政権).
SINGLE_FORM_FOLLOWERS = (
    "大統領", "首相", "外相", "国防相", "政府", "政権", "軍", "国務長官", "国防長官", "大使", "外務省", "国防省",
    "国防総省", "大統領府", "当局", "高官", "議会", "海軍", "空軍", "陸軍",
)
# Words after a compound that make it a language pair, not countries (中日対訳).
LANGUAGE_WORDS = ("対訳", "翻訳", "辞典", "辞書", "通訳")
# A country or city name that begins another noun does not name the country: 日本語 (a
# language), 日本時間 (a time zone), インド太平洋 / インド洋 (a region, an ocean), 日本海 (a sea),
# マレーシア航空 (an airline).
NOT_A_PLACE_AFTER = ("語", "時間", "太平洋", "洋", "航空")
# 海 after a name is a sea (日本海, フィリピン海) unless it starts a navy or coast-guard word.
SEA = "海"
NOT_A_SEA_AFTER = ("海軍", "海警", "海上", "海兵", "海洋", "海域", "海外", "海運", "海自")
# 中米 followed by these is Central America, not China and the United States.
REGION_WORDS = ("諸国", "地域", "カリブ", "各国")
# Words that tie an unnamed or mistitled person to a role (中国国防省の李部長).
ROLE_KEYWORDS = {
    "国防": "defence_minister", "防衛": "defence_minister", "軍事委員会": "defence_minister",
    "外務": "foreign_minister", "外交部": "foreign_minister", "外交": "foreign_minister",
    "安全保障会議": "security_council_secretary",
}
SIDES_WORDS = ("両国", "双方", "両首脳", "両政府", "両外相", "両国防相", "中露両国", "両者")
# 来日, 来豪: a visit to the country, written from the host's side (not 将来日本, 以来日本); the
# character before is read after 来, so a pattern with COME_TO in front still opens with a literal.
COME_TO = "来(?<![将未本以元由従外到往出伝渡旧在]来)"
ANAPHORA = re.compile(r"同(氏|外相|国防相|防衛相|大統領|首相|主席|書記|長官|大臣|部長|補佐官)")


BOILERPLATE = re.compile(r"転載|著作権|無断|免責|助言を構成|利用規約|all rights reserved|copyright")
# ロシアとウクライナ(の外相), 日・ロ: two countries written as one party (mentions' offices, meetings' sides).
PAIR_JOINERS = ("と", "・", "、")
# 同国外相: the title of the country named just before.
SAME_COUNTRY = re.compile(r"同国の?")
# A sentence that speaks of another time (2011年, 昨年, 以来, 当時, 歴代) may mean an earlier holder.
OTHER_TIME = re.compile(r"[0-9０-９]{2,4}年|昨年|去年|前回|以来|当時|かつて|歴代|前任|ぶり")
OFFICE_SETTLED_DAYS = 30  # an office that changed hands this recently is left unresolved


# A katakana name of two letters or more (its first written apart, so the pattern opens with a
# character class, which sre skips to at once instead of trying each position of the body).
KATAKANA_NAME = re.compile(r"[ァ-ヴー][ァ-ヴー]+(?:[・=][ァ-ヴー]{2,})*")

"""The words that report meetings and the words around them, compiled once for the meetings
package: what is a meeting, what is not, and how sides, places, dates and rounds are written."""
from __future__ import annotations

import re

from kaidan.text import gated

# Words that report an encounter between officials, behind the characters they start with
# (`gated`: the pattern is run over the whole body), or the two characters for those that
# start many other words (と, を, が, も, 国, 2).
TRIGGER_FIRST = "電オビテリ首外防閣会直和停交協接面対戦意２顔サ晩公訪来"
TRIGGER_PAIRS = ("との", "と会", "を訪", "が出", "が同", "も出", "も同", "国防", "国賓", "2プ", "2+")
TRIGGER = gated(
    TRIGGER_FIRST,
    r"電話会談|電話協議|電話で会談|電話で協議|電話で話|電話をかけ|オンライン会談|オンラインで会談|オンライン形式|ビデオ会談|"
    r"ビデオ形式|ビデオ会議|テレビ会談|テレビ会議|リモート会談|首脳会談|首脳会議|外相会談|国防相会談|防衛相会談|"
    r"閣僚協議|会議を開|会議を行|直接交渉|和平交渉|停戦交渉|交渉を行|交渉を開|会談|協議|会見し|会見した|接見|面会|"
    r"対話を行|戦略対話|意見交換を行|意見交換し|(?<=[)）氏相領席官長記])との間で合意|2プラス2|2\+2|２＋２|顔を合わせ|と会い|と会った|"
    r"と会う|会合|サミット|晩餐会|公式訪問|国賓訪問|訪問し|訪問した|訪問する|訪問して|訪問中|を訪問|を訪れ|訪日|訪中|訪露|訪ロ|"
    r"訪米|訪韓|訪朝|訪印|訪豪|(?<![将未本以元由従外到往出伝渡旧在])来[日中露ロ米韓朝印豪]|が出席|も出席|が同席|も同席|"
    r"(会議|対話)(?=(の開催|の実施)?は[^、。]{0,16}以来)|(?<=次回)会議|(?<=次回の)会議",  # 同会議の開催は2019年以来
    TRIGGER_PAIRS)
# Trigger words that, inside these, do not make a meeting.
NOT_A_MEETING = re.compile(r"記者会見|協議会|会談後の記者|協議体|委員会会合|閣僚会合|外相会合|国防相会合|首脳会合")
# A count or habit of meetings (年内に3回会談, 電話会談を重ねて) is not one meeting.
FREQUENCY = re.compile(r"(?<![第0-9０-９])[0-9０-９一二三四五六七八九十数]+(回|度)(の|に(わた|渡)って|に(わた|渡)り)?$|^を?重ね|^を繰り返|たびたび$|頻繁に$|"
                       r"何度も$|定期的(に|な)$|^を?定期的|^[をの]定例|^を?毎年")  # 2プラス2を定期的に開催することで一致: a habit
# Words of a multilateral gathering: after a forum's name they are the forum's meeting, not a bilateral one.
MULTILATERAL = re.compile(r"首脳会議|サミット|会合|会議|閣僚会議|外相会議|国防相会議")
VISIT_TRIGGER = re.compile(r"訪問|訪れ|[訪来][日中露ロ米韓朝印豪]")
PHONE = re.compile(r"電話")
VIDEO = re.compile(r"オンライン|ビデオ|テレビ会|リモート")
SUMMIT = re.compile(r"首脳|サミット|国賓|公式訪問")
# The titles of heads of state or government, not the words built on them (大統領府, 首相官邸, 大統領選).
HEAD_TITLE = re.compile(r"(首相|大統領|国家主席|主席|首脳)(?![府官邸補報特夫選候経])")
# Words of a plan after the trigger, in its sentence: 会談する予定, 会談へ, 会談に向けた (not 会談し、改善に向けて),
# 来年開催することで合意 (not 合意した…に立ち戻ることで一致: the agreement is another verb's).
SCHEDULED = re.compile(r"^(に向け|[^。\n]{0,25}?(予定|見通し|方向で調整|調整して|開く方針|開催する方針|行う方針|臨む|見込み|計画|"
                       r"へ$|へ[。 、\n]|招待|を楽しみ|「楽しみ」)|[^。\nた]{0,25}?(する|行う|開く)ことで(合意|一致))")
# Words that say the talks took place: 会談した, 会談し、, 協議を行った, 会議が開かれた.
DONE = re.compile(r"^(した|して|し[、,]|を行った|を行い|を行って|が行われた|が開かれた|を開いた|を開き|を終え|を実施し)")
ALSO_MET = re.compile(r"とも(個別に)?(会談|会い|会っ|協議|面会|会見)")
# Patterns searched in every clause or segment are gated on their first characters too.
NEW_MEETING = gated("と先そ続次まさ", ALSO_MET.pattern + r"|先立ち|先立って|先だって|その後|続いて|次いで|(また|さらに)[、,]?\s*同日")
# 次回の会議は来年インドで: the next round of the meeting the article is about.
NEXT_ROUND = re.compile(r"次回の?(会議|会談|協議|会合|対話)|次の(会議|会談|協議|会合)")
STARTS = re.compile(r"^(に|から)(始まる|始まった|開幕|開会)")
BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
# 会談の実現を模索, 会談を提案, 会談が実現する可能性: a meeting only hoped for or proposed.
HOPED = re.compile(r"^(の(早期)?(実現|開催))?[をがもに]?(実現|開催)?(する|される)?(可能性|検討|模索|呼びかけ|提案|要請|打診|"
                   r"求め|望|希望|目指|に意欲|含め(て)?[、,])")
# 会談は延期, 会談の開催を見送った, 協議は来週に持ち越し: a meeting put off or called off did not take place.
CALLED_OFF = re.compile(r"^(の(開催|実施))?[はがを]?([^、。]{0,8}?に)?(延期|中止|見送|取りやめ|取り止め|持ち越|キャンセル|先送り)")
# が出席, も同席: attending; a forum named before it in the sentence is what was attended (G20に…が出席).
ATTEND = re.compile(r"[がも](出席|同席)")
# 会談を行っていない, 会談せず: a meeting that did not happen.
NEGATED = re.compile(r"^(を|は)?(行って|行われて|開いて|開かれて)?(い)?ない|^(せず|しなかった|していない|できず|できなかった)")
SESSION = gated("第0-9０-９初", r"第\s*([0-9０-９一二三四五六七八九十]+)\s*回|([0-9０-９]+)\s*回目|(初の|初めての|初会合)")
# A round written as one (第10回); 5回目 and 初の are rounds only of a named series, else counts of meetings.
ROUND_WRITTEN = re.compile(r"第\s*[0-9０-９一二三四五六七八九十]+\s*回")
SINCE = re.compile(r"^((の|に)[^。]{0,40}?)?(以来|以降)")
VENUE_AFTER = re.compile(r"^(都|府|県|州|省|市)?([・･][^、。・でにはがを]{1,6})?(内|郊外|近郊)?(など)?(の[^、。でにはがを]{1,12})?"
                         r"(で|にて|において|を訪問|を訪れ|での|入り|に到着|訪問)")  # 北京の人民大会堂で, 東京・元赤坂の迎賓館で
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
    r"^[米露ロ中日韓朝英仏独印豪]?(氏|首相|大統領|主席|外相)?(によると|によれば|の話では|政権|政府|内閣|陣営|の(娘婿|妻|夫|息子|娘|父|母|側近|発言|"
    r"政権|政府|顧問|補佐官|特使|報道官|後任|前任|時代|就任))")
SIDE_AFTER = re.compile(
    r"^(側|政府|代表|首脳|外相|国防相|両国|高官|当局|主席|国家主席|大統領|首相|"
    r"の(首脳|外相|国防相|代表|大統領|首相|国家主席|主席|高官|閣僚))|"
    r"^[0-9０-９二両]?(閣僚|首脳|高官|代表団|大臣)")
DELEGATION_AFTER = re.compile(r"^(側|の?代表団|の?政府代表|の?交渉団)")
# What may stand before a page's own date stamp at the very start of a body.
STAMP_BEFORE = re.compile(r"\s*(date|published|updated|日付|更新日?|公開日?|掲載日?|配信日?|投稿日?)?\s*[:：]?\s*", re.I)
# Words that refer back to the meeting just reported: 会談では, 今回の協議, 同会談.
REFERRING = gated("今こ同会協対", r"(今回の|この|同)(会談|協議|会合|対話)|(会談|協議|会合|対話)(では|で|には|の中で|後)")
# ラブロフ外相、ショイグ書記と相次いで会談: one meeting with each of the people on one side.
SEPARATELY = re.compile(r"相次いで|相次ぎ|それぞれ|個別に|別々に")
# 会談にはトルコ外相も同席, 三者会談の形で: one more person taking part in the talks just reported.
JOINING = re.compile(r"同席|陪席|を交え|も加わ|が加わ|(三|3|３)(者|か国|カ国|ヵ国)")
# A 2+2: the foreign and defence ministers of both sides meet (外務・防衛閣僚協議, 2プラス2).
TWO_PLUS_TWO = re.compile(r"2プラス2|2\+2|２＋２|外務・防衛(担当)?閣僚協議")
TWO_PLUS_TWO_ROLES = frozenset({"foreign_minister", "defence_minister"})
BOTH = re.compile(r"両(首脳|外相|国防相|防衛相|大臣|閣僚|氏)")
BOTH_ROLES = {"首脳": ("head_of_state", "head_of_government"), "外相": ("foreign_minister",),
              "国防相": ("defence_minister",), "防衛相": ("defence_minister",)}
# A photo caption: ＝10日、東京（共同）, (外交部提供)=(聯合ニュース), （写真）.
CAPTION = gated("=＝（写【(", r"[=＝].{0,20}(提供|撮影|ロイター|AFP|共同|時事)|（?写真[）)]?$|【写真|[(（][^()（）]{0,12}(提供|撮影)[)）]|"
                     r"[=＝]\s*[(（][^()（）]{1,12}[)）]")
CLAUSE = re.compile(r"[、，,]")
HEAD_ROLES = {"head_of_state", "head_of_government"}
LIST_JOINERS = ("と", "や", "及び", "および", "・")  # not 、: 5日、3日に着任した外相と is no list
KANJI_RUN = re.compile(r"[\u4e00-\u9fff々]+")

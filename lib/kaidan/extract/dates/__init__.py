"""Japanese temporal expressions → ISO dates at the precision the text supports.

``find_dates(text, anchor)`` returns every date expression of an article, in order, with
its offsets, its kind, the parts the text gives, and (where the text or the article's own
date allows) an ISO date: ``2025-12-02`` (day), ``2025-12`` (month) or ``2025`` (year).
Nothing is guessed: a date that needs an anchor and has none, or that would claim more
than the expression says, stays ``None``.

How it works: each form has one regex in ``_RULES``, matched on the width-folded text (same
length as the input, so offsets carry over) in one pass that tries each rule only where a
character it starts with stands, finding what each rule's own scan would. Every match goes
to its rule's handler, which returns the mention's fields or ``None`` when the match is not
a date after all. Of overlapping candidates the leftmost, then the longest, wins, so
``2025年のいま`` beats ``2025年`` and ``今年6月`` beats ``6月``. A date's head (the year
and month before its day) is read by one function, ``_head``, for single dates and ranges
alike.

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

The package, by step: ``patterns`` (the vocabulary and each form's regex, with the guards
that turn rates, durations and habits away), ``tense`` (which way a clause points),
``anchors`` (reading the article's date and placing a partial date near it), ``handlers``
(what each match means), ``find`` (the mentions of a text, standalone dates) and
``chain`` (同日, 翌年 against the narrative's last date).
"""
from kaidan.extract.dates.anchors import anchor_precision, weekday_before
from kaidan.extract.dates.chain import resolve_chain
from kaidan.extract.dates.find import DateMention, dates_agree, find_dates, parse_date
from kaidan.extract.dates.tense import clause_tense

__all__ = ["DateMention", "find_dates", "parse_date", "anchor_precision", "weekday_before", "clause_tense",
           "dates_agree", "resolve_chain"]

"""Merge reports of the same real-world meeting, across articles, into events.

The merge rule. Two reports (of different articles) are one meeting when
- their sides are the same, their rounds and named series do not differ, and they
  were held the same way (in person, or remotely: outlets call one call 電話 or ビデオ);
- if both name people they share one, and nobody else stands for a side;
- their dates agree at their common precision (2024, 2024-05, 2024-05-03), or are
  next-door days with people in common (the local and the Japan-time date of one call);
  a day written without its month (28日) must not contradict the other's day;
- they are placed in time: each report's span of days (its date, or for a report
  without a month the window of UNDATED_WINDOW_DAYS around its article's publication
  when it is the article's main meeting) overlaps the other's, and both spans are
  precise (a month or a window); a report that cannot be placed (a bare year, or no
  date and no publication date) merges only on a strong tie: the same round; people in
  common with the same place (the city, or the host country where one names no city) or
  the same day of the month written; or the same city when one of them names no one
  and has no time of its own;
- they share a person, the city, the round, or a named series (when dated to the month).
Leaders and ministers meet every year, some several times a year: the same people are
never enough without the time. Dated reports placed in time merge pairwise; any other
report joins only the one event it fits best (one placed in time if it can), so it cannot
chain two meetings together. Merging is order-free (union-find), and
an event's id hashes its first report's id, so ids do not change with file order.

The package: `when` (a report's span of days), `rule` (`same_event`), `candidates` (which
pairs are compared), `assign` (the events of one block) and `merge` (the table in and out).
"""
from kaidan.extract.events.merge import (EVENT_BATCH_ROWS, MERGE_COLUMNS, REPORT_COLUMNS, assign_events, event_id,
                                         merge_events, merge_reports)
from kaidan.extract.events.rule import same_event
from kaidan.extract.events.when import UNDATED_WINDOW_DAYS

__all__ = ["EVENT_BATCH_ROWS", "MERGE_COLUMNS", "REPORT_COLUMNS", "UNDATED_WINDOW_DAYS", "assign_events", "event_id",
           "merge_events", "merge_reports", "same_event"]

"""What the tables say: meeting frequency, topic co-occurrence and forum involvement.

Pure pandas, no plotting (`kaidan.charts` draws these frames). Every function takes a
`Scope` (the corpus cut to a period and a set of countries, see `scope`) and returns a
small aggregate frame. Each aggregate row keeps what it was counted from:

- ``event_ids``   the events (real-world meetings) behind a meeting count,
- ``article_ids`` the articles behind the row,
- ``refs``        (article_id, sentence index) pairs of the evidence sentences,

so `trace(scope, row)` returns the articles and the evidence sentences behind any cell.
Empty tables give empty frames with the same columns, and the ``describe_*`` functions
say so in words ("No meetings in this period.").

Dates are ISO strings at the precision the text supports (``2025``, ``2025-12``,
``2025-12-02``). A period count places a date only when the whole date falls inside
one period: a meeting known only to the year is counted per year but not per month,
and the frame's ``attrs['unplaced']`` says how many were left out that way.

One module per part, in the order they build on each other:

- `common`    shared constants and cell readers
- `periods`   dates at their precision, and the periods they fall in
- `labels`    display names for ids, in English or Japanese
- `scoping`   the corpus cut to a period and countries; `trace` back to the sentences
- `frequency` meeting frequency (notebook 01)
- `topics`    topic co-occurrence (notebook 02)
- `forums`    forum involvement (notebook 03)
- `corpus`    the corpus as read (notebook 00)
- `explorer`  every event as a row, where meetings happen, who meets whom (notebook 04)
- `prose`     the ``describe_*`` sentences

Notebooks, charts and reports import everything from here (``from kaidan import analysis``).
"""
from kaidan.analysis.common import PAIR_SEP, REFS_PER_CELL, UNKNOWN_MODE, column_rows
from kaidan.analysis.forums import (TIMELINE_STEPS, choose_forums, forum_by_country, forum_by_topic, forum_counts,
                                    forums_over_time, most_reported, sideline_meetings, sideline_timeline)
from kaidan.analysis.frequency import (INTERVAL_BINS, interval_bins, interval_summary, meetings_per_period,
                                       missing_rounds, mode_counts, pair_counts, pair_intervals, pair_matrix,
                                       ranges, series_rounds)
from kaidan.analysis.labels import Labels, label_names
from kaidan.analysis.explorer import (EVENTS_PER_POINT, article_sources, explorer_table, meeting_edges,
                                       node_of, place_coordinates, place_counts)
from kaidan.analysis.corpus import (article_table, articles_per_period, boilerplate_lines, boilerplate_summary,
                                      overview, source_counts, status_table)
from kaidan.analysis.periods import Span, check_period, date_span, parse_bound, period_index, period_of, place
from kaidan.analysis.prose import (describe_boilerplate, describe_explorer, describe_forum_country,
                                   describe_forum_time, describe_forum_topic, describe_forums, describe_intervals,
                                   describe_modes, describe_network, describe_overview, describe_pair_topics,
                                   describe_pairs, describe_periods, describe_places, describe_scope, describe_series,
                                   describe_sidelines, describe_topics, describe_trends)
from kaidan.analysis.scoping import TRACE_COLUMNS, Scope, scope, trace
from kaidan.analysis.topics import (check_unit, n_units, square, topic_cooccurrence, topic_counts, topic_trends,
                                    topics_by_pair, unit_keys)
from kaidan.constants import MEASURES, NODES, PERIODS, UNITS  # the choices, shared with the notebooks' parameters

__all__ = [
    "PAIR_SEP", "REFS_PER_CELL", "UNKNOWN_MODE", "column_rows",
    "TIMELINE_STEPS", "choose_forums", "forum_by_country", "forum_by_topic", "forum_counts", "forums_over_time",
    "most_reported", "sideline_meetings", "sideline_timeline",
    "INTERVAL_BINS", "interval_bins", "interval_summary", "meetings_per_period", "missing_rounds", "mode_counts",
    "pair_counts", "pair_intervals", "pair_matrix", "ranges", "series_rounds",
    "Labels", "label_names",
    "EVENTS_PER_POINT", "NODES", "article_sources", "explorer_table", "meeting_edges", "node_of",
    "place_coordinates", "place_counts",
    "article_table", "articles_per_period", "boilerplate_lines", "boilerplate_summary", "overview", "source_counts",
    "status_table",
    "PERIODS", "Span", "check_period", "date_span", "parse_bound", "period_index", "period_of", "place",
    "describe_boilerplate", "describe_explorer", "describe_forum_country", "describe_forum_time",
    "describe_forum_topic", "describe_forums", "describe_intervals", "describe_modes", "describe_network",
    "describe_overview", "describe_pair_topics", "describe_pairs", "describe_periods", "describe_places",
    "describe_scope", "describe_series", "describe_sidelines", "describe_topics", "describe_trends",
    "TRACE_COLUMNS", "Scope", "scope", "trace",
    "MEASURES", "UNITS", "check_unit", "n_units", "square", "topic_cooccurrence", "topic_counts", "topic_trends",
    "topics_by_pair", "unit_keys",
]

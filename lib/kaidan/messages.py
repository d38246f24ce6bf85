"""What kaidan prints: names made safe for a terminal or a page, and long runs of like problems
cut short.

A file name is data: one with an escape code or a newline in it must not redraw the
terminal or forge a line of the log, so `shown` writes control characters as escapes.
Article text is data too: every piece of it put into HTML goes through `escaped`.
A corpus with 100,000 bad metadata rows should not print 100,000 lines: `summarised`
prints the first few of each kind and counts the rest.
"""
from __future__ import annotations

import html
import math
import re
import unicodedata
from typing import Callable, Iterable, Iterator

# How many problems of one kind are printed before the rest are counted.
SHOWN_PER_KIND = 5
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|\d[\d,.]*")


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """3 bytes, 1 byte (1 analysis, 2 analyses with the plural form given): counts in messages
    and in the reports' sentences."""
    return f"{count} {noun if count == 1 else (plural_form or noun + 's')}"


def shown(text: object) -> str:
    """`text` with control and other non-printing characters written as escapes (\\n, \\x1b,
    \\udc93 for a byte of a name that was not UTF-8), the rest as it is."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in text)


def escaped(value) -> str:
    """A value as HTML text, or a double-quoted attribute, shows it as written: & < > " '
    escaped, missing (None, NaN) as nothing. The reports' pages, the explorer's table cells
    and a corpus shown in a notebook all use it; plotly's text has its own (`kaidan.charts.esc`)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _escape(char: str) -> str:
    if unicodedata.category(char) == "Zs":  # spaces other than ' ' are printable enough
        return char
    return char.encode("unicode_escape").decode("ascii")


def kind_of(message: str) -> str:
    """A message with its particulars (numbers, quoted names) blanked: messages of one kind
    share it."""
    return _VARIABLE.sub("_", message)


def summarised(lines: Iterable[str], more: str = "", key: Callable[[str], str] = kind_of,
               limit: int = SHOWN_PER_KIND) -> Iterator[str]:
    """The lines, but of each kind (by `key`) only the first `limit`; then one line per kind
    cut short: '… and N more like it (the first of them)' and `more` (where to read them all)."""
    counts: dict[str, int] = {}
    first_line: dict[str, str] = {}
    for line in lines:
        kind = key(line)
        counts[kind] = counts.get(kind, 0) + 1
        first_line.setdefault(kind, line)
        if counts[kind] <= limit:
            yield line
    for kind, count in counts.items():
        if count > limit:
            example = _clip(first_line[kind], 100)
            yield f"… and {count - limit:,} more like it ({example}){', ' + more if more else ''}"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"

"""Saved web pages: the article's text and what the page says about it, read with trafilatura.

trafilatura keeps the main text and leaves out navigation, footers, share buttons and lists
of other articles; it hands back the comments it finds, which kaidan keeps as boilerplate.
The date is the page's own (meta tags, JSON-LD, <time>, its canonical link) as htmldate reads
it without searching the text or the address it was fetched from, so that the row can say
where it came from.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import htmldate
import trafilatura
from trafilatura.xml import xmltotxt

_HTML_START = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
# Markup in a text cell of an export (content:encoded and the like): paragraphs, breaks, blocks.
_MARKUP = re.compile(r"<(?:p|br|div|article|section|h[1-6]|ul|ol|li|html|body)\b[^>]*>", re.IGNORECASE)
# The charset a page declares in its first bytes (<meta charset> or http-equiv Content-Type).
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
CHARSET_SCAN = 2048
_AUTHOR_META = "//meta[@name='author' or @property='article:author' or @name='byl']/@content"
MAX_AUTHOR = 60
PARAGRAPH_BREAK = "\n\n"
# How the page's date is searched: its markup only (meta tags, JSON-LD, <time>), no search of
# the text, the first-published date over an update. trafilatura searches too, by default
# extensively (dateparser's locales: seconds of start-up per process); kaidan discards that
# date, so trafilatura is given this cheap search as well.
DATE_SEARCH = {"extensive_search": False, "original_date": True}
# trafilatura and htmldate log at ERROR every page they find no article in ("discarding data:
# None", "lxml parsing failed: Document is empty"), naming no file; the row says it, naming the
# file, so their logs are left to what would be a failure of their own.
for _library in ("trafilatura", "htmldate"):
    logging.getLogger(_library).setLevel(logging.CRITICAL)


def looks_like_html(text: str) -> bool:
    """A saved web page rather than article text: an <html>, <head> or <body> near the top."""
    head = text[:4096]
    return bool(_HTML_START.search(head)) and "</" in text


def has_markup(text: str) -> bool:
    """Text that is HTML, whole page or fragment (an export's body cell may be either)."""
    return looks_like_html(text) or bool(_MARKUP.search(text[:4096]))


def declared_charset(data: bytes) -> str | None:
    """The charset a page's <meta> declares near its top, if any."""
    match = _META_CHARSET.search(data[:CHARSET_SCAN])
    return match.group(1).decode("ascii").lower() if match else None


@dataclass
class Page:
    """What trafilatura and htmldate read from a page. `text` is the main text, one block
    (paragraph, heading, list, quote) per paragraph, blocks separated by a blank line."""

    text: str
    title: str | None
    author: str | None
    sitename: str | None
    url: str | None
    date: str | None
    comments: str


def _blocks(body) -> str:
    """The main text's blocks as plain text, a blank line between blocks: the paragraph breaks
    of the page, which trafilatura's own text output writes as single line breaks."""
    if body is None:
        return ""
    blocks = (xmltotxt(child, False).strip() for child in body)
    return PARAGRAPH_BREAK.join(block for block in blocks if block)


def _meta_author(html: str) -> str | None:
    """The author a page's <meta name="author"> (or article:author) names, when it is a name and
    not a link. trafilatura drops names written without a space, as Japanese names are."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for value in tree.xpath(_AUTHOR_META):
        value = " ".join(str(value).split())
        if value and not value.lower().startswith(("http:", "https:", "/")) and len(value) <= MAX_AUTHOR:
            return value
    return None


def read_page(html: str) -> Page | None:
    """The page's main text and metadata, or None when trafilatura finds no article in it."""
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=True, include_tables=True,
                                      output_format="python", date_extraction_params=DATE_SEARCH)
    if doc is None:
        return None
    # not doc.date: trafilatura's search looks at the URL too, and the row says where its date came from
    date = htmldate.find_date(html, **DATE_SEARCH, url=None, outputformat="%Y-%m-%d")
    return Page(text=_blocks(doc.body), title=doc.title or None, author=doc.author or _meta_author(html),
                sitename=doc.sitename or None, url=doc.url or None, date=date or None,
                comments=(doc.comments or "").strip())

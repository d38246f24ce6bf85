"""Saved web pages found among the texts: told apart from article text, and reduced to what a
browser shows."""
from __future__ import annotations

import re
from html.parser import HTMLParser


_HTML_START = re.compile(r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def looks_like_html(text: str) -> bool:
    """A saved web page rather than article text: an <html>, <head> or <body> near the top."""
    head = text[:4096]
    return bool(_HTML_START.search(head)) and "</" in text


class _VisibleText(HTMLParser):
    """Collects what a browser shows: no script, style or head (but the title), blocks on their own lines."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe"})
    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                        "table", "section", "article", "header", "footer", "nav", "aside", "main",
                        "title", "blockquote", "pre", "dd", "dt", "dl", "figure", "figcaption", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.in_title = self.in_title or tag == "title"
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(self.skipping - 1, 0)
        if tag == "title":
            self.in_title = False
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping or self.in_title:
            self.parts.append(_HTML_SPACE.sub(" ", data))


def html_to_text(page: str) -> str:
    """The visible text of an HTML page, one block per line, blank lines dropped."""
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)

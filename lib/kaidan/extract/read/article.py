"""One article's bytes or text into the fields of its articles row: decoded, read as a web page
or as text, furniture cut, header read."""
from __future__ import annotations

import hashlib

from kaidan.extract.read.decode import decode_bytes
from kaidan.extract.read.furniture import layout
from kaidan.extract.read.header import _split_title, text_metadata
from kaidan.extract.read.html import declared_charset, looks_like_html, read_page
from kaidan.extract.read.language import _language_note, detect_language
from kaidan.extract.read.metadata import date_from_url
from kaidan.text import normalize

_SEVERITY = {"ok": 0, "warning": 1, "error": 2}
PAGE_IN_TEXT = "a web page saved as text: read as HTML"
NO_PAGE_TEXT = "web page: no article text found in it"
TAGS_IN_TEXT = "HTML tags in the text, but no web page around an article: read as text"


def _worst(notes: list[tuple[str, str]]) -> tuple[str, str]:
    """The most severe status among the notes, and all their messages in one line."""
    status = max((s for s, _ in notes), key=_SEVERITY.__getitem__, default="ok")
    return status, "; ".join(m for _, m in notes if m)


def _refused(row: dict, message: str) -> dict:
    """A row for a file that yielded no text."""
    return {**row, "status": "error", "message": message, "text": "", "body": "", "boilerplate": ""}


# A text longer than this is listed with its text but not analysed: a safeguard for memory, as
# extraction holds about a hundred bytes for each character of a body at once. Below it every
# stage is linear in a body's length, so a digest or a yearbook chapter is analysed whole.
MAX_ANALYSED_CHARS = 10_000_000


def read_article(data: bytes, page: bool | None = None, url: str | None = None,
                 charset: str | None = None) -> dict:
    """Every articles field that the bytes of one article decide (not article_id, path, duplicates).
    page: True for a web page, None to tell from the text; url and charset: what the server said."""
    decoded = decode_bytes(data, charset or (declared_charset(data) if page is not False else None))
    if decoded.text is None:
        return _refused({"encoding": decoded.encoding}, decoded.message)
    return read_text(decoded.text, [(decoded.status, decoded.message)], decoded.encoding, page, url)


def read_text(raw: str, notes: list[tuple[str, str]], encoding: str | None, page: bool | None = None,
              url: str | None = None) -> dict:
    """The articles fields of decoded text: a web page through trafilatura, else the text itself."""
    text = normalize(raw)
    if page:
        return _from_page(text, notes, encoding, url)
    if page is None and looks_like_html(text):
        row = _from_page(text, notes + [("warning", PAGE_IN_TEXT)], encoding, url)
        if row["body"] or row["status"] != "error":
            return row
        notes.append(("warning", TAGS_IN_TEXT))  # tags in an article's text, not a page
    return _from_text(text, notes, encoding)


def _from_page(html: str, notes: list[tuple[str, str]], encoding: str | None, url: str | None) -> dict:
    """A web page's main text read as an article's text (its title as the first paragraph, as in a
    saved text), with the page's title, site name, author, canonical URL and date over the text's."""
    if not html.strip():  # an empty file, as a text file says, not a page without an article
        return {**_from_text(html, notes, encoding), "url": url}
    page = read_page(html)
    title, title_outlet = _split_title(normalize(page.title) if page and page.title else None)
    row = _from_text(with_title(normalize(page.text) if page else "", title), notes, encoding, empty=NO_PAGE_TEXT)
    row["url"] = (page.url if page else None) or url
    if page is None:
        return row
    if title and title not in row["boilerplate"].split("\n"):  # not a section label (コラム) cut as furniture
        row["title"] = title
    row["outlet"] = page.sitename or title_outlet or row.get("outlet")
    row["author"] = page.author or row.get("author")
    if page.comments:
        row["boilerplate"] = "\n".join(part for part in (row.get("boilerplate"), page.comments) if part)
    if page.date:
        row["published"], row["published_source"] = page.date, "page"
    elif not row.get("published") and row["url"]:
        from_url = date_from_url(row["url"])
        if from_url:
            row["published"], row["published_source"] = from_url[0], "url"
    return row


def with_title(text: str, title: str | None) -> str:
    """The text with its headline as the first paragraph, as a saved article has it, so that the
    body reads the same from a page, an export or a text file."""
    if title and text and not text.startswith(title):
        return f"{title}\n\n{text}"
    return text


def _from_text(text: str, notes: list[tuple[str, str]], encoding: str | None, empty: str | None = None) -> dict:
    """The articles fields of normalised text: body and boilerplate, title, outlet, author, dateline."""
    row = {"encoding": encoding, "text": text, "n_chars": len(text),
           "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    if not text.strip():
        notes.append(("error", empty or ("empty file" + (" (whitespace only)" if text else ""))))
        status, message = _worst(notes)
        return {**row, "status": status, "message": message, "body": "", "boilerplate": ""}
    if len(text) > MAX_ANALYSED_CHARS:
        notes.append(("warning", f"too long to analyse as one article ({len(text):,} characters; the limit, "
                                 f"a safeguard for memory, is {MAX_ANALYSED_CHARS:,}): listed with its text, "
                                 "not analysed"))
        language = detect_language(text)
        if language != "ja":
            notes.append(("warning", _language_note(language)))
        status, message = _worst(notes)
        return {**row, "status": status, "message": message, "language": language, "body": "", "boilerplate": ""}
    marked = layout(text)
    body = marked.body
    meta = text_metadata(marked)
    language = detect_language(body or text)
    if not body:
        notes.append(("warning", "no article text: every line is site furniture"))
    if language != "ja":
        notes.append(("warning", _language_note(language)))
    status, message = _worst(notes)
    dateline = meta.dateline
    return {**row, "status": status, "message": message, "language": language, "title": meta.title,
            "outlet": meta.outlet, "author": meta.author, "body": body, "boilerplate": marked.boilerplate,
            "published": dateline.iso if dateline else None,
            "published_source": "dateline" if dateline else None}

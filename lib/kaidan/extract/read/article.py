"""One file's bytes into the fields of its articles row: decoded, furniture cut, header read."""
from __future__ import annotations

import hashlib

from kaidan.extract.read.decode import decode_bytes
from kaidan.extract.read.furniture import layout
from kaidan.extract.read.header import text_metadata
from kaidan.extract.read.html import html_to_text, looks_like_html
from kaidan.extract.read.language import _language_note, detect_language
from kaidan.text import normalize

_SEVERITY = {"ok": 0, "warning": 1, "error": 2}


def _worst(notes: list[tuple[str, str]]) -> tuple[str, str]:
    """The most severe status among the notes, and all their messages in one line."""
    status = max((s for s, _ in notes), key=_SEVERITY.__getitem__, default="ok")
    return status, "; ".join(m for _, m in notes if m)


def _refused(row: dict, message: str) -> dict:
    """A row for a file that yielded no text."""
    return {**row, "status": "error", "message": message, "text": "", "body": "", "boilerplate": ""}


# A text longer than this is listed with its text but not analysed: it is not one article (a
# dump, a log, a concatenation), and the later stages are built for article-sized bodies.
MAX_ANALYSED_CHARS = 100_000


def read_article(data: bytes) -> dict:
    """Every articles field that the bytes of one file decide (not article_id, path, url, duplicates)."""
    decoded = decode_bytes(data)
    if decoded.text is None:
        return _refused({"encoding": decoded.encoding}, decoded.message)
    notes = [(decoded.status, decoded.message)]
    text = normalize(decoded.text)
    if looks_like_html(text):
        text = normalize(html_to_text(text))
        notes.append(("warning", "HTML page: tags stripped"))
    row = {"encoding": decoded.encoding, "text": text, "n_chars": len(text),
           "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    if not text.strip():
        notes.append(("error", "empty file" + (" (whitespace only)" if text else "")))
        status, message = _worst(notes)
        return {**row, "status": status, "message": message, "body": "", "boilerplate": ""}
    if len(text) > MAX_ANALYSED_CHARS:
        notes.append(("warning", f"too long to analyse as one article ({len(text):,} characters; the limit is "
                                 f"{MAX_ANALYSED_CHARS:,}): listed with its text, not analysed"))
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

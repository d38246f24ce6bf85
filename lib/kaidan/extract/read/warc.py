"""Web archives (WARC, .warc or .warc.gz), read with warcio: each 2xx response holding a web page
or plain text is an article.

Planning walks the archive once, streaming (memory stays flat however large it is), and notes
where each record lies; reading one record later needs only its own bytes, so the records of
one archive can be read by every core. Requests, metadata, revisits and responses of other
kinds are counted on the archive's own row. A record that cannot be read is a row of its own
naming the archive and the byte it starts at, and the walk goes on at the next record found.
"""
from __future__ import annotations

import io
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from kaidan.extract.read.article import _refused, read_article
from kaidan.extract.read.files import Part
from kaidan.messages import plural

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# Where a record may start, for finding the next one after damage: a gzip member, a WARC header.
_GZIP_START = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
SEARCH_BLOCK = 1 << 20
READ_BLOCK = 1 << 16
# How warcio says a .warc.gz is one gzip stream rather than one member per record.
_NOT_CHUNKED = "non-chunked gzip"
MAX_REASON = 120


@dataclass
class ArchivePlan:
    """The articles of one archive as Parts (with their article_ids), and what its own row says."""

    parts: list[tuple[str, Part]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    status: str = "ok"
    message: str = ""


def _mime(content_type: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not content_type:
        return "", None
    kind, *params = content_type.split(";")
    charset = next((p.split("=", 1)[1].strip().strip("\"'") for p in params
                    if p.strip().lower().startswith("charset=")), None)
    return kind.strip().lower(), charset or None


def _target(record) -> str | None:
    """The record's URL, without a fragment (WARC 1.0 writers may put it in <>)."""
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    return urldefrag(uri)[0] or None


def _skip_reason(record) -> str | None:
    """Why a record is not an article (a request, a 404, an image), or None for an article."""
    if record.rec_type != "response":
        return f"{record.rec_type} record"
    if record.http_headers is None or not record.http_headers.protocol.upper().startswith("HTTP"):
        return "response without HTTP headers"
    code = record.http_headers.get_statuscode() or "?"
    if not code.startswith("2"):
        return f"response with status {code}"
    kind, _ = _mime(record.http_headers.get_header("Content-Type"))
    if kind and kind not in PAGE_TYPES | TEXT_TYPES:
        return f"response of type {kind}"
    return None


def _drain(record) -> bool:
    """Read the record's payload to its end; False when it ends before its stated length."""
    expected = record.payload_length if record.payload_length >= 0 else record.length
    got = 0
    while block := record.raw_stream.read(READ_BLOCK):
        got += len(block)
    return got >= expected


def _next_start(handle, start: int, gzipped: bool) -> int | None:
    """The offset of the next place a record may start at or after `start`, or None."""
    marker = _GZIP_START if gzipped else b"\n" + _WARC_START
    handle.seek(start)
    position, tail = start, b""
    while block := handle.read(SEARCH_BLOCK):
        found = (tail + block).find(marker)
        if found >= 0:
            return position - len(tail) + found + (0 if gzipped else 1)
        tail = block[-len(marker):]
        position += len(block)
    return None


class _Walk:
    """One pass over an archive: the records' Parts, the counts, the damage found."""

    def __init__(self, archive_id: str, seen: dict[str, str]):
        self.archive_id = archive_id
        self.seen = seen
        self.plan = ArchivePlan()
        self.records = 0   # every record, damaged ones counted as one each
        self.parsed = 0    # the records whose headers could be read
        self.damaged = 0

    def record(self, record, offset: int, length: int, whole: bool) -> None:
        self.records += 1
        self.parsed += 1
        number = self.records
        if not whole:
            self.damage(offset, f"record {number} is truncated: it ends before its stated length")
            return
        reason = _skip_reason(record)
        if reason:
            self.plan.skipped[reason] += 1
            return
        article_id = f"{self.archive_id}:{number}"
        url = _target(record)
        kind, charset = _mime(record.http_headers.get_header("Content-Type"))
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        # plain text is told from a page by its content, as a .txt file is (servers mislabel pages)
        info = {"url": url, "page": True if kind in PAGE_TYPES else None,
                "charset": charset, "offset": offset}
        for key, what in ((url, "URL"), (digest, "payload")):
            if key and key in self.seen:
                info["duplicate_of"], info["duplicate_why"] = self.seen[key], f"the same {what}"
                break
        for key in (url, digest):
            if key:
                self.seen.setdefault(key, article_id)
        self.plan.parts.append((article_id, Part("record", number, offset, offset + length, info)))

    def damage(self, offset: int, what: str) -> None:
        """A warning row for damage at offset; it counts as one record, so the numbers of the
        records after it stay those of an undamaged copy when one record was hit."""
        self.damaged += 1
        self.plan.parts.append((f"{self.archive_id}:byte-{offset}", Part("note", 0, offset, offset, {
            "status": "warning", "message": f"web archive damaged at byte {offset:,}: {what}; not read"})))


def plan_archive(path: Path, archive_id: str, seen: dict[str, str]) -> ArchivePlan:
    """Walk an archive: its articles as Parts, what was skipped, and damage as rows of their own.
    `seen` maps URLs and payload digests to the first article with them, across the corpus."""
    walk = _Walk(archive_id, seen)
    gzipped = path.name.lower().endswith(".gz")
    with open(path, "rb") as handle:
        start: int | None = 0
        while start is not None:
            handle.seek(start)
            iterator = ArchiveIterator(handle)
            end = start
            try:
                for record in iterator:
                    whole = _drain(record)
                    offset, length = iterator.get_record_offset(), iterator.get_record_length()
                    walk.record(record, offset, length, whole)
                    end = offset + length
                start = None
            except Exception as error:  # noqa: BLE001 (whatever the damage, it is this record's)
                if _NOT_CHUNKED in str(error):
                    walk.plan.parts.clear()
                    walk.plan.status = "error"
                    walk.plan.message = ("web archive compressed as one gzip stream, not one member per record, "
                                         "so its records cannot be read one by one: recompress it with "
                                         "`warcio recompress IN OUT` and run again")
                    return walk.plan
                start = _next_start(handle, end + 1, gzipped)
                reason = _reason(error)
                walk.records += 1
                onward = f"read on from byte {start:,}" if start is not None else "nothing readable after it"
                walk.damage(end, f"{reason} ({onward})")
    _summarise(walk)
    return walk.plan


def _reason(error: Exception) -> str:
    """What went wrong reading a record, in words (warcio's messages quote the raw bytes)."""
    if isinstance(error, zlib.error):
        return "its compressed data is corrupt"
    if isinstance(error, ArchiveLoadFailed) and "first line" in str(error):  # it quotes the bytes found
        return "no WARC record starts there"
    words = "".join(ch if ch.isprintable() else " " for ch in str(error)).split()
    return " ".join(words)[:MAX_REASON] or type(error).__name__


def _counted(reason: str, count: int) -> str:
    """'3 request records', '2 responses of type image/png': a skip reason with its count."""
    if count > 1:
        reason = reason.replace("response ", "responses ", 1) if reason.startswith("response ") else reason + "s"
    return f"{count:,} {reason}"


def _summarise(walk: _Walk) -> None:
    """The archive's own row: how many records, how many articles, what was skipped and why."""
    plan = walk.plan
    articles = sum(1 for _, part in plan.parts if part.kind == "record")
    if walk.parsed == 0 and walk.damaged:
        plan.status, plan.message = "error", "not a web archive kaidan can read: no record found in it"
        plan.parts.clear()
        return
    skipped = ", ".join(_counted(reason, count)
                        for reason, count in sorted(plan.skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    plan.message = (f"web archive: {plural(articles, 'article')} from {plural(walk.records, 'record')}"
                    + (f"; not articles: {skipped}" if skipped else "")
                    + (f"; {plural(walk.damaged, 'damaged place')} (rows of their own)" if walk.damaged else ""))
    if not articles:
        plan.status = "warning"


def read_record(data: bytes, info: dict) -> dict:
    """The articles fields of one response record, from its bytes as they lie in the archive."""
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        payload = record.content_stream().read()
    except Exception as error:  # noqa: BLE001 (the walk read it; damage since is this record's)
        return _refused({"url": info.get("url")}, f"record at byte {info.get('offset', 0):,} cannot be read: {error}")
    if not payload.strip():  # said of the record: the archive holding it is no empty file
        return _refused({"url": info.get("url")}, "response with an empty body")
    row = read_article(payload, page=info.get("page"), url=info.get("url"), charset=info.get("charset"))
    row.setdefault("url", info.get("url"))
    row["url"] = row.get("url") or info.get("url")
    return row

"""Bytes to text: a byte order mark, UTF-16 without one, binary data refused, the UTF-8 fast
path, damaged UTF-8 read with replacement, then charset-normalizer."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from kaidan.messages import plural


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding used, and what was notable (status, message)."""

    text: str | None
    encoding: str | None
    status: str = "ok"
    message: str = ""


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_MAGIC = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive or Office document"),
          (b"\x1f\x8b", "gzip data"), (b"\x7fELF", "a program"))
_CONTROL_BYTES = bytes(set(range(32)) - set(b"\t\n\v\f\r\x1b") | {0x7f})
_ASCII = bytes(range(128))
# At most this share of the non-ASCII bytes may be invalid for a text to count as damaged UTF-8.
UTF8_DAMAGE_SHARE = 0.10
# charset-normalizer matches this close in chaos to the best count as equally clean.
CHAOS_TIE = 0.01


def _binary_kind(data: bytes) -> str | None:
    """What binary data looks like (an image, an archive...), or None when it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    head = data[:8192]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if b"\x00" in head or controls > len(head) // 20:
        return "control bytes"
    return None


# UTF-16 without a BOM: ASCII characters put a NUL in every other byte. At least this share of
# the NULs must fall on one side (CJK characters such as 一 U+4E00 put a few on the other).
UTF16_NUL_SIDE_SHARE = 0.8
_UTF16_JUNK = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ue000-\uf8ff\ufffe\uffff]")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 LE or BE text saved without a byte order mark, told by where its NUL bytes fall."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even + odd == 0:
        return None
    encoding = "utf-16-le" if odd >= UTF16_NUL_SIDE_SHARE * (even + odd) else \
        "utf-16-be" if even >= UTF16_NUL_SIDE_SHARE * (even + odd) else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _UTF16_JUNK.search(text) or not any(ch.isspace() for ch in text[:4096]):
        return None
    return Decoded(text, encoding)


def _utf8_errors(data: bytes, limit: int) -> list[tuple[int, int]] | None:
    """Byte ranges where UTF-8 fails, or None past `limit` (then it is another encoding)."""
    view = memoryview(data)
    errors: list[tuple[int, int]] = []
    pos = 0
    while True:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            return errors
        except UnicodeDecodeError as error:
            errors.append((pos + error.start, pos + error.end))
            if len(errors) > limit:
                return None
            pos += error.end


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes (a truncated or partly broken file), read with replacement."""
    non_ascii = len(data.translate(None, _ASCII))
    errors = _utf8_errors(data, limit=int(non_ascii * UTF8_DAMAGE_SHARE))
    if not errors:
        return None
    bad = sum(end - start for start, end in errors)
    if bad > non_ascii * UTF8_DAMAGE_SHARE:
        return None
    truncated = errors[-1][1] == len(data) and len(errors) == 1
    where = "the file looks truncated" if truncated else plural(len(errors), "place")
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", "warning",
                   f"invalid UTF-8: {plural(bad, 'byte')} replaced ({where})")


def _declared(data: bytes, charset: str | None) -> Decoded | None:
    """The bytes in the charset the page or server declared, when it names a known codec and
    decodes them without error (declarations are often wrong, so this comes after UTF-8)."""
    if not charset:
        return None
    try:
        encoding = codecs.lookup(charset).name
        return Decoded(data.decode(encoding), encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Bytes to text: a BOM first, UTF-16 without one, binary data refused, the UTF-8 fast path,
    the charset a web page declared (if any), then charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if "\x00" in data[len(bom):len(bom) + 8192].decode(encoding, errors="ignore"):  # text has no NUL
                return Decoded(None, None, "error", "binary data (NUL characters after a byte order mark), not text")
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError:
                return Decoded(data[len(bom):].decode(encoding, errors="replace"), encoding, "warning",
                               f"invalid {encoding}: undecodable bytes replaced")
    kind = _binary_kind(data)
    if kind == "control bytes":
        kind = None if (utf16 := _utf16_without_bom(data)) else kind
        if utf16:
            return utf16
    if kind:
        return Decoded(None, None, "error", f"binary data ({kind}), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    fallback = _damaged_utf8(data) or _declared(data, declared)
    if fallback:
        return fallback
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return Decoded(None, None, "error", "undecodable bytes: not text in any known encoding")
    # Short EUC-JP reads as cleanly in Korean; where both are as clean, this is a Japanese corpus.
    match = next((m for m in matches if m.language == "Japanese" and m.chaos <= best.chaos + CHAOS_TIE), best)
    return Decoded(str(match), codecs.lookup(match.encoding).name)

"""Finding the files of a corpus folder: what to read, what is refused and why, and each
file's article_id. Links are judged, never walked out of the folder."""
from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# What kaidan reads, by the end of a file's name (any case): text, web pages, web archives and
# exports of one article per row. Anything else found is listed as a file it cannot read.
FORMATS = {".txt": "text", ".md": "text", ".html": "page", ".htm": "page", ".xhtml": "page",
           ".warc": "warc", ".warc.gz": "warc", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
SUFFIXES = tuple(FORMATS)
# What a user may have meant, for formats near one kaidan reads.
_FORMAT_HINTS = {".json": "one article per line is read as .jsonl", ".gz": "web archives are read as .warc.gz",
                 ".tsv": "exports are read as .csv"}


class CorpusError(Exception):
    """A corpus folder or metadata file that cannot be used at all (the CLI exits 2)."""


@dataclass
class _File:
    """A found file: its relative path, what to read, or why it is refused."""

    rel: str
    path: Path
    refusal: str | None = None
    note: str | None = None      # a warning about the name itself (not UTF-8)
    format: str = "text"         # a value of FORMATS


@dataclass
class Part:
    """One article of a file that holds many (a web archive's record, an export's row), or a row
    the planner wrote itself (kind 'note': a file's summary, a record that could not be read).
    `info` is what the planner learnt that the row needs: the record's URL, the export's header..."""

    kind: str            # 'record', 'row' or 'note'
    number: int          # the record's or row's number in its file, from 1; 0 for the file's own row
    start: int = 0       # the bytes [start, end) of the file hold it
    end: int = 0
    info: dict = field(default_factory=dict)


def format_suffix(name: str) -> str | None:
    """The suffix of FORMATS the name ends with (the longest), or None."""
    lower = name.lower()
    return max((suffix for suffix in FORMATS if lower.endswith(suffix)), key=len, default=None)


def unread_format(name: str) -> str:
    """Why a file is not read: the format its name gives (PDF, DOCX), and a hint where one helps."""
    suffix = PurePosixPath(name).suffix.lower()
    kind = suffix[1:].upper() if suffix else "no file name extension"
    hint = _FORMAT_HINTS.get(suffix)
    return f"not a format kaidan reads ({kind}{'; ' + hint if hint else ''})"


def _as_text(path: str | os.PathLike) -> str:
    """A path as text that can be stored and printed: bytes that are not UTF-8 (Python keeps
    them as lone surrogates) written as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _name_note(rel: str) -> str | None:
    """Why a relative path found on disk is not shown as it is: its bytes are not UTF-8 (many
    zip tools leave Japanese names in Shift_JIS). None for a UTF-8 name."""
    if not any("\udc80" <= char <= "\udcff" for char in rel):
        return None
    note = "file name is not UTF-8: its bytes are written as \\xNN in path and article_id"
    try:
        guess = os.fsencode(rel).decode("cp932")
    except UnicodeDecodeError:
        return note
    return f"{note} (as Shift_JIS it reads {guess})" if guess.isprintable() else note


def _judge(root: Path, path: Path, rel: str) -> _File:
    """A found name, refused with a reason when it is a loop, a link out, or not a file."""
    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports a loop this way
            return _File(rel, path, "symlink loop; not followed")
        except OSError as error:
            if error.errno == errno.ELOOP:
                return _File(rel, path, "symlink loop; not followed")
            return _File(rel, path, "broken link: its target does not exist")
        if not target.is_relative_to(root):
            return _File(rel, path, f"link points outside the corpus folder (to {_as_text(target)}); not followed")
    try:
        mode = os.stat(target).st_mode
    except OSError as error:
        return _File(rel, path, _os_reason(error))
    if stat.S_ISDIR(mode):
        return _File(rel, path, "is a directory")
    if not stat.S_ISREG(mode):
        return _File(rel, path, "not a regular file")
    return _File(rel, target)


def _find_files(root: Path, problems: list[str], skip: frozenset[Path] = frozenset()) -> list[_File]:
    """Every file under root (but those in `skip`), sorted by relative POSIX path: the formats
    kaidan reads judged (links are judged, not walked), any other refused as not read. Hidden
    files of other formats (a name or folder starting with '.': .DS_Store, .git) are system
    files, not the user's, and are left out."""
    def unlistable(error: OSError) -> None:
        problems.append(f"cannot list folder {_as_text(error.filename)}: {_os_reason(error)}")

    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlistable):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            if path in skip:
                continue
            rel = path.relative_to(root).as_posix()
            suffix = format_suffix(name)
            if suffix:
                file = _judge(root, path, _as_text(rel))
                file.format = FORMATS[suffix]
            elif name not in filenames:
                continue  # a folder: walked
            elif any(part.startswith(".") for part in PurePosixPath(rel).parts):
                continue
            else:
                file = _File(_as_text(rel), path, unread_format(name), format="other")
            file.note = _name_note(rel)
            found.append(file)
    return sorted(found, key=lambda f: f.rel)


def _stem(rel: str) -> str:
    """The file name without the suffix that gives its format (x.warc.gz → x), else its stem."""
    name = PurePosixPath(rel).name
    suffix = format_suffix(name)
    return name[:-len(suffix)] if suffix and len(name) > len(suffix) else PurePosixPath(rel).stem


def _article_ids(rels: list[str]) -> list[str]:
    """Stems, or the relative path without suffix where stems clash (with suffix if that clashes too)."""
    stems = [_stem(rel) for rel in rels]
    counts = Counter(stems)
    ids = [stem if counts[stem] == 1 else rel[:len(rel) - len(PurePosixPath(rel).name)] + stem
           for stem, rel in zip(stems, rels)]
    clashes = Counter(ids)
    return [ident if clashes[ident] == 1 else rel for ident, rel in zip(ids, rels)]


def _os_reason(error: OSError) -> str:
    """An OSError in the words an analyst reads."""
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {(error.strerror or str(error)).lower()}"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes (one place to read, so tests can make it fail)."""
    with open(path, "rb") as handle:
        return handle.read()


def _read_range(path: Path, start: int, end: int) -> bytes:
    """Bytes [start, end) of a file."""
    with open(path, "rb") as handle:
        handle.seek(start)
        return handle.read(end - start)


def file_range(file: _File, start: int, end: int) -> bytes | str:
    """Bytes [start, end) of the file (a record or row in it), or the reason there are none."""
    try:
        data = _read_range(file.path, start, end)
    except OSError as error:
        return _os_reason(error)
    return data if len(data) == end - start else f"cannot read bytes {start:,}-{end:,}: the file has changed"


def file_bytes(file: _File) -> bytes | str:
    """The file's bytes, or the reason it yields none (a refusal, an OSError in words)."""
    if file.refusal:
        return file.refusal
    try:
        return _read_bytes(file.path)
    except OSError as error:
        return _os_reason(error)

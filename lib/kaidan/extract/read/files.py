"""Finding the files of a corpus folder: what to read, what is refused and why, and each
file's article_id. Links are judged, never walked out of the folder."""
from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SUFFIXES = (".txt", ".md")


class CorpusError(Exception):
    """A corpus folder or metadata file that cannot be used at all (the CLI exits 2)."""


@dataclass
class _File:
    """A found file: its relative path, what to read, or why it is refused."""

    rel: str
    path: Path
    refusal: str | None = None
    note: str | None = None      # a warning about the name itself (not UTF-8)


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


def _find_files(root: Path, problems: list[str]) -> list[_File]:
    """Every *.txt and *.md under root, sorted by relative POSIX path; links are judged, not walked."""
    def unlistable(error: OSError) -> None:
        problems.append(f"cannot list folder {_as_text(error.filename)}: {_os_reason(error)}")

    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlistable):
        for name in dirnames + filenames:
            if name.lower().endswith(SUFFIXES):
                path = Path(dirpath, name)
                rel = path.relative_to(root).as_posix()
                file = _judge(root, path, _as_text(rel))
                file.note = _name_note(rel)
                found.append(file)
    return sorted(found, key=lambda f: f.rel)


def _article_ids(rels: list[str]) -> list[str]:
    """Stems, or the relative path without suffix where stems clash (with suffix if that clashes too)."""
    stems = Counter(PurePosixPath(rel).stem for rel in rels)
    ids = [PurePosixPath(rel).stem if stems[PurePosixPath(rel).stem] == 1
           else str(PurePosixPath(rel).with_suffix("")) for rel in rels]
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


def file_bytes(file: _File) -> bytes | str:
    """The file's bytes, or the reason it yields none (a refusal, an OSError in words)."""
    if file.refusal:
        return file.refusal
    try:
        return _read_bytes(file.path)
    except OSError as error:
        return _os_reason(error)

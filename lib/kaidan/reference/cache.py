"""The parsed gazetteers kept between runs, so a start-up does not parse and validate the YAML
again (about a second): a pickle in `<cache folder>/reference/`, named by a hash of the YAML
bytes, of the loader's source and of the Python and library versions, so any edit to either
makes a new entry and a stale one is never read.

The cache can only make start-up faster: an entry that cannot be read (missing, corrupt,
from another version) is parsed again, and a folder that cannot be written is skipped.
A pickle runs code when read, so an entry is read only from a file and a folder this user
owns and nobody else may write (elsewhere, as in a folder shared between users, the YAML is
parsed each time). KAIDAN_REFERENCE_CACHE=0 turns it off (`kaidan extract --no-cache` does).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kaidan.cachedir import default_cache_dir

SWITCH = "KAIDAN_REFERENCE_CACHE"
KEEP_ENTRIES = 4  # entries of other gazetteers or versions kept beside the newest
PACKAGE = Path(__file__).resolve().parents[1]
# the code whose output an entry holds: the loader, and the folding its aliases go through
LOADER_SOURCES = ("reference/__init__.py", "reference/cache.py", "text.py")


def enabled() -> bool:
    return os.environ.get(SWITCH, "1").strip().lower() not in ("0", "off", "no", "false")


def _versions() -> str:
    found = [sys.version]
    for name in ("pandas", "pandera", "pyyaml"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} ?")
    return "; ".join(found)


def cache_key(files: list[tuple[str, bytes]]) -> str:
    """The entry's name: a hash of every gazetteer file (name and bytes), the loader's source
    and the versions the pickle depends on."""
    digest = hashlib.sha256(_versions().encode())
    for name in LOADER_SOURCES:
        digest.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes() + b"\0")
    for name, data in files:
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


def _folder() -> Path:
    return default_cache_dir() / "reference"


def _private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (where the system has owners)."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(key: str, kind: type):
    """The kept object under key if it is there, readable, private and a `kind`; else None."""
    if not enabled():
        return None
    path = _folder() / f"{key}.pickle"
    try:
        if not (_private(path.parent) and _private(path)):
            return None
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except Exception:  # missing, unreadable, corrupt or from other code: parse instead
        return None
    return found if isinstance(found, kind) else None


def write(key: str, value) -> None:
    """Keep value under key (atomically: written beside, then renamed), and only the newest few
    entries; a folder that cannot be written is skipped."""
    if not enabled():
        return
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # readable by this user only
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, folder / f"{key}.pickle")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_ENTRIES:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass

"""A cache of per-file extraction results, so a re-run extracts only what changed.

An entry holds one file's articles row and its sentences, mentions and meetings rows.
Its key is a hash of everything those rows are a function of: the file's bytes, its
path, article_id and metadata row (the CSV can override the date, which extraction
reads), for a record of an archive or a row of an export where it lies and what the
planner read of it (the export's header and --columns mapping: `cache_identity`), and,
in the folder name, kaidan's version with a fingerprint of its source code
and the gazetteers' digest. So an entry is never stale: edit an article, the metadata,
the gazetteers or kaidan itself and the affected files are extracted again; anything
else comes from the cache. Events are always merged afresh, since they span files.

Entries are JSON compressed with zlib (no pickle: a cache folder never runs code), one
file each, written atomically, so any number of processes or machines can share a cache
folder (an entry being written sits in the generation's `.tmp/`; a run killed meanwhile
leaves it there, and a later run deletes it once its writer is gone and a minute old).
The default folder is `default_cache_dir()`; it is safe to delete at any time. Only the
three most recently used generations (kaidan versions x gazetteers) are kept.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import zlib
from functools import lru_cache
from pathlib import Path

from kaidan import __version__
from kaidan.cachedir import default_cache_dir  # noqa: F401  (the rule lives below, the reference uses it too)
from kaidan.processes import remove_stale

FORMAT = "k1"
KEEP_GENERATIONS = 3
_USED = ".last-used"
# Entries are written here first, named PID.NANOSECONDS, then renamed into place.
_TEMP = ".tmp"
_STALE_TEMP = re.compile(r"(?P<pid>\d+)\.\d+")
# A writer on another machine sharing the folder has a pid this one cannot see: age tells too.
STALE_AFTER = 60.0


# `--dask` without `--cache`: each worker uses its own `default_cache_dir()`.
ON_EACH_WORKER = "default"


# Modules and packages (their path under kaidan) that do not take part in reading or
# extracting a file: editing them keeps the cache.
NOT_EXTRACTION = frozenset({"__main__.py", "analysis", "assets", "charts.py", "cli.py", "dev", "event_table.py",
                            "export", "meeting_charts.py", "publish.py", "reports", "run/dask.py"})


PACKAGE = Path(__file__).resolve().parents[1]  # the kaidan package, whose sources count


def _not_extraction(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] in NOT_EXTRACTION or rel.as_posix() in NOT_EXTRACTION


def hash_sources(digest, suffixes: tuple[str, ...], skip=lambda path: False) -> None:
    """Feed `digest` the relative path and bytes of each of kaidan's own files with these
    suffixes, in sorted order, but those `skip` accepts: how a version counts edits."""
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in suffixes and "__pycache__" not in path.parts and path.is_file() and not skip(path):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """kaidan's version and a hash of its source files (all but `NOT_EXTRACTION`): an edited
    checkout counts as another version."""
    digest = hashlib.sha256(__version__.encode())
    hash_sources(digest, (".py",), skip=_not_extraction)
    return f"{__version__}-{digest.hexdigest()[:12]}"


def file_key(data: bytes, rel: str, article_id: str, record: dict | None) -> str:
    """The key of one file's entry (within a generation)."""
    digest = hashlib.sha256()
    meta = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str) if record is not None else ""
    for part in (rel, article_id, meta):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


class Cache:
    """One generation of the cache: entries for this kaidan and these gazetteers. (Whether an
    article came from the cache travels with its result, see `kaidan.run.work`.)"""

    def __init__(self, root: str | Path, reference_digest: str):
        self.root = Path(root)
        self.generation = f"{FORMAT}-{code_fingerprint()}-{reference_digest}"
        self.folder = self.root / self.generation

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def get(self, key: str) -> tuple[dict, dict] | None:
        """(articles row, {table: rows}) stored under key, or None."""
        try:
            raw = self._path(key).read_bytes()
            row, rows = json.loads(zlib.decompress(raw).decode("utf-8", "surrogatepass"))
        except (OSError, ValueError, zlib.error):
            return None
        return row, rows

    def put(self, key: str, row: dict, rows: dict) -> None:
        """Store an entry; a cache that cannot be written is skipped, never fatal."""
        path = self._path(key)
        data = zlib.compress(json.dumps([row, rows], ensure_ascii=False, separators=(",", ":"))
                             .encode("utf-8", "surrogatepass"), 1)
        temp = self.folder / _TEMP / f"{os.getpid()}.{time.monotonic_ns()}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.parent.mkdir(exist_ok=True)
            temp.write_bytes(data)
            os.replace(temp, path)
        except OSError:
            try:
                temp.unlink()
            except OSError:
                pass

    def open(self) -> "Cache":
        """Mark this generation used now and drop all but the most recently used few."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / _USED).touch()
        except OSError:
            return self
        remove_stale(self.folder / _TEMP, _STALE_TEMP, min_age=STALE_AFTER)  # entries a killed run was writing
        generations = []
        for child in self.root.iterdir():
            marker = child / _USED
            if child.is_dir() and child.name.startswith(FORMAT + "-") and marker.exists():
                generations.append((marker.stat().st_mtime, child))
        for _, old in sorted(generations, reverse=True)[KEEP_GENERATIONS:]:
            if old != self.folder:
                shutil.rmtree(old, ignore_errors=True)
        return self

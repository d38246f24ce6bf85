"""One `kaidan report` into a folder at a time: a lock file beside it, held while the run goes.

The lock is an exclusive, non-blocking `flock`, so a second run finds it taken and exits at
once (`Busy`), and it ends with the process that holds it, however that process ends.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path


class Busy(Exception):
    """Another report run holds the lock."""


# The lock files this process holds: a forked child closes them, so that the lock ends with
# this process and not with the last of its children.
_HELD: set = set()


class Lock:
    """An exclusive, non-blocking lock beside the output folder (released when the process ends)."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.handle = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise Busy(holder or "another run") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
        handle.flush()
        self.handle = handle
        _HELD.add(handle)
        return self

    def __exit__(self, *exc):
        if self.handle:
            _HELD.discard(self.handle)
            self.handle.seek(0)
            self.handle.truncate()
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def let_go_in_child() -> None:
    """In a forked child: close the parent's lock files, so the lock ends with the parent."""
    for handle in list(_HELD):
        handle.close()
    _HELD.clear()

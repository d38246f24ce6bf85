"""Processes that end with the run that started them, and leftovers of runs that did not end well.

A worker blocked on its pipe outlives a parent killed by SIGKILL (the OOM killer, `timeout
-s KILL`) for good unless it is told to follow it: `die_with_parent` asks Linux to kill it
when its parent goes (prctl PR_SET_PDEATHSIG) and, elsewhere, polls the parent from a
thread. A file a killed run was writing carries that run's pid in its name
(`.NAME.PID.tmp`); `remove_stale` deletes those whose run is gone.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user's counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# The signals that stop a run (Ctrl-C, and SIGTERM from a scheduler or `kill`).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_signals_held():
    """SIGINT and SIGTERM held back while this process forks, and taken when the block ends.

    os.fork runs the logging module's at-fork hooks (its lock taken before, let go after). A
    stop whose handler raised inside a hook is swallowed there with the lock still held, and
    every later log call waits for it: a report run hung on SIGTERM so. A child forked inside
    starts with them held as well; `take_stop_signals` gives them back to it."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def take_stop_signals() -> None:
    """In a child forked inside `stop_signals_held`: SIGINT and SIGTERM reach it again (a held
    one that arrived meanwhile is taken now, as the child's handlers say)."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def die_with_parent(parent: int) -> None:
    """End this process when `parent` (the pid it was started from) ends."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent went before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch, args=(parent,), name="kaidan-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def remove_stale(folder: Path, pattern: re.Pattern, min_age: float = 0.0) -> list[Path]:
    """Delete the entries of `folder` whose names match `pattern` (its group `pid` the writer's
    process id) when that process is gone and the entry is `min_age` seconds old; returns
    what was deleted."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if not found or pid_alive(int(found.group("pid"))):
            continue
        try:
            if min_age and now - entry.stat(follow_symlinks=False).st_mtime < min_age:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
    return removed

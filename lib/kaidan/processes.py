"""Processes that end with the run that started them, and leftovers of runs that did not end well.

A worker blocked on its pipe outlives a parent killed by SIGKILL (the OOM killer, `timeout
-s KILL`) for good unless it is told to follow it: `die_with_parent` asks Linux to kill it
when its parent goes (prctl PR_SET_PDEATHSIG) and, elsewhere, polls the parent from a
thread. A file a killed run was writing carries that run's pid in its name
(`.NAME.PID.tmp`); `remove_stale` deletes those whose run is gone. `OtherProcess` runs one function in a new
process that follows its parent the same way, for a second core.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
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


class OtherProcess:
    """A function run in a new process, started now, its result taken back by `result`: work for
    another core. The process starts afresh (spawned, not forked): forked, it would count
    every page this one holds in its own memory, and the run's summed memory with it twice.
    It ignores Ctrl-C (this process stops it) and dies with this process. The function and
    its arguments are pickled: a module's function, and the data it needs, no more."""

    def __init__(self, function, *args):
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_there, args=(send, os.getpid(), function, args), daemon=True)
        masks = hasattr(signal, "pthread_sigmask")  # not on Windows
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masks else None  # till it ignores it
        try:
            self._process.start()
        finally:
            if masks:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        send.close()

    def result(self):
        """The function's value, or its exception raised here."""
        try:
            done, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"a helper process ended without its result (exit code {self._process.exitcode})") \
                from None
        self._process.join()
        if not done:
            raise value
        return value

    def stop(self) -> None:
        """End the process now if it still runs (this one failed or was stopped), and let its pipe go."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()


def _run_there(send, parent: int, function, args) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    try:
        value = (True, function(*args))
    except BaseException as error:  # noqa: BLE001  (handed to the parent, which raises it)
        value = (False, error)
    send.send(value)
    send.close()


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

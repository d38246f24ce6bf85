"""Stop signals held while a run forks (kaidan.processes.stop_signals_held): a SIGTERM or Ctrl-C
whose handler raised inside os.fork's at-fork hooks was swallowed there with the logging lock
still held, and the run then hung on its next log call."""
from __future__ import annotations

import os
import signal
import sys

import pytest

from kaidan.processes import STOP_SIGNALS, stop_signals_held, take_stop_signals
from kaidan.reports.kernels import KernelSeeds

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signal masks, fork")


def _held_now() -> set[int]:
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


@pytest.fixture
def taken() -> list[int]:
    """The stop signals this process's handlers take, in order (the handlers put back after)."""
    seen: list[int] = []
    previous = {signum: signal.signal(signum, lambda n, frame: seen.append(n)) for signum in STOP_SIGNALS}
    yield seen
    for signum, handler in previous.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize("signum", STOP_SIGNALS)
def test_a_stop_inside_the_block_is_taken_when_it_ends(signum, taken):
    with stop_signals_held():
        assert set(STOP_SIGNALS) <= _held_now()
        os.kill(os.getpid(), signum)
        assert taken == []  # held: no handler ran inside
    assert taken == [signum]
    assert not set(STOP_SIGNALS) & _held_now()


def test_a_child_forked_inside_takes_the_signals_again():
    with stop_signals_held():
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report its mask before and after
            held_before = set(STOP_SIGNALS) <= _held_now()
            take_stop_signals()
            held_after = bool(set(STOP_SIGNALS) & _held_now())
            os.write(write, bytes([held_before, held_after]))
            os._exit(0)
    os.close(write)
    answer = os.read(read, 2)
    os.close(read)
    os.waitpid(pid, 0)
    assert answer == bytes([True, False])


def test_kernel_seeds_are_forked_with_the_stop_signals_held(monkeypatch):
    masks, fork = [], os.fork

    def recording_fork():
        masks.append(_held_now())
        return fork()
    monkeypatch.setattr(os, "fork", recording_fork)
    seeds = KernelSeeds(2)
    monkeypatch.setattr(os, "fork", fork)
    seeds.close()
    assert len(masks) == 2 and all(set(STOP_SIGNALS) <= mask for mask in masks)
    assert not set(STOP_SIGNALS) & _held_now()

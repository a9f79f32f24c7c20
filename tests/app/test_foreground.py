"""The foreground gate (app/foreground.py): a worker gives way while the GUI is busy, within a bound."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.foreground import Foreground


def _in_thread(fn: Callable[[], object]) -> float:
    """Run `fn` in another thread (the worker side) and return how long it took."""
    took: list[float] = []

    def run() -> None:
        start = time.monotonic()
        fn()
        took.append(time.monotonic() - start)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    return took[0]


def test_a_worker_does_not_wait_when_nobody_is_busy() -> None:
    gate = Foreground()
    assert _in_thread(lambda: [gate.give_way() for _ in range(10_000)]) < 1.0
    assert gate.yielded_s == 0.0


def test_a_worker_sleeps_while_the_gui_is_busy_and_goes_on_when_it_is_done() -> None:
    gate = Foreground(max_yield_s=5.0)
    gate.busy(0.1)
    took = _in_thread(gate.give_way)
    assert 0.05 <= took < 2.0
    assert gate.yielded_s >= 0.05


def test_idle_ends_the_wait_early() -> None:
    gate = Foreground(max_yield_s=5.0)
    gate.busy(3.0)
    threading.Timer(0.05, gate.idle).start()
    assert _in_thread(gate.give_way) < 2.0


def test_the_busy_thread_never_waits_for_itself() -> None:
    gate = Foreground(max_yield_s=5.0)
    gate.busy(3.0)
    start = time.monotonic()
    gate.give_way()  # this thread promised to be busy: a sync run in it must not sleep
    assert time.monotonic() - start < 1.0
    assert gate.yielded_s == 0.0


def test_a_gui_busy_all_the_time_slows_a_worker_by_at_most_half() -> None:
    gate = Foreground(max_yield_s=0.05)
    gate.busy(60.0)

    def work() -> None:
        gate.give_way()  # waits the bound
        gate.give_way()  # right after: works on, no second wait until it has worked as long as it waited
        gate.give_way()

    took = _in_thread(work)
    assert 0.04 <= took < 1.0
    assert 0.04 <= gate.yielded_s < 0.5  # one wait, not three


def test_a_later_shorter_promise_does_not_cut_an_earlier_longer_one() -> None:
    gate = Foreground(max_yield_s=5.0)
    gate.busy(0.2)
    gate.busy(0.01)
    assert _in_thread(gate.give_way) >= 0.1

"""The foreground gate: long-running workers give way to the GUI thread while it is busy (no Qt here).

The GUI's event loop runs without the interpreter lock; every call from Qt into Python (a slot, a model's
`multiData`) has to take the lock back from whichever worker holds it, and while a sync applies a page each
take-back can wait a switch interval. A refresh of the views after a save makes hundreds of such calls, so a
save during a long pull paused the window for up to ~100 ms (tests/ui/test_shell_latency.py).

The GUI says when it is about to be busy (`busy`: a change published to the views, a job's result delivered);
a worker calls `give_way` between small steps (one record of a page) and, while the GUI is busy, sleeps —
which releases the lock, so the GUI's calls take it at once. A worker never waits more than `MAX_YIELD_S` in a
row and then works at least as long before it yields again, so a GUI that is busy all the time slows a sync
by at most half, never stops it. Outside a GUI (tests of `app/`, the CLI) nobody calls `busy` and `give_way`
costs one clock read.
"""

from __future__ import annotations

import threading
import time

MAX_YIELD_S = 0.2
STEP_S = 0.004


class Foreground:
    def __init__(self, max_yield_s: float = MAX_YIELD_S) -> None:
        self.max_yield_s = max_yield_s
        self._busy_until = 0.0
        self._busy_thread: int | None = None  # the thread that promised to be busy never waits for itself
        self._lock = threading.Lock()
        self._local = threading.local()
        self.yielded_s = 0.0  # total time workers gave way (diagnostics, tests)

    def busy(self, seconds: float) -> None:
        """The GUI thread will be busy for about `seconds` from now (the latest such promise wins)."""
        until = time.monotonic() + seconds
        with self._lock:
            self._busy_until = max(self._busy_until, until)
            self._busy_thread = threading.get_ident()

    def idle(self) -> None:
        with self._lock:
            self._busy_until = 0.0

    def give_way(self) -> None:
        """Called by a worker between steps: sleep while the GUI is busy, within the starvation bound."""
        now = time.monotonic()
        if now >= self._busy_until or threading.get_ident() == self._busy_thread:
            return
        local = self._local
        if now < getattr(local, "work_until", 0.0):
            return  # gave way just now: work on for as long as it waited
        deadline = min(self._busy_until, now + self.max_yield_s)
        start = now
        while now < deadline:
            time.sleep(min(STEP_S, deadline - now))
            now = time.monotonic()
            deadline = min(self._busy_until, start + self.max_yield_s)
        waited = now - start
        local.work_until = now + waited
        with self._lock:
            self.yielded_s += waited


#: one per process: the interpreter lock the gate is about is one per process too
FOREGROUND = Foreground()

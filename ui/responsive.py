"""Keeping the interpreter from stalling the GUI thread while workers run Python code (a sync, an import).

Two measured causes and their remedies (see tests/ui/test_shell_latency.py):

* A full (generation 2) garbage collection walks every tracked object and stops every thread, whichever thread
  triggers it — the sync worker included. With the modules, widgets and caches of a running app that walk took
  110–150 ms. Freezing what exists once the main window is built (`gc.freeze`) moves those long-lived objects
  out of the collector's way; later collections walk only what came after (pauses fell under 30 ms).
* The event loop runs without the GIL, and every call from Qt into Python (a slot, an event filter, a model's
  `data`) must take it back. While a worker thread is busy in Python, each take-back can wait a whole switch
  interval (5 ms by default). A 1 ms interval bounds that wait (slightly slower workers, calmer GUI); views
  keep the number of such calls per paint small (ui/tasks/model.py: one `multiData` per cell, no Python
  `flags`). Calls from Python into Qt (`setText`, `isValid`) do not release the GIL (measured). Even so, a
  refresh of the views after a save makes hundreds of calls; the foreground gate (app/foreground.py) has
  workers sleep between records while the GUI says it is busy (`ChangeBus.publish`, a job's result), so those
  calls find the GIL free: the pause after a note saved during a 10,000-change pull fell from 43–105 ms to
  17–43 ms.
"""

from __future__ import annotations

import gc
import sys

SWITCH_INTERVAL_S = 0.001


def tune_for_gui() -> None:
    """Call once the main window exists: freeze the long-lived heap, shorten the GIL switch interval.

    No `gc.collect()` first: a full collection here is itself a 100+ ms pause of the window. What start-up
    garbage is frozen with the rest stays allocated — a few megabytes at most, once."""
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL_S)

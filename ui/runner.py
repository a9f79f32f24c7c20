"""One task runner for the whole UI (after Anki's task manager): store work on a single serial worker (the UI's
own jobs in order), network work on a separate small pool, so a sync's network waits never queue behind — or
block — a local save. Writes from either pool are made single by the Store's writer lock (`app.store`): a save
during a pull waits for the page being applied, not for the pull.

Store and io jobs are tracked (`app.topics.track`): what their writes changed reaches the GUI thread as the
runner's `changes` signal (a `Changes`) just before the job's own `succeeded` / `failed`, and the ChangeBus
forwards it to the views. No caller names what it changed; a network job (the sync) reports its own.

A job is a plain function `fn(job: JobControl) -> result` run on a worker thread. It reports progress through
`job.progress(done, total, text)` and checks `job.cancelled`. Results, errors and progress come back to the GUI
thread as queued signals on a `JobHandle` that lives in the GUI thread; callbacks never run on a worker.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from app import topics
from app.foreground import FOREGROUND
from app.topics import Changes

log = logging.getLogger(__name__)

RELEASE_DELAY_MS = 1000
RESULT_BUSY_S = 0.05  # a job's result reaching its slots: how long workers give way (app.foreground)


class JobControl:
    """What a running job sees: progress reporting and the cancel flag."""

    def __init__(self, handle: JobHandle) -> None:
        self._handle = handle
        self.cancel_event = handle.cancel_event

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._handle._progress.emit(int(done), int(total), text)


class JobHandle(QObject):
    """GUI-thread handle of one job. Signals: progressed(done, total, text), succeeded(result), failed(exc)."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    changed = Signal(object)  # Changes: what a tracked job's writes touched (only when not empty)

    _progress = Signal(int, int, str)
    _done = Signal(object, object)
    _error = Signal(object, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.cancel_event = threading.Event()
        self.running = True
        self._progress.connect(self._on_progress)
        self._done.connect(self._on_done)
        self._error.connect(self._on_error)

    def cancel(self) -> None:
        self.cancel_event.set()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    @Slot(object, object)
    def _on_done(self, result: object, changes: Changes) -> None:
        FOREGROUND.busy(RESULT_BUSY_S)  # the result's slots run now: workers give way (app.foreground)
        self.running = False
        self._publish(changes)
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object, object)
    def _on_error(self, exc: object, changes: Changes) -> None:
        FOREGROUND.busy(RESULT_BUSY_S)
        self.running = False
        self._publish(changes)  # a job that failed half-way may have committed its first transactions
        self.failed.emit(exc)
        self.finished.emit()

    def _publish(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)


class _Runnable(QRunnable):
    """Not auto-deleted: the runner drops it on the GUI thread after a grace period (`_job_finished`), so that
    the last Python reference to the job's closure, result or handle — and to any Qt object they keep alive —
    is never released on a worker thread (PySide would then destroy GUI objects off the GUI thread)."""

    def __init__(self, fn: Callable[[JobControl], Any], handle: JobHandle, tracked: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self._handle = handle
        self._tracked = tracked

    def run(self) -> None:
        control = JobControl(self._handle)
        with topics.track() as tracked:
            try:
                result = self._fn(control)
            except BaseException as exc:  # delivered to the GUI thread, never swallowed
                if not _is_expected(exc):
                    log.error("job %s failed:\n%s", self._handle.name, "".join(traceback.format_exception(exc)))
                self._handle._error.emit(exc, self._changes(tracked))
                return
        self._handle._done.emit(result, self._changes(tracked))

    def _changes(self, tracked: topics.Tracked) -> Changes:
        return tracked.changes if self._tracked else topics.NOTHING


def _is_expected(exc: BaseException) -> bool:
    from app.errors import DomainError, StoreError
    from sync.transport import SyncError

    return isinstance(exc, DomainError | StoreError | SyncError) or type(exc).__name__ == "Cancelled"


class TaskRunner(QObject):
    """Owns the pools. `run_store` for anything that writes or reads heavily; `run_net` for network.
    `changes` carries what each store or io job changed (see the module docstring)."""

    changes = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_pool = QThreadPool(self)
        self.store_pool.setMaxThreadCount(1)
        self.net_pool = QThreadPool(self)
        self.net_pool.setMaxThreadCount(3)
        self.io_pool = QThreadPool(self)  # hashing, thumbnails, rendering: parallel, never the DB writer
        self.io_pool.setMaxThreadCount(2)
        self._live: dict[JobHandle, _Runnable] = {}
        self._retired: dict[JobHandle, float] = {}  # finished handle → when (monotonic)
        self._sweeper = QTimer(self)
        self._sweeper.setSingleShot(True)
        self._sweeper.timeout.connect(self._sweep)

    def _submit(self, pool: QThreadPool, name: str, fn: Callable[[JobControl], Any],
                on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                on_progress: Callable[[int, int, str], None] | None) -> JobHandle:
        handle = JobHandle(name, self)
        handle.changed.connect(self.changes)  # before on_done: views refresh, then the caller continues
        if on_done:
            handle.succeeded.connect(on_done)
        if on_error:
            handle.failed.connect(on_error)
        if on_progress:
            handle.progressed.connect(on_progress)
        runnable = _Runnable(fn, handle, tracked=pool is not self.net_pool)
        self._live[handle] = runnable
        handle.finished.connect(self._job_finished)  # a slot of the runner: no closure keeps the runner alive
        pool.start(runnable)
        return handle

    @Slot()
    def _job_finished(self) -> None:
        # the worker emitted its last signal a moment ago and may still be unwinding `run()`: release later
        handle = self.sender()
        if isinstance(handle, JobHandle):
            self._retired[handle] = time.monotonic()
            if not self._sweeper.isActive():
                self._sweeper.start(RELEASE_DELAY_MS)

    def _sweep(self) -> None:
        cutoff = time.monotonic() - RELEASE_DELAY_MS / 1000
        for handle, at in list(self._retired.items()):
            if at <= cutoff:
                self._release(handle)
        if self._retired:
            self._sweeper.start(RELEASE_DELAY_MS)

    def _release(self, handle: JobHandle) -> None:
        self._retired.pop(handle, None)
        if self._live.pop(handle, None) is not None:
            handle.setParent(None)  # Python owns it now: freed with its last reference, on this (GUI) thread

    def run_store(self, name: str, fn: Callable[[JobControl], Any], *, on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None,
                  on_progress: Callable[[int, int, str], None] | None = None) -> JobHandle:
        return self._submit(self.store_pool, name, fn, on_done, on_error, on_progress)

    def run_net(self, name: str, fn: Callable[[JobControl], Any], *, on_done: Callable[[Any], None] | None = None,
                on_error: Callable[[BaseException], None] | None = None,
                on_progress: Callable[[int, int, str], None] | None = None) -> JobHandle:
        return self._submit(self.net_pool, name, fn, on_done, on_error, on_progress)

    def run_io(self, name: str, fn: Callable[[JobControl], Any], *, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None) -> JobHandle:
        return self._submit(self.io_pool, name, fn, on_done, on_error, on_progress)

    def cancel_all(self) -> None:
        for handle in list(self._live):
            if handle.running:
                handle.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every worker; finished jobs are then released at once (no worker can still hold them)."""
        ok = True
        for pool in (self.store_pool, self.net_pool, self.io_pool):
            ok = pool.waitForDone(msecs) and ok
        if ok:
            for handle in [h for h in self._live if not h.running]:
                self._release(handle)
        return ok

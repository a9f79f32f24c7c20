"""One task runner for the whole UI (after Anki's task manager): store work on a single serial worker (one
writer), network work on a separate small pool, so a sync never queues behind — or blocks — a local save.

A job is a plain function `fn(job: JobControl) -> result` run on a worker thread. It reports progress through
`job.progress(done, total, text)` and checks `job.cancelled`. Results, errors and progress come back to the GUI
thread as queued signals on a `JobHandle` that lives in the GUI thread; callbacks never run on a worker.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


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

    _progress = Signal(int, int, str)
    _done = Signal(object)
    _error = Signal(object)

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

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self.running = False
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, exc: object) -> None:
        self.running = False
        self.failed.emit(exc)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[JobControl], Any], handle: JobHandle) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._handle = handle

    def run(self) -> None:
        control = JobControl(self._handle)
        try:
            result = self._fn(control)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            if not _is_expected(exc):
                log.error("job %s failed:\n%s", self._handle.name, "".join(traceback.format_exception(exc)))
            self._handle._error.emit(exc)
        else:
            self._handle._done.emit(result)


def _is_expected(exc: BaseException) -> bool:
    from app.errors import DomainError, StoreError

    return isinstance(exc, DomainError | StoreError) or type(exc).__name__ == "Cancelled"


class TaskRunner(QObject):
    """Owns the pools. `run_store` for anything that writes or reads heavily; `run_net` for network."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_pool = QThreadPool(self)
        self.store_pool.setMaxThreadCount(1)
        self.net_pool = QThreadPool(self)
        self.net_pool.setMaxThreadCount(3)
        self.io_pool = QThreadPool(self)  # hashing, thumbnails, rendering: parallel, never the DB writer
        self.io_pool.setMaxThreadCount(2)
        self._live: set[JobHandle] = set()

    def _submit(self, pool: QThreadPool, name: str, fn: Callable[[JobControl], Any],
                on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                on_progress: Callable[[int, int, str], None] | None) -> JobHandle:
        handle = JobHandle(name, self)
        if on_done:
            handle.succeeded.connect(on_done)
        if on_error:
            handle.failed.connect(on_error)
        if on_progress:
            handle.progressed.connect(on_progress)
        self._live.add(handle)
        handle.finished.connect(lambda: self._forget(handle))
        pool.start(_Runnable(fn, handle))
        return handle

    def _forget(self, handle: JobHandle) -> None:
        self._live.discard(handle)
        handle.deleteLater()

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
            handle.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        ok = True
        for pool in (self.store_pool, self.net_pool, self.io_pool):
            ok = pool.waitForDone(msecs) and ok
        return ok

"""`Latest`: of a series of store reads for one view (a detail pane reloading as the selection or the store
changes, a search box querying as the person types), only the newest read's answer reaches the view. An older
answer that arrives late is dropped, and so is any answer once the view's widget is deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from ui.qt_guard import alive
from ui.runner import JobControl, JobHandle, TaskRunner


class Latest:
    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self._generation = 0

    def run_store(self, runner: TaskRunner, name: str, job: Callable[[JobControl], Any], *,
                  on_done: Callable[[Any], None],
                  on_error: Callable[[BaseException], None] | None = None) -> JobHandle:
        """`runner.run_store(name, job)`, its answer delivered only while it is the newest read."""
        self._generation += 1
        generation = self._generation

        def current() -> bool:
            return generation == self._generation and alive(self._owner)

        def done(value: Any) -> None:
            if current():
                on_done(value)

        def failed(exc: BaseException) -> None:
            if current() and on_error is not None:
                on_error(exc)

        return runner.run_store(name, job, on_done=done, on_error=failed)

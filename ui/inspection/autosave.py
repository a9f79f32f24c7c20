"""`Autosaver`: every edit of an inspection form becomes durable about a second after the last keystroke,
without a save button.

Edits are collected as pending operations — the record's fields (merged into one `save_fields` call) and the
answer/note of each checklist item (latest wins) — and written by one job on the store worker after a short
debounce. The status says 已保存 HH:MM:SS only after the job's transactions committed. A `StoreError` (disk
full, data dir read-only, busy) puts the operations back — never over newer edits — and retries with back-off,
while the form keeps showing what was typed; `failed(message)` lets the form show a banner. A `DomainError`
(e.g. the record was finalised elsewhere) is reported and dropped: retrying cannot help.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from app import timefmt
from app.errors import DomainError, StoreError
from app.inspections import InspectionService, SaveResult
from ui.context import AppContext
from ui.runner import JobControl

DEBOUNCE_MS = 500
MAX_DELAY_MS = 1000  # continuous typing is still saved at least this often
RETRY_MS = (2000, 5000, 10000, 30000)


@dataclass
class _Batch:
    fields: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # item key → {"result"?, "note"?}

    def empty(self) -> bool:
        return not self.fields and not self.answers

    def under(self, newer: _Batch) -> _Batch:
        """This (older, failed) batch with `newer` edits on top."""
        answers = {k: dict(v) for k, v in self.answers.items()}
        for key, values in newer.answers.items():
            answers.setdefault(key, {}).update(values)
        return _Batch({**self.fields, **newer.fields}, answers)


@dataclass
class _Outcome:
    save: SaveResult | None = None
    committed_at: datetime | None = None
    error: BaseException | None = None
    left: _Batch = field(default_factory=_Batch)  # what was not written because of `error`


def write_batch(service: InspectionService, inspection_id: str, batch: _Batch) -> _Outcome:
    """Run on the store worker: fields first, then each answer in its own transaction."""
    out = _Outcome()
    done: set[str] = set()
    try:
        if batch.fields:
            out.save = service.save_fields(inspection_id, **batch.fields)
        for key, values in batch.answers.items():
            if values.get("result"):
                service.answer(inspection_id, key, values["result"], values.get("note"), values.get("fact"))
            else:
                if "note" in values:
                    service.set_note(inspection_id, key, values["note"])
                if "fact" in values:
                    service.set_fact(inspection_id, key, values["fact"])
            done.add(key)
        out.committed_at = service.clock()
    except (StoreError, DomainError) as exc:
        out.error = exc
        out.left = _Batch({} if out.save else dict(batch.fields),
                          {k: v for k, v in batch.answers.items() if k not in done})
    return out


class Autosaver(QObject):
    """Signals: `saved(SaveResult | None, datetime)` after a commit, `failed(str)` with a Chinese message,
    `status(str)` with the text for the status label, `recovered()` when a retry succeeded."""

    saved = Signal(object, object)
    failed = Signal(str)
    status = Signal(str)
    recovered = Signal()

    def __init__(self, ctx: AppContext, service: InspectionService, parent: QObject | None = None,
                 *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = service
        self.inspection_id: str | None = None
        self._pending = _Batch()
        self._in_flight: _Batch | None = None
        self._failures = 0
        self._after: list[Callable[[], None]] = []
        self.last_saved: datetime | None = None
        self.last_committed: dict[str, Any] = {}  # the fields (and answers) of the last committed batch
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self._debounce = debounce_ms
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.flush)
        self.max_delay_ms = max(debounce_ms, MAX_DELAY_MS if debounce_ms >= 100 else debounce_ms * 4)
        self._dirty_since = QElapsedTimer()
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.flush)

    # ---- what the form calls -----------------------------------------------------------------------------

    def bind(self, inspection_id: str | None) -> None:
        if inspection_id != self.inspection_id:
            self.flush()
            self.inspection_id = inspection_id
            self._failures = 0
            self.last_saved = None

    def set_field(self, name: str, value: Any) -> None:
        self._pending.fields[name] = value
        self._touched()

    def set_answer(self, item_key: str, *, result: str | None = None, note: str | None = None,
                   fact: str | None = None) -> None:
        entry = self._pending.answers.setdefault(item_key, {})
        if result is not None:
            entry["result"] = result
        if note is not None:
            entry["note"] = note
        if fact is not None:
            entry["fact"] = fact
        self._touched()

    @property
    def dirty(self) -> bool:
        return not self._pending.empty() or self._in_flight is not None

    def pending_answer(self, item_key: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for batch in (self._in_flight or _Batch(), self._pending):
            merged.update(batch.answers.get(item_key, {}))
        return merged

    def _touched(self) -> None:
        """Debounce, but never hold an edit longer than `max_delay_ms` while the person keeps typing."""
        self.status.emit(self.tr("Saving…"))
        if self.retry_timer.isActive():
            return
        if not self._dirty_since.isValid():
            self._dirty_since.start()
        left = self.max_delay_ms - self._dirty_since.elapsed()
        self.timer.start(max(0, min(self._debounce, left)))

    # ---- writing -----------------------------------------------------------------------------------------

    @property
    def failing(self) -> bool:
        """The last save failed (disk full, read-only …): edits are kept here and retried."""
        return self._failures > 0

    def flush(self, on_done: Callable[[], None] | None = None) -> None:
        """Write what is pending now (one job at a time; edits made meanwhile follow in the next). `on_done`
        runs once everything typed so far is committed (at once when nothing is pending); it is dropped if
        the save fails."""
        self.timer.stop()
        if on_done is not None:
            if self._in_flight is None and self._pending.empty():
                on_done()
                return
            self._after.append(on_done)
        if self._in_flight is not None or self._pending.empty() or self.inspection_id is None:
            return
        self._dirty_since.invalidate()
        self.retry_timer.stop()
        batch, self._pending = self._pending, _Batch()
        self._in_flight = batch
        iid, service = self.inspection_id, self.service

        def job(_: JobControl) -> _Outcome:
            return write_batch(service, iid, batch)

        self.ctx.runner.run_store("inspection autosave", job, on_done=self._finished, on_error=self._crashed)

    def _finished(self, outcome: _Outcome) -> None:
        batch = self._in_flight or _Batch()
        self._in_flight = None
        if outcome.error is None:
            self.last_committed = {"fields": dict(batch.fields), "answers": dict(batch.answers)}
            had_failed = self._failures > 0
            self._failures = 0
            self.last_saved = outcome.committed_at
            self.saved.emit(outcome.save, outcome.committed_at)
            stamp = timefmt.fmt(outcome.committed_at, "time_s")
            self.status.emit(self.tr("Saved %1").replace("%1", stamp))
            if had_failed:
                self.recovered.emit()
            if self._pending.empty():
                callbacks, self._after = self._after, []
                for callback in callbacks:
                    callback()
        elif isinstance(outcome.error, StoreError):
            self._after.clear()
            self._pending = outcome.left.under(self._pending)
            delay = RETRY_MS[min(self._failures, len(RETRY_MS) - 1)]
            self._failures += 1
            self.failed.emit(f"{outcome.error.message}（{delay // 1000} 秒后自动重试）")
            self.status.emit(self.tr("Not saved — will retry"))
            self.retry_timer.start(delay)
            return
        else:
            self._after.clear()
            self.failed.emit(str(outcome.error))
            self.status.emit(self.tr("Not saved"))
        if not self._pending.empty():
            self.timer.start(0)

    def _crashed(self, exc: BaseException) -> None:  # an unexpected error: keep the edits, say so
        self._after.clear()
        self._failures += 1
        batch = self._in_flight or _Batch()
        self._in_flight = None
        self._pending = batch.under(self._pending)
        self.failed.emit(self.tr("Saving failed: %1").replace("%1", str(exc)))
        self.retry_timer.start(RETRY_MS[-1])

    def retry_now(self) -> None:
        self.retry_timer.stop()
        self.flush()

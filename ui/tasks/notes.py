"""`NotesEditor`: the officer's notes on a task, saved through `TaskService.edit_text` about 800 ms after the
last keystroke. It says 已保存 only after the write transaction committed; a failed save keeps the text and
says why. Switching tasks or closing the window flushes a pending save first."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app import timefmt
from app.services.tasks import TaskService
from ui.context import AppContext
from ui.qt_guard import alive
from ui.runner import JobControl

DEBOUNCE_MS = 800


class NotesEditor(QWidget):
    """Signals: `saved(task_id)` after a durable save; `state_changed(str)` with the status text."""

    saved = Signal(str)
    state_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task_id: str | None = None
        self._dirty = False
        self._saving = False
        self._again = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlaceholderText(self.tr("Notes for the team: calls made, appointments, what to bring…"))
        self.edit.setMinimumHeight(80)
        self.edit.setMaximumHeight(140)
        self.edit.setTabChangesFocus(True)
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.save_now)
        self.edit.textChanged.connect(self._on_edited)
        self._loading = False

    @property
    def dirty(self) -> bool:
        return self._dirty

    def set_task(self, task_id: str | None, text: str, *, editable: bool) -> None:
        """Show `text` for `task_id`, unless this same task has edits not yet saved (they are kept)."""
        if task_id != self.task_id:
            self.flush()
            self.task_id = task_id
            self._dirty = False
            self._set_status("")
        if not self._dirty and not self._saving and self.edit.toPlainText() != text:
            self._loading = True
            self.edit.setPlainText(text)
            self._loading = False
        self.edit.setReadOnly(not editable)
        if not editable and not self._dirty:
            self._set_status(self.tr("Notes can no longer be changed for this task."))

    def _on_edited(self) -> None:
        if self._loading or self.task_id is None:
            return
        self._dirty = True
        self._set_status(self.tr("Not saved yet…"))
        self.timer.start()

    def flush(self) -> None:
        """Save now if a save is waiting for the debounce."""
        if self._dirty and self.timer.isActive():
            self.timer.stop()
            self.save_now()

    def save_now(self) -> None:
        if self.task_id is None or not self._dirty:
            return
        if self._saving:
            self._again = True
            return
        task_id, text = self.task_id, self.edit.toPlainText()
        store, user = self.ctx.store, self.ctx.user
        self._saving = True
        self._set_status(self.tr("Saving…"))

        def job(_control: JobControl) -> None:
            TaskService(store, user).edit_text(task_id, notes=text)

        self.ctx.runner.run_store(
            "save-notes",
            job,
            on_done=lambda _r: self._saved(task_id, text),
            on_error=lambda exc: self._failed(task_id, exc),
        )

    def _saved(self, task_id: str, text: str) -> None:
        if not alive(self):
            return
        self._saving = False
        if task_id == self.task_id and self.edit.toPlainText() == text:
            self._dirty = False
            self._set_status(self.tr("Saved %1").replace("%1", timefmt.fmt(datetime.now(UTC), "time_s")))
        self.saved.emit(task_id)
        if self.ctx.sync is not None:
            self.ctx.sync.request_soon()
        if self._again or (task_id == self.task_id and self._dirty and not self.timer.isActive()):
            self._again = False
            self.save_now()

    def _failed(self, task_id: str, exc: BaseException) -> None:
        if not alive(self):
            return
        self._saving = False
        self._again = False
        if task_id == self.task_id:
            self._set_status(self.tr("Not saved: %1").replace("%1", str(exc)), error=True)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setObjectName("errorText" if error else "muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.state_changed.emit(text)

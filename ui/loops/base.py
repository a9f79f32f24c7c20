"""`SaveDialog`: the shared frame of the loop dialogs — a form, a red error line, 保存 (Ctrl+Enter) / 取消 — that
saves on the store worker and closes only once the record is committed; a refusal is shown in Chinese and
everything typed stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.qt_guard import alive
from ui.runner import JobControl


def text_box(parent: QWidget, placeholder: str, height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on: the dialog is filled with the keyboard alone
    box.setFixedHeight(height)
    return box


class TimeEdit(QDateTimeEdit):
    """A date-time field that Tab leaves at once (Qt's own steps through its sections; arrows and typing still
    move inside), so a dialog is crossed with one Tab per field."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


def time_edit(parent: QWidget) -> QDateTimeEdit:
    edit = TimeEdit(QDateTime.currentDateTime(), parent)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    edit.setMaximumDateTime(QDateTime.currentDateTime().addSecs(300))
    return edit


def channel_combo(parent: QWidget, channels: dict[str, str]) -> QComboBox:
    box = QComboBox(parent)
    for i, (key, label) in enumerate(channels.items(), start=1):
        box.addItem(f"{i} {label}", key)
    return box


class SaveDialog(QDialog):
    """Subclasses set the title and `self.intro`, fill `self.form` and implement `job()` (a callable run on the
    store worker)."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        hint = QLabel(self.tr("Tab moves between fields · Ctrl+Enter saves · Esc cancels"), self)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        self._saving = False

    def job(self) -> Callable[[], Any]:
        raise NotImplementedError

    def save(self) -> None:
        if self._saving:
            return
        try:
            fn = self.job()
        except ValueError as exc:  # a value the dialog itself can tell is missing
            self.show_error(str(exc))
            return
        self._saving = True
        self.buttons.setEnabled(False)

        def run(_control: JobControl) -> Any:
            return fn()

        self.ctx.runner.run_store("loops-save", run, on_done=self._done, on_error=self._failed)

    def _done(self, result: Any) -> None:
        if not alive(self):
            return
        self._saving = False
        self.saved.emit(result)
        if self.ctx.sync is not None:
            self.ctx.sync.request_soon()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        self._saving = False
        self.buttons.setEnabled(True)
        self.show_error(str(exc))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

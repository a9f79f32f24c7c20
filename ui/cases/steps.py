"""The dialog for one case step: the legal date and the fields that step records (approval, penalty, opinion …),
built from a table per action; keyboard-only use works (tab order follows the form, Enter accepts).

The dialog only collects values; the step is checked by the shared rules when the area submits it, and a
refusal is shown with the article while the dialog's values stay for the person to correct."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.rules.case_config import PENALTY_KINDS
from app.rules.case_states import CaseAction
from ui.widgets.qtypes import py_date

SERVICE_METHODS = ("直接送达", "留置送达", "邮寄送达", "电子送达", "宣告送达")
OPINIONS = ("通过", "补正", "不通过")

#: action → fields: (key, kind, English label); kinds: text, multiline, amount, date, days, kinds, bool, choice:…
FIELDS: dict[CaseAction, tuple[tuple[str, str, str], ...]] = {
    CaseAction.NOTIFY: (("kinds", "kinds", "Penalty kinds"), ("fine_amount", "amount", "Fine (yuan)"),
                        ("confiscation_amount", "amount", "Value confiscated (yuan)"),
                        ("hearing_right", "bool", "The notice states the right to a hearing")),
    CaseAction.DECIDE: (("kinds", "kinds", "Penalty kinds"), ("fine_amount", "amount", "Fine (yuan)"),
                        ("confiscation_amount", "amount", "Value confiscated (yuan)")),
    CaseAction.STATEMENT: (("text", "multiline", "Statement and defence"),),
    CaseAction.WAIVE_HEARING: (("text", "multiline", "Written waiver"),),
    CaseAction.HOLD_HEARING: (("record", "multiline", "Hearing record"),),
    CaseAction.REVIEW: (("opinion", "choice:opinion", "Opinion"), ("text", "multiline", "Reasons")),
    CaseAction.SERVE: (("method", "choice:service", "Service method"),),
    CaseAction.PAY: (("amount", "amount", "Amount paid (yuan)"),),
    CaseAction.EXTEND: (("approver", "text", "Approved by"), ("new_due", "date", "New deadline")),
    CaseAction.PRESERVE: (("approver", "text", "Approved by"), ("until", "date", "Preserved until")),
    CaseAction.PRESERVE_DECIDE: (("measure", "text", "Measure taken"),),
    CaseAction.SEIZE: (("approver", "text", "Approved by"), ("days", "days", "Period (days)")),
    CaseAction.SEIZE_EXTEND: (("approver", "text", "Approved by"), ("days", "days", "Extension (days)")),
}
REASON_ACTIONS = frozenset({CaseAction.TRANSFER, CaseAction.TERMINATE, CaseAction.EXTEND, CaseAction.CLOSE})


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class StepDialog(QDialog):
    def __init__(self, action: CaseAction, today: date, blocked: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(action.label)
        self._widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        self.on = QDateEdit(_qdate(today))
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setMaximumDate(_qdate(today))
        form.addRow(self.tr("Date of the step"), self.on)
        for key, kind, label in FIELDS.get(action, ()):
            widget = self._widget(kind, today)
            self._widgets[key] = widget
            form.addRow(self.tr(label), widget)
        self.reason = QLineEdit()
        if action in REASON_ACTIONS:
            form.addRow(self.tr("Reason"), self.reason)
        self.problem = QLabel(blocked or "")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _widget(self, kind: str, today: date) -> QWidget:
        if kind == "multiline":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(90)
            return edit
        if kind == "date":
            widget = QDateEdit(_qdate(today))
            widget.setCalendarPopup(True)
            widget.setDisplayFormat("yyyy-MM-dd")
            return widget
        if kind == "days":
            spin = QSpinBox()
            spin.setRange(1, 365)
            spin.setValue(30)
            return spin
        if kind == "bool":
            return QCheckBox()
        if kind == "kinds":
            box = QListWidget()
            for name in PENALTY_KINDS:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name == "罚款" else Qt.CheckState.Unchecked)
                box.addItem(item)
            box.setMaximumHeight(120)
            return box
        if kind.startswith("choice:"):
            combo = QComboBox()
            combo.addItems(OPINIONS if kind == "choice:opinion" else SERVICE_METHODS)
            return combo
        line = QLineEdit()
        if kind == "amount":
            line.setPlaceholderText("0")
        return line

    def set_value(self, key: str, value: Any) -> None:
        """Fill a field (tests and defaults)."""
        widget = self._widgets[key]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findText(str(value))))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, QDateEdit):
            widget.setDate(_qdate(value))
        elif isinstance(widget, QListWidget):
            wanted = set(value)
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.text() in wanted else Qt.CheckState.Unchecked)

    def values(self) -> tuple[date, str | None, dict[str, Any]]:
        """(date of the step, reason or None, data of the step)."""
        data: dict[str, Any] = {}
        for key, widget in self._widgets.items():
            if isinstance(widget, QPlainTextEdit):
                data[key] = widget.toPlainText().strip()
            elif isinstance(widget, QLineEdit):
                data[key] = widget.text().strip()
            elif isinstance(widget, QCheckBox):
                data[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                data[key] = widget.currentText()
            elif isinstance(widget, QSpinBox):
                data[key] = widget.value()
            elif isinstance(widget, QDateEdit):
                data[key] = py_date(widget.date()).isoformat()
            elif isinstance(widget, QListWidget):
                data[key] = [widget.item(i).text() for i in range(widget.count())
                             if widget.item(i).checkState() == Qt.CheckState.Checked]
        reason = self.reason.text().strip() or None
        return py_date(self.on.date()), reason, data

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)

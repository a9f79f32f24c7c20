"""The field editor of a document: editable fields of a draft as inputs, the rest (filled from the records or
fixed by the enforcing body) read-only; the Chinese list of what still blocks issuing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.documents.templates import FieldSpec, Template
from app.documents.values import display, empty


class TableEditor(QWidget):
    changed = Signal()

    def __init__(self, spec: FieldSpec, rows: list[dict[str, str]], editable: bool) -> None:
        super().__init__()
        self.spec = spec
        self.table = QTableWidget(0, len(spec.columns))
        self.table.setHorizontalHeaderLabels([c.label for c in spec.columns])
        self.table.setMinimumHeight(120)
        if not editable:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row in rows:
            self._append(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        if editable:
            buttons = QHBoxLayout()
            add, remove = QPushButton(self.tr("Add row")), QPushButton(self.tr("Remove row"))
            add.clicked.connect(self._add_row)
            remove.clicked.connect(self._remove)
            buttons.addWidget(add)
            buttons.addWidget(remove)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())

    def _append(self, row: dict[str, str]) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, col in enumerate(self.spec.columns):
            value = row.get(col.key, str(r + 1) if col.key == "no" else "")
            self.table.setItem(r, c, QTableWidgetItem(value))

    def _add_row(self) -> None:
        self._append({})
        self.changed.emit()

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True) or [
            self.table.rowCount() - 1
        ]
        for r in rows:
            if r >= 0:
                self.table.removeRow(r)
        self.changed.emit()

    def value(self) -> list[dict[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            row = {
                col.key: (item.text() if (item := self.table.item(r, c)) else "")
                for c, col in enumerate(self.spec.columns)
            }
            if any(v.strip() for k, v in row.items() if k != "no"):
                out.append(row)
        return out


class FieldEditor(QWidget):
    """Shows one document's fields; `changed_values()` gives the editable fields whose value changed."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._widgets: dict[str, Any] = {}
        self._original: dict[str, Any] = {}
        self.template: Template | None = None

    def _emit_edited(self, *_args: Any) -> None:
        self.edited.emit()

    def clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._widgets.clear()

    def load(self, template: Template, fields: dict[str, Any], *, draft: bool) -> None:
        self.clear()
        self.template = template
        self._original = dict(fields)
        for spec in template.fields:
            value = fields.get(spec.key)
            editable = draft and (spec.editable or empty(value))
            label = spec.label + (" *" if spec.required else "")
            if not editable:
                shown = QLabel(display(spec, value) if spec.kind != "table" else "")
                shown.setWordWrap(True)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                widget: QWidget = shown
                if spec.kind == "table":
                    widget = TableEditor(spec, value or [], False)
                self.form.addRow(label, widget)
                continue
            widget = self._input(spec, value)
            self._widgets[spec.key] = widget
            self.form.addRow(label, widget)

    def _input(self, spec: FieldSpec, value: Any) -> QWidget:
        if spec.kind == "multiline":
            w: Any = QPlainTextEdit(str(value or ""))
            w.setFixedHeight(90)
            w.textChanged.connect(self._emit_edited)
        elif spec.kind == "choice":
            w = QComboBox()
            w.addItems(list(spec.choices))
            if value:
                w.setCurrentText(str(value))
            w.currentIndexChanged.connect(self._emit_edited)
        elif spec.kind == "date":
            w = QDateEdit()
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setDate(QDate.fromString(str(value), "yyyy-MM-dd") if value else QDate.currentDate())
            w.dateChanged.connect(self._emit_edited)
        elif spec.kind == "datetime":
            w = QDateTimeEdit()
            w.setDisplayFormat("yyyy-MM-dd HH:mm")
            dt = (
                QDateTime.fromString(str(value), "yyyy-MM-dd HH:mm")
                if value
                else QDateTime(QDate.currentDate(), QTime(9, 0))
            )
            w.setDateTime(dt)
            w.dateTimeChanged.connect(self._emit_edited)
        elif spec.kind == "table":
            w = TableEditor(spec, value or [], True)
            w.changed.connect(self._emit_edited)
        else:
            w = QLineEdit(str(value or ""))
            if spec.kind == "money":
                w.setPlaceholderText(self.tr("Amount in yuan, e.g. 200"))
            w.textChanged.connect(self._emit_edited)
        if spec.hint:
            w.setToolTip(spec.hint)
        return w

    def _value(self, spec: FieldSpec, w: Any) -> Any:
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentText()
        if isinstance(w, QDateTimeEdit) and not isinstance(w, QDateEdit):
            return w.dateTime().toString("yyyy-MM-dd HH:mm")
        if isinstance(w, QDateEdit):
            return w.date().toString("yyyy-MM-dd")
        if isinstance(w, TableEditor):
            return w.value()
        return w.text()

    def changed_values(self) -> dict[str, Any]:
        if self.template is None:
            return {}
        out: dict[str, Any] = {}
        for key, w in self._widgets.items():
            spec = self.template.by_key[key]
            value = self._value(spec, w)
            if value != self._original.get(key) and not (empty(value) and empty(self._original.get(key))):
                out[key] = value
        return out

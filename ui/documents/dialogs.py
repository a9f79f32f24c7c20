"""Small dialogs of the 文书 area: new document, void with a reason, service (送达) registration."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.documents.lifecycle import SERVICE_LABELS, SERVICE_METHODS
from app.documents.values import CHINA_TZ
from app.rules.numbering import doc_type_name


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _today() -> QDate:
    from datetime import datetime

    d = datetime.now(CHINA_TZ).date()
    return QDate(d.year, d.month, d.day)


class NewDocumentDialog(QDialog):
    """Choose the document type and the record it is made from (an inspection — listed by party and date — or
    an instruction); the matter list puts the chosen inspection's matters first."""

    def __init__(
        self,
        doc_types: list[str],
        inspections: list[tuple[Any, ...]],
        tasks: list[tuple[str, str]],
        matters: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New document"))
        self.setMinimumWidth(560)
        form = QFormLayout()
        self.doc_type = QComboBox()
        for key in doc_types:
            self.doc_type.addItem(doc_type_name(key), key)
        self.inspection = QComboBox()
        self.inspection.addItem(self.tr("(none)"), None)
        self._inspection_matters: dict[str, list[str]] = {}
        for ident, label, *rest in inspections:
            self.inspection.addItem(label, ident)
            self.inspection.setItemData(self.inspection.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            self._inspection_matters[ident] = list(rest[0]) if rest else []
        self.task = QComboBox()
        self.task.addItem(self.tr("(none)"), None)
        for ident, label in tasks:
            self.task.addItem(label, ident)
        self._matters = list(matters)
        self.matter = QComboBox()
        self._fill_matters()
        self.inspection.currentIndexChanged.connect(lambda _i: self._fill_matters())
        for combo in (self.inspection, self.task, self.matter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(28)
        form.addRow(self.tr("Document type"), self.doc_type)
        form.addRow(self.tr("From inspection"), self.inspection)
        form.addRow(self.tr("From instruction"), self.task)
        form.addRow(self.tr("Matter"), self.matter)
        hint = QLabel(
            self.tr(
                "The enforcing body, its seal and the number prefix follow from the matter "
                "catalogue; they cannot be typed."
            )
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(_buttons(self))

    def _fill_matters(self) -> None:
        """The inspection's own matters (violations first) on top, then a separator and the whole catalogue."""
        keep = self.matter.currentData()
        own = self._inspection_matters.get(self.inspection.currentData() or "", [])
        names = dict(self._matters)
        self.matter.blockSignals(True)
        self.matter.clear()
        self.matter.addItem(self.tr("(from the record)"), None)
        for code in own:
            if code in names:
                self.matter.addItem(f"★ {code} {names[code]}", code)
        if own:
            self.matter.insertSeparator(self.matter.count())
        for code, name in self._matters:
            if code not in own:
                self.matter.addItem(f"{code} {name}", code)
        for i in range(self.matter.count()):
            self.matter.setItemData(i, self.matter.itemText(i), Qt.ItemDataRole.ToolTipRole)
        index = self.matter.findData(keep) if keep else -1
        self.matter.setCurrentIndex(max(index, 0))
        self.matter.blockSignals(False)

    def values(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type.currentData(),
            "inspection_id": self.inspection.currentData(),
            "task_id": self.task.currentData(),
            "matter_code": self.matter.currentData(),
        }


class VoidDialog(QDialog):
    def __init__(self, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Void document"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Void %1? The number stays used and the document is kept.").replace("%1", number))
        )
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Reason (required)"))
        layout.addWidget(self.reason)
        self.buttons = _buttons(self)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason.toPlainText().strip()))

    def text(self) -> str:
        return self.reason.toPlainText().strip()


class ServiceDialog(QDialog):
    """送达登记: method, date, recipient; a witness is required for 留置送达."""

    def __init__(self, recipient: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record service"))
        form = QFormLayout()
        self.method = QComboBox()
        for key in SERVICE_METHODS:
            self.method.addItem(SERVICE_LABELS[key], key)
        self.date = QDateEdit(_today())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(_today())
        self.recipient = QLineEdit(recipient)
        self.witness = QLineEdit()
        self.place = QLineEdit()
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(70)
        form.addRow(self.tr("Method"), self.method)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Recipient"), self.recipient)
        form.addRow(self.tr("Witness"), self.witness)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Note (reason for refusal)"), self.note)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        self.buttons = _buttons(self)
        layout.addWidget(self.buttons)
        for signal in (self.method.currentIndexChanged, self.recipient.textChanged, self.witness.textChanged):
            signal.connect(self._update)
        self._update()

    def _update(self) -> None:
        problem = ""
        if not self.recipient.text().strip():
            problem = self.tr("Enter the recipient.")
        elif self.method.currentData() == "留置" and not self.witness.text().strip():
            problem = self.tr("Service by leaving the document (留置) needs a witness.")
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def values(self) -> dict[str, Any]:
        d = self.date.date()
        from datetime import date

        return {
            "method": self.method.currentData(),
            "date": date(d.year(), d.month(), d.day()),
            "recipient": self.recipient.text().strip(),
            "witness": self.witness.text().strip() or None,
            "place": self.place.text().strip(),
            "note": self.note.toPlainText().strip(),
        }

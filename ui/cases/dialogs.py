"""The 立案 dialog: source (a violation finding, a complaint, a received transfer), 案由, matter, party, the date of
the act and the flags the law reads (continuing act, harm to life/health/finance, complex case)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
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

from app.cases.filing import Filing
from app.readmodels.cases import FindingChoice, MatterChoice
from ui.widgets.qtypes import py_date


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class NewCaseDialog(QDialog):
    def __init__(self, findings: list[FindingChoice], matters: list[MatterChoice], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("File a case"))
        self.source = QComboBox()
        for key, text in (("finding", self.tr("Inspection finding")), ("complaint", self.tr("Complaint")),
                          ("transfer", self.tr("Received transfer"))):
            self.source.addItem(text, key)
        self.finding = QComboBox()
        for f in findings:
            self.finding.addItem(f.label, f.id)
        self.matter = QComboBox()
        self.matter.addItem(self.tr("(the finding's matter)"), None)
        for mt in matters:
            self.matter.addItem(f"{mt.name}（{mt.code}）", mt.code)
        self.title = QLineEdit()
        self.party_name = QLineEdit()
        self.party_type = QComboBox()
        self.party_type.addItem(self.tr("Organisation"), "organisation")
        self.party_type.addItem(self.tr("Citizen"), "person")
        self.party_id = QLineEdit()
        self.party_rep = QLineEdit()
        self.act_date = _date_edit(today)
        self.continuing = QCheckBox(self.tr("Continuing act, ended on:"))
        self.act_end = _date_edit(today)
        self.severe = QCheckBox(self.tr("Life, health or financial safety harmed"))
        self.complex = QCheckBox(self.tr("Complex case"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        form = QFormLayout()
        form.addRow(self.tr("Source"), self.source)
        form.addRow(self.tr("Finding"), self.finding)
        form.addRow(self.tr("Matter"), self.matter)
        form.addRow(self.tr("Case title"), self.title)
        form.addRow(self.tr("Party"), self.party_name)
        form.addRow(self.tr("Party type"), self.party_type)
        form.addRow(self.tr("ID number / credit code"), self.party_id)
        form.addRow(self.tr("Legal representative"), self.party_rep)
        form.addRow(self.tr("Date of the act"), self.act_date)
        form.addRow(self.continuing, self.act_end)
        form.addRow("", self.severe)
        form.addRow("", self.complex)
        form.addRow(self.tr("Complaint / sender and letter"), self.note)
        self.hint = QLabel(self.tr("Party fields left empty are taken from the on-site record or the target."))
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.source.currentIndexChanged.connect(self._source_changed)
        self._source_changed()

    def _source_changed(self) -> None:
        from_finding = self.source.currentData() == "finding"
        self.finding.setEnabled(from_finding)
        if not from_finding and self.matter.currentIndex() == 0 and self.matter.count() > 1:
            self.matter.setCurrentIndex(1)

    def request(self) -> tuple[str, str | None, Filing]:
        """(source, finding id, filing)."""
        code = self.matter.currentData()
        filing = Filing(
            title=self.title.text().strip(), matter_codes=[code] if code else [],
            act_date=py_date(self.act_date.date()),
            act_end_date=py_date(self.act_end.date()) if self.continuing.isChecked() else None,
            party_name=self.party_name.text().strip(), party_type=self.party_type.currentData() or "",
            party_id_code=self.party_id.text().strip(), party_legal_rep=self.party_rep.text().strip(),
            severe_harm=self.severe.isChecked(), complex_case=self.complex.isChecked(),
            source_note=self.note.toPlainText().strip(),
        )
        if not self.party_name.text().strip():
            filing.party_type = ""
        source = str(self.source.currentData())
        return source, (self.finding.currentData() if source == "finding" else None), filing

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)

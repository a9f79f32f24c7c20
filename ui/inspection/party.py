"""The party (当事人) section: a person / organisation switch and their fields, each with a live validation
message in Chinese under it (GB 11643 ID numbers, GB 32100 credit codes, phone numbers, sex against the ID).
What is typed is emitted as it is; the service keeps it and finalisation refuses what is still wrong."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.inspections import party as parties
from app.inspections.view import local_day


def error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.hide()
    return label


class FieldRow(QWidget):
    """An editor with its error line under it."""

    def __init__(self, editor: QLineEdit | QComboBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.editor = editor
        layout.addWidget(editor)
        self.error = error_label(self)
        layout.addWidget(self.error)

    @property
    def line(self) -> QLineEdit:
        """The editor of a typed-in field (every field but 性别, a choice)."""
        if not isinstance(self.editor, QLineEdit):
            raise TypeError(f"{self.editor.objectName()} is a choice, not a line edit")
        return self.editor

    def set_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))


class PartySection(QWidget):
    """Signals: `changed(dict)` with the party as typed."""

    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        layout = QVBoxLayout(self)
        switch = QHBoxLayout()
        self.org_radio = QRadioButton(self.tr("&Organisation"), self)
        self.org_radio.setObjectName("party.type.organisation")
        self.person_radio = QRadioButton(self.tr("&Person"), self)
        self.person_radio.setObjectName("party.type.person")
        self.group = QButtonGroup(self)
        self.group.addButton(self.org_radio)
        self.group.addButton(self.person_radio)
        switch.addWidget(QLabel(self.tr("The party is:"), self))
        switch.addWidget(self.org_radio)
        switch.addWidget(self.person_radio)
        switch.addStretch(1)
        layout.addLayout(switch)
        self.stack = QStackedWidget(self)
        self.rows: dict[str, dict[str, FieldRow]] = {}
        self.stack.addWidget(self._page(parties.ORGANISATION, (
            ("name", self.tr("&Name:")), ("credit_code", self.tr("&Credit code:")),
            ("legal_rep", self.tr("&Legal representative:")), ("address", self.tr("A&ddress:")),
            ("phone", self.tr("P&hone:")))))
        self.stack.addWidget(self._page(parties.PERSON, (
            ("name", self.tr("Full &name:")), ("sex", self.tr("&Sex:")), ("id_number", self.tr("&ID number:")),
            ("address", self.tr("A&ddress:")), ("phone", self.tr("P&hone:")))))
        self.stack.setMaximumWidth(680)  # readable lines on a wide screen
        layout.addWidget(self.stack)
        layout.addStretch(1)
        self.org_radio.setChecked(True)
        self.group.buttonToggled.connect(self._switched)

    def _page(self, kind: str, fields: tuple[tuple[str, str], ...]) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.rows[kind] = {}
        for key, label in fields:
            editor: QLineEdit | QComboBox
            if key == "sex":
                editor = QComboBox(page)
                editor.addItems(["", *parties.SEXES])
                editor.currentTextChanged.connect(self._edited)
            else:
                editor = QLineEdit(page)
                editor.textEdited.connect(self._edited)
            editor.setObjectName(f"party.{kind}.{key}")
            row = FieldRow(editor, page)
            lab = QLabel(label, page)
            lab.setBuddy(editor)
            form.addRow(lab, row)
            self.rows[kind][key] = row
        self.rows[kind]["id_number" if kind == parties.PERSON else "credit_code"].line.setMaxLength(22)
        return page

    @property
    def kind(self) -> str:
        return parties.PERSON if self.person_radio.isChecked() else parties.ORGANISATION

    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind}
        for key, row in self.rows[self.kind].items():
            ed = row.editor
            out[key] = ed.currentText() if isinstance(ed, QComboBox) else ed.text()
        return out

    def set_value(self, party: dict[str, Any]) -> None:
        self._loading = True
        try:
            kind = str(party.get("type")) if party.get("type") in parties.PARTY_TYPES else parties.ORGANISATION
            (self.person_radio if kind == parties.PERSON else self.org_radio).setChecked(True)
            self.stack.setCurrentIndex(1 if kind == parties.PERSON else 0)
            for key, row in self.rows[kind].items():
                text = str(party.get(key) or "")
                ed = row.editor
                if isinstance(ed, QComboBox):
                    ed.setCurrentText(text)
                elif isinstance(ed, QLineEdit):
                    ed.setText(text)
            self.validate()
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        self.org_radio.setEnabled(not read_only)
        self.person_radio.setEnabled(not read_only)
        for rows in self.rows.values():
            for row in rows.values():
                if isinstance(row.editor, QLineEdit):
                    row.editor.setReadOnly(read_only)
                else:
                    row.editor.setEnabled(not read_only)

    def validate(self) -> dict[str, str]:
        _clean, problems = parties.clean_party(self.value(), today=local_day(None))
        for key, row in self.rows[self.kind].items():
            row.set_error(problems.get(key))
        return problems

    def _switched(self, _button: object, checked: bool) -> None:
        if not checked:
            return
        self.stack.setCurrentIndex(1 if self.kind == parties.PERSON else 0)
        other = parties.ORGANISATION if self.kind == parties.PERSON else parties.PERSON
        for key in ("name", "address", "phone"):  # carry what both kinds share
            mine, theirs = self.rows[self.kind][key].editor, self.rows[other][key].editor
            if isinstance(mine, QLineEdit) and isinstance(theirs, QLineEdit) and not mine.text():
                mine.setText(theirs.text())
        if not self._loading:
            self._edited()

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        self.validate()
        self.changed.emit(self.value())

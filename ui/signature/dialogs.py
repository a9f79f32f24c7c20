"""The signing dialog (a `SignaturePad` with undo and clear) and the refusal dialog (reason and witness)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.signature.pad import SignaturePad

COMMON_REASONS = ("当事人拒绝签名", "当事人对检查结果有异议，拒绝签名", "当事人不在场，现场负责人拒绝签名")


class SignatureDialog(QDialog):
    """Ask `who` to sign; `png` holds the exported signature after `accept()`."""

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Signature — %1").replace("%1", who))
        self.png = b""
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("%1, please sign in the box with the mouse, a pen or a finger.").replace("%1", who),
                      self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.pad = SignaturePad(self)
        self.pad.placeholder = self.tr("Sign here")
        layout.addWidget(self.pad, 1)
        row = QHBoxLayout()
        self.undo_button = QPushButton(self.tr("&Undo stroke"), self)
        self.undo_button.setToolTip("Ctrl+Z")
        self.clear_button = QPushButton(self.tr("C&lear"), self)
        row.addWidget(self.undo_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Confirm signature"))
        layout.addWidget(self.buttons)
        self.undo_button.clicked.connect(self.pad.undo)
        self.clear_button.clicked.connect(self.pad.clear)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.pad.undo)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.pad.changed.connect(self._update)
        self._update()
        self.resize(700, 380)

    def _update(self) -> None:
        empty = self.pad.is_empty()
        self.ok_button.setEnabled(not empty)
        self.undo_button.setEnabled(not empty)
        self.clear_button.setEnabled(not empty)

    def _accept(self) -> None:
        self.png = self.pad.to_png()
        if self.png:
            self.accept()


class RefusalDialog(QDialog):
    """Record that `who` refused to sign: the reason and the witness present."""

    def __init__(self, who: str, parent: QWidget | None = None, *, witness: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Refusal to sign — %1").replace("%1", who))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(list(COMMON_REASONS))
        self.reason.setCurrentText("")
        if (line := self.reason.lineEdit()) is not None:  # editable, so it has one
            line.setPlaceholderText(self.tr("Why the signature was refused"))
        self.witness = QLineEdit(witness, self)
        self.witness.setPlaceholderText(self.tr("Name of the witness present"))
        reason_label = QLabel(self.tr("&Reason:"), self)
        reason_label.setBuddy(self.reason)
        witness_label = QLabel(self.tr("&Witness:"), self)
        witness_label.setBuddy(self.witness)
        form.addRow(reason_label, self.reason)
        form.addRow(witness_label, self.witness)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Record refusal"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 200)

    @property
    def reason_text(self) -> str:
        return self.reason.currentText().strip()

    @property
    def witness_text(self) -> str:
        return self.witness.text().strip()

    def _accept(self) -> None:
        if not self.reason_text:
            self.error.setText(self.tr("Please give the reason for the refusal."))
            self.reason.setFocus()
        elif not self.witness_text:
            self.error.setText(self.tr("A refusal must be witnessed: please enter the witness's name."))
            self.witness.setFocus()
        else:
            self.accept()

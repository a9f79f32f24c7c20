"""Signatures and completion: one row per signer (the party, each officer, a witness) with its state and the
sign / refuse buttons, the list of what still stops finalisation, and 完成并锁定."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.inspections.signing import role_label
from app.inspections.view import InspectionSnapshot
from ui.widgets.common import Card
from ui.widgets.qtypes import clear_layout


def signature_state(entry: dict | None) -> tuple[str, str]:
    """(text, colour) describing a role's entry in `Inspection.signatures`."""
    if not entry:
        return "未签名", "#a86400"
    if entry.get("refused"):
        return f"拒绝签名：{entry.get('reason', '')}（见证人：{entry.get('witness', '')}）", "#5f6b7a"
    at = entry.get("signed_at")
    when = timefmt.fmt(datetime.fromisoformat(at), "time") if at else ""
    return f"已签名 {when}", "#2e7d32"


class SigningSection(QWidget):
    sign_requested = Signal(str)
    refuse_requested = Signal(str)
    finalise_requested = Signal()
    follow_ups_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.card = Card(self.tr("Signatures"), self)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.card.add(self.grid)
        layout.addWidget(self.card)
        done = Card(self.tr("Finalise"), self)
        self.missing_title = QLabel(self)
        done.add(self.missing_title)
        self.missing = QListWidget(self)
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)
        done.add(self.missing)
        self.finalise_button = QPushButton(self.tr("&Finalise and lock"), self)
        self.finalise_button.setObjectName("primary")
        self.finalise_button.setToolTip("Ctrl+Enter")
        self.follow_button = QPushButton(self.tr("Follow-&ups…"), self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.follow_button)
        row.addWidget(self.finalise_button)
        done.add(row)
        layout.addWidget(done, 1)
        self.finalise_button.clicked.connect(self.finalise_requested)
        self.follow_button.clicked.connect(self.follow_ups_requested)
        self.buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        self.states: dict[str, QLabel] = {}

    def load(self, snap: InspectionSnapshot) -> None:
        clear_layout(self.grid)
        self.buttons.clear()
        self.states.clear()
        names = {o.id: o.name for o in snap.officers}
        roles = ["party", *[f"officer:{o}" for o in snap.officer_ids], "witness"]
        for row, role in enumerate(roles):
            who = role_label(role, names)
            if role == "party" and snap.party.get("name"):
                who += f"（{snap.party['name']}）"
            if role == "witness":
                who += self.tr(" (optional)")
            self.grid.addWidget(QLabel(who, self), row, 0)
            text, colour = signature_state(snap.signatures.get(role))
            state = QLabel(text, self)
            state.setWordWrap(True)
            state.setStyleSheet(f"color: {colour};")
            self.grid.addWidget(state, row, 1)
            sign = QPushButton(self.tr("Sign…"), self)
            sign.setObjectName(f"sign.{role}")
            refuse = QPushButton(self.tr("Refused…"), self)
            refuse.setObjectName(f"refuse.{role}")
            sign.setEnabled(not snap.finalised)
            refuse.setEnabled(not snap.finalised)
            sign.clicked.connect(lambda _c=False, r=role: self.sign_requested.emit(r))
            refuse.clicked.connect(lambda _c=False, r=role: self.refuse_requested.emit(r))
            self.grid.addWidget(sign, row, 2)
            self.grid.addWidget(refuse, row, 3)
            self.buttons[role] = (sign, refuse)
            self.states[role] = state
        self.finalise_button.setEnabled(not snap.finalised)
        self.follow_button.setVisible(snap.finalised)

    def show_missing(self, problems: list[str], finalised: bool) -> None:
        self.missing.clear()
        if finalised:
            self.missing_title.setText(self.tr("The record is finalised and locked; it is queued for the platform."))
            return
        if not problems:
            self.missing_title.setText(self.tr("Everything needed is recorded: the record can be finalised."))
            return
        self.missing_title.setText(self.tr("Still missing before the record can be finalised:"))
        for p in problems:
            item = QListWidgetItem(p, self.missing)
            item.setForeground(QColor("#b3261e"))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)

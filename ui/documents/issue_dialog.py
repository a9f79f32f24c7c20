"""The 签发 confirmation: before a number is spent the clerk sees the body, the number that will be used, the party
and the date — and, when the enforcing body changed since the draft (a catalogue edition took effect), old → new
with the edition and the reason. Required fields that are empty (or a rule that fails) disable 签发; empty
"should have" fields (e.g. 联系电话) are listed as warnings the clerk issues over knowingly. Cancel leaves the
draft as it was and spends nothing."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.documents.issuing import IssuePlan


class IssueConfirmDialog(QDialog):
    def __init__(self, plan: IssuePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(self.tr("Issue %1").replace("%1", plan.title))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)

        d = plan.decision
        rows = [
            (self.tr("Enforcing body"), d.body.legal_name),
            (self.tr("Number"), plan.number or self.tr("(no number free: sync to fetch number blocks)")),
            (self.tr("Party"), plan.party or self.tr("(none)")),
            (self.tr("Issue date"), f"{plan.day.year}年{plan.day.month}月{plan.day.day}日"),
            (self.tr("Catalogue edition"), f"{d.edition_label}（{d.reason_label}）"),
        ]
        self.summary = QLabel(
            "<table>"
            + "".join(f"<tr><td style='padding-right:12px'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>"
                      for k, v in rows)
            + "</table>"
        )
        layout.addWidget(self.summary)

        self.change = QLabel()
        self.change.setWordWrap(True)
        self.change.setStyleSheet("color: #8a4b00;")
        if plan.change is not None:
            o, n = plan.change.old, plan.change.new
            heading = self.tr("The enforcing body changed since the draft:")
            self.change.setText(
                f"<b>{escape(heading)}</b><br>"
                f"{escape(o.body.legal_name)}（{escape(o.body.number_prefix)}，{escape(o.edition_label)}，"
                f"{escape(o.reason_label)}）<br>→ <b>{escape(n.body.legal_name)}</b>（{escape(n.body.number_prefix)}，"
                f"{escape(n.edition_label)}，{escape(n.reason_label)}）"
            )
        self.change.setVisible(plan.change is not None)
        layout.addWidget(self.change)

        self.problems = QLabel("\n".join(f"✖ {p}" for p in plan.problems))
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setVisible(bool(plan.problems))
        layout.addWidget(self.problems)
        self.warnings = QLabel("\n".join(f"⚠ {w}" for w in plan.warnings))
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(bool(plan.warnings))
        layout.addWidget(self.warnings)

        note = self.tr("Issuing spends this number; an issued document can no longer be changed.")
        layout.addWidget(QLabel(note))
        box = QDialogButtonBox()
        self.issue_button: QPushButton = box.addButton(
            self.tr("Issue in the new body's name") if plan.change is not None else self.tr("Issue"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.issue_button.setEnabled(plan.can_issue)
        self.cancel_button: QPushButton = box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)  # Enter does not spend a number by accident
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

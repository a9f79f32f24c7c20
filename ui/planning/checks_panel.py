"""The planner's live feedback: refusals (red, saving blocked) and warnings (amber) with their Chinese reasons,
merge offers ("进一次门") with a button each, and the merged checklist preview grouped by department with the
enforcing body of every item."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app import timefmt
from app.planning.checklist import ChecklistGroup
from app.planning.planner import PlanCheck
from ui.widgets.qtypes import clear_layout


class ChecksPanel(QWidget):
    merge_requested = Signal(str)  # plan id to merge the draft into

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.title = QLabel(self.tr("Checks"), self)
        self.title.setObjectName("sectionTitle")
        layout.addWidget(self.title)
        self.issues = QTextBrowser(self)
        self.issues.setOpenLinks(False)
        self.issues.setMinimumHeight(110)
        layout.addWidget(self.issues, 2)
        self.merge_box = QWidget(self)
        self.merge_layout = QVBoxLayout(self.merge_box)
        self.merge_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.merge_box)
        head = QLabel(self.tr("Merged checklist"), self)
        head.setObjectName("sectionTitle")
        layout.addWidget(head)
        self.checklist = QTextBrowser(self)
        layout.addWidget(self.checklist, 3)
        self.show_pending()

    def show_pending(self) -> None:
        text = self.tr("Checking…")
        self.issues.setHtml(f"<p style='color:#5f6b7a'>{html.escape(text)}</p>")

    def show_check(self, check: PlanCheck) -> None:
        rows = []
        refused, warning, fine = self.tr("Refused"), self.tr("Warning"), self.tr("No problems: the plan can be saved.")
        for issue in check.refusals:
            rows.append(f"<tr><td style='color:#b3261e'><b>{html.escape(refused)}</b></td>"
                        f"<td style='color:#b3261e'>{html.escape(issue.message)}</td></tr>")
        for issue in check.warnings:
            rows.append(f"<tr><td style='color:#8a5a00'><b>{html.escape(warning)}</b></td>"
                        f"<td style='color:#6b4700'>{html.escape(issue.message)}</td></tr>")
        if not rows:
            body = f"<p style='color:#1e7b34'><b>✓ {html.escape(fine)}</b></p>"
        else:
            summary = self.tr("%1 refused, %2 warnings").replace("%1", str(len(check.refusals))).replace(
                "%2", str(len(check.warnings)))
            body = (f"<p><b>{html.escape(summary)}</b></p><table cellspacing='0' cellpadding='3'>"
                    + "".join(rows) + "</table>")
        self.issues.setHtml(body)
        self._show_merges(check)

    def _show_merges(self, check: PlanCheck) -> None:
        clear_layout(self.merge_layout)
        for cand in check.merge_candidates[:3]:
            row = QWidget(self.merge_box)
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            label = QLabel(cand.message, row)
            label.setWordWrap(True)
            label.setStyleSheet("color:#1d4f86")
            h.addWidget(label, 1)
            button = QPushButton(self.tr("Merge into that plan"), row)
            button.setToolTip(self.tr("Add this draft's matters, officers and instructions to the plan of %1")
                              .replace("%1", timefmt.fmt(cand.scheduled_at)))
            button.clicked.connect(lambda _c=False, pid=cand.plan_id: self.merge_requested.emit(pid))
            h.addWidget(button)
            self.merge_layout.addWidget(row)

    def show_checklist(self, groups: list[ChecklistGroup]) -> None:
        empty = self.tr("Choose matters to see the checklist.")
        if not groups:
            self.checklist.setHtml(f"<p style='color:#5f6b7a'>{html.escape(empty)}</p>")
            return
        total = sum(len(g.items) for g in groups)
        count = self.tr("%1 check points, identical points listed once").replace("%1", str(total))
        lead_word, name_of = self.tr("lead"), self.tr("in the name of")
        parts = [f"<p style='color:#5f6b7a'>{html.escape(count)}</p>"]
        for g in groups:
            lead = f" <span style='color:#2f6fb2'>（{html.escape(lead_word)}）</span>" if g.is_lead else ""
            parts.append(f"<p style='margin:6px 0 2px 0'><b>{html.escape(g.department_name)}</b>{lead}</p><ol style='margin-top:0'>")
            for item in g.items:
                codes = "、".join(item.matter_codes)
                parts.append(f"<li>{html.escape(item.point)}<br/><span style='color:#5f6b7a;font-size:small'>"
                             f"{html.escape(codes)} · {html.escape(name_of)} "
                             f"{html.escape(item.body_names)}</span></li>")
            parts.append("</ol>")
        self.checklist.setHtml("".join(parts))

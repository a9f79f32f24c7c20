"""`TaskLoopsCard`: the loops of one instruction in the task detail — urgent response timers with the next
check-in (overdue stages in red), the complaint's reply deadline, replies and (for roles allowed) the
complainant, interventions (干预留痕, Ctrl+Shift+I) with their corrections, and the target's "finding → 抄告 →
reply" chain with overdue replies flagged. Loaded on the store worker; dialogs save through the services."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.loops.interventions import CHANNELS
from app.loops.urgent import fmt_seconds
from app.loops.view import TaskLoops, task_loops
from app.rules.response import Stage
from app.topics import Changes, Topic
from ui.context import AppContext
from ui.latest import Latest
from ui.loops.dialogs import CheckinDialog, ComplaintReplyDialog, InterventionDialog
from ui.runner import JobControl
from ui.widgets.common import Card

LATE = "#b3261e"


def _t(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt else "—"


class TaskLoopsCard(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: TaskLoops | None = None
        self.task_id: str | None = None
        self.dialog: QDialog | None = None
        self._latest = Latest(self)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        self.urgent_card = Card(self.tr("Urgent response"), self)
        self.urgent_text = self._label(self.urgent_card)
        self.checkin_button = QPushButton(self)
        self.checkin_button.clicked.connect(self.check_in)
        self.urgent_card.add(self.checkin_button)
        col.addWidget(self.urgent_card)
        self.complaint_card = Card(self.tr("Complaint"), self)
        self.complaint_text = self._label(self.complaint_card)
        self.reply_button = QPushButton(self.tr("Record &reply to complainant…"), self)
        self.reply_button.clicked.connect(self.reply)
        self.complaint_card.add(self.reply_button)
        col.addWidget(self.complaint_card)
        self.intervention_card = Card(self.tr("Interventions (干预留痕)"), self)
        self.intervention_text = self._label(self.intervention_card)
        row = QHBoxLayout()
        self.record_button = QPushButton(self.tr("Record &intervention… (Ctrl+Shift+I)"), self)
        self.correct_button = QPushButton(self.tr("Correct the latest…"), self)
        self.record_button.clicked.connect(lambda: self.record_intervention())
        self.correct_button.clicked.connect(self.correct_latest)
        row.addWidget(self.record_button)
        row.addWidget(self.correct_button)
        row.addStretch(1)
        self.intervention_card.add(row)
        col.addWidget(self.intervention_card)
        self.chain_card = Card(self.tr("Notices to departments and their replies"), self)
        self.chain_text = self._label(self.chain_card)
        col.addWidget(self.chain_card)
        ctx.bus.changed.connect(self._on_changed)
        self.hide()

    def _label(self, card: Card) -> QLabel:
        label = QLabel(card)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.add(label)
        return label

    # ---- loading -----------------------------------------------------------------------------------------

    def show_task(self, task_id: str | None) -> None:
        self.task_id = task_id
        if task_id is None:
            self.hide()
            return
        self.reload()

    def reload(self) -> None:
        task_id = self.task_id
        if task_id is None:
            return
        store, user = self.ctx.store, self.ctx.user

        def job(_control: JobControl) -> TaskLoops:
            with store.read() as session:
                return task_loops(session, task_id, user, datetime.now(UTC))

        self._latest.run_store(self.ctx.runner, "task-loops", job, on_done=self._loaded)  # a failure is logged

    def _on_changed(self, changes: Changes) -> None:
        if self.task_id and changes.touches(Topic.LOOPS, Topic.TASKS, Topic.INSPECTIONS):
            self.reload()

    def _loaded(self, view: TaskLoops) -> None:
        if view.task_id != self.task_id:
            return
        self.view = view
        self._fill_urgent(view)
        self._fill_complaint(view)
        self._fill_interventions(view)
        self._fill_chain(view)
        self.show()

    def _fill_urgent(self, v: TaskLoops) -> None:
        self.urgent_card.setVisible(v.urgent is not None)
        if v.urgent is None:
            return
        lines = []
        target_word, late_word = self.tr("target"), self.tr("late")
        for t in v.urgent.timers:
            when = _t(t.done_at) if t.done_at else self.tr("not yet")
            text = (f"{t.label}：{when}（{fmt_seconds(t.elapsed_seconds)} / "
                    f"{target_word} {fmt_seconds(t.target_seconds)}）")
            lines.append(f"<span style='color:{LATE};font-weight:600'>⚠ {html.escape(text)} {late_word}</span>"
                         if t.overdue else html.escape(text))
        self.urgent_text.setText("<br>".join(lines))
        stage = v.urgent.next_stage
        labels = {Stage.RESPOND: self.tr("Check in: &respond"), Stage.DEPART: self.tr("Check in: &depart"),
                  Stage.ARRIVE: self.tr("Check in: &arrive")}
        self.checkin_button.setVisible(stage is not None)
        if stage is not None:
            self.checkin_button.setText(labels[stage])
            self.checkin_button.setObjectName("primary")

    def _fill_complaint(self, v: TaskLoops) -> None:
        c = v.complaint
        self.complaint_card.setVisible(c is not None)
        if c is None:
            return
        due = self.tr("Reply due %1").replace("%1", c.due.isoformat())
        overdue_word = self.tr("(overdue)")
        lines = [f"<span style='color:{LATE};font-weight:600'>⚠ {due} {overdue_word}</span>"
                 if c.overdue else due]
        if c.complainant is not None:
            p = c.complainant
            who = "匿名" if p.anonymous else f"{p.name} {p.phone}".strip()
            lines.append(self.tr("Complainant (confidential): %1").replace("%1", html.escape(who)))
        elif not c.identity_visible:
            lines.append(self.tr("The complainant's identity is shown only to the team leader."))
        for r in c.replies:
            lines.append(html.escape(f"{_t(r.replied_at)} {CHANNELS.get(r.channel, r.channel)}：{r.content}"))
        if not c.replies:
            lines.append(self.tr("No reply recorded yet."))
        self.complaint_text.setText("<br>".join(lines))

    def _fill_interventions(self, v: TaskLoops) -> None:
        if not v.interventions:
            self.intervention_text.setText(self.tr("None recorded."))
        else:
            lines = []
            for original, fixes in v.interventions:
                cur = fixes[-1] if fixes else original
                text = (f"{_t(cur.occurred_at)} {cur.intervener_name}（{cur.intervener_post or '—'}）"
                        f"{CHANNELS.get(cur.channel, cur.channel)}：{cur.request} → {cur.response or '—'}")
                note = self.tr(" (corrected %1×)").replace("%1", str(len(fixes))) if fixes else ""
                lines.append(html.escape(text + note))
            self.intervention_text.setText("<br>".join(lines))
        self.correct_button.setVisible(bool(v.interventions))

    def _fill_chain(self, v: TaskLoops) -> None:
        self.chain_card.setVisible(bool(v.chain))
        lines = []
        reply_word = self.tr("reply")
        for link in v.chain:
            finding = link.finding.check_point if link.finding else self.tr("(no finding)")
            head = f"{finding} → 抄告 {link.department}「{link.notice.subject}」"
            if link.replies:
                r = link.replies[-1]
                lines.append(html.escape(f"{head} → {reply_word} {_t(r.replied_at)} {r.replier}：{r.content}"))
            elif link.overdue:
                due = link.notice.reply_due.isoformat() if link.notice.reply_due else ""
                late = self.tr("no reply, due %1 (overdue)").replace("%1", due)
                lines.append(f"<span style='color:{LATE};font-weight:600'>⚠ {html.escape(head)} → {late}</span>")
            else:
                due = link.notice.reply_due.isoformat() if link.notice.reply_due else "—"
                waiting = self.tr("awaiting reply, due %1").replace("%1", due)
                lines.append(html.escape(f"{head} → {waiting}"))
        self.chain_text.setText("<br>".join(lines))

    # ---- actions -----------------------------------------------------------------------------------------

    def _open(self, dlg: QDialog) -> None:
        self.dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _c: setattr(self, "dialog", None))
        dlg.open()

    def record_intervention(self, corrects: Any = None) -> None:
        if self.view is None:
            return
        self._open(InterventionDialog(self.ctx, self.view.label, task_id=self.view.task_id, corrects=corrects,
                                      parent=self))

    def correct_latest(self) -> None:
        if self.view and self.view.interventions:
            original, fixes = self.view.interventions[-1]
            self.record_intervention(corrects=fixes[-1] if fixes else original)

    def check_in(self) -> None:
        if self.view and self.view.urgent and self.view.urgent.next_stage:
            self._open(CheckinDialog(self.ctx, self.view.task_id, self.view.urgent.next_stage, self.view.label,
                                     parent=self))

    def reply(self) -> None:
        if self.view and self.view.complaint:
            self._open(ComplaintReplyDialog(self.ctx, self.view.task_id, self.view.label, parent=self))


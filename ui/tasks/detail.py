"""`TaskDetailPanel`: everything about one instruction — fields, target, matters with their enforcing body,
the status timeline, officer notes (auto-saved) — and the action buttons `TaskService.allowed_actions` allows
for the signed-in user's role. Every action goes through `TaskService`; a refusal is shown in Chinese in the
panel and changes nothing. Loading runs on the store worker; the panel never blocks the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.readmodels.task_detail import TaskDetail, load_detail, team_officers
from app.rules.inspection_basis import task_basis
from app.rules.task_states import OPEN_STATUSES, Role, TaskAction, due_today, is_overdue
from app.services.tasks import TaskService
from app.topics import Changes, Topic
from ui import theme
from ui.context import AppContext
from ui.dialogs.conflicts import field_name
from ui.dialogs.task_actions import AssignDialog, ReportDialog, ReturnDialog
from ui.latest import Latest
from ui.loops.task_card import TaskLoopsCard
from ui.qt_guard import alive
from ui.runner import JobControl
from ui.tasks.detail_view import fill_evidence, fill_matters, fill_target, fill_timeline
from ui.tasks.notes import NotesEditor
from ui.widgets.common import Card, Chip, EmptyState, form_label, value_label
from ui.widgets.qtypes import clear_layout

STATUS_COLORS = {
    "pending": "#2f6fb2",
    "accepted": "#00838f",
    "in_progress": "#6a4fb3",
    "reported": "#2e7d32",
    "closed": "#5f6b7a",
    "returned": "#b3261e",
}
PRIORITY_COLORS = {1: "#c62828", 2: "#d84315", 3: "#5f6b7a", 4: "#8a94a3"}
OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)


def fmt_time(value: datetime | None) -> str:
    return timefmt.fmt(value)


class TaskDetailPanel(QWidget):
    """Signals: `loaded(str)` once a task is shown; `action_finished(str, str)` (task id, action);
    `inspect_requested(str)` (task id) when the person starts an inspection from the task."""

    loaded = Signal(str)
    action_finished = Signal(str, str)
    inspect_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task_id: str | None = None
        self.detail: TaskDetail | None = None
        self.task_actions: list[TaskAction] = []
        self.active_dialog: QDialog | None = None
        self._latest = Latest(self)
        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.placeholder = EmptyState(
            self.tr("No task selected"), self.tr("Choose a task in the list to see its details here."), self
        )
        self.stack.addWidget(self.placeholder)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.stack.addWidget(self.scroll_area)
        self._build()
        ctx.bus.changed.connect(self._on_changed)

    # ---- layout ------------------------------------------------------------------------------------------

    def _build(self) -> None:
        content = QWidget()
        self.scroll_area.setWidget(content)
        col = QVBoxLayout(content)
        col.setContentsMargins(14, 10, 14, 14)
        col.setSpacing(10)
        head = QHBoxLayout()
        self.number = QLabel(content)
        self.number.setObjectName("muted")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_chip = Chip("", "#5f6b7a", content)
        self.priority_chip = Chip("", "#5f6b7a", content)
        head.addWidget(self.number)
        head.addStretch(1)
        head.addWidget(self.priority_chip)
        head.addWidget(self.status_chip)
        col.addLayout(head)
        self.title = QLabel(content)
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.title)
        self.deadline = QLabel(content)
        col.addWidget(self.deadline)
        self.banner = QLabel(content)
        self.banner.setWordWrap(True)
        self.banner.setObjectName("errorText")
        self.banner.hide()
        col.addWidget(self.banner)
        self.conflict_banner = QLabel(content)
        self.conflict_banner.setWordWrap(True)
        self.conflict_banner.setStyleSheet(
            "background:#fff4e0; border:1px solid #e0a040; border-radius:6px;padding:6px; color:#6b4300;"
        )
        self.conflict_banner.hide()
        col.addWidget(self.conflict_banner)
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(8)
        col.addLayout(self.action_row)

        info = Card(self.tr("Instruction"), content)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(14)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("type", self.tr("Type")),
            ("source", self.tr("Source")),
            ("dispatched", self.tr("Dispatched")),
            ("place", self.tr("Township / grid")),
            ("assignees", self.tr("Assignees")),
            ("description", self.tr("Description")),
        ):
            value = value_label("", content)
            self.fields[key] = value
            self.form.addRow(form_label(label, content), value)
        info.add(self.form)
        col.addWidget(info)
        self.matters_card = Card(self.tr("Matters and enforcing body"), content)
        col.addWidget(self.matters_card)
        self.target_card = Card(self.tr("Target"), content)
        col.addWidget(self.target_card)
        self.loops_card = TaskLoopsCard(self.ctx, content)  # urgent timers, complaint, 干预留痕, 抄告 chain
        col.addWidget(self.loops_card)
        QShortcut(QKeySequence("Ctrl+Shift+I"), self, activated=self.loops_card.record_intervention,  # type: ignore[call-overload]  # stubs lack activated=; a positional slot drops context
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        notes = Card(self.tr("Officer notes"), content)
        self.notes = NotesEditor(self.ctx, content)
        notes.add(self.notes)
        col.addWidget(notes)
        self.feedback_card = Card(self.tr("Report"), content)
        self.feedback_text = value_label("", content)
        self.feedback_card.add(self.feedback_text)
        col.addWidget(self.feedback_card)
        self.evidence_card = Card(self.tr("Evidence"), content)
        col.addWidget(self.evidence_card)
        self.timeline_card = Card(self.tr("History"), content)
        col.addWidget(self.timeline_card)
        col.addStretch(1)

    # ---- loading -----------------------------------------------------------------------------------------

    def show_task(self, task_id: str | None) -> None:
        if task_id != self.task_id:
            self.banner.hide()
        self.task_id = task_id
        self.loops_card.show_task(task_id)
        if task_id is None:
            self.notes.set_task(None, "", editable=False)
            self.detail = None
            self.stack.setCurrentWidget(self.placeholder)
            return
        self.reload()

    def reload(self) -> None:
        task_id = self.task_id
        if task_id is None:
            return
        store, user = self.ctx.store, self.ctx.user

        def job(_control: JobControl) -> tuple[TaskDetail, list[TaskAction]]:
            with store.read() as session:
                detail = load_detail(session, task_id)
            service = TaskService(store, user)
            return detail, service.allowed_actions(service.get(task_id))

        self._latest.run_store(self.ctx.runner, "task-detail", job, on_done=self._loaded,
                               on_error=self._load_failed)

    def _loaded(self, result: tuple[TaskDetail, list[TaskAction]]) -> None:
        detail, actions = result
        if detail.id != self.task_id:
            return
        self.detail, self.task_actions = detail, actions
        self._populate(detail)
        self.stack.setCurrentWidget(self.scroll_area)
        self.loaded.emit(detail.id)

    def _load_failed(self, exc: BaseException) -> None:
        self.detail = None
        self.placeholder.set_text(self.tr("This task cannot be shown"), str(exc))
        self.stack.setCurrentWidget(self.placeholder)

    def _on_changed(self, changes: Changes) -> None:
        if self.task_id and changes.touches(Topic.TASKS, Topic.CONFLICTS, Topic.EVIDENCE, Topic.CATALOGUE):
            self.reload()

    # ---- populating --------------------------------------------------------------------------------------

    def _populate(self, d: TaskDetail) -> None:
        self.number.setText(d.number)
        self.title.setText(d.title)
        self.status_chip.setText(d.status_label)
        self.status_chip.set_color(STATUS_COLORS.get(d.status, "#5f6b7a"))
        self.priority_chip.setText(self.tr("Priority: %1").replace("%1", d.priority_label))
        self.priority_chip.set_color(PRIORITY_COLORS.get(d.priority, "#5f6b7a"))
        self._show_deadline(d)
        self.fields["type"].setText(d.task_type or "—")
        self.fields["source"].setText(d.source or "—")
        self.fields["dispatched"].setText(fmt_time(d.dispatched_at) or "—")
        self.fields["place"].setText(" / ".join(p for p in (d.township, d.grid) if p) or "—")
        self.fields["assignees"].setText("、".join(n for _, n in d.assignees) or self.tr("not assigned yet"))
        self.fields["description"].setText(d.description or "—")
        fill_target(self.target_card, d.target, self)
        fill_matters(self.matters_card, d.matters, d.township_mode, self)
        fill_evidence(self.evidence_card, d.evidence, self)
        fill_timeline(self.timeline_card, d.events, self)
        self.feedback_text.setText(d.feedback or "—")
        self.feedback_card.setVisible(bool(d.feedback))
        editable = d.status not in ("closed", "returned")
        self.notes.set_task(d.id, d.notes, editable=editable)
        if d.conflict_fields:
            self.conflict_banner.setText(
                self.tr(
                    "This task has a conflict with the platform (%1). Open Sync → Conflicts to decide "
                    "which value to keep."
                ).replace("%1", "、".join(field_name(f) for f in d.conflict_fields))
            )
            self.conflict_banner.show()
        else:
            self.conflict_banner.hide()
        self._build_actions(d)

    def _show_deadline(self, d: TaskDetail) -> None:
        now = datetime.now(UTC)
        if d.deadline is None:
            self.deadline.setText(self.tr("No deadline"))
            self.deadline.setStyleSheet("")
            return
        text = self.tr("Deadline: %1").replace("%1", fmt_time(d.deadline))
        style = ""
        if is_overdue(d.deadline, d.status, now):
            text = "⚠ " + text + self.tr(" (overdue)")
            style = f"color:{theme.OVERDUE.name()}; font-weight:600;"
        elif due_today(d.deadline, d.status, timefmt.to_office(now)):
            text = "◷ " + text + self.tr(" (due today)")
            style = f"color:{theme.DUE_TODAY.name()}; font-weight:600;"
        self.deadline.setText(text)
        self.deadline.setStyleSheet(style)

    def _build_actions(self, d: TaskDetail) -> None:
        clear_layout(self.action_row)
        self.action_buttons: dict[str, QPushButton] = {}
        labels = {
            TaskAction.ACCEPT: self.tr("Accept"),
            TaskAction.START: self.tr("Start"),
            TaskAction.RETURN: self.tr("Return…"),
            TaskAction.REPORT: self.tr("Report back…"),
        }
        for i, action in enumerate(self.task_actions):
            button = QPushButton(labels.get(action, action.label), self)
            if i == 0 and action is not TaskAction.RETURN:
                button.setObjectName("primary")
            button.clicked.connect(lambda _=False, a=action: self.perform(a))
            self.action_row.addWidget(button)
            self.action_buttons[action.value] = button
        basis = task_basis(task_type=d.task_type, source=d.source, status=d.status,
                           assignee_ids=[a for a, _ in d.assignees], officer_id=self.ctx.user.officer_id,
                           role=self.ctx.user.role)
        if basis.ok:  # a 核查 / 投诉举报 task is the inspection's basis (无计划不检查 met by the task)
            button = QPushButton(self.tr("Start inspection"), self)
            button.setToolTip(self.tr("Record the on-site inspection for this task; no separate plan is needed"))
            button.clicked.connect(lambda _=False, tid=d.id: self.inspect_requested.emit(tid))
            self.action_row.addWidget(button)
            self.action_buttons["inspect"] = button
        if self.ctx.user.role is Role.LEADER and d.status in OPEN_VALUES:
            button = QPushButton(self.tr("Assign…"), self)
            button.clicked.connect(self.assign)
            self.action_row.addWidget(button)
            self.action_buttons["assign"] = button
        if not self.action_buttons:
            hint = QLabel(self.tr("No actions available for your role in this status."), self)
            hint.setObjectName("muted")
            self.action_row.addWidget(hint)
        self.action_row.addStretch(1)

    def focus_actions(self) -> None:
        buttons = list(getattr(self, "action_buttons", {}).values())
        (buttons[0] if buttons else self.notes.edit).setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ---- actions -----------------------------------------------------------------------------------------

    def _label(self) -> str:
        d = self.detail
        return f"{d.number}「{d.title}」" if d else ""

    def perform(self, action: TaskAction | str) -> None:
        action = TaskAction(action)
        if self.detail is None:
            return
        task_id = self.detail.id
        dlg: QDialog
        if action is TaskAction.RETURN:
            returning = dlg = ReturnDialog(self._label(), self)
            _when_accepted(dlg, lambda: self._run(task_id, action, reason=returning.text()))
        elif action is TaskAction.REPORT:
            reporting = dlg = ReportDialog(self.ctx, task_id, self._label(), self)
            _when_accepted(dlg, lambda: self._run(task_id, action, feedback=reporting.text()))
        else:
            self._run(task_id, action)
            return
        self._open_dialog(dlg)

    def _open_dialog(self, dlg: QDialog) -> None:
        self.active_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.finished.connect(lambda _code: setattr(self, "active_dialog", None))
        dlg.open()

    def _run(
        self, task_id: str, action: TaskAction, *, reason: str | None = None, feedback: str | None = None
    ) -> None:
        store, user = self.ctx.store, self.ctx.user
        self.notes.flush()

        def job(_control: JobControl) -> None:
            TaskService(store, user).apply(task_id, action, reason=reason, feedback=feedback)

        self._set_actions_enabled(False)
        self.ctx.runner.run_store(
            "task-action", job, on_done=lambda _r: self._done(task_id, action.value), on_error=self._failed
        )

    def assign(self) -> None:
        if self.detail is None:
            return
        d = self.detail
        with self.ctx.store.read() as session:
            officers = team_officers(session, d.township_id)
        dlg = AssignDialog(officers, [oid for oid, _ in d.assignees], self._label(), self)
        _when_accepted(dlg, lambda: self._assign(d.id, dlg.selected_ids()))
        self._open_dialog(dlg)

    def _assign(self, task_id: str, officer_ids: list[str]) -> None:
        store, user = self.ctx.store, self.ctx.user

        def job(_control: JobControl) -> None:
            TaskService(store, user).assign(task_id, officer_ids)

        self._set_actions_enabled(False)
        self.ctx.runner.run_store(
            "task-assign", job, on_done=lambda _r: self._done(task_id, "assign"), on_error=self._failed
        )

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in getattr(self, "action_buttons", {}).values():
            button.setEnabled(enabled)

    def _done(self, task_id: str, action: str) -> None:
        if not alive(self):
            return
        self.banner.hide()
        if self.ctx.sync is not None:
            self.ctx.sync.request_soon()
        self.action_finished.emit(task_id, action)

    def _failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        self._set_actions_enabled(True)
        self.banner.setText(self.tr("The action was not carried out: %1").replace("%1", str(exc)))
        self.banner.show()
        self.reload()


def _when_accepted(dlg: QDialog, then: Callable[[], None]) -> None:
    """Call `then` when `dlg` finishes accepted."""
    def finished(code: int) -> None:
        if code == QDialog.DialogCode.Accepted:
            then()

    dlg.finished.connect(finished)

"""The joint-inspection planner (综合查一次): target, time, matters (suggestions highlighted), lead and supporting
departments, officers and linked instructions on the left; live refusals, warnings, merge offers and the merged
checklist on the right. Every query and save runs on the task runner; results come back as signals. The
notice + checklist prints through a preview, or renders to PDF on a worker."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.planning.config import load_config
from app.planning.planner import CST, PlanDraft
from app.planning.reference import (
    Evaluation,
    Reference,
    TargetContext,
    evaluate,
    load_reference,
    target_context,
)
from app.planning.service import PlanService
from ui.context import AppContext
from ui.planning.checks_panel import ChecksPanel
from ui.planning.lists import KEY, _checkable, _checked, _set_checked, wrap_items
from ui.planning.plan_print import PlanPrinting
from ui.planning.target_picker import TargetPicker
from ui.qt_guard import alive_slot
from ui.widgets.qtypes import local_qdatetime, py_date, py_time

SUGGESTED = QColor("#fff4ce")


class JointPlanner(PlanPrinting, QWidget):
    saved = Signal(str)  # plan id
    evaluated = Signal(object)  # Evaluation (for tests and the status line)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.config = load_config()
        self.reference: Reference | None = None
        self.plan_id: str | None = None
        self.context: TargetContext | None = None
        self.last: Evaluation | None = None
        self._gen = 0
        self._quiet = False
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._evaluate)
        township = ctx.user.township_id or ""
        ctx.runner.run_store("planning reference", lambda job: load_reference(ctx.store, township),
                             on_done=self._reference_loaded)

    # ---- building ----------------------------------------------------------------------------------------

    def _section(self, text: str, layout: QVBoxLayout) -> None:
        label = QLabel(text, self)
        label.setObjectName("sectionTitle")
        layout.addWidget(label)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        self.heading = QLabel(self.tr("New joint inspection (one visit, many checks)"), self)
        self.heading.setObjectName("sectionTitle")
        outer.addWidget(self.heading)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(split, 1)

        form = QWidget()
        f = QVBoxLayout(form)
        f.setContentsMargins(0, 0, 6, 0)
        self._section(self.tr("Target"), f)
        self.picker = TargetPicker(self.ctx, form)
        f.addWidget(self.picker)
        self._section(self.tr("Date and time"), f)
        row = QHBoxLayout()
        self.when = QDateTimeEdit(form)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        start = (datetime.now(CST) + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        self.when.setDateTime(local_qdatetime(start))
        row.addWidget(self.when, 1)
        self.duration = QSpinBox(form)
        self.duration.setRange(30, 600)
        self.duration.setSingleStep(30)
        self.duration.setValue(self.config.default_duration_minutes)
        self.duration.setSuffix(self.tr(" min"))
        row.addWidget(self.duration)
        f.addLayout(row)
        self._section(self.tr("Lead department"), f)
        self.lead = QComboBox(form)
        f.addWidget(self.lead)
        head = QHBoxLayout()
        self._section(self.tr("Supporting departments"), f)
        self.fill = QPushButton(self.tr("Fill from matters"), form)
        head.addStretch(1)
        head.addWidget(self.fill)
        f.addLayout(head)
        self.supporting = QListWidget(form)
        self.supporting.setMaximumHeight(92)
        f.addWidget(self.supporting)
        self._section(self.tr("Officers"), f)
        self.officers = QListWidget(form)
        self.officers.setMinimumHeight(110)
        f.addWidget(self.officers, 1)
        self._section(self.tr("Open instructions on this target"), f)
        self.tasks = QListWidget(form)
        self.tasks.setMaximumHeight(70)
        f.addWidget(self.tasks)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        scroll.setMinimumWidth(330)
        split.addWidget(scroll)

        mcol = QWidget()
        m = QVBoxLayout(mcol)
        m.setContentsMargins(6, 0, 6, 0)
        self._section(self.tr("Matters (suggested ones highlighted)"), m)
        self.matter_filter = QLineEdit(mcol)
        self.matter_filter.setPlaceholderText(self.tr("Filter matters by code, name or field"))
        self.matter_filter.setClearButtonEnabled(True)
        m.addWidget(self.matter_filter)
        self.matters = QListWidget(mcol)
        wrap_items(self.matters)  # long matter names wrap instead of being cut off
        m.addWidget(self.matters, 1)
        self.matter_count = QLabel(mcol)
        self.matter_count.setObjectName("muted")
        m.addWidget(self.matter_count)
        split.addWidget(mcol)

        self.checks = ChecksPanel()
        split.addWidget(self.checks)
        split.setSizes([380, 380, 560])

        buttons = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        self.new_button = QPushButton(self.tr("New"), self)
        self.print_button = QPushButton(self.tr("Print notice and checklist…"), self)
        self.pdf_button = QPushButton(self.tr("Export PDF…"), self)
        self.save_button = QPushButton(self.tr("Save plan"), self)
        self.save_button.setObjectName("primary")
        self.save_button.setEnabled(False)
        for b in (self.new_button, self.print_button, self.pdf_button, self.save_button):
            buttons.addWidget(b)
        outer.addLayout(buttons)
        if not self.ctx.user.is_leader:
            self.status.setText(self.tr("Only the team leader can make or change plans; you can view and print."))

        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.picker.chosen.connect(self._target_chosen)
        for signal in (self.when.dateTimeChanged, self.duration.valueChanged, self.lead.currentIndexChanged):
            signal.connect(self._changed)
        for lst in (self.supporting, self.officers, self.tasks, self.matters):
            lst.itemChanged.connect(self._changed)
        self.matter_filter.textChanged.connect(self._filter_matters)
        self.fill.clicked.connect(self.fill_departments)
        self.checks.merge_requested.connect(self.merge_into)
        self.new_button.clicked.connect(self.new_plan)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_preview)
        self.pdf_button.clicked.connect(self._ask_pdf)

    # ---- reference data ----------------------------------------------------------------------------------

    @alive_slot
    def _reference_loaded(self, ref: Reference) -> None:
        self.reference = ref
        self._quiet = True
        self.lead.clear()
        self.lead.addItem(self.tr("(choose)"), None)
        for did, name in ref.departments:
            self.lead.addItem(name, did)
            _checkable(self.supporting, name, did)
        valid_until = self.tr("valid until")
        for o in ref.officers:
            cert = o.certificate_no or self.tr("no certificate")
            until = o.cert_valid_until.isoformat() if o.cert_valid_until else "—"
            _checkable(self.officers, f"{o.name}　{cert}　{valid_until} {until}", o.id,
                       "、".join(o.fields))
        self._fill_matters()
        self._quiet = False
        self._changed()

    def _fill_matters(self) -> None:
        assert self.reference is not None
        chosen = set(_checked(self.matters))
        suggestions = {s.code: s for s in (self.context.suggestions if self.context else [])}
        self.matters.clear()
        order = sorted(self.reference.matters, key=lambda mi: (mi.code not in suggestions, mi.code))
        bold = QFont(self.font())
        bold.setBold(True)
        suggested = self.tr("Suggested")
        for mi in order:
            star = "★ " if mi.code in suggestions else ""
            tip = f"{mi.department_name} · {mi.field}"
            item = _checkable(self.matters, f"{star}{mi.code}　{mi.name}", mi.code, tip)
            if mi.code in suggestions:
                item.setBackground(QBrush(SUGGESTED))
                item.setFont(bold)
                item.setToolTip(f"{suggested}: {suggestions[mi.code].reason}\n{tip}")
            if mi.code in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        self._filter_matters(self.matter_filter.text())

    def _filter_matters(self, text: str) -> None:
        text = text.strip().lower()
        assert self.reference is not None or self.matters.count() == 0
        info = {mi.code: mi for mi in (self.reference.matters if self.reference else [])}
        for i in range(self.matters.count()):
            item = self.matters.item(i)
            mi = info.get(item.data(KEY))
            hay = f"{mi.code} {mi.name} {mi.field} {mi.department_name}".lower() if mi else ""
            item.setHidden(bool(text) and text not in hay and item.checkState() != Qt.CheckState.Checked)

    # ---- the draft ---------------------------------------------------------------------------------------

    def draft(self) -> PlanDraft:
        d, t = py_date(self.when.date()), py_time(self.when.time())
        lead = self.lead.currentData()
        return PlanDraft(
            target_id=self.picker.target.id if self.picker.target else None,
            scheduled_at=datetime.combine(d, t.replace(second=0, microsecond=0), tzinfo=CST),
            duration=self.duration.value(), matter_codes=_checked(self.matters), lead_department_id=lead,
            supporting_department_ids=[x for x in _checked(self.supporting) if x != lead],
            officer_ids=_checked(self.officers), task_ids=_checked(self.tasks), plan_id=self.plan_id,
        )

    def _target_chosen(self, target: object) -> None:
        township = self.ctx.user.township_id or ""
        tid = self.picker.target.id if self.picker.target else ""
        self.ctx.runner.run_store("target context", lambda job: target_context(self.ctx.store, township, tid),
                                  on_done=self._context_loaded)
        self._changed()

    @alive_slot
    def _context_loaded(self, context: TargetContext | None, keep_tasks: list[str] | None = None) -> None:
        self.context = context
        self._quiet = True
        linked = keep_tasks if keep_tasks is not None else _checked(self.tasks)
        self.tasks.clear()
        for tid, number, title in (context.open_tasks if context else []):
            _checkable(self.tasks, f"{number}　{title}", tid)
        _set_checked(self.tasks, linked)
        if self.reference:
            self._fill_matters()
        self._quiet = False
        self._changed()

    def fill_departments(self) -> None:
        """Lead: the department owning most chosen matters (unless one is chosen); supporting: the others."""
        if not self.reference:
            return
        owner = {mi.code: mi.department_id for mi in self.reference.matters}
        owned = [owner[c] for c in _checked(self.matters) if c in owner]
        depts = sorted(dict.fromkeys(owned), key=lambda d: -owned.count(d))
        if not depts:
            return
        self._quiet = True
        if self.lead.currentData() is None:
            self.lead.setCurrentIndex(max(0, self.lead.findData(depts[0])))
        lead = self.lead.currentData()
        _set_checked(self.supporting, [d for d in depts if d != lead])
        self._quiet = False
        self._changed()

    def _changed(self, *_args: object) -> None:
        if self._quiet:
            return
        n = len(_checked(self.matters))
        self.matter_count.setText(self.tr("%1 matters chosen").replace("%1", str(n)))
        self.save_button.setEnabled(False)
        self.checks.show_pending()
        self._timer.start()

    def _evaluate(self) -> None:
        self._gen += 1
        gen, draft = self._gen, self.draft()
        township = self.ctx.user.township_id or ""
        self.ctx.runner.run_store("check plan", lambda job: evaluate(self.ctx.store, township, draft, self.config),
                                  on_done=lambda ev: self._evaluated(gen, ev))

    @alive_slot
    def _evaluated(self, gen: int, ev: Evaluation) -> None:
        if gen != self._gen:
            return
        self.last = ev
        self.checks.show_check(ev.check)
        self.checks.show_checklist(ev.checklist)
        self.save_button.setEnabled(ev.check.ok and self.ctx.user.is_leader)
        self.evaluated.emit(ev)

    # ---- actions -----------------------------------------------------------------------------------------

    def new_plan(self) -> None:
        self.plan_id = None
        self.heading.setText(self.tr("New joint inspection (one visit, many checks)"))
        self._quiet = True
        self.picker.set_target(None)
        for lst in (self.supporting, self.officers, self.matters):
            _set_checked(lst, [])
        self.tasks.clear()
        self.lead.setCurrentIndex(0)
        self.context = None
        if self.reference:
            self._fill_matters()
        self._quiet = False
        self.status.clear()
        self._changed()

    def load_plan(self, plan_id: str) -> None:
        """Open a saved plan for editing (or viewing, once it is no longer planned)."""
        svc = PlanService(self.ctx.store, self.ctx.user, self.config)
        township = self.ctx.user.township_id or ""

        def job(_job: object) -> tuple[PlanDraft, str, TargetContext | None]:
            plan = svc.get(plan_id)
            return PlanDraft.from_plan(plan), plan.status, target_context(self.ctx.store, township, plan.target_id)

        self.ctx.runner.run_store("open plan", job, on_done=self._plan_loaded, on_error=self._failed)

    @alive_slot
    def _plan_loaded(self, result: tuple[PlanDraft, str, TargetContext | None]) -> None:
        draft, status, context = result
        self.plan_id = draft.plan_id
        self._quiet = True
        self.picker.set_target(context.target if context else None)
        assert draft.scheduled_at is not None
        local = draft.scheduled_at.astimezone(CST)
        self.when.setDateTime(local_qdatetime(local))
        self.duration.setValue(draft.duration)
        self.lead.setCurrentIndex(max(0, self.lead.findData(draft.lead_department_id)))
        _set_checked(self.supporting, draft.supporting_department_ids)
        _set_checked(self.officers, draft.officer_ids)
        self._context_loaded(context, keep_tasks=draft.task_ids)
        self._quiet = True
        _set_checked(self.matters, draft.matter_codes)
        self._quiet = False
        editable = status == "planned"
        self._set_heading(draft.plan_id, editable)
        self._changed()

    def plan_title(self) -> str:
        """What a person calls this plan: the target and the time ("杭州…餐饮有限公司 03-02 09:30")."""
        target = getattr(self.picker, "target", None)
        name = getattr(target, "name", "") or self.tr("no target yet")
        when = self.when.dateTime().toString("MM-dd HH:mm")
        return f"{name} {when}"

    def _set_heading(self, plan_id: str | None, editable: bool) -> None:
        self.heading.setText(self.tr("Plan: %1 (%2)").replace("%1", self.plan_title()).replace(
            "%2", self.tr("editable") if editable else self.tr("read only")))
        self.heading.setToolTip(self.tr("Plan id: %1").replace("%1", plan_id or ""))

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        draft = self.draft()
        svc = PlanService(self.ctx.store, self.ctx.user, self.config)
        plan_id = self.plan_id
        self.save_button.setEnabled(False)
        if plan_id:
            self.ctx.runner.run_store("update plan", lambda job: (plan_id, svc.update(plan_id, draft)),
                                      on_done=self._saved, on_error=self._failed)
        else:
            self.ctx.runner.run_store("create plan", lambda job: svc.create(draft), on_done=self._saved,
                                      on_error=self._failed)

    @alive_slot
    def _saved(self, result: tuple[str, object]) -> None:
        plan_id = result[0]
        self.plan_id = plan_id
        self.status.setText(self.tr("Plan saved; it will be sent to the platform at the next sync."))
        self._set_heading(plan_id, True)
        self.saved.emit(plan_id)
        self._changed()

    @alive_slot
    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self._changed()
        QMessageBox.warning(self, self.tr("Plan not saved"), str(exc))

    def merge_into(self, plan_id: str) -> None:
        answer = QMessageBox.question(self, self.tr("Merge plans"), self.tr(
            "Add this draft's matters, officers and instructions to the existing plan, so the target is visited "
            "once?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        draft = self.draft()
        svc = PlanService(self.ctx.store, self.ctx.user, self.config)
        self.ctx.runner.run_store("merge plan", lambda job: svc.merge_draft_into(plan_id, draft),
                                  on_done=lambda _c: self._merged(plan_id), on_error=self._failed)

    @alive_slot
    def _merged(self, plan_id: str) -> None:
        self.saved.emit(plan_id)
        self.load_plan(plan_id)
        self.status.setText(self.tr("Merged into the existing plan."))

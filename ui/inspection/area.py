"""`InspectionArea`: the 检查 area of the main window — the list page and the inspection form.

At start it reopens the record that was open when the app last stopped (even by a crash), on its tab and field.
Other areas call `open_inspection(id)`, `start_from_plan(plan_id)` or `start_from_task(task_id)`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.inspections import InspectionService
from app.topics import Changes, Topic
from ui.context import AppContext
from ui.inspection import restore
from ui.inspection.form import InspectionForm
from ui.inspection.list_page import InspectionListPage


class InspectionArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = InspectionService(ctx.store, ctx.user)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        self.list_page = InspectionListPage(self)
        self.form = InspectionForm(ctx, self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.form)
        layout.addWidget(self.stack)
        self.list_page.open_requested.connect(self.open_inspection)
        self.list_page.start_requested.connect(self.start_from_plan)
        self.form.back.connect(self.show_list)
        ctx.bus.changed.connect(self._bus)
        self.reload_list()
        state = restore.load_state(ctx)
        if state is not None:
            self.open_inspection(state.inspection_id, tab=state.tab, focus=state.focus)

    def _bus(self, changes: Changes) -> None:
        if changes.touches(Topic.INSPECTIONS, Topic.PLANS, Topic.TASKS) and self.stack.currentWidget() is self.list_page:
            self.reload_list()

    def reload_list(self) -> None:
        service = self.service
        self.ctx.runner.run_store(
            "inspection list", lambda _j: (service.open_inspections(), service.startable_plans()),
            on_done=lambda r: self.list_page.set_rows(*r),
            on_error=lambda exc: self.list_page.show_message(str(exc)),
        )

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.reload_list()
        self.list_page.inspection_view.setFocus()

    def open_inspection(self, inspection_id: str, *, tab: int | None = None, focus: str = "") -> None:
        self.stack.setCurrentWidget(self.form)
        self.form.open(inspection_id, tab=tab, focus=focus)

    def _start(self, fn: Any, ident: str) -> None:
        self.ctx.runner.run_store("start inspection", lambda _j: fn(ident),
                                  on_done=self._started, on_error=lambda exc: self.list_page.show_message(str(exc)))

    def _started(self, inspection_id: str) -> None:
        self.open_inspection(inspection_id, tab=0)

    def start_from_plan(self, plan_id: str) -> None:
        self._start(self.service.start_from_plan, plan_id)

    def start_from_task(self, task_id: str) -> None:
        self._start(self.service.start_from_task, task_id)

    def prepare_close(self) -> None:
        """Called by the main window before it closes: write what is pending now."""
        self.form.autosaver.flush()

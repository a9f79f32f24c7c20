"""The 计划 area: a tab with the plan list (model/view, filter by status, cancel, open in the planner), a tab with
the joint-inspection planner, and the random draw dialog (双随机). Lists refresh when the change bus names
"plans"; every query runs on the task runner."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.planning.service import PLAN_STATUSES, PlanRow, PlanService, format_when
from app.topics import Changes, Topic
from ui.context import AppContext
from ui.planning.planner_view import JointPlanner
from ui.qt_guard import alive_slot
from ui.widgets.common import EmptyHint, PageHeader
from ui.widgets.table_model import KEY_ROLE, SORT_ROLE, Column, ColumnsModel, Index

STATUS_COLOURS = {"cancelled": "#eeeeee", "merged": "#eef3f8", "done": "#e8f5e9"}


class PlanTableModel(ColumnsModel):
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() == 0:
            row: PlanRow = self.rows[index.row()]
            return format_when(row.scheduled_at)
        return super().data(index, role)


class PlanningArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        head = PageHeader(self.tr("Plans"), self)
        self.count = head.note
        self.new_button = QPushButton(self.tr("New joint inspection"), self)
        self.draw_button = QPushButton(self.tr("Random draw…"), self)
        self.new_button.setEnabled(ctx.user.is_leader)
        self.draw_button.setEnabled(ctx.user.is_leader)
        head.add(self.new_button, self.draw_button)
        layout.addWidget(head)

        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        listing = QWidget()
        lv = QVBoxLayout(listing)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Status"), listing))
        self.status_filter = QComboBox(listing)
        self.status_filter.addItem(self.tr("All"), None)
        for key, label in PLAN_STATUSES.items():
            self.status_filter.addItem(label, key)
        bar.addWidget(self.status_filter)
        bar.addStretch(1)
        self.open_button = QPushButton(self.tr("Open in planner"), listing)
        self.cancel_button = QPushButton(self.tr("Cancel plan…"), listing)
        self.cancel_button.setEnabled(ctx.user.is_leader)
        bar.addWidget(self.open_button)
        bar.addWidget(self.cancel_button)
        lv.addLayout(bar)
        columns = [
            Column(self.tr("Time"), lambda r: r.scheduled_at.isoformat()),
            Column(self.tr("Kind"), lambda r: r.kind_label),
            Column(self.tr("Target"), lambda r: r.target_name),
            Column(self.tr("Lead"), lambda r: r.lead_department),
            Column(self.tr("Matters"), lambda r: r.matter_count, align_right=True),
            Column(self.tr("Officers"), lambda r: r.officer_names),
            Column(self.tr("Status"), lambda r: r.status_label),
        ]
        self.model = PlanTableModel(columns, self,
                                    background=lambda r, _c: STATUS_COLOURS.get(r.status))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(listing)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        lv.addWidget(self.table, 1)
        self.empty_hint = EmptyHint(
            self.table,
            self.tr("No inspection plans yet"),
            self.tr("Click New joint inspection to plan a visit for open instructions, or Random draw… for a "
                    "双随机 inspection.") if ctx.user.is_leader else
            self.tr("Plans are made by the team leader. A 核查 or 投诉举报 task assigned to you can be inspected "
                    "directly: open it under Tasks and click Start inspection."),
        )
        self.tabs.addTab(listing, self.tr("Plan list"))
        self.planner = JointPlanner(ctx)
        self.tabs.addTab(self.planner, self.tr("Joint inspection planner"))

        self.new_button.clicked.connect(self.new_plan)
        self.draw_button.clicked.connect(self.open_draw)
        self.open_button.clicked.connect(self.open_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.planner.saved.connect(lambda _pid: self.refresh())
        ctx.bus.changed.connect(self._bus)
        self.refresh()

    def _bus(self, changes: Changes) -> None:
        if changes.touches(Topic.PLANS, Topic.DIRECTORY):
            self.refresh()

    def refresh(self) -> None:
        status = self.status_filter.currentData()
        svc = PlanService(self.ctx.store, self.ctx.user)
        self.ctx.runner.run_store("plan list", lambda job: svc.list_plans(status=status), on_done=self._listed)

    @alive_slot
    def _listed(self, rows: list[PlanRow]) -> None:
        self.model.set_rows(rows)
        self.count.setText(self.tr("%1 plans").replace("%1", str(len(rows))))

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(KEY_ROLE) if rows else None

    def new_plan(self) -> None:
        self.planner.new_plan()
        self.tabs.setCurrentWidget(self.planner)

    def open_selected(self) -> None:
        pid = self.selected_id()
        if pid:
            self.planner.load_plan(pid)
            self.tabs.setCurrentWidget(self.planner)

    def cancel_selected(self) -> None:
        pid = self.selected_id()
        if not pid:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel plan"), self.tr("Reason for cancelling:"))
        if not ok:
            return
        svc = PlanService(self.ctx.store, self.ctx.user)
        self.ctx.runner.run_store("cancel plan", lambda job: svc.cancel(pid, reason),
                                  on_error=self._cancel_failed)

    @alive_slot
    def _cancel_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Cancel plan"), str(exc))

    def open_draw(self) -> None:
        from ui.planning.draw_dialog import DrawDialog

        dialog = DrawDialog(self.ctx, self)
        dialog.open()

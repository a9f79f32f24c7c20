"""The 检查 area's start page: open and today's inspections (Enter opens one) and planned visits to start from
(Enter starts the inspection), each a table model loaded on the store worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.inspections.view import InspectionRow, PlanRow
from ui.widgets.common import Card, EmptyHint, PageHeader
from ui.widgets.table_model import ROW_ROLE, Column, ColumnsModel

PLAN_KINDS = {"joint": "综合查一次", "random": "双随机", "patrol": "网格巡查", "special": "专项检查", "recheck": "复查"}


def _when(moment: Any) -> str:
    return timefmt.fmt(moment, "short", empty="—")


def inspection_columns(headers: Sequence[str]) -> list[Column]:
    getters = (
        lambda r: "已定稿" if r.status == "finalised" else "记录中",
        lambda r: r.target_name or "—",
        lambda r: _when(r.started_at),
        lambda r: r.place,
    )
    return [Column(h, g) for h, g in zip(headers, getters, strict=True)]


def plan_columns(headers: Sequence[str]) -> list[Column]:
    getters = (
        lambda r: PLAN_KINDS.get(r.kind, r.kind),
        lambda r: r.target_name or "—",
        lambda r: _when(r.scheduled_at),
        lambda r: f"{r.matter_count} 项事项",
    )
    return [Column(h, g) for h, g in zip(headers, getters, strict=True)]


def _state_colour(row: InspectionRow, column: int) -> str | None:
    if column != 0:
        return None
    return "#2e7d32" if row.status == "finalised" else "#a86400"


def _table(model: QAbstractTableModel, name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class InspectionListPage(QWidget):
    """Signals: `open_requested(inspection_id)`, `start_requested(plan_id)`."""

    open_requested = Signal(str)
    start_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(PageHeader(self.tr("Inspections"), self))
        self.message = QLabel(self)
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        open_card = Card(self.tr("Open and today's inspections"), self)
        self.inspections = ColumnsModel(inspection_columns([
            self.tr("State"), self.tr("Target"), self.tr("Started"), self.tr("Place")]), self,
            foreground=_state_colour)
        self.inspection_view = _table(self.inspections, "inspectionList", self)
        open_card.add(self.inspection_view)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open inspection"), self)
        row.addStretch(1)
        row.addWidget(self.open_button)
        open_card.add(row)
        layout.addWidget(open_card, 1)
        plan_card = Card(self.tr("Planned visits to start from"), self)
        self.plans = ColumnsModel(plan_columns([
            self.tr("Kind"), self.tr("Target"), self.tr("Scheduled"), self.tr("Matters")]), self)
        self.plan_view = _table(self.plans, "planList", self)
        plan_card.add(self.plan_view)
        self.plan_hint = EmptyHint(
            self.plan_view,
            self.tr("No plan to start from today"),
            self.tr("The team leader plans visits under Plans. A 核查 or 投诉举报 task assigned to you needs no "
                    "plan: open it under Tasks and click Start inspection."),
        )
        row = QHBoxLayout()
        self.start_button = QPushButton(self.tr("&Start inspection"), self)
        self.start_button.setObjectName("primary")
        row.addStretch(1)
        row.addWidget(self.start_button)
        plan_card.add(row)
        layout.addWidget(plan_card, 1)
        self.open_button.clicked.connect(self._open)
        self.start_button.clicked.connect(self._start)
        self.inspection_view.activated.connect(lambda _i: self._open())
        self.plan_view.activated.connect(lambda _i: self._start())

    def set_rows(self, inspections: list[InspectionRow], plans: list[PlanRow]) -> None:
        self.inspections.set_rows(inspections)
        self.plans.set_rows(plans)
        for view, model in ((self.inspection_view, self.inspections), (self.plan_view, self.plans)):
            if model.rowCount() and not view.currentIndex().isValid():
                view.setCurrentIndex(model.index(0, 0))
        self.open_button.setEnabled(bool(inspections))
        self.start_button.setEnabled(bool(plans))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _open(self) -> None:
        idx = self.inspection_view.currentIndex()
        if idx.isValid():
            self.open_requested.emit(idx.data(ROW_ROLE).id)

    def _start(self) -> None:
        idx = self.plan_view.currentIndex()
        if idx.isValid():
            self.start_requested.emit(idx.data(ROW_ROLE).id)

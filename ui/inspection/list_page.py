"""The 检查 area's start page: open and today's inspections (Enter opens one) and planned visits to start from
(Enter starts the inspection), each a table model loaded on the store worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
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

from app.inspections.view import CHINA_TZ, InspectionRow, PlanRow
from ui.widgets.common import Card

Index = QModelIndex | QPersistentModelIndex
PLAN_KINDS = {"joint": "综合查一次", "random": "双随机", "patrol": "网格巡查", "special": "专项检查", "recheck": "复查"}


def _when(moment: Any) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%m-%d %H:%M") if moment else "—"


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of row dataclasses; `cells(row)` gives the column texts."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def cells(self, row: Any) -> list[str]:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(row)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return self.colour(row)
        return None

    def colour(self, row: Any) -> QColor | None:
        return None


class InspectionsModel(RowsModel):
    def cells(self, row: InspectionRow) -> list[str]:
        status = "已定稿" if row.status == "finalised" else "记录中"
        return [status, row.target_name or "—", _when(row.started_at), row.place]

    def colour(self, row: InspectionRow) -> QColor:
        return QColor("#2e7d32") if row.status == "finalised" else QColor("#a86400")


class PlansModel(RowsModel):
    def cells(self, row: PlanRow) -> list[str]:
        return [PLAN_KINDS.get(row.kind, row.kind), row.target_name or "—", _when(row.scheduled_at),
                f"{row.matter_count} 项事项"]


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
        title = QLabel(self.tr("Inspections"), self)
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.message = QLabel(self)
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        open_card = Card(self.tr("Open and today's inspections"), self)
        self.inspections = InspectionsModel([self.tr("State"), self.tr("Target"), self.tr("Started"),
                                             self.tr("Place")], self)
        self.inspection_view = _table(self.inspections, "inspectionList", self)
        open_card.add(self.inspection_view)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open inspection"), self)
        row.addStretch(1)
        row.addWidget(self.open_button)
        open_card.add(row)
        layout.addWidget(open_card, 1)
        plan_card = Card(self.tr("Planned visits to start from"), self)
        self.plans = PlansModel([self.tr("Kind"), self.tr("Target"), self.tr("Scheduled"), self.tr("Matters")], self)
        self.plan_view = _table(self.plans, "planList", self)
        plan_card.add(self.plan_view)
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
            self.open_requested.emit(idx.data(Qt.ItemDataRole.UserRole).id)

    def _start(self) -> None:
        idx = self.plan_view.currentIndex()
        if idx.isValid():
            self.start_requested.emit(idx.data(Qt.ItemDataRole.UserRole).id)

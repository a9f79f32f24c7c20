"""The document list as a Qt model over `app.readmodels.documents.DocRow` snapshots loaded on the store worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app import timefmt
from app.documents.lifecycle import DocStatus
from app.readmodels.documents import DocRow

Index = QModelIndex | QPersistentModelIndex


def _when(value: datetime | None) -> str:
    return timefmt.fmt(value)


class DocumentTableModel(QAbstractTableModel):
    COLUMNS = ("Document", "Number", "Party", "Status", "Enforcing body", "Issued")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DocRow] = []

    def set_rows(self, rows: list[DocRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> DocRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, doc_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == doc_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section]) if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return row.title
            if col == 1:
                return row.number or self.tr("(not numbered)")
            if col == 2:
                return row.party
            if col == 3:
                return (
                    DocStatus(row.status).label if row.status in DocStatus._value2member_map_ else row.status
                )
            if col == 4:
                return row.body
            if col == 5:
                return _when(row.issued_at)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1 and row.number:
            return row.number
        return None

    def _titles_for_lupdate(self) -> tuple[str, ...]:
        """Never called: lets lupdate see the column titles, translated at runtime by `headerData`."""
        return (
            self.tr("Document"),
            self.tr("Number"),
            self.tr("Party"),
            self.tr("Status"),
            self.tr("Enforcing body"),
            self.tr("Issued"),
        )

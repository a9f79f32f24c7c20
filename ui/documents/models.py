"""The document list as a Qt model: rows are light snapshots loaded on the store worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import select

from app import models as m
from app import timefmt
from app.documents.lifecycle import DocStatus
from app.rules.numbering import doc_type_name
from app.store import Store

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DocRow:
    id: str
    doc_type: str
    status: str
    number: str | None
    party: str
    body: str
    created_at: datetime | None
    issued_at: datetime | None

    @property
    def title(self) -> str:
        return doc_type_name(self.doc_type)


def load_rows(
    store: Store, township_id: str | None, status: str | None = None, limit: int = 5000
) -> list[DocRow]:
    with store.read() as session:
        query = select(m.Document).order_by(m.Document.created_at.desc(), m.Document.id).limit(limit)
        if township_id:
            query = query.where(m.Document.township_id == township_id)
        if status:
            query = query.where(m.Document.status == status)
        return [
            DocRow(
                d.id,
                d.doc_type,
                d.status,
                d.number,
                str(_party_of(d.fields or {})),
                d.body_legal_name,
                d.created_at,
                d.issued_at,
            )
            for d in session.scalars(query)
        ]


def _party_of(fields: dict[str, Any]) -> str:
    for key in ("party_name", "recipient", "receiver", "interviewee_name"):
        if fields.get(key):
            return str(fields[key])
    return ""


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

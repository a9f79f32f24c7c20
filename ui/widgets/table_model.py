"""`ColumnsModel`: the one read-only table model for short lists of row objects, described by columns (header +
getter), with the row object under `ROW_ROLE`, its key under `KEY_ROLE`, a raw sort value under `SORT_ROLE`,
optional background/foreground colours and tooltips. Used by the plan list, the draw result, the statistics
tables, the inspection lists and the sync area; sort/filter through a QSortFilterProxyModel with
`setSortRole(SORT_ROLE)`. (The 100,000-row inbox has its own lazily paged model in ui/tasks.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    display: Callable[[Any], str] | None = None  # text shown; default str(value)
    align_right: bool = False


class ColumnsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None, *,
                 key: Callable[[Any], Any] = lambda r: getattr(r, "id", None),
                 background: Callable[[Any, int], str | None] | None = None,
                 tooltip: Callable[[Any, int], str | None] | None = None,
                 foreground: Callable[[Any, int], str | None] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self._key = key
        self._background = background
        self._tooltip = tooltip
        self._foreground = foreground

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of_key(self, key: Any) -> int:
        for i, r in enumerate(self.rows):
            if self._key(r) == key:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < len(self.rows) and 0 <= c < len(self.columns)):
            return None
        obj, col = self.rows[r], self.columns[c]
        if role == Qt.ItemDataRole.DisplayRole:
            value = col.value(obj)
            if col.display is not None:
                return col.display(value)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            value = col.value(obj)
            return value if isinstance(value, int | float | str) else ("" if value is None else str(value))
        if role == KEY_ROLE:
            return self._key(obj)
        if role == ROW_ROLE:
            return obj
        if role == Qt.ItemDataRole.ForegroundRole and self._foreground is not None:
            colour = self._foreground(obj, c)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self._background is not None:
            colour = self._background(obj, c)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(obj, c) if self._tooltip is not None else None
            if tip:
                return tip
            value = col.value(obj)
            text = col.display(value) if col.display else ("" if value is None else str(value))
            return text or None
        return None

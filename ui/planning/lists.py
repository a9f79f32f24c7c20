"""Checkable list helpers shared by the planner and the draw dialog: items carry their key in UserRole."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

KEY = Qt.ItemDataRole.UserRole


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).data(KEY) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def _set_checked(widget: QListWidget, ids: list[str]) -> None:
    wanted = set(ids)
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(KEY) in wanted else Qt.CheckState.Unchecked)


def _checkable(widget: QListWidget, text: str, key: str, tip: str = "") -> QListWidgetItem:
    item = QListWidgetItem(text, widget)
    item.setData(KEY, key)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    if tip:
        item.setToolTip(tip)
    return item

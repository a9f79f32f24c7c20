"""List helpers shared by the planner, the draw dialog and the target picker: checkable items carrying their key
in UserRole, and lists whose long entries (matter names, targets with address) wrap rather than being cut."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

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


def wrap_items(widget: QListWidget) -> None:
    """Wrap long entries at the list's width (no horizontal scrolling, no eliding): a whole matter name such as
    "对擅自占用城市道路、公共场所设置摊点的行政处罚" stays readable in a narrow column."""
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setResizeMode(QListView.ResizeMode.Adjust)
    widget.setUniformItemSizes(False)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

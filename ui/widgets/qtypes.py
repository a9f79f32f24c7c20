"""Typed bridges where PySide6's stubs are loose: Qt dates and times as Python values (`toPython()` is typed
`object`), integer settings (`QSettings.value` is typed `object`) and emptying a layout (`takeAt` may be None)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Protocol

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QLayout


class Values(Protocol):
    """QSettings, or ui.settings.Settings over it."""

    def value(self, key: str, default: Any = ..., /) -> object: ...


def py_date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def py_time(t: QTime) -> time:
    return time(t.hour(), t.minute(), t.second(), t.msec() * 1000)


def local_qdatetime(moment: datetime) -> QDateTime:
    """A wall-clock QDateTime with `moment`'s date and time fields (its zone is not carried over)."""
    return QDateTime(QDate(moment.year, moment.month, moment.day),
                     QTime(moment.hour, moment.minute, moment.second, moment.microsecond // 1000))


def setting_int(settings: Values, key: str, default: int) -> int:
    """An integer setting (stored as int or as text, by platform); `default` when missing or not a number."""
    value = settings.value(key, default)
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(str(value))
    except ValueError:
        return default


def clear_layout(layout: QLayout) -> None:
    """Take every item out of `layout`, deleting its widgets and emptying nested layouts."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)

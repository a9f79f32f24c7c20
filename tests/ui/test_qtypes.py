"""ui.widgets.qtypes: Qt dates and times to Python and back, integer settings as stored in a real INI file,
and emptying a layout of real widgets (nested layouts included)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, QTime
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.settings import Settings
from ui.widgets.qtypes import clear_layout, local_qdatetime, py_date, py_time, setting_int


def test_dates_and_times_round_trip() -> None:
    assert py_date(QDate(2026, 3, 2)) == date(2026, 3, 2)
    assert py_time(QTime(9, 30, 15, 250)) == time(9, 30, 15, 250_000)
    q = local_qdatetime(datetime(2026, 3, 2, 9, 30, 15))
    assert (py_date(q.date()), py_time(q.time())) == (date(2026, 3, 2), time(9, 30, 15))


def test_setting_int_reads_what_an_ini_file_holds(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    qs.setValue("a", 42)
    qs.setValue("b", "17")
    qs.setValue("c", "not a number")
    qs.sync()
    again = QSettings(str(path), QSettings.Format.IniFormat)  # read back from disk: INI stores text
    assert setting_int(again, "a", 0) == 42 and setting_int(again, "b", 0) == 17
    assert setting_int(again, "c", 5) == 5 and setting_int(again, "missing", 9) == 9
    assert setting_int(Settings(path), "b", 0) == 17  # the app's wrapper over the same file


def test_clear_layout_deletes_widgets_and_empties_nested_layouts(qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    outer = QVBoxLayout(host)
    first = QLabel("一", host)
    outer.addWidget(first)
    inner = QHBoxLayout()
    second = QLabel("二", host)
    inner.addWidget(second)
    outer.addLayout(inner)
    outer.addStretch(1)
    with qtbot.waitSignals([first.destroyed, second.destroyed], timeout=2000):
        clear_layout(outer)
    assert outer.count() == 0 and inner.count() == 0

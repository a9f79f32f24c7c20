"""Guards the PySide6 pin in pyproject.toml: PySide6 6.12.0 under CPython 3.11 dropped one reference to None on
every Qt call returning void, so a long session ended in "Fatal Python error: none_dealloc"."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_void_qt_calls_do_not_leak_none_references(qapp) -> None:
    edit = QLineEdit()
    before = sys.getrefcount(None)
    for _ in range(2000):
        edit.setText("核查")  # returns void
        edit.setReadOnly(False)
    assert sys.getrefcount(None) >= before - 50

"""帮助 → 快捷键: every keyboard shortcut of the app in one table.

The main window's own (area switching, sync, quit) are read from its actions; the shortcuts that live inside
areas are listed in `AREA_SHORTCUTS` (tests/ui/test_keyboard.py checks that every QShortcut an area creates is
listed here, so the table cannot drift from the code)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _t(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


#: (key sequence in portable text, where, what) — translated when shown (QT_TRANSLATE_NOOP is typed `object`)
AREA_SHORTCUTS: tuple[tuple[str, object, object], ...] = (
    ("Ctrl+F", QT_TRANSLATE_NOOP("Shortcuts", "Tasks"), QT_TRANSLATE_NOOP("Shortcuts", "Search tasks")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("Shortcuts", "Plans"), QT_TRANSLATE_NOOP("Shortcuts", "Save the plan")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "Inspections"), QT_TRANSLATE_NOOP("Shortcuts", "Evidence for the selected checklist item")),
    ("Ctrl+Return", QT_TRANSLATE_NOOP("Shortcuts", "Inspections"), QT_TRANSLATE_NOOP("Shortcuts", "Finalise the record")),
    ("Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "Cases"), QT_TRANSLATE_NOOP("Shortcuts", "File a case (立案)")),
    ("Ctrl+Shift+C", QT_TRANSLATE_NOOP("Shortcuts", "Cases"), QT_TRANSLATE_NOOP("Shortcuts", "Self-check the case file (案卷评查)")),
    ("Ctrl+Shift+I", QT_TRANSLATE_NOOP("Shortcuts", "Tasks, Inspections"), QT_TRANSLATE_NOOP("Shortcuts", "Record an intervention (干预留痕)")),
    ("Ctrl+I", QT_TRANSLATE_NOOP("Shortcuts", "Evidence"), QT_TRANSLATE_NOOP("Shortcuts", "Import evidence files")),
    ("Space", QT_TRANSLATE_NOOP("Shortcuts", "Evidence"), QT_TRANSLATE_NOOP("Shortcuts", "Preview the selected file")),
    ("Del", QT_TRANSLATE_NOOP("Shortcuts", "Evidence"), QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected file")),
    ("Ctrl+Z", QT_TRANSLATE_NOOP("Shortcuts", "Signature"), QT_TRANSLATE_NOOP("Shortcuts", "Undo the last stroke")),
)


def rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(keys as shown, where, what) for the window's actions with a shortcut, then the areas' shortcuts."""
    out: list[tuple[str, str, str]] = []
    for action in window.findChildren(QAction):
        seq = action.shortcut()
        text = action.text().replace("&", "")
        if not seq.isEmpty() and text:
            out.append((seq.toString(QKeySequence.SequenceFormat.NativeText), QCoreApplication.translate("Shortcuts", "Everywhere"), text))
    for keys, where, what in AREA_SHORTCUTS:
        out.append((QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText), _t(str(where)), _t(str(what))))
    return list(dict.fromkeys(out))


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 460)
        data = rows(window)
        self.table = QTableWidget(len(data), 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Where"), self.tr("What it does")])
        for r, values in enumerate(data):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def keys(self) -> list[str]:
        return [item.text() if (item := self.table.item(r, 0)) else "" for r in range(self.table.rowCount())]

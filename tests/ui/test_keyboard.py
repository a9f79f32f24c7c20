"""Keyboard and layout at 1366×768: a visible focus ring follows Tab, window shortcuts work right after a dialog
closes, 帮助 → 快捷键 lists every shortcut (the window's and each area's), the title names the app once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app import APP_NAME
from app.store import Store
from tests.ui.shell_support import make_ctx, sign_in
from ui.areas import AREAS
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def window(qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path) -> MainWindow:
    ctx = make_ctx(
        client_store,
        sign_in(client_store, platform.url, "xindeng.leader"),
        runner,
        url=platform.url,
        settings_dir=tmp_path,
    )
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5_000)
    return win


def test_title_names_the_app_once(window: MainWindow) -> None:
    assert window.windowTitle().count(APP_NAME) == 1 and window.windowTitle().endswith(APP_NAME)


def test_focus_ring_follows_the_keyboard(window: MainWindow, qtbot: Any) -> None:
    from ui.focus import install

    tracker = install(QApplication.instance())
    window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.nav, timeout=2_000)
    for _ in range(3):
        widget = QApplication.focusWidget()
        assert widget is not None
        expected = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        qtbot.waitUntil(lambda w=expected: tracker.ring_rect() == w, timeout=2_000)
        QTest.keyClick(widget, Qt.Key.Key_Tab)


def test_shortcuts_work_right_after_a_dialog_closes_and_are_all_listed(window: MainWindow, qtbot: Any) -> None:
    dialog = window.show_shortcuts()
    qtbot.waitUntil(dialog.isVisible, timeout=2_000)
    keys = dialog.keys()
    native = QKeySequence.SequenceFormat.NativeText  # as a person reads them (Chinese key names)
    for spec in AREAS:
        assert QKeySequence(spec.shortcut).toString(native) in keys
    assert "F5" in keys and "F1" in keys
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2_000)
    target = QApplication.focusWidget()
    assert target is not None and target.window() is window  # the keyboard is back in the window
    QTest.keyClick(target, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == 1

    for i in range(len(AREAS)):  # every area's own shortcuts are in the table
        window.nav.setCurrentRow(i)
    dialog = window.show_shortcuts()
    listed = set(dialog.keys())
    found = {s.key().toString(native) for s in window.findChildren(QShortcut) if not s.key().isEmpty()}
    assert found and found <= listed, found - listed
    dialog.reject()


def test_long_names_fit_at_1366x768(window: MainWindow, qtbot: Any) -> None:
    planning = window.show_area("plans")
    assert planning is not None
    planner = planning.planner
    picker = planner.picker
    assert picker.results.minimumHeight() >= 6 * picker.results.fontMetrics().height()
    for lst in (planner.matters, picker.results):
        assert lst.wordWrap() and lst.textElideMode() == Qt.TextElideMode.ElideNone
        assert lst.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def test_no_window_shortcut_is_ambiguous(window: MainWindow) -> None:
    """Two window-wide shortcuts on one key make Qt fire neither (an "ambiguous" shortcut)."""
    from PySide6.QtGui import QAction

    for i in range(len(AREAS)):
        window.nav.setCurrentRow(i)
    keys: list[str] = []
    for s in window.findChildren(QShortcut):
        if s.context() == Qt.ShortcutContext.WindowShortcut and not s.key().isEmpty():
            keys.append(s.key().toString())
    for a in window.findChildren(QAction):
        if a.shortcutContext() == Qt.ShortcutContext.WindowShortcut and not a.shortcut().isEmpty():
            keys.append(a.shortcut().toString())
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)

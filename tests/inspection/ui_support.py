"""Helpers for the UI tests: an AppContext over a store, and waiting for the task runner to go idle."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.identity import CurrentUser
from app.store import Store
from ui.context import AppContext, ChangeBus
from ui.runner import TaskRunner
from ui.settings import Settings


def make_ctx(store: Store, user: CurrentUser) -> AppContext:
    return AppContext(store=store, user=user, runner=TaskRunner(QApplication.instance()), bus=ChangeBus(),
                      settings=Settings.in_data_dir(store.paths.root))


def settle(qtbot: QtBot, ctx: AppContext, ms: int = 20000) -> None:
    """Process events until no job of the runner is running (results delivered to the GUI thread)."""
    qtbot.waitUntil(lambda: idle(ctx), timeout=ms)


def idle(ctx: AppContext) -> bool:
    return not any(h.running for h in list(ctx.runner._live))


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` (any script) into `widget` as key presses, the way an input method delivers it."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

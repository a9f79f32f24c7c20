"""Qt-side version facts for the diagnostics bundle (kept apart so `app.diagnostics` stays Qt-free)."""

from __future__ import annotations

import PySide6.QtCore
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication


def qt_versions() -> dict[str, str]:
    app = QGuiApplication.instance()
    out = {"qt": qVersion(), "pyside6": str(getattr(PySide6.QtCore, "__version__", "?"))}
    if isinstance(app, QGuiApplication):
        out["qpa_platform"] = QGuiApplication.platformName()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            size = screen.size()
            out["screen"] = f"{size.width()}x{size.height()}@{screen.devicePixelRatio():g}"
    return out

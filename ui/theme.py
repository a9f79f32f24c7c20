"""Look and feel: the QApplication (high-DPI, Fusion, a calm palette, a CJK UI font, the app icon) and the
shared icons and colours every view uses, so that status marks look the same everywhere."""

from __future__ import annotations

import sys
from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, __version__
from app.resources import resource_dir

UI_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC")

ACCENT = QColor("#2f6fb2")
OVERDUE = QColor("#c62828")
DUE_TODAY = QColor("#a86400")  # amber dark enough for text contrast on white
MUTED = QColor("#5f6b7a")
OK = QColor("#2e7d32")

STYLESHEET = """
QListWidget#nav { background: #e9eef4; border: none; border-right: 1px solid #d3dae3; outline: 0; }
QListWidget#nav::item { padding: 9px 10px; margin: 2px 6px; border-radius: 6px; color: #26323f; }
QListWidget#nav::item:selected { background: #2f6fb2; color: white; }
QListWidget#nav::item:hover:!selected { background: #dce4ee; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; color: #1f2933; }
QLabel#sectionTitle { font-weight: 600; color: #2f3e4e; padding-top: 6px; }
QLabel#muted { color: #5f6b7a; }
QLabel#errorText { color: #b3261e; }
QLabel#chip { border-radius: 9px; padding: 1px 9px; color: white; background: #5f6b7a; }
QFrame#card { background: white; border: 1px solid #dde3ea; border-radius: 8px; }
QToolButton#filterTab { padding: 4px 10px; border: 1px solid transparent; border-radius: 13px; }
QToolButton#filterTab:checked { background: #2f6fb2; color: white; }
QToolButton#filterTab:hover:!checked { background: #e3e9f0; }
QStatusBar QLabel { padding: 0 6px; }
QPushButton#primary { background: #2f6fb2; color: white; border: 1px solid #285f99; border-radius: 4px;
                      padding: 5px 16px; }
QPushButton#primary:hover { background: #2a64a1; }
QPushButton#primary:disabled { background: #9db7d3; border-color: #9db7d3; }
QToolButton#numbersIndicator { padding: 2px 8px; border: 1px solid #d3dae3; border-radius: 11px; }
QToolButton#numbersIndicator[warn="true"] { color: #a86400; border-color: #e0a040; background: #fff4e0; }
QToolButton#numbersIndicator::menu-indicator { image: none; }
"""


def pick_ui_font() -> str | None:
    families = set(QFontDatabase.families())
    return next((f for f in UI_FONTS if f in families), None)


def calm_palette() -> QPalette:
    pal = QPalette()
    window, base, text = QColor("#f4f6f9"), QColor("#ffffff"), QColor("#1f2933")
    pal.setColor(QPalette.ColorRole.Window, window)
    pal.setColor(QPalette.ColorRole.WindowText, text)
    pal.setColor(QPalette.ColorRole.Base, base)
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fb"))
    pal.setColor(QPalette.ColorRole.Text, text)
    pal.setColor(QPalette.ColorRole.Button, QColor("#f9fafb"))
    pal.setColor(QPalette.ColorRole.ButtonText, text)
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#cfe0f3"))
    pal.setColor(QPalette.ColorRole.HighlightedText, text)
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#fffdf3"))
    pal.setColor(QPalette.ColorRole.ToolTipText, text)
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a94a3"))
    pal.setColor(QPalette.ColorRole.Link, ACCENT)
    pal.setColor(QPalette.ColorRole.Mid, QColor("#c9d1db"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa4b1"))
    return pal


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, styled (reuses an existing instance, e.g. under pytest-qt)."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv)
    else:
        assert isinstance(existing, QApplication)
        app = existing
    QCoreApplication.setOrganizationName(APP_ID)
    QCoreApplication.setApplicationName(APP_ID)
    QCoreApplication.setApplicationVersion(__version__)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName(APP_ID)
    apply_style(app)
    return app


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(calm_palette())
    family = pick_ui_font()
    if family:
        font = QFont(family)
        font.setPointSizeF(10.0)
        app.setFont(font)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(STYLESHEET)
    from ui.focus import install

    install(app)


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    base = resource_dir("icons")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = base / f"lianxuntong-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    if icon.isNull():
        icon.addFile(str(base / "lianxuntong.svg"))
    return icon


@cache
def icon(name: str) -> QIcon:
    """A bundled SVG icon by name (`resources/icons/<name>.svg`); an empty icon if it is missing."""
    path = resource_dir("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()

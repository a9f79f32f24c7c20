"""Loads the shipped Qt translation catalogues (resources/i18n/*_zh_CN.qm); Simplified Chinese is the default."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.resources import resource_dir

DEFAULT_LOCALE = "zh_CN"


def install_translators(app: QCoreApplication, locale: str = DEFAULT_LOCALE) -> list[QTranslator]:
    """Install every catalogue for `locale` plus Qt's own (dialog buttons etc.). Returns them (keep references)."""
    QLocale.setDefault(QLocale(locale))
    installed: list[QTranslator] = []
    qt = QTranslator(app)
    if qt.load(QLocale(locale), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    for qm in sorted(Path(resource_dir("i18n")).glob(f"*_{locale}.qm")):
        tr = QTranslator(app)
        if tr.load(str(qm)):
            app.installTranslator(tr)
            installed.append(tr)
    return installed

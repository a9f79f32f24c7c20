"""The app's file dialogs: they open in the folder last used for the same kind of file (remembered in the
settings) or else in the user's Documents (exports, attachments) or Pictures (evidence) folder — never the
program's working directory — and they are Qt's own dialog on Linux, so that they speak the app's Chinese
(Qt's zh_CN catalogue) whatever desktop the laptop runs.

`use_settings(settings)` is called once by the shell; without settings (tests of single widgets) nothing is
remembered. Every function returns what was chosen, or an empty value when the user cancelled.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


class _Folders(Protocol):
    def last_dir(self, kind: str) -> str: ...

    def set_last_dir(self, kind: str, folder: str) -> None: ...


_settings: _Folders | None = None

PICTURES_KINDS = frozenset({"evidence"})


def use_settings(settings: _Folders | None) -> None:
    global _settings
    _settings = settings


def start_folder(kind: str) -> str:
    """The folder a dialog for `kind` opens in."""
    if _settings is not None:
        remembered = _settings.last_dir(kind)
        if remembered:
            return remembered
    place = (
        QStandardPaths.StandardLocation.PicturesLocation
        if kind in PICTURES_KINDS
        else QStandardPaths.StandardLocation.DocumentsLocation
    )
    for candidate in (QStandardPaths.writableLocation(place), str(Path.home())):
        if candidate and Path(candidate).is_dir():
            return candidate
    return str(Path.home())


def _remember(kind: str, chosen: str, is_folder: bool = False) -> None:
    if _settings is not None and chosen:
        _settings.set_last_dir(kind, str(Path(chosen) if is_folder else Path(chosen).parent))


def _dialog(parent: QWidget | None, title: str, kind: str, name_filter: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, start_folder(kind), name_filter)
    if sys.platform.startswith("linux"):
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def save_file(parent: QWidget | None, title: str, name: str, name_filter: str, kind: str = "export") -> str:
    """Ask where to save `name`; returns the chosen path or ""."""
    dialog = _dialog(parent, title, kind, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.selectFile(str(Path(dialog.directory().absolutePath()) / name))
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    chosen = dialog.selectedFiles()[0]
    _remember(kind, chosen)
    return chosen


def open_files(parent: QWidget | None, title: str, name_filter: str = "", kind: str = "evidence") -> list[str]:
    dialog = _dialog(parent, title, kind, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return []
    files = dialog.selectedFiles()
    if files:
        _remember(kind, files[0])
    return files


def open_folder(parent: QWidget | None, title: str, kind: str = "evidence") -> str:
    dialog = _dialog(parent, title, kind, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    folder = dialog.selectedFiles()[0]
    _remember(kind, folder, is_folder=True)
    return folder

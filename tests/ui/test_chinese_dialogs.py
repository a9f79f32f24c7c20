"""Chinese everywhere: Qt's own file and print dialogs speak Chinese (qtbase_zh_CN + the gaps catalogue), file
dialogs open in Documents / Pictures or the folder used last (never the working directory), `--help` is
Chinese."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QDialog, QFileDialog, QGroupBox, QLabel, QWidget

pytestmark = pytest.mark.ui

ENGLISH = re.compile(r"(?!PDF)[A-Za-z]{3,}")  # a word of English (PDF is a name)


def _english(widget: QWidget, allowed: set[str]) -> list[str]:
    texts = [w.text() for w in widget.findChildren(QLabel)] + [w.text() for w in widget.findChildren(QAbstractButton)]
    texts += [w.title() for w in widget.findChildren(QGroupBox)] + [widget.windowTitle()]
    return [t for t in texts if ENGLISH.search(t) and t not in allowed]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for name in ("Documents", "Pictures", "cwd"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    return tmp_path


def test_file_dialogs_are_chinese_and_open_in_the_users_folders(
    qtbot: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.settings import Settings
    from ui.widgets import file_dialogs

    seen: list[QFileDialog] = []
    answer: dict[str, str] = {}

    def exec_(dialog: QFileDialog) -> int:
        dialog.show()
        seen.append(dialog)
        if answer:
            dialog.selectFile(answer["path"])
            return int(QDialog.DialogCode.Accepted.value)
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(QFileDialog, "exec", exec_)
    settings = Settings(home / "ui.ini")
    file_dialogs.use_settings(settings)
    try:
        assert file_dialogs.save_file(None, "导出 PDF", "a.pdf", "PDF (*.pdf)") == ""
        labels = " ".join(w.text() for w in seen[-1].findChildren(QLabel))
        assert "查找范围" in labels and "文件类型" in labels and "文件名称" in labels
        assert _english(seen[-1], {"PDF (*.pdf)"}) == []
        assert Path(seen[-1].directory().absolutePath()) == home / "Documents"  # not the working directory

        assert file_dialogs.open_files(None, "导入证据", kind="evidence") == []
        assert Path(seen[-1].directory().absolutePath()) == home / "Pictures"

        target = home / "out" / "b.pdf"
        target.parent.mkdir()
        answer["path"] = str(target)
        assert file_dialogs.save_file(None, "导出 PDF", "b.pdf", "PDF (*.pdf)") == str(target)
        answer.clear()
        file_dialogs.save_file(None, "导出 PDF", "c.pdf", "PDF (*.pdf)")
        assert Path(seen[-1].directory().absolutePath()) == home / "out"  # the folder used last
        assert settings.last_dir("export") == str(home / "out")
    finally:
        file_dialogs.use_settings(None)
        for dialog in seen:
            dialog.deleteLater()


def test_print_dialog_is_chinese(qtbot: Any) -> None:
    from PySide6.QtPrintSupport import QPrintDialog

    from ui.documents.preview import make_printer

    printer = make_printer()
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    printers = {w.text() for w in dialog.findChildren(QLabel) if "Printer" in w.text() or "PDF" in w.text()}
    assert "打印" in dialog.windowTitle()
    assert _english(dialog, printers) == []  # printer names are data; every label of Qt's is Chinese


def test_command_line_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from lianxuntong.cli import build_parser

    text = build_parser().format_help()
    assert text.startswith("用法：") and "显示本帮助并退出" in text and "命令" in text
    assert not re.search(r"usage|show this|options:|positional", text)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--bogus"])
    assert "无法识别的参数" in capsys.readouterr().err

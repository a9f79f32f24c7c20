"""The shell's life cycle and the main window: a remembered session opens offline at once, sign-out returns to
the sign-in dialog and removes the token, an expired session asks for the password again over the window,
"remember me" off forgets the token at exit, areas and their shortcuts, honest empty states, remembered
geometry and columns, and 导出诊断信息 from the menu."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.store import Store
from sync.credentials import TokenStore
from tests.ui.shell_support import PASSWORD, make_ctx, sign_in
from ui.areas import AREAS, load_area_class
from ui.context import ChangeBus
from ui.dialogs.signin import SignInDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.shell import Shell

pytestmark = pytest.mark.ui


def make_shell(store: Store, runner: Any, tmp_path: Path, url: str, *, remember: bool = True) -> Shell:
    settings = Settings(tmp_path / "ui.ini")
    settings.remember = remember
    shell = Shell(store, settings, runner, ChangeBus(), server_url=url)
    return shell


def close_shell(shell: Shell) -> None:
    shell.shutdown()
    if shell.window is not None:
        shell._close_main()
    if shell.dialog is not None:
        shell.dialog.close()


def test_remembered_session_opens_the_window_offline_at_once(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    sign_in(client_store, platform.url, "xindeng.officer")
    shell = make_shell(client_store, runner, tmp_path, platform.url)
    try:
        shell.start()
        window = shell.window
        assert window is not None and shell.dialog is None
        assert window.status.online_text.text() == "离线（使用本机数据）"
        assert "离线" in window.statusBar().currentMessage()
        qtbot.waitUntil(lambda: window.status.online_text.text() == "在线", timeout=20_000)
    finally:
        close_shell(shell)


def test_sign_out_removes_the_token_and_returns_to_sign_in(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    shell = make_shell(client_store, runner, tmp_path, platform.url)
    shown: list[SignInDialog] = []
    shell.signin_shown.connect(shown.append)
    try:
        window = shell.open_main(sign_in(client_store, platform.url, "xindeng.leader"), sync_first=False)
        assert TokenStore(platform.url, "xindeng.leader").load() is not None
        shell.settings.username = "xindeng.leader"
        window.sign_out_action.trigger()
        assert shell.window is None and shown
        dlg = shown[-1]
        assert dlg.isVisible() and dlg.username.text() == "xindeng.leader" and dlg.password.text() == ""
        qtbot.waitUntil(lambda: TokenStore(platform.url, "xindeng.leader").load() is None, timeout=10_000)
    finally:
        close_shell(shell)


def test_expired_session_asks_for_the_password_over_the_window(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    from sync.server.storage import DeviceSession

    shell = make_shell(client_store, runner, tmp_path, platform.url)
    shown: list[SignInDialog] = []
    shell.signin_shown.connect(shown.append)
    try:
        window = shell.open_main(sign_in(client_store, platform.url, "xindeng.leader"), sync_first=False)
        with Session(platform.engine) as s:
            s.execute(
                update(DeviceSession).where(DeviceSession.username == "xindeng.leader").values(revoked=True)
            )
            s.commit()
        window.sync_now()
        qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
        dlg = shown[-1]
        assert dlg.error.text() == "登录已过期，请重新登录。"
        assert dlg.username.text() == "xindeng.leader" and dlg.parent() is window
        dlg.password.setText(PASSWORD)
        with qtbot.waitSignal(window.ctx.sync.finished, timeout=30_000):
            qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
        assert shell.window is window
        assert window.status.online_text.text() == "在线"
    finally:
        close_shell(shell)


def test_remember_me_off_forgets_the_token_at_exit(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    shell = make_shell(client_store, runner, tmp_path, platform.url, remember=False)
    try:
        shell.open_main(sign_in(client_store, platform.url, "xindeng.clerk"), sync_first=False)
        assert TokenStore(platform.url, "xindeng.clerk").load() is not None
        shell.shutdown()
        assert TokenStore(platform.url, "xindeng.clerk").load() is None
    finally:
        close_shell(shell)


def test_areas_shortcuts_and_honest_empty_states(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    ctx = make_ctx(
        client_store,
        sign_in(client_store, platform.url, "xindeng.leader"),
        runner,
        url=platform.url,
        settings_dir=tmp_path,
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "任务",
        "计划",
        "检查",
        "文书",
        "统计",
        "同步",
        "案件",
    ]
    for i, spec in enumerate(AREAS):
        assert not window.nav.item(i).icon().isNull(), f"area {spec.key} has no icon ({spec.icon}.svg)"
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.ControlModifier)
        assert window.nav.currentRow() == i
        area = window.stack.currentWidget()
        assert type(area) is load_area_class(spec), spec.factory  # never an error state
    assert type(window.areas["sync"]).__name__ == "SyncArea"
    assert type(window.areas["tasks"]).__name__ == "TasksArea"


def test_geometry_and_columns_are_remembered(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    auth = sign_in(client_store, platform.url, "xindeng.leader")
    ctx = make_ctx(client_store, auth, runner, url=platform.url, settings_dir=tmp_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(1200, 700)
    header = window.areas["tasks"].table.horizontalHeader()
    header.setSectionHidden(9, True)  # 承办人
    header.resizeSection(0, 150)
    window.close()
    again = MainWindow(make_ctx(client_store, auth, runner, url=platform.url, settings_dir=tmp_path))
    qtbot.addWidget(again)
    again.show()
    assert again.height() == 700  # the width is clamped to the (small) offscreen screen
    assert ctx.settings.bytes_value("window/geometry") is not None
    header = again.areas["tasks"].table.horizontalHeader()
    assert header.isSectionHidden(9) and header.sectionSize(0) == 150
    assert (tmp_path / "ui.ini").exists()


def test_export_diagnostics_from_the_menu(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    ctx = make_ctx(
        client_store,
        sign_in(client_store, platform.url, "xindeng.leader"),
        runner,
        url=platform.url,
        settings_dir=tmp_path,
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    out = window.export_diagnostics(str(tmp_path / "诊断.zip"))
    assert out is not None and zipfile.is_zipfile(out)
    assert "诊断信息已保存到" in window.statusBar().currentMessage()

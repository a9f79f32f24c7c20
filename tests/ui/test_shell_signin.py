"""The sign-in dialog against the reference platform: success puts the token in the keyring only; a wrong
password, an unreachable platform, an invalid address, an expired session and a TLS failure each get a clear
Chinese message, and nothing typed is lost. A store from a newer release is refused before any window."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.paths import DataPaths
from app.store import Store
from sync.auth import SessionExpired
from sync.credentials import TokenStore
from sync.transport import TlsError
from ui.dialogs.signin import SignInDialog

pytestmark = pytest.mark.ui


def dialog(
    qtbot: Any,
    store: Store,
    runner: Any,
    url: str,
    username: str = "xindeng.leader",
    password: str = "demo2026",
) -> SignInDialog:
    dlg = SignInDialog(store, runner, server_url=url, username=username, password=password)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def click_and_wait(qtbot: Any, dlg: SignInDialog) -> None:
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy_now, timeout=15_000)


def test_success_keeps_the_token_in_the_keyring_only(
    qtbot: Any, platform: Any, client_store: Store, runner: Any
) -> None:
    dlg = dialog(qtbot, client_store, runner, platform.url)
    with qtbot.waitSignal(dlg.accepted, timeout=15_000):
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    assert dlg.client is not None and dlg.client.current_user().role.value == "leader"
    tokens = TokenStore(platform.url, "xindeng.leader").load()
    assert tokens is not None
    raw = client_store.paths.db.read_bytes() + b"".join(
        p.read_bytes() for p in client_store.paths.root.glob("*-wal")
    )
    assert tokens.access_token.encode() not in raw and tokens.refresh_token.encode() not in raw
    assert b"demo2026" not in raw


def test_wrong_password_is_chinese_and_keeps_what_was_typed(
    qtbot: Any, platform: Any, client_store: Store, runner: Any
) -> None:
    dlg = dialog(qtbot, client_store, runner, platform.url, password="not-the-password")
    click_and_wait(qtbot, dlg)
    assert dlg.result() == 0 and dlg.isVisible()
    assert dlg.error.text() == "用户名或密码错误，请核对后重试。"
    assert dlg.username.text() == "xindeng.leader"
    assert dlg.password.text() == "not-the-password"
    assert dlg.password.selectedText() == "not-the-password"
    assert dlg.login_button.isEnabled()


def test_unreachable_platform(qtbot: Any, client_store: Store, runner: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}"
    dlg = dialog(qtbot, client_store, runner, url, username="xindeng.officer")
    click_and_wait(qtbot, dlg)
    assert dlg.error.text().startswith("无法连接平台（")
    assert url in dlg.error.text()
    assert dlg.username.text() == "xindeng.officer" and dlg.password.text() == "demo2026"


def test_address_and_empty_fields_are_checked_before_any_request(
    qtbot: Any, client_store: Store, runner: Any
) -> None:
    dlg = dialog(qtbot, client_store, runner, "zhzx.example", password="")
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    assert not dlg.busy_now and "请填写平台地址" in dlg.error.text()
    dlg.server.setText("https://zhzx.example")
    qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    assert dlg.error.text() == "请填写密码。"


def test_cancel_gives_the_form_back(qtbot: Any, client_store: Store, runner: Any) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    try:
        dlg = dialog(qtbot, client_store, runner, f"http://127.0.0.1:{listener.getsockname()[1]}")
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
        assert dlg.busy_now and dlg.busy.isVisible() and not dlg.username.isEnabled()
        qtbot.mouseClick(dlg.busy.cancel, Qt.MouseButton.LeftButton)
        assert not dlg.busy_now and dlg.username.isEnabled() and dlg.error.text() == "已取消登录。"
        assert dlg.isVisible()
    finally:
        listener.close()


def test_session_expired_and_tls_messages(qtbot: Any, client_store: Store, runner: Any) -> None:
    dlg = dialog(qtbot, client_store, runner, "https://zhzx.example")
    assert dlg.message_for(SessionExpired()) == "登录已过期，请重新登录。"
    assert dlg.message_for(TlsError()).startswith("平台证书校验失败")


def test_tls_failure_against_a_plain_http_port(
    qtbot: Any, platform: Any, client_store: Store, runner: Any
) -> None:
    dlg = dialog(qtbot, client_store, runner, platform.url.replace("http://", "https://"))
    click_and_wait(qtbot, dlg)
    assert dlg.error.text().startswith(
        ("平台证书校验失败", "无法连接平台")
    )  # TLS handshake refused either way
    assert dlg.username.text() == "xindeng.leader"


def test_newer_schema_store_is_refused_with_a_chinese_message(tmp_path: Path, monkeypatch: Any) -> None:
    from ui import main as ui_main

    paths = DataPaths(tmp_path / "newer")
    store = Store.open(paths)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    store.close()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(ui_main.QMessageBox, "critical", lambda _p, title, msg: shown.append((title, msg)))
    assert ui_main.open_store(paths) is None
    assert shown and shown[0][0] == "无法打开本机数据"
    assert "更新版本" in shown[0][1]

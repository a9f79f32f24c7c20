"""End to end over real HTTP: sign in through the dialog, sync, filter and search the inbox, open a task with
the keyboard, accept, start, write notes, assign, report back with an attachment, and see the result reach the
platform — in its database and through an API pull as the command centre. The log holds no secret."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from app import models as m
from app.diagnostics import setup_logging, shutdown_logging
from app.identity import CurrentUser
from app.rules.task_states import Role
from app.store import Store
from sync.auth import AuthClient
from sync.credentials import TokenStore
from sync.protocol import ChangesPage
from tests.ui.shell_support import PASSWORD, first_synced, make_ctx, server_record, type_text
from ui.dialogs.signin import SignInDialog
from ui.dialogs.task_actions import AssignDialog, ReportDialog, ReturnDialog
from ui.main_window import MainWindow
from ui.session import make_transport

pytestmark = pytest.mark.ui


def signed_in_window(
    qtbot: Any, platform: Any, store: Store, runner: Any, tmp_path: Path, username: str = "xindeng.leader"
) -> MainWindow:
    dlg = SignInDialog(store, runner, server_url=platform.url, username=username, password=PASSWORD)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitSignal(dlg.accepted, timeout=15_000):
        qtbot.mouseClick(dlg.login_button, Qt.MouseButton.LeftButton)
    assert dlg.client is not None
    ctx = make_ctx(store, dlg.client, runner, url=platform.url, settings_dir=tmp_path)
    return first_synced(qtbot, ctx)


def centre_pull(platform: Any, task_id: str) -> dict[str, Any]:
    """The task as the command centre sees it through the sync API."""
    api = AuthClient(make_transport(platform.url), device_id="centre-test-device")
    api.login("centre.admin", PASSWORD)
    cursor, found = 0, None
    while True:
        page = api.call("GET", "/sync/changes", ChangesPage, params={"cursor": cursor, "limit": 2000})
        for change in page.changes:
            if change.entity == "task" and change.id == task_id:
                found = change.data
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert found is not None
    return found


def pick(store: Store, status: str, skip: set[str] = frozenset()) -> m.Task:
    with store.read() as s:
        rows = s.scalars(
            select(m.Task)
            .where(m.Task.status == status, m.Task.target_id.is_not(None))
            .order_by(m.Task.number)
        ).all()
    return next(t for t in rows if t.id not in skip)


def test_inbox_flow_reaches_the_platform(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    log_file = setup_logging(tmp_path / "logs", level=logging.DEBUG)
    try:
        window = signed_in_window(qtbot, platform, client_store, runner, tmp_path)
        area = window.areas["tasks"]
        qtbot.waitUntil(lambda: area.model.rowCount() > 0 and not area.model.loading, timeout=10_000)
        assert window.status.online_text.text() == "在线"

        # status tab with its count
        with qtbot.waitSignal(area.model.refreshed, timeout=10_000):
            qtbot.mouseClick(area.filters.tabs["pending"], Qt.MouseButton.LeftButton)
        n = area.model.rowCount()
        assert n == area.model.counts["pending"] > 0
        assert area.filters.tabs["pending"].text() == f"待签收 {n}"
        assert {area.model.row_data(r).status for r in range(n)} == {"pending"}

        # Ctrl+F, then a 2-character Chinese word
        area.table.setFocus()
        qtbot.keyClick(area.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert area.filters.search.hasFocus()
        task = pick(client_store, "pending")
        word = task.title[4:6] if len(task.title) > 6 else task.title[:2]
        with qtbot.waitSignal(area.model.refreshed, timeout=10_000):
            type_text(area.filters.search, word)
        assert 0 < area.model.rowCount() <= n
        assert area.model.row_of(task.id) is not None

        # open it with the keyboard
        assert area.select_task(task.id)
        area.table.setFocus()
        with qtbot.waitSignal(area.detail.loaded, timeout=10_000):
            qtbot.keyClick(area.table, Qt.Key.Key_Return)
        panel = area.detail
        qtbot.waitUntil(
            lambda: (
                panel.action_buttons.get("accept") is not None and panel.action_buttons["accept"].hasFocus()
            )
        )
        assert set(panel.action_buttons) == {"accept", "return", "assign"}
        assert panel.title.text() == task.title
        assert any(mt.body for mt in panel.detail.matters) or not panel.detail.matters

        for action, status in (("accept", "accepted"), ("start", "in_progress")):
            with qtbot.waitSignal(panel.action_finished, timeout=10_000):
                qtbot.mouseClick(panel.action_buttons[action], Qt.MouseButton.LeftButton)
            qtbot.waitUntil(
                lambda s=status: panel.detail is not None and panel.detail.status == s, timeout=10_000
            )

        # notes, saved ~800 ms after typing and only then reported as saved
        panel.notes.edit.setFocus()
        type_text(panel.notes.edit, "已联系当事人")
        assert "已保存" not in panel.notes.status.text()
        qtbot.waitUntil(lambda: "已保存" in panel.notes.status.text(), timeout=5_000)
        with client_store.read() as s:
            assert s.get(m.Task, task.id).notes == "已联系当事人"

        # assign (leader only)
        with client_store.read() as s:
            officer = s.scalars(select(m.Officer).where(m.Officer.username == "xindeng.officer")).one()
        qtbot.mouseClick(panel.action_buttons["assign"], Qt.MouseButton.LeftButton)
        dlg = panel.active_dialog
        assert isinstance(dlg, AssignDialog)
        dlg.set_selected([officer.id])
        with qtbot.waitSignal(panel.action_finished, timeout=10_000):
            dlg.accept()

        # report back with an attachment imported as evidence
        photo = tmp_path / "现场照片.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0" + b"photo-bytes" * 500)
        qtbot.waitUntil(
            lambda: "report" in panel.action_buttons and panel.action_buttons["report"].isEnabled(),
            timeout=10_000,
        )
        qtbot.mouseClick(panel.action_buttons["report"], Qt.MouseButton.LeftButton)
        report = panel.active_dialog
        assert isinstance(report, ReportDialog)
        assert not report.ok.isEnabled()
        type_text(report.feedback, "现场已整改，油烟净化器已安装")
        report.add_paths([photo])
        with qtbot.waitSignal(panel.action_finished, timeout=15_000):
            qtbot.mouseClick(report.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: panel.detail is not None and panel.detail.status == "reported", timeout=10_000
        )
        assert [e.name for e in panel.detail.evidence] == ["现场照片.jpg"]

        with qtbot.waitSignal(window.ctx.sync.finished, timeout=30_000):
            qtbot.keyClick(window, Qt.Key.Key_F5)
        data = server_record(platform.engine, "task", task.id)
        assert data is not None
        assert data["status"] == "reported"
        assert data["feedback"] == "现场已整改，油烟净化器已安装"
        assert data["notes"] == "已联系当事人"
        assert data["assignee_ids"] == [officer.id]
        assert [e["action"] for e in data["events"]][-3:] == ["accept", "start", "report"]
        pulled = centre_pull(platform, task.id)
        assert pulled["status"] == "reported" and pulled["feedback"] == "现场已整改，油烟净化器已安装"
        with client_store.read() as s:
            assert all(e.synced for e in s.get(m.Task, task.id).events)
            assert s.scalars(select(m.Evidence).where(m.Evidence.task_id == task.id)).one().uploaded
        qtbot.waitUntil(lambda: window.status.pending.text() == "待上传：0", timeout=5_000)
    finally:
        shutdown_logging()
    text = log_file.read_text(encoding="utf-8")
    tokens = TokenStore(platform.url, "xindeng.leader").load()
    assert tokens is not None
    assert tokens.access_token not in text and tokens.refresh_token not in text
    assert PASSWORD not in text


def test_return_needs_a_reason_and_officers_see_only_their_actions(
    qtbot: Any, platform: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    window = signed_in_window(qtbot, platform, client_store, runner, tmp_path)
    area = window.areas["tasks"]
    qtbot.waitUntil(lambda: area.model.rowCount() > 0 and not area.model.loading, timeout=10_000)
    task = pick(client_store, "pending")
    assert area.select_task(task.id)
    panel = area.detail
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.id == task.id, timeout=10_000)
    qtbot.mouseClick(panel.action_buttons["return"], Qt.MouseButton.LeftButton)
    dlg = panel.active_dialog
    assert isinstance(dlg, ReturnDialog)
    ok = dlg.buttons.buttons()[0] if dlg.buttons.buttons()[0].text() == "退回" else dlg.buttons.buttons()[1]
    assert not ok.isEnabled()
    type_text(dlg.reason, "不属于本镇管辖")
    assert ok.isEnabled()
    with qtbot.waitSignal(panel.action_finished, timeout=10_000):
        dlg.done(QDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.status == "returned", timeout=10_000)
    assert panel.detail.events[-1].reason == "不属于本镇管辖"

    # an officer on the same data: no 退回, no 指派
    officer = CurrentUser("xindeng.officer", "何志刚", Role.OFFICER, "xindeng", "off-xindeng-officer")
    window.ctx.user = officer
    other = pick(client_store, "pending", {task.id})
    panel.show_task(other.id)
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.id == other.id, timeout=10_000)
    assert set(panel.action_buttons) == {"accept"}

"""The sync area: a change the platform refuses is parked with the platform's reason; 重试 sends it again as a
new mutation, 放弃 drops it and puts the record back; the session's sync history is listed. Also: the
self-test end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app import audit
from app import models as m
from app.rules.task_states import TaskAction
from app.services.tasks import TaskService
from tests.ui.shell_support import synced_window

pytestmark = pytest.mark.ui


def test_refused_change_retry_and_discard(
    qtbot: Any, platform: Any, client_store: Any, runner: Any, tmp_path: Path, leader_laptop: Any
) -> None:
    a = leader_laptop
    ctx, window = synced_window(qtbot, client_store, platform.url, "xindeng.officer", runner, tmp_path)
    with client_store.read() as s:
        task = s.scalars(
            select(m.Task).where(m.Task.status == "pending").order_by(m.Task.number.desc())
        ).first()
    # the leader returns it on another laptop; this officer accepts it before hearing of that
    TaskService(a.store, a.user).apply(task.id, TaskAction.RETURN, reason="不属于本镇")
    a.sync()
    TaskService(client_store, ctx.user).apply(task.id, TaskAction.ACCEPT)
    with qtbot.waitSignal(ctx.sync.finished, timeout=30_000):
        ctx.sync.sync_now()

    area = window.show_area("sync")
    assert area is not None
    qtbot.waitUntil(lambda: area.parked.rowCount() == 1, timeout=10_000)
    assert "已退回" in area.parked.rows[0][4]
    assert area.tabs.tabText(2) == "被拒绝（1）"
    qtbot.waitUntil(lambda: window.status.parked.isVisible(), timeout=5_000)
    assert area.history.rowCount() >= 2 and area.history.rows[0][2] == "部分完成"

    area.views["parked"].selectRow(0)
    with client_store.read() as s:
        first_id = s.scalars(
            select(m.OutboxEntry.mutation_id).where(m.OutboxEntry.state == "parked")
        ).one()
    qtbot.mouseClick(area.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.parked.rowCount() == 0, timeout=10_000)
    with qtbot.waitSignal(ctx.sync.finished, timeout=30_000):
        ctx.sync.sync_now()
    qtbot.waitUntil(lambda: area.parked.rowCount() == 1, timeout=10_000)
    with client_store.read() as s:
        assert (
            s.scalars(select(m.OutboxEntry.mutation_id).where(m.OutboxEntry.state == "parked")).one()
            != first_id
        )

    area.views["parked"].selectRow(0)
    area.discard_selected(confirm=False)
    qtbot.waitUntil(
        lambda: area.parked.rowCount() == 0 and "已放弃" in area.message.text(), timeout=10_000
    )
    with client_store.read() as s:
        local = s.get(m.Task, task.id)
        assert local.status == "returned"
        assert all(e.synced for e in local.events)
        assert audit.verify_chain(s).ok
    with qtbot.waitSignal(ctx.sync.finished, timeout=30_000):
        ctx.sync.sync_now()
    qtbot.waitUntil(lambda: not window.status.parked.isVisible(), timeout=5_000)


def test_self_test_passes(capsys: Any) -> None:
    from ui.selftest import run_self_test

    lines: list[str] = []
    assert run_self_test(lines.append) == 0, "\n".join(lines)
    assert lines[-1] == "自检通过"
    assert sum("通过（" in line for line in lines) == 11  # the last one: the store and evidence are encrypted

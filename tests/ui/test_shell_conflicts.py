"""Two laptops edit the same officer-owned field: after sync the second laptop shows the conflict (status bar
→
dialog with base / this laptop / platform), the person decides, and the decision wins on both laptops and on
the platform."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app import models as m
from app.services.tasks import TaskService
from tests.ui.shell_support import server_record, synced_window, type_text
from ui.dialogs.conflicts import ConflictsDialog

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("choice", ["local", "merged"])
def test_same_field_on_two_laptops(
    qtbot: Any, platform: Any, client_store: Any, runner: Any, tmp_path: Path, choice: str, leader_laptop: Any
) -> None:
    a = leader_laptop  # laptop A (the leader), driven headless
    # laptop B (an officer) — the real window
    ctx, window = synced_window(qtbot, client_store, platform.url, "xindeng.officer", runner, tmp_path)
    with client_store.read() as s:
        task = s.scalars(
            select(m.Task)
            .where(m.Task.status == "in_progress")
            .order_by(m.Task.number)
            .offset(3 if choice == "merged" else 0)
        ).first()
    assert task is not None

    TaskService(a.store, a.user).edit_text(task.id, notes="A：已约当事人周四复查")
    a.sync()

    area = window.areas["tasks"]
    qtbot.waitUntil(lambda: area.model.row_of(task.id) is not None, timeout=10_000)
    area.select_task(task.id)
    panel = area.detail
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.id == task.id, timeout=10_000)
    panel.notes.edit.selectAll()  # typing replaces whatever the note said
    type_text(panel.notes.edit, "B：当事人称已整改")
    qtbot.waitUntil(lambda: "已保存" in panel.notes.status.text(), timeout=5_000)
    with qtbot.waitSignal(ctx.sync.finished, timeout=30_000):
        ctx.sync.sync_now()
    qtbot.waitUntil(lambda: window.status.conflicts.isVisible(), timeout=5_000)
    assert window.status.conflicts.text() == "冲突：1"
    qtbot.waitUntil(lambda: panel.conflict_banner.isVisible(), timeout=5_000)

    qtbot.mouseClick(window.status.conflicts, Qt.MouseButton.LeftButton)
    dialog = window.conflicts_dialog
    assert isinstance(dialog, ConflictsDialog) and dialog.isVisible()
    assert dialog.boxes["local"].toPlainText() == "B：当事人称已整改"
    assert dialog.boxes["server"].toPlainText() == "A：已约当事人周四复查"
    assert dialog.boxes["base"].toPlainText() == (task.notes or "（空）")
    want = "B：当事人称已整改"
    if choice == "merged":
        want = "A：已约当事人周四复查；B：当事人称已整改"
        dialog.merged.setPlainText(want)
        button = dialog.save_merged
    else:
        button = dialog.keep_local
    with qtbot.waitSignal(ctx.sync.finished, timeout=30_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.items, timeout=5_000)
    assert dialog.empty.isVisible()
    assert server_record(platform.engine, "task", task.id)["notes"] == want
    a.sync()
    with a.store.read() as s:
        assert s.get(m.Task, task.id).notes == want
    with client_store.read() as s:
        assert s.get(m.Task, task.id).notes == want
        assert not s.scalars(select(m.Conflict).where(m.Conflict.status == "open")).all()
    qtbot.waitUntil(lambda: not window.status.conflicts.isVisible(), timeout=5_000)
    dialog.close()

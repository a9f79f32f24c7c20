"""Helpers for the shell's UI tests: signed-in client stores, an AppContext with a real sync controller,
bulk instructions created on the platform side, reading the platform's view, and typing Chinese text."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.paths import DataPaths
from app.store import Store
from sync.auth import AuthClient
from ui import session as sess
from ui.context import AppContext, ChangeBus
from ui.runner import TaskRunner
from ui.settings import Settings
from ui.sync_controller import SyncController

PASSWORD = "demo2026"
CONTEXTS: list[AppContext] = []  # stopped by the `runner` fixture after each test


def open_client(root: Path) -> Store:
    return Store.open(DataPaths(root))


def sign_in(store: Store, url: str, username: str) -> AuthClient:
    return sess.login(store, url, username, PASSWORD)


def make_ctx(
    store: Store,
    auth: AuthClient,
    runner: TaskRunner,
    *,
    url: str,
    settings_dir: Path,
    bus: ChangeBus | None = None,
) -> AppContext:
    bus = bus or ChangeBus()
    controller = SyncController(store, runner, bus, auth, url, interval_s=3600)
    ctx = AppContext(
        store=store,
        user=auth.current_user(),
        runner=runner,
        bus=bus,
        sync=controller,
        settings=Settings(settings_dir / "ui.ini"),
    )
    CONTEXTS.append(ctx)
    return ctx


def first_synced(qtbot: Any, ctx: AppContext) -> Any:
    """The main window over `ctx`, shown, after its first sync."""
    from ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(ctx.sync.finished, timeout=30_000):
        ctx.sync.start()
    return window


def synced_window(qtbot: Any, store: Store, url: str, username: str, runner: TaskRunner,
                  settings_dir: Path) -> tuple[AppContext, Any]:
    """Signed in as `username`, the main window shown, its first sync done and the inbox loaded."""
    ctx = make_ctx(store, sign_in(store, url, username), runner, url=url, settings_dir=settings_dir)
    window = first_synced(qtbot, ctx)
    area = window.areas["tasks"]
    qtbot.waitUntil(lambda: area.model.rowCount() > 0 and not area.model.loading, timeout=10_000)
    return ctx, window


def server_record(engine: Any, entity: str, record_id: str) -> dict[str, Any] | None:
    from sync.server.storage import Record

    with Session(engine) as session:
        row = session.scalars(select(Record).where(Record.entity == entity, Record.id == record_id)).first()
        return dict(row.data) if row is not None else None


def bulk_create_tasks(engine: Any, township: str, count: int, *, title: str = "批量巡查任务") -> list[str]:
    """`count` instructions for `township`, dispatched by the centre in one platform transaction (the same
    record and change rows `sync.server.admin.create_task` writes, without one transaction each)."""
    from sync.server import records as rec
    from sync.server.storage import write_session

    ids: list[str] = []
    deadline = datetime.now(UTC) + timedelta(days=3)
    with write_session(engine) as session:
        for i in range(count):
            now = rec.now_iso()
            task_id = uuid.uuid4().hex
            data = {
                "id": task_id,
                "number": f"PL-2026-{i:06d}",
                "title": f"{title}{i}",
                "description": "批量测试",
                "task_type": "巡查",
                "source": "指挥中心",
                "priority": 1 + i % 4,
                "deadline": (deadline + timedelta(minutes=i)).isoformat(),
                "status": "pending",
                "township_id": township,
                "grid_id": None,
                "target_id": None,
                "dispatched_at": now,
                "notes": "",
                "feedback": "",
                "created_at": now,
                "updated_at": now,
                "assignee_ids": [],
                "matter_codes": [],
                "events": [],
            }
            rec.create_record(session, "task", task_id, data, township_id=township)
            ids.append(task_id)
    return ids


def wait_until(qtbot: Any, condition: Callable[[], bool], timeout: int = 20_000) -> None:
    qtbot.waitUntil(condition, timeout=timeout)


def type_text(widget: Any, text: str) -> None:
    """Type `text` the way a Chinese input method delivers it (a committed string), since QTest cannot key
    non-ASCII characters."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)

"""Replica checksums: a laptop in step with the feed agrees with the platform; a record changed or removed in
the local store outside the app (raw SQL) is found at the next sync and repaired from the platform, while
pending local work (outbox rows, unsent edits) stays."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app import replica as app_replica
from app.models import OutboxEntry, Target, Task
from app.services.tasks import TaskService
from sync import replica
from sync.protocol import Checksums
from tests.sync.helpers import Laptop, synced

pytestmark = pytest.mark.usefixtures("file_keyring")  # `python -m lianxuntong …` children share the store key


def _sums(lap: Laptop) -> Checksums:
    return lap.auth.call("GET", "/sync/checksums", Checksums)


def test_a_synced_laptop_agrees_with_the_platform(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.leader")
    synced(lap.sync())
    result = replica.check(lap.store, lap.auth)
    assert result.status == "ok" and not result.repaired and not result.differs
    remote = _sums(lap)
    assert {s.split("/")[0] for s in remote.scopes} == {"", "xindeng"}  # global + its own township only
    with lap.store.read() as s:
        local = app_replica.local_sums(s, ["task"])
        assert local["task"]["count"] == s.scalar(select(func.count()).select_from(Task))
        assert app_replica.last_check(s)["status"] == "ok"
    assert remote.scopes["xindeng/task"].count == local["task"]["count"]


def test_damage_outside_the_app_is_found_and_repaired_keeping_pending_work(
    laptop_factory: Callable[..., Laptop], server: Any
) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    edited = lap.open_task_ids()[0]
    with lap.store.read() as s:
        changed, removed = s.scalars(select(Task.id).where(Task.id != edited).order_by(Task.number).limit(2)).all()
        title = s.get(Task, changed).title
        target = s.scalars(select(Target.id).order_by(Target.id)).first()
    TaskService(lap.store, lap.user).edit_text(edited, notes="尚未上传的备注")  # pending local work
    with lap.store.read() as s:
        outbox = s.scalars(select(OutboxEntry.mutation_id)).all()
    assert outbox
    raw = lap.store.engine.raw_connection()  # "outside the app": plain SQL, no hooks, no outbox
    try:
        raw.execute("PRAGMA foreign_keys=OFF")  # the damage of a hand-edited file respects no references
        raw.execute("UPDATE tasks SET version = version + 5, title = '被改动' WHERE id = ?", (changed,))
        raw.execute("DELETE FROM task_events WHERE task_id = ?", (removed,))
        raw.execute("DELETE FROM task_assignees WHERE task_id = ?", (removed,))
        raw.execute("DELETE FROM task_matters WHERE task_id = ?", (removed,))
        raw.execute("DELETE FROM tasks WHERE id = ?", (removed,))
        raw.execute("DELETE FROM targets WHERE id = ?", (target,))
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()

    report = synced(lap.sync(replica_interval=timedelta(0), prefetch_numbers=False))
    assert report.repaired > 0
    with lap.store.read() as s:
        check = app_replica.last_check(s)
        assert check is not None and set(check["repaired"]) >= {"task", "target"}, check
        assert s.get(Task, changed).title == title
        assert s.get(Task, removed) is not None and s.get(Target, target) is not None
        assert s.get(Task, edited).notes == "尚未上传的备注"
    assert replica.check(lap.store, lap.auth).status == "ok"


def test_pending_edits_survive_a_repair_without_a_push(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    tid = lap.open_task_ids()[0]
    TaskService(lap.store, lap.user).edit_text(tid, notes="离线写的备注")
    with lap.store.write() as s:
        s.execute(text("UPDATE tasks SET version = version + 1 WHERE id = :i"), {"i": tid})
    result = replica.check(lap.store, lap.auth)
    assert result.repaired.get("task") or "task" in result.differs
    with lap.store.read() as s:
        assert s.get(Task, tid).notes == "离线写的备注"
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 1


def test_verify_reports_the_last_comparison(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.leader")
    synced(lap.sync())
    replica.check(lap.store, lap.auth)
    root = lap.root
    lap.close()
    out = subprocess.run([sys.executable, "-m", "lianxuntong", "verify", "--data-dir", str(root)],
                         capture_output=True, text=True, timeout=120)
    assert "副本校验" in out.stdout and "与平台一致" in out.stdout, out.stdout + out.stderr

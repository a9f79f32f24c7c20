"""Two laptops of the same team edit the same instruction (real HTTP against the reference platform):
different fields merge everywhere; the same field is kept both ways and flagged on the second laptop; the
resolution syncs and both laptops end with the chosen value. Also: a platform-owned field edited on a laptop
and by the centre (server wins, local value kept in the conflict), and pending transitions surviving a pull."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.models import Conflict, Officer, OutboxEntry, Task
from app.services.tasks import TaskService
from sync.conflicts import list_open, resolve_conflict
from sync.pull import pull
from sync.server import admin
from sync.server.storage import Record, read_session
from tests.sync.helpers import Laptop, synced


def _open_task(lap: Laptop) -> str:
    for status in ("pending", "accepted", "in_progress"):
        ids = lap.task_ids(status)
        if ids:
            return ids[0]
    raise AssertionError("no open task in the demo district")


def _task(lap: Laptop, task_id: str) -> Task:
    return TaskService(lap.store, lap.user).get(task_id)


def _server_task(server: Any, task_id: str) -> dict[str, Any]:
    with read_session(server.engine) as s:
        rec = s.get(Record, ("task", task_id))
        assert rec is not None
        return dict(rec.data)


@pytest.fixture
def pair(laptop_factory: Callable[..., Laptop]) -> tuple[Laptop, Laptop]:
    a = laptop_factory("laptop-a", "xindeng.officer")
    b = laptop_factory("laptop-b", "xindeng.officer")
    synced(a.sync())
    synced(b.sync())
    assert a.auth.device_id != b.auth.device_id
    return a, b


def test_different_fields_merge_on_both(pair: tuple[Laptop, Laptop], server: Any) -> None:
    a, b = pair
    tid = _open_task(a)
    TaskService(a.store, a.user).edit_text(tid, notes="A：现场油烟管道未清洗")
    TaskService(b.store, b.user).edit_text(tid, feedback="B：已责令当事人三日内整改")
    synced(a.sync())
    rep = synced(b.sync())
    assert rep.applied == 1 and rep.conflicts == 0
    synced(a.sync())
    for lap in (a, b):
        task = _task(lap, tid)
        assert (task.notes, task.feedback) == ("A：现场油烟管道未清洗", "B：已责令当事人三日内整改")
        assert list_open(lap.store) == []
    data = _server_task(server, tid)
    assert (data["notes"], data["feedback"]) == ("A：现场油烟管道未清洗", "B：已责令当事人三日内整改")


@pytest.mark.parametrize("choice", ["local", "merged", "server"])
def test_same_field_is_kept_both_ways_then_resolved(pair: tuple[Laptop, Laptop], server: Any, choice: str) -> None:
    a, b = pair
    tid = _open_task(a)
    base = _task(a, tid).notes
    TaskService(a.store, a.user).edit_text(tid, notes="A 写的备注")
    TaskService(b.store, b.user).edit_text(tid, notes="B 写的备注")
    synced(a.sync())
    rep = synced(b.sync())
    assert rep.conflicts == 1
    assert _task(b, tid).notes == "B 写的备注"  # the local value stays until a person decides
    [conflict] = list_open(b.store)
    assert (conflict.entity, conflict.entity_id, conflict.field, conflict.kind) == ("task", tid, "notes", "edit")
    assert (conflict.base_value, conflict.local_value, conflict.server_value) == (base, "B 写的备注", "A 写的备注")
    synced(b.sync())  # pulling again keeps the local value and the one conflict
    assert _task(b, tid).notes == "B 写的备注" and len(list_open(b.store)) == 1
    assert _task(a, tid).notes == "A 写的备注"

    merged = "A 写的备注；B 写的备注"
    resolve_conflict(b.store, conflict.id, choice, merged if choice == "merged" else None, actor=b.user)
    chosen = {"local": "B 写的备注", "merged": merged, "server": "A 写的备注"}[choice]
    with b.store.read() as s:
        queued = s.scalars(select(OutboxEntry)).all()
        row = s.get(Conflict, conflict.id)
        assert row is not None and (row.status, row.resolution) == ("resolved", choice)
    if choice == "server":
        assert queued == []  # the platform already holds the chosen value
    else:
        assert [q.payload for q in queued] == [{"fields": {"notes": chosen}, "base": {"notes": "A 写的备注"}}]
    assert synced(b.sync()).conflicts == 0
    synced(a.sync())
    for lap in (a, b):
        assert _task(lap, tid).notes == chosen
        assert list_open(lap.store) == []
    assert _server_task(server, tid)["notes"] == chosen


def test_assignment_server_wins_and_keeps_local_value(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    lap = laptop_factory("leader", "xindeng.leader")
    synced(lap.sync())
    tid = _open_task(lap)
    with lap.store.read() as s:
        team = sorted(s.scalars(select(Officer.id).where(Officer.township_id == lap.user.township_id)))
    assert len(team) >= 3
    local_pick, centre_pick = team[:2], team[1:3]
    TaskService(lap.store, lap.user).assign(tid, local_pick)
    admin.set_field(server.engine, tid, "assignee_ids", centre_pick)
    rep = synced(lap.sync())
    assert rep.conflicts == 1
    task = _task(lap, tid)
    assert sorted(a.officer_id for a in task.assignees) == centre_pick  # platform-owned: the server wins
    [conflict] = list_open(lap.store)
    assert (conflict.field, conflict.kind) == ("assignee_ids", "server_wins")
    assert (conflict.local_value, conflict.server_value) == (local_pick, centre_pick)


def test_pending_transition_survives_a_pull(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    lap = laptop_factory("officer", "xindeng.officer")
    synced(lap.sync())
    tid = lap.task_ids("pending")[0]
    TaskService(lap.store, lap.user).apply(tid, "accept")
    new_deadline = (datetime.now(UTC) + timedelta(days=9)).replace(microsecond=0)
    admin.set_deadline(server.engine, tid, new_deadline)
    pull(lap.store, lap.auth)  # pull only: the accept is still in the outbox
    task = _task(lap, tid)
    assert task.status == "accepted" and task.deadline == new_deadline
    assert [e.action for e in task.events if not e.synced] == ["accept"]
    rep = synced(lap.sync())
    assert rep.applied == 1
    task = _task(lap, tid)
    assert task.status == "accepted" and all(e.synced for e in task.events)
    assert _server_task(server, tid)["status"] == "accepted"

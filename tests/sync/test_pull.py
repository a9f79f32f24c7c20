"""Pulling over real HTTP: pages and their cursor commit together and re-applying them is harmless, deletes
respect local work, and a 410 (cursor below the platform's tombstone horizon) triggers a full resync that keeps
pending work and drops what the platform no longer has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.entities import to_wire
from app.models import Conflict, OutboxEntry, Target, Task
from app.services.tasks import TaskService
from sync import state
from sync.pull import pull
from sync.server import admin
from tests.sync.helpers import Laptop, synced


def _dump(lap: Laptop) -> dict[str, Any]:
    with lap.store.read() as s:
        tasks = {t.id: to_wire(t) for t in s.scalars(select(Task))}
        targets = {t.id: to_wire(t) for t in s.scalars(select(Target))}
    for data in tasks.values():
        data.pop("updated_at")
    return {"tasks": tasks, "targets": targets}


def _cursor(lap: Laptop) -> int:
    with lap.store.read() as s:
        return state.cursor(s)


def test_small_pages_and_reapplied_pages_give_the_same_store(laptop_factory: Callable[..., Laptop]) -> None:
    big = laptop_factory("big", "xindeng.leader")
    small = laptop_factory("small", "xindeng.leader")
    rep = synced(big.sync())
    assert rep.pulled > 100
    synced(small.sync(page_size=7))  # parents may arrive pages after their children
    assert _dump(small) == _dump(big)
    with small.store.write() as s:
        state.set_cursor(s, 0)
    res = pull(small.store, small.auth, limit=50)
    assert res.pulled == rep.pulled and not res.full_resync
    assert _dump(small) == _dump(big)
    with small.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Conflict)) == 0
        assert state.cursor(s) == _cursor(big)


def test_team_sees_only_its_township(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.leader")
    synced(lap.sync())
    with lap.store.read() as s:
        townships = set(s.scalars(select(Task.township_id).distinct()))
    assert townships == {lap.user.township_id}


def test_delete_respects_local_work(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    plain, busy = lap.task_ids("pending")[:2]
    TaskService(lap.store, lap.user).apply(busy, "accept")
    admin.delete(server.engine, "task", plain)
    admin.delete(server.engine, "task", busy)
    pull(lap.store, lap.auth)
    ids = set(lap.task_ids())
    assert plain not in ids and busy in ids
    with lap.store.read() as s:
        [c] = s.scalars(select(Conflict)).all()
    assert (c.entity_id, c.field, c.kind) == (busy, "*", "deleted")


def test_cursor_expired_full_resync_keeps_pending_work(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    gone, edited, accepted = lap.task_ids("pending")[:3]
    svc = TaskService(lap.store, lap.user)
    svc.edit_text(edited, notes="断网时写的备注")
    svc.apply(accepted, "accept")
    admin.delete(server.engine, "task", gone)
    admin.delete(server.engine, "task", accepted)
    admin.set_field(server.engine, edited, "title", "中心修改后的标题")
    admin.compact(server.engine, keep_last=0)  # tombstones dropped: this laptop's cursor is now too old

    res = pull(lap.store, lap.auth)
    assert res.full_resync and res.removed == 1
    ids = set(lap.task_ids())
    assert gone not in ids and {edited, accepted} <= ids
    task = svc.get(edited)
    assert (task.notes, task.title) == ("断网时写的备注", "中心修改后的标题")
    assert svc.get(accepted).status == "accepted"
    with lap.store.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 2
        assert state.get(s, "full_resync") is None
        kinds = {(c.entity_id, c.kind) for c in s.scalars(select(Conflict))}
    assert kinds == {(accepted, "deleted")}

    rep = lap.sync()
    assert rep.applied == 1 and rep.rejected == 1  # the accept of a deleted task is parked for a person
    with lap.store.read() as s:
        parked = s.scalars(select(OutboxEntry)).all()
    assert [(p.entity_id, p.state) for p in parked] == [(accepted, "parked")]
    assert parked[0].last_error and "不存在" in parked[0].last_error


def test_a_sync_reports_the_topics_of_what_it_applied(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    """Only the views of what a sync changed refresh: a first pull touches everything it brought, a later pull
    of one changed instruction touches the tasks (and the sync figures) and nothing else."""
    from app.topics import Topic

    lap = laptop_factory("a", "xindeng.officer")
    first = synced(lap.sync())
    assert {"task", "target", "matter"} <= first.entities
    assert first.changes.touches(Topic.TASKS) and first.changes.touches(Topic.CATALOGUE)
    assert first.changes.touches(Topic.DIRECTORY) and first.changes.touches(Topic.SYNC)
    quiet = synced(lap.sync())
    assert quiet.pulled == 0 and not quiet.entities
    assert not quiet.changes.touches(Topic.TASKS, Topic.PLANS, Topic.DOCUMENTS, Topic.CATALOGUE)
    task_id = lap.task_ids("pending")[0]
    admin.set_field(server.engine, task_id, "title", "中心修改后的标题")
    later = synced(lap.sync())
    assert later.pulled == 1 and later.entities == {"task"}
    assert later.changes.topics == {Topic.TASKS, Topic.SYNC}

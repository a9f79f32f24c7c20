"""A replayed batch is answered `duplicate` and the platform holds one record per mutation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from app import changes
from app.models import Inspection, OutboxEntry, new_id
from app.services.tasks import TaskService
from sync.protocol import MutationBatch, MutationResults
from sync.push import _claim_batch
from sync.server.storage import MutationRow, Record, read_session
from tests.sync.helpers import Laptop, synced


def test_replayed_batch_is_duplicate_and_stored_once(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    tid = lap.task_ids("pending")[0]
    TaskService(lap.store, lap.user).apply(tid, "accept")
    TaskService(lap.store, lap.user).edit_text(tid, notes="复核时补充")
    insp_id = new_id()
    with lap.store.write() as s:
        changes.record_create(s, Inspection(
            id=insp_id, township_id=lap.user.township_id, task_id=tid, started_at=datetime.now(UTC),
            place="现场", officer_ids=[lap.user.officer_id], created_by=lap.user.actor,
        ), actor=lap.user.actor)

    _seqs, mutations = _claim_batch(lap.store, 0, 100)
    body = MutationBatch(device_id=lap.auth.device_id or "", mutations=mutations).model_dump(mode="json")
    first = lap.auth.call("POST", "/sync/mutations", MutationResults, json_body=body)
    second = lap.auth.call("POST", "/sync/mutations", MutationResults, json_body=body)
    assert [r.status for r in first.results] == ["applied"] * 3
    assert [r.status for r in second.results] == ["duplicate"] * 3
    assert [r.version for r in second.results] == [r.version for r in first.results]

    rep = synced(lap.sync())  # the outbox still holds the rows: resent with the same ids → duplicates
    assert (rep.pushed, rep.duplicates, rep.applied) == (3, 3, 0)
    with lap.store.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 0
    ids = [m.mutation_id for m in mutations]
    with read_session(server.engine) as s:
        assert s.scalar(select(func.count()).select_from(MutationRow).where(MutationRow.mutation_id.in_(ids))) == 3
        assert s.scalar(select(func.count()).select_from(Record).where(Record.id == insp_id)) == 1
        task = s.get(Record, ("task", tid))
        assert task is not None
        events = [e["id"] for e in task.data["events"]]
    assert len(events) == len(set(events))
    assert task.data["status"] == "accepted" and task.data["notes"] == "复核时补充"

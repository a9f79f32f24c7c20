"""The engine as the UI drives it: progress per phase, cancel between batches, the status summary, rows a crash
left "sending", and a refused mutation parked without blocking the rows behind it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update

from app import changes
from app.models import OutboxEntry
from app.services.tasks import TaskService
from sync.engine import sync_status
from sync.server.storage import Record, read_session
from tests.sync.helpers import Laptop, queue_inspections, synced


def test_progress_phases_and_status(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.clerk")
    seen: list[tuple[str, int, int]] = []
    rep = synced(lap.sync(progress=lambda *p: seen.append(p), prefetch_numbers=True))
    phases = list(dict.fromkeys(p[0] for p in seen))
    assert phases == ["pull", "index", "numbers"]  # index: the search index of what the pull inserted
    assert seen[[p[0] for p in seen].index("index") - 1] == ("pull", rep.pulled, rep.pulled)
    queue_inspections(lap, 12)
    status = sync_status(lap.store)
    assert (status["pending"], status["parked"], status["conflicts"]) == (12, 0, 0)
    seen.clear()
    synced(lap.sync(progress=lambda *p: seen.append(p), batch_size=5))
    assert [p for p in seen if p[0] == "push"] == [("push", 5, 12), ("push", 10, 12), ("push", 12, 12)]
    status = sync_status(lap.store)
    assert status["pending"] == 0 and status["last_sync_at"] is not None and status["cursor"] > 0


def test_cancel_between_batches_keeps_the_rest(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    ids = queue_inspections(lap, 30)
    cancel = threading.Event()

    def progress(phase: str, done: int, _total: int) -> None:
        if phase == "push" and done >= 10:
            cancel.set()

    rep = lap.sync(progress=progress, cancel=cancel, batch_size=10)
    assert rep.cancelled and rep.pushed == 10 and rep.errors[0].startswith("同步已取消")
    assert sync_status(lap.store)["pending"] == 20
    cancel.clear()
    assert synced(lap.sync(cancel=cancel)).pushed == 20
    with read_session(server.engine) as s:
        assert s.scalar(select(func.count()).select_from(Record).where(Record.id.in_(ids))) == 30


def test_rows_left_sending_by_a_crash_are_sent(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    queue_inspections(lap, 3)
    with lap.store.write() as s:
        s.execute(update(OutboxEntry).values(state="sending", attempts=1))
    rep = synced(lap.sync())
    assert rep.pushed == 3 and rep.applied == 3
    assert sync_status(lap.store)["pending"] == 0


def test_refused_mutation_is_parked_and_blocks_nothing(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    tid, other = lap.open_task_ids()[:2]
    with lap.store.write() as s:  # an officer may not retitle an instruction: the platform refuses
        changes.record_custom_update(s, entity="task", entity_id=tid, fields={"title": "改标题"},
                                     base={"title": "x"}, base_version=1, actor=lap.user.actor, reason="test")
    TaskService(lap.store, lap.user).edit_text(other, notes="后面的修改照常上传")
    rep = lap.sync()
    assert (rep.pushed, rep.rejected, rep.applied) == (2, 1, 1) and rep.ok
    with lap.store.read() as s:
        parked = s.scalars(select(OutboxEntry)).one()
    assert parked.state == "parked" and parked.last_error and "platform_owned" in parked.last_error
    status = sync_status(lap.store)
    assert (status["pending"], status["parked"]) == (0, 1)
    assert synced(lap.sync()).pushed == 0  # parked rows are not resent by themselves

"""A first pull queues its bulk-inserted records for the search index instead of indexing them in the page's
transaction; the sync's index phase (search.drain) makes them searchable, and the queue says how far it got."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from app import search
from app.models import Task
from sync.engine import sync_status
from sync.pull import pull
from tests.sync.helpers import Laptop, synced


def test_a_pull_queues_and_the_index_phase_drains(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("q", "xindeng.leader")
    pull(lap.store, lap.auth)  # the pull alone: records in, index still to build
    with lap.store.read() as s:
        tasks = s.scalar(select(func.count()).select_from(Task)) or 0
        number, title = s.execute(select(Task.number, Task.title)).first()
        assert search.indexing_pending(s) >= tasks > 0
        assert search.search_ids(s, "task", number) == []
    assert sync_status(lap.store)["indexing"] >= tasks
    seen: list[tuple[int, int]] = []
    done = search.drain(lap.store, progress=lambda d, t: seen.append((d, t)))
    assert done >= tasks and seen[-1][0] == done
    with lap.store.read() as s:
        assert search.indexing_pending(s) == 0
        hits = search.search_ids(s, "task", number)
        assert len(hits) == 1 and s.get(Task, hits[0]).title == title
        assert search.search_ids(s, "task", title[:2])
    assert search.drain(lap.store) == 0


def test_a_full_sync_leaves_the_index_complete(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("full", "xindeng.leader")
    synced(lap.sync())
    with lap.store.read() as s:
        assert search.indexing_pending(s) == 0
        number = s.scalar(select(Task.number))
        assert search.search_ids(s, "task", str(number))


def test_draining_a_record_twice_or_after_it_is_gone_keeps_one_entry(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("twice", "xindeng.leader")
    synced(lap.sync())
    with lap.store.write() as s:
        tid, number = s.execute(select(Task.id, Task.number)).first()
        search.enqueue(s, [("task", tid), ("task", "no-such-task")])
    assert search.drain(lap.store) == 2
    with lap.store.read() as s:
        assert search.search_ids(s, "task", number) == [tid]
        assert s.execute(select(func.count()).select_from(Task)).scalar_one() > 0

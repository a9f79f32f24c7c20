"""The Store is the one writer: write transactions queue on its writer lock in the order they asked, a second
process's lock still gives the Chinese "busy" message, and a write nested in a write fails at once and leaves
the store as it was. With it, what each write changed is collected as typed topics (app.topics)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from app import topics
from app.errors import StoreError
from app.models import Grid, Township
from app.store import Store
from app.topics import Changes, Topic
from tests.app.test_store import _township


def _waiting(store: Store, n: int) -> None:
    """Until `n` writers hold or wait for a turn (the lock's ticket counter; no sleeping on a guess)."""
    while store.writer_lock._next_ticket - store.writer_lock._serving < n:
        time.sleep(0.001)


def test_writers_take_turns_in_the_order_they_asked(store: Store) -> None:
    order: list[str] = []
    release = threading.Event()

    def holder() -> None:
        with store.write() as s:
            s.add(_township("first"))
            release.wait(10)
            order.append("first")

    def writer(name: str) -> None:
        with store.write() as s:
            s.add(_township(name))
            order.append(name)

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    _waiting(store, 1)
    for i, name in enumerate(["second", "third", "fourth"]):
        t = threading.Thread(target=writer, args=(name,))
        t.start()
        threads.append(t)
        _waiting(store, i + 2)
    release.set()
    for t in threads:
        t.join(10)
    assert order == ["first", "second", "third", "fourth"]
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Township)) == 4


def test_a_write_inside_a_write_fails_at_once_and_commits_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError, match="inside"), store.write() as s:
        s.add(_township("outer"))
        s.flush()
        with store.write() as inner:
            inner.add(_township("inner"))
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Township)) == 0
    with store.write() as s:  # the lock was given back
        s.add(_township("after"))


def test_a_writer_that_waits_too_long_gets_the_busy_message(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    held = threading.Event()

    def holder() -> None:
        with store.write() as s:
            s.add(_township("held"))
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(10)
    original = store.writer_lock.acquire
    monkeypatch.setattr(store.writer_lock, "acquire", lambda timeout=0.05: original(timeout))
    with pytest.raises(StoreError) as err, store.write() as s:
        s.add(_township("late"))
    assert err.value.code == "busy" and "数据库正忙" in err.value.message
    release.set()
    t.join(10)
    monkeypatch.undo()
    with store.write() as s:  # the abandoned turn is skipped, not waited for
        s.add(_township("later"))
    with store.read() as s:
        assert set(s.scalars(select(Township.id))) == {"held", "later"}


def test_track_names_the_topics_of_what_was_written(store: Store) -> None:
    with store.write() as s:
        s.add(_township("t1"))
    with topics.track() as tracked, store.read() as s:
        s.scalars(select(Township)).all()
    assert tracked.changes == topics.NOTHING and not tracked.changes
    with topics.track() as outer:
        with store.write() as s:
            s.add(Grid(id="g1", township_id="t1", code="1", name="第1网格"))
        with topics.track() as inner, store.write() as s:
            s.execute(Township.__table__.update().values(name="新登"))
    assert outer.changes == Changes.of(Topic.DIRECTORY)
    assert inner.tables == {"townships"} and outer.tables == {"grids", "townships"}


def test_topics_are_typed() -> None:
    changes = Changes.of(Topic.TASKS, Topic.SYNC)
    assert changes.touches(Topic.TASKS) and not changes.touches(Topic.PLANS)
    assert (changes | Changes.of(Topic.PLANS)).touches(Topic.PLANS)
    with pytest.raises(AttributeError):
        _ = Topic.TASKZ  # type: ignore[attr-defined]  # the point of the test: a typo fails loudly
    with pytest.raises(TypeError):
        changes.touches("tasks")  # type: ignore[arg-type]  # the point of the test: strings are refused
    with pytest.raises(TypeError):
        Changes.of("tasks")  # type: ignore[arg-type]  # the point of the test: strings are refused


def test_every_synced_entity_has_a_topic() -> None:
    from app.entities import SPECS
    from app.ownership import ENTITY_NAMES

    assert set(topics.ENTITY_TOPICS) == set(ENTITY_NAMES) and all(topics.ENTITY_TOPICS.values())
    for name, spec in SPECS.items():  # a table and its entity name the same topics
        assert topics.changes_of_tables([spec.model.__tablename__]) == topics.changes_of_entities([name]), name
    assert topics.changes_of_entities(["task"]) == Changes.of(Topic.TASKS)
    assert topics.changes_of_entities(["inspection_plan", "matter"]) == Changes.of(Topic.PLANS, Topic.CATALOGUE)
    assert topics.changes_of_tables(["task_events", "audit_events"]) == Changes.of(Topic.TASKS)

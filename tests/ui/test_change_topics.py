"""The change bus hears what each store job wrote, typed, before the job's own callback runs; a job that only
reads, or whose writes fail, says nothing that did not happen; a network job's writes are the sync's to report."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.models import Grid, Township
from app.store import Store
from app.topics import Changes, Topic
from tests.app.test_store import _township
from ui.context import ChangeBus

pytestmark = pytest.mark.ui


def _run(qtbot: Any, submit: Any, fn: Any) -> list[str]:
    finished: list[str] = []
    submit("job", fn, on_done=lambda _r: finished.append("done"), on_error=lambda _e: finished.append("failed"))
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    return finished


def test_store_jobs_publish_what_they_wrote(qtbot: Any, store: Store, runner: Any) -> None:
    bus = ChangeBus()
    bus.follow(runner)
    bus.follow(runner)  # following twice still publishes once
    heard: list[Changes] = []
    bus.changed.connect(heard.append)
    seen_by_callback: list[list[Changes]] = []

    def write(_c: Any) -> None:
        with store.write() as s:
            s.add(_township("t1"))
            s.add(Grid(id="g1", township_id="t1", code="1", name="第1网格"))

    runner.run_store("write", write, on_done=lambda _r: seen_by_callback.append(list(heard)))
    qtbot.waitUntil(lambda: bool(seen_by_callback), timeout=10_000)
    assert heard == [Changes.of(Topic.DIRECTORY)] and seen_by_callback == [heard]

    def read(_c: Any) -> list[str]:
        with store.read() as s:
            return list(s.scalars(select(Township.id)))

    assert _run(qtbot, runner.run_store, read) == ["done"]

    def refused(_c: Any) -> None:
        with store.write() as s:
            s.add(Grid(id="g2", township_id="missing", code="2", name="第2网格"))  # a foreign key that fails

    assert _run(qtbot, runner.run_store, refused) == ["failed"]

    def network(_c: Any) -> None:  # as the sync does: its report says what it changed (SyncReport.changes)
        with store.write() as s:
            s.add(_township("t2"))

    assert _run(qtbot, runner.run_net, network) == ["done"]
    assert heard == [Changes.of(Topic.DIRECTORY)]
    with store.read() as s:
        assert set(s.scalars(select(Township.id))) == {"t1", "t2"}
    with pytest.raises(TypeError):
        bus.publish({"tasks"})  # type: ignore[arg-type]  # the point of the test: only Changes travel

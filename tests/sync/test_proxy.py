"""Connections cut mid-stream by a local TCP proxy: pulls and pushes resume and end exactly where a clean
run ends — nothing lost, nothing applied twice (a lost response is answered `duplicate` on the resend)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from app.entities import to_wire
from app.models import Inspection, OutboxEntry, Task
from sync.server.storage import MutationRow, Record, read_session
from tests.sync.helpers import Laptop, queue_inspections, synced
from tests.sync.proxy import CuttingProxy


@pytest.fixture
def proxy(server: Any) -> Iterator[CuttingProxy]:
    with CuttingProxy(server.port) as p:
        yield p


def _tasks(lap: Laptop) -> dict[str, Any]:
    with lap.store.read() as s:
        return {t.id: to_wire(t) for t in s.scalars(select(Task))}


def test_pull_cut_mid_page_resumes(proxy: CuttingProxy, laptop_factory: Callable[..., Laptop]) -> None:
    clean = laptop_factory("clean", "centre.admin")
    cut = laptop_factory("cut", "centre.admin", url=proxy.url, retries=6)
    expected = synced(clean.sync(page_size=40)).pulled
    proxy.cut(20_000, "down", times=4)
    rep = synced(cut.sync(page_size=40))
    assert proxy.cuts_done == 4
    assert rep.pulled == expected  # every page applied once, after its retries
    assert _tasks(cut) == _tasks(clean) and len(_tasks(cut)) >= 100


def _server_counts(server: Any, ids: list[str]) -> tuple[int, int]:
    with read_session(server.engine) as s:
        records = s.scalar(select(func.count()).select_from(Record).where(Record.id.in_(ids)))
        muts = s.scalar(select(func.count()).select_from(MutationRow).where(MutationRow.entity_id.in_(ids)))
    return int(records or 0), int(muts or 0)


@pytest.mark.parametrize(("direction", "after"), [("up", 150_000), ("down", 3_000)])
def test_push_cut_mid_stream_resumes(proxy: CuttingProxy, server: Any, laptop_factory: Callable[..., Laptop],
                                     direction: str, after: int) -> None:
    lap = laptop_factory("a", "xindeng.officer", url=proxy.url, retries=6)
    synced(lap.sync())
    ids = queue_inspections(lap, 300)
    proxy.cut(after, direction, times=2)
    rep = synced(lap.sync(batch_size=100))
    assert proxy.cuts_done == 2
    assert rep.pushed == 300 and rep.applied + rep.duplicates == 300
    if direction == "down":  # the platform applied the batch whose answer was lost: the resend says duplicate
        assert rep.duplicates >= 100
    assert _server_counts(server, ids) == (300, 300)
    with lap.store.read() as s:
        assert s.scalar(select(func.count()).select_from(OutboxEntry)) == 0
        versions = set(s.scalars(select(Inspection.version).where(Inspection.id.in_(ids))))
    assert versions == {1}

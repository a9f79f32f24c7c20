"""`sync.refused`: a change the platform refused is retried under a new mutation id, or discarded with the record
put back as the platform last had it; both audited; a row no longer parked is refused in Chinese."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import models as m
from app.errors import DomainError
from app.services.tasks import TaskService
from app.store import Store
from sync import refused
from tests.cases.district import OFFICER


@pytest.fixture
def parked(store: Store) -> tuple[Store, int]:
    from tests.cases import district

    district.build(store)
    TaskService(store, OFFICER).edit_text("t1", notes="本机填写的备注")
    with store.write() as s:
        row = s.scalars(select(m.OutboxEntry).where(m.OutboxEntry.entity == "task")).one()
        row.state, row.last_error, row.attempts = "parked", "rejected: 平台拒绝", 3
        return store, row.seq


def _audit_actions(store: Store) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(m.AuditEvent.action).order_by(m.AuditEvent.seq)))


def test_retry_queues_the_change_again_as_a_new_mutation(parked: tuple[Store, int]) -> None:
    store, seq = parked
    with store.read() as s:
        before = s.get(m.OutboxEntry, seq).mutation_id
    refused.retry(store, seq, actor="xd.officer")
    with store.read() as s:
        row = s.get(m.OutboxEntry, seq)
        assert (row.state, row.attempts, row.last_error) == ("pending", 0, None)
        assert row.mutation_id != before
    assert _audit_actions(store)[-1] == "retry_rejected"
    with store.read() as s:
        event = s.scalars(select(m.AuditEvent).order_by(m.AuditEvent.seq.desc())).first()
        assert (event.entity, event.entity_id) == ("task", "t1")
        assert event.detail["previous_mutation_id"] == before and event.detail["seq"] == seq
    with pytest.raises(DomainError, match="不在“被拒绝”列表中"):
        refused.retry(store, seq, actor="xd.officer")


def test_discard_puts_the_field_back_and_drops_the_row(parked: tuple[Store, int]) -> None:
    store, seq = parked
    outcome = refused.discard(store, seq, actor="xd.officer")
    assert outcome == "已放弃该修改，记录已恢复为修改前的内容"
    with store.read() as s:
        assert s.get(m.OutboxEntry, seq) is None
        assert not s.get(m.Task, "t1").notes
    assert _audit_actions(store)[-1] == "discard_rejected"
    with pytest.raises(DomainError):
        refused.discard(store, seq, actor="xd.officer")

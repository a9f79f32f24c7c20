"""Task use cases: each change writes its row, its event, its audit row and its outbox row together —
or nothing at all when a rule refuses it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import audit
from app.errors import DomainError, TransitionError
from app.models import AuditEvent, OutboxEntry, Task, TaskEvent
from app.rules.task_states import TaskAction
from app.services.tasks import TaskService
from app.store import Store
from tests.support.factories import LEADER, OFFICER, OTHER_LEADER, basic_district


def _counts(store: Store) -> tuple[int, int, int]:
    with store.read() as s:
        return (
            s.scalar(select(func.count()).select_from(TaskEvent)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
            s.scalar(select(func.count()).select_from(OutboxEntry)),
        )


@pytest.fixture
def seeded(store: Store) -> Store:
    basic_district(store)
    return store


def test_full_happy_path_records_events_audit_and_outbox(seeded: Store) -> None:
    svc = TaskService(seeded, OFFICER)
    svc.apply("t0", TaskAction.ACCEPT)
    svc.apply("t0", "start")
    svc.apply("t0", "report", feedback="已责令店主安装油烟净化器")
    task = svc.get("t0")
    assert task.status == "reported"
    assert task.feedback == "已责令店主安装油烟净化器"
    assert [(e.from_status, e.to_status) for e in task.events] == [
        ("pending", "accepted"), ("accepted", "in_progress"), ("in_progress", "reported")]
    assert all(e.actor == OFFICER.actor for e in task.events)
    assert _counts(seeded) == (3, 3, 3)
    with seeded.read() as s:
        ops = s.scalars(select(OutboxEntry.op).order_by(OutboxEntry.seq)).all()
        assert ops == ["transition"] * 3
        assert audit.verify_chain(s).ok


@pytest.mark.parametrize(
    ("user", "steps", "code"),
    [
        (OFFICER, ["start"], "illegal_transition"),
        (OFFICER, ["return"], "role_not_allowed"),
        (LEADER, ["return"], "reason_required"),
        (OFFICER, ["accept", "start", "report"], "feedback_required"),
        (OFFICER, ["close"], "illegal_transition"),
    ],
)
def test_refused_transition_leaves_store_unchanged(seeded: Store, user, steps, code) -> None:
    svc = TaskService(seeded, user)
    for step in steps[:-1]:
        svc.apply("t1", step, feedback="x")
    before = _counts(seeded)
    with pytest.raises(TransitionError) as err:
        svc.apply("t1", steps[-1])
    assert err.value.code == code
    assert err.value.message  # Chinese text for the person
    assert _counts(seeded) == before


def test_other_township_cannot_touch_task(seeded: Store) -> None:
    svc = TaskService(seeded, OTHER_LEADER)
    with pytest.raises(DomainError) as err:
        svc.apply("t0", "accept")
    assert err.value.code == "forbidden"
    assert svc.allowed_actions(svc.get("t0")) == []


def test_text_edits_coalesce_until_attempted(seeded: Store) -> None:
    svc = TaskService(seeded, OFFICER)
    svc.edit_text("t2", notes="第一稿")
    svc.edit_text("t2", notes="第二稿", feedback="初步核实")
    with seeded.read() as s:
        rows = s.scalars(select(OutboxEntry)).all()
    assert len(rows) == 1
    assert rows[0].payload == {"fields": {"notes": "第二稿", "feedback": "初步核实"}, "base": {"notes": "", "feedback": ""}}
    with seeded.write() as s:  # a push was attempted: the row is frozen now
        s.get(OutboxEntry, rows[0].seq).attempts = 1
    svc.edit_text("t2", notes="第三稿")
    with seeded.read() as s:
        rows = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
        assert s.get(Task, "t2").notes == "第三稿"
    assert len(rows) == 2
    assert rows[0].payload["fields"]["notes"] == "第二稿"
    assert rows[1].payload == {"fields": {"notes": "第三稿"}, "base": {"notes": "第二稿"}}


def test_only_leader_assigns_and_only_team_members(seeded: Store) -> None:
    with pytest.raises(DomainError):
        TaskService(seeded, OFFICER).assign("t0", ["o-1", "o-2"])
    svc = TaskService(seeded, LEADER)
    with pytest.raises(DomainError) as err:
        svc.assign("t0", ["o-1", "o-yh"])
    assert err.value.code == "foreign_officer"
    svc.assign("t0", ["o-1", "o-2"])
    assert sorted(a.officer_id for a in svc.get("t0").assignees) == ["o-1", "o-2"]
    with seeded.read() as s:
        row = s.scalars(select(OutboxEntry)).one()
    assert row.payload == {"fields": {"assignee_ids": ["o-1", "o-2"]}, "base": {"assignee_ids": []}}


def test_unknown_field_refused(seeded: Store) -> None:
    with pytest.raises(DomainError):
        TaskService(seeded, OFFICER).edit_text("t0", deadline="2026-01-01")

"""干预留痕: validation in Chinese with nothing stored, the outbox row with the record, corrections as new
records, the monthly count per township."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import models as m
from app.errors import DomainError, ValidationError
from app.loops.interventions import InterventionInput, InterventionService, effective, monthly_summary
from app.store import Store
from tests.loops.conftest import DISPATCHED, OFFICER, YH_LEADER


def _input(**kw: object) -> InterventionInput:
    base: dict[str, object] = dict(intervener_name="李某", intervener_post="某局副局长", occurred_at=DISPATCHED,
                                   channel="phone", request="要求从轻处理", response="已告知依法办理",
                                   inspection_id="i-1")
    base.update(kw)
    return InterventionInput(**base)


def _counts(store: Store) -> tuple[int, int]:
    with store.read() as s:
        return (s.scalar(select(func.count()).select_from(m.Intervention)) or 0,
                s.scalar(select(func.count()).select_from(m.OutboxEntry)) or 0)


def test_record_queues_one_create_and_takes_the_inspection_township(loops: Store) -> None:
    row = InterventionService(loops, OFFICER).record(_input())
    assert row.township_id == "xd" and row.recorded_by == OFFICER.actor
    with loops.read() as s:
        [entry] = s.scalars(select(m.OutboxEntry)).all()
        assert (entry.entity, entry.op, entry.entity_id) == ("intervention", "create", row.id)
        assert entry.payload["request"] == "要求从轻处理"


@pytest.mark.parametrize(("kw", "code"), [
    ({"intervener_name": " "}, "intervener_required"),
    ({"channel": "fax"}, "bad_channel"),
    ({"request": ""}, "request_required"),
    ({"occurred_at": datetime.now(UTC) + timedelta(hours=2)}, "future_time"),
    ({"inspection_id": None}, "subject_required"),
    ({"inspection_id": "nope"}, "unknown_inspection"),
    ({"corrects_id": "nope"}, "unknown_intervention"),
])
def test_bad_input_is_refused_and_nothing_is_stored(loops: Store, kw: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as err:
        InterventionService(loops, OFFICER).record(_input(**kw))
    assert err.value.code == code and err.value.message
    assert _counts(loops) == (0, 0)


def test_another_team_cannot_record_on_this_inspection(loops: Store) -> None:
    with pytest.raises(DomainError, match="其他乡镇"):
        InterventionService(loops, YH_LEADER).record(_input())


def test_a_correction_is_a_new_record_and_the_original_stays(loops: Store) -> None:
    service = InterventionService(loops, OFFICER)
    first = service.record(_input())
    fix = service.record(_input(request="要求从轻处理并撤回照片", corrects_id=first.id))
    rows = service.list_for(inspection_id="i-1")
    assert {r.id for r in rows} == {first.id, fix.id}
    [(original, corrections)] = effective(rows)
    assert original.request == "要求从轻处理" and [c.id for c in corrections] == [fix.id]


def test_monthly_summary_counts_per_township_and_month(loops: Store) -> None:
    service = InterventionService(loops, OFFICER)
    a = service.record(_input())
    service.record(_input(occurred_at=DISPATCHED + timedelta(days=1)))
    service.record(_input(corrects_id=a.id))
    service.record(_input(occurred_at=DISPATCHED - timedelta(days=30)))
    with loops.read() as s:
        summary = monthly_summary(s, "xd")
    assert [(r.month, r.count, r.corrections) for r in summary] == [("2026-05", 2, 1), ("2026-04", 1, 0)]

"""Grid patrol frequency applied: a confirmed tier is kept in the grid's history, sets the grid's tier and
produces the period's patrol plans at the tier's frequency; confirming again replaces, never doubles."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app import models as m
from app.errors import DomainError, ValidationError
from app.planning.patrols import GridTierService, next_month, patrol_days
from app.store import Store
from tests.loops.conftest import LEADER, OFFICER

MAY = (date(2026, 6, 1), date(2026, 6, 30))


def _planned(store: Store, grid: str) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(m.InspectionPlan).join(
            m.Target, m.Target.id == m.InspectionPlan.target_id).where(
            m.Target.grid_id == grid, m.InspectionPlan.kind == "patrol", m.InspectionPlan.status == "planned")) or 0


def test_apply_tier_records_history_and_produces_plans(loops: Store) -> None:
    service = GridTierService(loops, LEADER)
    done = service.apply("g1", 2, "近期违法增多", score=2.4, period=(date(2026, 3, 1), date(2026, 5, 31)),
                         plan_period=MAY)
    assert (done.change.from_tier, done.change.to_tier, done.change.changed_by) == (1, 2, LEADER.actor)
    assert len(done.plans) == 4 and done.cancelled == 0
    assert sorted({p.scheduled_at.date().day for p in done.plans}) == [1, 8, 16, 23]
    with loops.read() as s:
        assert s.get(m.Grid, "g1").patrol_tier == 2
        targets = {t.id for t in s.scalars(select(m.Target).where(m.Target.grid_id == "g1"))}
        assert {p.target_id for p in done.plans} <= targets
        entities = [e.entity for e in s.scalars(select(m.OutboxEntry))]
        assert entities.count("grid_tier_change") == 1 and entities.count("inspection_plan") == 4
    again = service.apply("g1", 4, "出现重大隐患", plan_period=MAY)
    assert again.cancelled == 4 and len(again.plans) == 30 and _planned(loops, "g1") == 30
    assert [(h.from_tier, h.to_tier) for h in service.history("g1")] == [(1, 2), (2, 4)]


def test_only_the_leader_with_a_reason(loops: Store) -> None:
    with pytest.raises(DomainError, match="队长"):
        GridTierService(loops, OFFICER).apply("g1", 2, "理由")
    with pytest.raises(ValidationError, match="理由"):
        GridTierService(loops, LEADER).apply("g1", 2, " ")
    with pytest.raises(ValidationError, match="未配置"):
        GridTierService(loops, LEADER).apply("g1", 9, "理由")
    with loops.read() as s:
        assert s.scalar(select(func.count()).select_from(m.GridTierChange)) == 0


def test_days_spread_over_the_period() -> None:
    assert next_month(date(2026, 12, 3)) == (date(2027, 1, 1), date(2027, 1, 31))
    assert patrol_days(date(2026, 6, 1), date(2026, 6, 30), 1) == [date(2026, 6, 1)]
    assert len(set(patrol_days(date(2026, 6, 1), date(2026, 6, 30), 30))) == 30

"""Grid patrol frequency applied (plan §2 "动态调整…网格化巡查频率"): the leader confirms a grid's tier (usually the
one the analysis suggests); that is stored as a `GridTierChange` (from, to, who, when, why — the grid's tier
history, synced; the platform applies it to the grid) and the grid's patrol plans for the next period are
produced at the tier's frequency (`tier_patrols_per_month` in resources/config/loops.json): N patrol plans a
month, spread evenly over the month's days, visiting the grid's targets in turn (highest risk grade first).
Planned patrols of that grid already in the period are cancelled and replaced, so confirming twice never
doubles them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app import models as m
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.loops.config import LoopsConfig, config
from app.planning.planner import CST
from app.rules.task_states import Role
from app.store import Store

RISK_ORDER = {"D": 0, "C": 1, "B": 2, "A": 3}


@dataclass(frozen=True)
class TierApplied:
    change: m.GridTierChange
    plans: list[m.InspectionPlan]
    cancelled: int


def next_month(today: date) -> tuple[date, date]:
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def patrol_days(start: date, end: date, count: int) -> list[date]:
    """`count` days spread evenly over [start, end] (a day may repeat only when count exceeds the days)."""
    days = (end - start).days + 1
    if count <= 0 or days <= 0:
        return []
    return [start + timedelta(days=(i * days) // count) for i in range(count)]


class GridTierService:
    def __init__(self, store: Store, user: CurrentUser, cfg: LoopsConfig | None = None) -> None:
        self.store = store
        self.user = user
        self.cfg = cfg or config()

    def history(self, grid_id: str) -> list[m.GridTierChange]:
        with self.store.read() as session:
            return list(session.scalars(select(m.GridTierChange).where(m.GridTierChange.grid_id == grid_id)
                                        .order_by(m.GridTierChange.changed_at)))

    def apply(self, grid_id: str, to_tier: int, reason: str, *, score: float | None = None,
              period: tuple[date, date] | None = None, today: date | None = None,
              plan_period: tuple[date, date] | None = None) -> TierApplied:
        """Confirm `to_tier` for the grid and produce its patrol plans for `plan_period` (default next month)."""
        if self.user.role is not Role.LEADER:
            raise DomainError("只有队长可以调整网格巡查频率", code="forbidden")
        if not reason.strip():
            raise ValidationError("请填写调整理由", code="reason_required")
        if to_tier not in self.cfg.tier_patrols_per_month:
            raise ValidationError(f"巡查档次 {to_tier} 未配置巡查频率", code="unknown_tier")
        today = today or datetime.now(CST).date()
        start, end = plan_period or next_month(today)
        if end < start:
            raise ValidationError("计划期间无效", code="bad_period")
        with self.store.write() as session:
            grid = session.get(m.Grid, grid_id)
            if grid is None:
                raise ValidationError("未找到该网格", code="unknown_grid")
            if grid.township_id != self.user.township_id:
                raise DomainError("不能调整其他乡镇的网格", code="forbidden")
            change = m.GridTierChange(
                id=m.new_id(), township_id=grid.township_id, grid_id=grid.id, from_tier=grid.patrol_tier,
                to_tier=to_tier, reason=reason.strip(), score=score,
                period_start=period[0] if period else None, period_end=period[1] if period else None,
                changed_at=datetime.now(UTC), changed_by=self.user.actor,
            )
            changes.record_create(session, change, actor=self.user.actor)
            grid.patrol_tier = to_tier  # the platform applies the same change to its grid record
            cancelled = self._cancel_planned(session, grid.id, start, end)
            plans = self._produce(session, grid, to_tier, start, end)
            return TierApplied(change, plans, cancelled)

    def _window(self, start: date, end: date) -> tuple[datetime, datetime]:
        lo = datetime(start.year, start.month, start.day, tzinfo=CST)
        return lo, datetime(end.year, end.month, end.day, tzinfo=CST) + timedelta(days=1)

    def _cancel_planned(self, session: Session, grid_id: str, start: date, end: date) -> int:
        lo, hi = self._window(start, end)
        targets = select(m.Target.id).where(m.Target.grid_id == grid_id)
        rows = session.scalars(select(m.InspectionPlan).where(
            m.InspectionPlan.kind == "patrol", m.InspectionPlan.status == "planned",
            m.InspectionPlan.target_id.in_(targets), m.InspectionPlan.scheduled_at >= lo,
            m.InspectionPlan.scheduled_at < hi,
        )).all()
        for plan in rows:
            changes.record_update(session, plan, {"status": "cancelled"}, actor=self.user.actor)
        return len(rows)

    def _produce(self, session: Session, grid: m.Grid, tier: int, start: date, end: date) -> list[m.InspectionPlan]:
        targets = sorted(
            session.scalars(select(m.Target).where(m.Target.grid_id == grid.id)),
            key=lambda t: (RISK_ORDER.get(t.risk_grade, 9), t.name, t.id),
        )
        if not targets:
            raise ValidationError(f"网格「{grid.name}」没有检查对象，无法生成巡查计划", code="empty_grid")
        months = max(1.0, ((end - start).days + 1) / 30.4375)
        count = round(self.cfg.patrols_per_month(tier) * months)
        plans = []
        at = self.cfg.patrol_start_time
        for i, day in enumerate(patrol_days(start, end, count)):
            target = targets[i % len(targets)]
            plan = m.InspectionPlan(
                id=m.new_id(), township_id=grid.township_id, target_id=target.id, kind="patrol",
                scheduled_at=datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=CST),
                duration_minutes=self.cfg.patrol_duration_minutes, matter_codes=[], officer_ids=[], task_ids=[],
                supporting_department_ids=[], status="planned",
                notes=f"网格巡查：{grid.name}（第{tier}档，每月{self.cfg.patrols_per_month(tier)}次）",
                created_by=self.user.actor,
            )
            changes.record_create(session, plan, actor=self.user.actor)
            plans.append(plan)
        return plans

"""Urgent response standards: check-ins (response, departure, arrival) on urgent instructions, timed from the
instruction's dispatch against configurable targets (`app.rules.response`). Each check-in is an append-only
record carrying its elapsed and target seconds and whether it was late, so the platform lists late responses
without recomputing; the first check-in of a stage counts, a repeated one is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app import models as m
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.loops.config import LoopsConfig, config
from app.rules.response import STAGES, Stage, StageTimer, checkin_overdue, is_urgent, stage_timers
from app.rules.task_states import OPEN_STATUSES
from app.store import Store

OPEN = frozenset(s.value for s in OPEN_STATUSES)


@dataclass(frozen=True)
class UrgentState:
    task_id: str
    timers: list[StageTimer]
    checkins: list[m.ResponseCheckin]

    @property
    def overdue(self) -> list[StageTimer]:
        return [t for t in self.timers if t.overdue]

    @property
    def next_stage(self) -> Stage | None:
        return next((t.stage for t in self.timers if t.done_at is None), None)


def first_checkins(rows: list[m.ResponseCheckin]) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for r in sorted(rows, key=lambda r: r.at):
        out.setdefault(r.stage, r.at)
    return out


def state_of(session: Session, task: m.Task, now: datetime, cfg: LoopsConfig | None = None) -> UrgentState | None:
    """Timers of an urgent instruction (None for one that is not urgent)."""
    if not is_urgent(task.priority):
        return None
    cfg = cfg or config()
    rows = list(session.scalars(select(m.ResponseCheckin).where(m.ResponseCheckin.task_id == task.id)))
    stop = now if task.status in OPEN else (task.updated_at or now)
    return UrgentState(task.id, stage_timers(task.dispatched_at, first_checkins(rows), stop, cfg.urgent), rows)


def overdue_task_ids(session: Session, township_id: str | None, now: datetime,
                     cfg: LoopsConfig | None = None, *, among: list[str] | None = None) -> set[str]:
    """Open urgent instructions with a stage late (checked in late, or still missing past its target);
    `among` limits the question to some tasks (one page of the inbox)."""
    cfg = cfg or config()
    query = select(m.Task.id, m.Task.dispatched_at).where(m.Task.priority.in_((1, 2)), m.Task.status.in_(OPEN))
    if township_id:
        query = query.where(m.Task.township_id == township_id)
    if among is not None:
        query = query.where(m.Task.id.in_(among))
    tasks = session.execute(query).all()  # columns only: this runs for each page the inbox paints
    if not tasks:
        return set()
    done: dict[str, dict[str, datetime]] = {}
    rows = session.execute(select(m.ResponseCheckin.task_id, m.ResponseCheckin.stage, m.ResponseCheckin.at)
                           .where(m.ResponseCheckin.task_id.in_([t for t, _ in tasks])))
    for task_id, stage, at in sorted(rows, key=lambda r: r[2]):
        done.setdefault(task_id, {}).setdefault(stage, at)
    return {task_id for task_id, dispatched in tasks
            if any(t.overdue for t in stage_timers(dispatched, done.get(task_id, {}), now, cfg.urgent))}


class UrgentService:
    def __init__(self, store: Store, user: CurrentUser, cfg: LoopsConfig | None = None) -> None:
        self.store = store
        self.user = user
        self.cfg = cfg or config()

    def state(self, task_id: str, now: datetime | None = None) -> UrgentState | None:
        with self.store.read() as session:
            task = session.get(m.Task, task_id)
            if task is None:
                raise DomainError("未找到该任务", code="not_found")
            return state_of(session, task, now or datetime.now(UTC), self.cfg)

    def check_in(self, task_id: str, stage: Stage | str, *, location: str = "", location_source: str = "",
                 at: datetime | None = None) -> m.ResponseCheckin:
        """Record the first check-in of `stage`; stages go in order (respond → depart → arrive)."""
        try:
            stage = Stage(stage)
        except ValueError:
            raise ValidationError("打卡环节无效（响应、出发、到达）", code="bad_stage") from None
        if location_source not in ("", "typed", "device"):
            raise ValidationError("位置来源无效", code="bad_location_source")
        at = at or datetime.now(UTC)
        with self.store.write() as session:
            task = session.get(m.Task, task_id)
            if task is None:
                raise DomainError("未找到该任务", code="not_found")
            if self.user.township_id and task.township_id != self.user.township_id:
                raise DomainError("该任务不属于本队", code="forbidden")
            if not is_urgent(task.priority):
                raise DomainError("只有紧急（特急）指令需要响应打卡", code="not_urgent")
            if task.status not in OPEN:
                raise DomainError("任务已结束，不能再打卡", code="locked")
            done = first_checkins(list(session.scalars(
                select(m.ResponseCheckin).where(m.ResponseCheckin.task_id == task.id))))
            if stage.value in done:
                raise DomainError(f"「{stage.label}」已打卡，不能重复", code="duplicate_stage")
            earlier = [s for s in STAGES[: STAGES.index(stage)] if s.value not in done]
            if earlier:
                raise DomainError(f"请先完成「{earlier[0].label}」打卡", code="stage_order")
            elapsed, target, late = checkin_overdue(task.dispatched_at, at, stage, self.cfg.urgent)
            row = m.ResponseCheckin(
                id=m.new_id(), township_id=task.township_id, task_id=task.id, stage=stage.value, at=at,
                location=location.strip(), location_source=location_source if location.strip() else "",
                elapsed_seconds=elapsed, target_seconds=target, overdue=late, recorded_by=self.user.actor,
            )
            changes.record_create(session, row, actor=self.user.actor)
            return row


def fmt_seconds(seconds: int) -> str:
    minutes, sec = divmod(max(0, int(seconds)), 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}小时{minutes}分"
    return f"{minutes}分{sec:02d}秒"

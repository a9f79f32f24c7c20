"""Plan use cases: create, update, cancel, link to instructions, merge ("进一次门") and list. Every change goes
through `app.changes` (domain row + audit event + outbox row in one transaction). Only a team leader plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.models import Department, InspectionPlan, Officer, Target, Task
from app.planning.config import PlanningConfig, load_config
from app.planning.planner import CST, PlanCheck, PlanDraft, check_plan
from app.store import Store

PLAN_KINDS = {"joint": "综合查一次", "random": "双随机", "patrol": "网格巡查", "special": "专项检查"}
PLAN_STATUSES = {"planned": "已计划", "done": "已完成", "cancelled": "已取消", "merged": "已合并"}


class PlanRefused(DomainError):
    default_code = "plan_refused"

    def __init__(self, check: PlanCheck) -> None:
        super().__init__("计划不能保存：" + "；".join(i.message for i in check.refusals), code="plan_refused")
        self.check = check


@dataclass(frozen=True)
class PlanRow:
    """One line of the plan list."""

    id: str
    kind: str
    status: str
    scheduled_at: datetime
    duration_minutes: int
    target_id: str
    target_name: str
    lead_department: str
    matter_count: int
    officer_names: str
    draw_id: str | None
    task_count: int

    @property
    def kind_label(self) -> str:
        return PLAN_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return PLAN_STATUSES.get(self.status, self.status)


def merge_plans(session: Session, keep: InspectionPlan, other: InspectionPlan, *, actor: str) -> None:
    """Combine `other` into `keep` (one visit): matters, officers, instructions and departments are united in
    `keep`; `other` is marked "merged" with a note naming `keep`. Both changes are queued for the platform."""
    if keep.id == other.id:
        raise ValidationError("不能将计划与自身合并", code="merge_self")
    if keep.target_id != other.target_id:
        raise ValidationError("只能合并同一检查对象的计划", code="merge_other_target")
    for plan in (keep, other):
        if plan.status != "planned":
            raise DomainError(f"计划已{PLAN_STATUSES.get(plan.status, plan.status)}，不能合并", code="merge_status")
    supporting = _union(keep.supporting_department_ids, other.supporting_department_ids,
                        [other.lead_department_id] if other.lead_department_id else [])
    supporting = [d for d in supporting if d != keep.lead_department_id]
    changes.record_update(session, keep, {
        "matter_codes": _union(keep.matter_codes, other.matter_codes),
        "officer_ids": _union(keep.officer_ids, other.officer_ids),
        "task_ids": _union(keep.task_ids, other.task_ids),
        "supporting_department_ids": supporting,
        "lead_department_id": keep.lead_department_id or other.lead_department_id,
        "notes": _append_note(keep.notes, f"已并入计划 {other.id[:8]}（进一次门）"),
    }, actor=actor)
    changes.record_update(session, other, {
        "status": "merged", "notes": _append_note(other.notes, f"已合并至计划 {keep.id}"),
    }, actor=actor)


def _union(*lists: Any) -> list[Any]:
    out: dict[Any, None] = {}
    for values in lists:
        for v in values or []:
            out[v] = None
    return list(out)


def _append_note(notes: str, line: str) -> str:
    return f"{notes}\n{line}".strip() if notes else line


class PlanService:
    def __init__(self, store: Store, user: CurrentUser, config: PlanningConfig | None = None) -> None:
        self.store = store
        self.user = user
        self.config = config or load_config()

    # ---- reading -----------------------------------------------------------------------------------------

    def check(self, draft: PlanDraft) -> PlanCheck:
        with self.store.read() as session:
            return check_plan(session, draft, self.config, township_id=self.user.township_id)

    def get(self, plan_id: str) -> InspectionPlan:
        with self.store.read() as session:
            return self._load(session, plan_id)

    def list_plans(self, *, status: str | None = None, start: datetime | None = None,
                   end: datetime | None = None, limit: int = 5000) -> list[PlanRow]:
        """Plans of the user's township, soonest first."""
        q = select(InspectionPlan, Target.name).join(Target, Target.id == InspectionPlan.target_id)
        if self.user.township_id:
            q = q.where(InspectionPlan.township_id == self.user.township_id)
        if status:
            q = q.where(InspectionPlan.status == status)
        if start:
            q = q.where(InspectionPlan.scheduled_at >= start)
        if end:
            q = q.where(InspectionPlan.scheduled_at < end)
        q = q.order_by(InspectionPlan.scheduled_at.desc()).limit(limit)
        with self.store.read() as session:
            depts = dict(session.execute(select(Department.id, Department.name)).all())
            officers = dict(session.execute(select(Officer.id, Officer.name).where(
                Officer.township_id == self.user.township_id)).all()) if self.user.township_id else {}
            rows = []
            for plan, target_name in session.execute(q):
                rows.append(PlanRow(
                    plan.id, plan.kind, plan.status, plan.scheduled_at, plan.duration_minutes, plan.target_id,
                    target_name, depts.get(plan.lead_department_id or "", ""), len(plan.matter_codes or []),
                    "、".join(officers.get(o, o) for o in plan.officer_ids or []), plan.draw_id,
                    len(plan.task_ids or []),
                ))
            return rows

    # ---- changing ----------------------------------------------------------------------------------------

    def create(self, draft: PlanDraft) -> tuple[str, PlanCheck]:
        """Save a new plan (refused plans raise `PlanRefused`; warnings are returned, not blocking)."""
        self._require_leader()
        with self.store.write() as session:
            check = self._checked(session, draft)
            target = session.get(Target, draft.target_id)
            assert target is not None and draft.scheduled_at is not None
            plan = InspectionPlan(
                township_id=self.user.township_id or target.township_id, target_id=target.id, kind=draft.kind,
                scheduled_at=draft.scheduled_at, duration_minutes=draft.duration,
                lead_department_id=draft.lead_department_id,
                supporting_department_ids=[d for d in dict.fromkeys(draft.supporting_department_ids)
                                           if d != draft.lead_department_id],
                matter_codes=list(dict.fromkeys(draft.matter_codes)),
                officer_ids=list(dict.fromkeys(draft.officer_ids)), task_ids=list(dict.fromkeys(draft.task_ids)),
                status="planned", notes=draft.notes, created_by=self.user.actor,
            )
            changes.record_create(session, plan, actor=self.user.actor)
            return plan.id, check

    def update(self, plan_id: str, draft: PlanDraft) -> PlanCheck:
        self._require_leader()
        with self.store.write() as session:
            plan = self._load_planned(session, plan_id)
            draft.plan_id = plan.id
            check = self._checked(session, draft)
            assert draft.scheduled_at is not None
            changes.record_update(session, plan, {
                "target_id": draft.target_id, "scheduled_at": draft.scheduled_at,
                "duration_minutes": draft.duration, "lead_department_id": draft.lead_department_id,
                "supporting_department_ids": [d for d in dict.fromkeys(draft.supporting_department_ids)
                                              if d != draft.lead_department_id],
                "matter_codes": list(dict.fromkeys(draft.matter_codes)),
                "officer_ids": list(dict.fromkeys(draft.officer_ids)),
                "task_ids": list(dict.fromkeys(draft.task_ids)), "notes": draft.notes,
            }, actor=self.user.actor)
            return check

    def cancel(self, plan_id: str, reason: str) -> None:
        self._require_leader()
        if not reason.strip():
            raise ValidationError("取消计划必须填写原因", code="reason_required")
        with self.store.write() as session:
            plan = self._load_planned(session, plan_id)
            changes.record_update(session, plan, {
                "status": "cancelled", "notes": _append_note(plan.notes, f"取消原因：{reason.strip()}"),
            }, actor=self.user.actor)

    def link_tasks(self, plan_id: str, task_ids: list[str]) -> None:
        """Attach instructions (指令) to a plan, so the visit answers them."""
        self._require_leader()
        with self.store.write() as session:
            plan = self._load_planned(session, plan_id)
            found = set(session.scalars(select(Task.id).where(Task.id.in_(task_ids),
                                                              Task.township_id == plan.township_id)))
            missing = [t for t in task_ids if t not in found]
            if missing:
                raise ValidationError("所选指令中有不属于本队或未知的指令", code="unknown_task")
            changes.record_update(session, plan, {"task_ids": _union(plan.task_ids, task_ids)},
                                  actor=self.user.actor)

    def merge(self, keep_id: str, other_id: str) -> None:
        """Merge two saved plans of the same target into `keep_id`."""
        self._require_leader()
        with self.store.write() as session:
            merge_plans(session, self._load(session, keep_id), self._load(session, other_id),
                        actor=self.user.actor)

    def merge_draft_into(self, plan_id: str, draft: PlanDraft) -> PlanCheck:
        """Instead of a second visit: add the draft's matters, officers, instructions and departments to the
        existing plan `plan_id` (the merge offer of the planner). Refused if the combined plan is refused."""
        self._require_leader()
        with self.store.write() as session:
            plan = self._load_planned(session, plan_id)
            if plan.target_id != draft.target_id:
                raise ValidationError("只能合并同一检查对象的计划", code="merge_other_target")
            combined = PlanDraft.from_plan(plan)
            combined.matter_codes = _union(plan.matter_codes, draft.matter_codes)
            combined.officer_ids = _union(plan.officer_ids, draft.officer_ids)
            combined.task_ids = _union(plan.task_ids, draft.task_ids)
            combined.lead_department_id = plan.lead_department_id or draft.lead_department_id
            combined.supporting_department_ids = [
                d for d in _union(plan.supporting_department_ids, draft.supporting_department_ids,
                                  [draft.lead_department_id] if draft.lead_department_id else [])
                if d != combined.lead_department_id]
            check = self._checked(session, combined)
            changes.record_update(session, plan, {
                "matter_codes": combined.matter_codes, "officer_ids": combined.officer_ids,
                "task_ids": combined.task_ids, "lead_department_id": combined.lead_department_id,
                "supporting_department_ids": combined.supporting_department_ids,
                "notes": _append_note(plan.notes, "已合并新增检查事项（进一次门）"),
            }, actor=self.user.actor)
            return check

    # ---- helpers -----------------------------------------------------------------------------------------

    def _checked(self, session: Session, draft: PlanDraft) -> PlanCheck:
        check = check_plan(session, draft, self.config, township_id=self.user.township_id)
        if check.refusals:
            raise PlanRefused(check)
        return check

    def _require_leader(self) -> None:
        if not self.user.is_leader:
            raise DomainError("只有队长可以制定或修改检查计划", code="forbidden")

    def _load(self, session: Session, plan_id: str) -> InspectionPlan:
        plan = session.get(InspectionPlan, plan_id)
        if plan is None:
            raise DomainError("未找到该检查计划", code="not_found")
        if self.user.township_id and plan.township_id != self.user.township_id:
            raise DomainError("该检查计划不属于本队", code="forbidden")
        return plan

    def _load_planned(self, session: Session, plan_id: str) -> InspectionPlan:
        plan = self._load(session, plan_id)
        if plan.status != "planned":
            raise DomainError(f"计划已{PLAN_STATUSES.get(plan.status, plan.status)}，不能再修改", code="locked")
        return plan


def format_when(moment: datetime) -> str:
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M")

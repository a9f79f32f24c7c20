"""Joint inspection planning (综合查一次): the plan draft, its checks (refusals, warnings, merge offers), matter
suggestions and the merged checklist. Qt-free; the persistence use cases are in `app.planning.service`.

Checks of a draft, each with a Chinese reason:
- refused: fewer than two officers with a certificate valid on the day (《行政处罚法》第四十二条); an officer with a
  declared interest in the target (回避, 第四十三条); no target / no matter / no lead department; an officer
  of another team;
- warned: an officer whose certificate fields cover none of the plan's matters' fields; the target already
  inspected this year by one of the plan's enforcing bodies as often as the yearly cap; an officer already
  booked in an overlapping plan; a matter's department neither lead nor supporting;
- offered: another plan for the same target within the merge window ("进一次门") — see `merge_candidates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.law.jurisdiction import JurisdictionAuthority
from app.models import Inspection, InspectionPlan, Officer, Target
from app.planning.catalog import (
    department_names,
    interest_reasons,
    matters_by_code,
    officer_refs,
)
from app.planning.checklist import (
    ChecklistGroup,
    ChecklistItem,
    MatterSuggestion,
    merged_checklist,
    suggest_matters,
)
from app.planning.config import PlanningConfig
from app.rules.officers import (
    MIN_CERTIFIED_OFFICERS,
    TWO_OFFICERS_MESSAGE,
    certificate_problem,
    eligible_inspectors,
)

CST = timezone(timedelta(hours=8), "CST")
ACTIVE_PLAN_STATUSES = ("planned", "done")

__all__ = [
    "CST", "ChecklistGroup", "ChecklistItem", "Issue", "MatterSuggestion", "MergeCandidate", "PlanCheck",
    "PlanDraft", "check_plan", "local_day", "merged_checklist", "suggest_matters",
]


@dataclass
class PlanDraft:
    """What the planner edits; `plan_id` is set when re-checking or updating a saved plan."""

    target_id: str | None
    scheduled_at: datetime | None
    duration: int = 120  # minutes
    matter_codes: list[str] = field(default_factory=list)
    lead_department_id: str | None = None
    supporting_department_ids: list[str] = field(default_factory=list)
    officer_ids: list[str] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)
    kind: str = "joint"
    notes: str = ""
    plan_id: str | None = None

    @property
    def end_at(self) -> datetime | None:
        return None if self.scheduled_at is None else self.scheduled_at + timedelta(minutes=self.duration)

    @classmethod
    def from_plan(cls, plan: InspectionPlan) -> PlanDraft:
        return cls(
            target_id=plan.target_id, scheduled_at=plan.scheduled_at, duration=plan.duration_minutes,
            matter_codes=list(plan.matter_codes or []), lead_department_id=plan.lead_department_id,
            supporting_department_ids=list(plan.supporting_department_ids or []),
            officer_ids=list(plan.officer_ids or []), task_ids=list(plan.task_ids or []), kind=plan.kind,
            notes=plan.notes, plan_id=plan.id,
        )


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    officer_id: str | None = None
    plan_id: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class MergeCandidate:
    """Another plan for the same target close enough in time to be done in the same visit."""

    plan_id: str
    scheduled_at: datetime
    kind: str
    matter_codes: tuple[str, ...]
    officer_ids: tuple[str, ...]
    days_apart: int
    message: str


@dataclass
class PlanCheck:
    refusals: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    merge_candidates: list[MergeCandidate] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def codes(self) -> set[str]:
        return {i.code for i in self.refusals} | {i.code for i in self.warnings}


def local_day(moment: datetime) -> date:
    return moment.astimezone(CST).date()


def check_plan(session: Session, draft: PlanDraft, config: PlanningConfig, *, township_id: str | None = None,
               now: datetime | None = None) -> PlanCheck:
    """Check a draft against the planning rules. Read-only; cheap enough to run on every edit."""
    check = PlanCheck()
    target = session.get(Target, draft.target_id) if draft.target_id else None
    if target is None:
        check.refusals.append(Issue("no_target", "请选择检查对象"))
    if draft.scheduled_at is None:
        check.refusals.append(Issue("no_time", "请填写计划检查时间"))
    if not draft.matter_codes:
        check.refusals.append(Issue("no_matter", "请至少选择一项检查事项（无计划不检查）"))
    if draft.kind == "joint" and not draft.lead_department_id:
        check.refusals.append(Issue("no_lead", "请指定牵头部门"))
    township_id = township_id or (target.township_id if target else None)
    day = local_day(draft.scheduled_at) if draft.scheduled_at else local_day(now or datetime.now(UTC))
    _check_team(session, draft, check, day, township_id)
    matters = matters_by_code(session, draft.matter_codes)
    unknown = [c for c in draft.matter_codes if c not in matters]
    if unknown:
        check.refusals.append(Issue("unknown_matter", f"事项目录中没有事项：{'、'.join(unknown)}"))
    _check_departments(session, draft, check, matters)
    _check_fields(session, draft, check, matters, day)
    if target is None or draft.scheduled_at is None:
        return check
    check.merge_candidates = _merge_candidates(session, draft, config)
    if township_id and matters:
        _check_cap(session, draft, check, config, township_id, list(matters))
    _check_bookings(session, draft, check)
    return check


def _check_team(session: Session, draft: PlanDraft, check: PlanCheck, day: date, township_id: str | None) -> None:
    officers = {o.id: o for o in session.scalars(select(Officer).where(Officer.id.in_(draft.officer_ids)))}
    for oid in dict.fromkeys(draft.officer_ids):
        o = officers.get(oid)
        if o is None:
            check.refusals.append(Issue("unknown_officer", "所选人员中有未知人员，请刷新后重试", oid))
        elif township_id and o.township_id != township_id:
            check.refusals.append(Issue("foreign_officer", f"{o.name}不属于本队，不能列入计划", oid))
        elif not o.active:
            check.refusals.append(Issue("inactive_officer", f"{o.name}已停用，不能列入计划", oid))
    refs = officer_refs(session, draft.officer_ids, [draft.target_id] if draft.target_id else [])
    certified = eligible_inspectors(refs, day, draft.target_id)
    if len(certified) < MIN_CERTIFIED_OFFICERS:
        check.refusals.append(Issue(
            "two_officers", f"{TWO_OFFICERS_MESSAGE}，{day.isoformat()} 当天仅有 {len(certified)} 名"))
    if draft.target_id:
        reasons = interest_reasons(session, draft.target_id, [r.id for r in refs])
        for ref in refs:
            if draft.target_id in ref.interests:
                why = f"（{reasons[ref.id]}）" if reasons.get(ref.id) else ""
                check.refusals.append(Issue(
                    "recusal", f"{ref.name}与检查对象存在利害关系{why}，须回避（《行政处罚法》第四十三条）", ref.id))
    for ref in refs:
        problem = certificate_problem(ref, day)
        if problem is not None:
            check.warnings.append(Issue("certificate", f"{problem}，不能计入持证执法人员", ref.id))


def _check_departments(session: Session, draft: PlanDraft, check: PlanCheck, matters: dict) -> None:
    if draft.kind != "joint" or not draft.lead_department_id or not matters:
        return
    names = department_names(session)
    involved = {draft.lead_department_id, *draft.supporting_department_ids}
    owners = {m.owner_department_id for m in matters.values()}
    if draft.lead_department_id not in owners:
        check.warnings.append(Issue(
            "lead_owns_nothing", f"牵头部门「{names.get(draft.lead_department_id, draft.lead_department_id)}」"
                                 "不负责所选的任何事项"))
    for dept in sorted(owners - involved):
        codes = "、".join(m.code for m in matters.values() if m.owner_department_id == dept)
        check.warnings.append(Issue(
            "department_missing", f"事项 {codes} 的实施部门「{names.get(dept, dept)}」未列为牵头或配合部门"))


def _check_fields(session: Session, draft: PlanDraft, check: PlanCheck, matters: dict, day: date) -> None:
    wanted = frozenset(m.field for m in matters.values() if m.field)
    if not wanted:
        return
    label = "、".join(sorted(wanted))
    for ref in officer_refs(session, draft.officer_ids):
        if not ref.fields & wanted:
            check.warnings.append(Issue(
                "fields", f"{ref.name}的执法证领域不涵盖本次任何事项所属领域（{label}）", ref.id))


def _merge_candidates(session: Session, draft: PlanDraft, config: PlanningConfig) -> list[MergeCandidate]:
    assert draft.scheduled_at is not None
    window = timedelta(days=config.merge_window_days)
    q = select(InspectionPlan).where(
        InspectionPlan.target_id == draft.target_id, InspectionPlan.status == "planned",
        InspectionPlan.scheduled_at >= draft.scheduled_at - window,
        InspectionPlan.scheduled_at <= draft.scheduled_at + window,
    ).order_by(InspectionPlan.scheduled_at)
    out: list[MergeCandidate] = []
    for plan in session.scalars(q):
        if plan.id == draft.plan_id:
            continue
        apart = abs((local_day(plan.scheduled_at) - local_day(draft.scheduled_at)).days)
        when = plan.scheduled_at.astimezone(CST).strftime("%Y-%m-%d %H:%M")
        kind = "双随机抽查" if plan.kind == "random" else "检查"
        out.append(MergeCandidate(
            plan.id, plan.scheduled_at, plan.kind, tuple(plan.matter_codes or ()), tuple(plan.officer_ids or ()),
            apart, f"该对象在 {when} 已有{kind}计划（相隔 {apart} 天），可合并为一次上门检查（进一次门、查多项事）",
        ))
    return out


def _year_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, 1, 1, tzinfo=CST)
    return start, datetime(day.year + 1, 1, 1, tzinfo=CST)


def _check_cap(session: Session, draft: PlanDraft, check: PlanCheck, config: PlanningConfig,
               township_id: str, codes: list[str]) -> None:
    """Count this year's plans and finalised inspections of the target per enforcing body."""
    assert draft.scheduled_at is not None
    day = local_day(draft.scheduled_at)
    authority = JurisdictionAuthority.load(session, township_id)
    start, end = _year_bounds(day)
    visits: list[list[str]] = []  # matter codes of each counted visit
    counted_plans: set[str] = set()
    plans = session.scalars(select(InspectionPlan).where(
        InspectionPlan.target_id == draft.target_id, InspectionPlan.status.in_(ACTIVE_PLAN_STATUSES),
        InspectionPlan.scheduled_at >= start, InspectionPlan.scheduled_at < end))
    for plan in plans:
        if plan.id != draft.plan_id:
            counted_plans.add(plan.id)
            visits.append(list(plan.matter_codes or []))
    inspections = session.scalars(select(Inspection).where(
        Inspection.target_id == draft.target_id, Inspection.status == "finalised",
        Inspection.finalised_at >= start, Inspection.finalised_at < end))
    for insp in inspections:
        if insp.plan_id and (insp.plan_id in counted_plans or insp.plan_id == draft.plan_id):
            continue
        visits.append(_inspection_matters(session, insp))
    bodies = {}
    for code in codes:
        body = authority.resolve(code, day).body
        bodies[(body.kind, body.id)] = body
    for key, body in bodies.items():
        n = 0
        for visit in visits:
            visit_bodies = set()
            for code in visit:
                try:
                    b = authority.resolve(code, day).body
                except DomainError:  # a matter not in the edition in force cannot be attributed
                    continue
                visit_bodies.add((b.kind, b.id))
            n += key in visit_bodies
        if n >= config.yearly_cap_per_body:
            check.warnings.append(Issue(
                "yearly_cap", f"{body.legal_name}今年已对该对象安排或完成检查 {n} 次，已达每年 "
                              f"{config.yearly_cap_per_body} 次的上限，请确认确有必要或合并检查"))


def _inspection_matters(session: Session, insp: Inspection) -> list[str]:
    from app.models import Finding, TaskMatter

    if insp.plan_id:
        plan = session.get(InspectionPlan, insp.plan_id)
        if plan is not None:
            return list(plan.matter_codes or [])
    if insp.task_id:
        return list(session.scalars(select(TaskMatter.matter_code).where(TaskMatter.task_id == insp.task_id)))
    q = select(Finding.matter_code).where(Finding.inspection_id == insp.id, Finding.matter_code.is_not(None))
    return list(dict.fromkeys(session.scalars(q)))


def _check_bookings(session: Session, draft: PlanDraft, check: PlanCheck) -> None:
    assert draft.scheduled_at is not None and draft.end_at is not None
    mine = set(draft.officer_ids)
    if not mine:
        return
    q = select(InspectionPlan).where(
        InspectionPlan.status == "planned", InspectionPlan.scheduled_at < draft.end_at,
        InspectionPlan.scheduled_at >= draft.scheduled_at - timedelta(days=1))
    names = dict(session.execute(select(Officer.id, Officer.name).where(Officer.id.in_(mine))).all())
    targets: dict[str, str] = {}
    for plan in session.scalars(q):
        if plan.id == draft.plan_id:
            continue
        plan_end = plan.scheduled_at + timedelta(minutes=plan.duration_minutes)
        if not (plan.scheduled_at < draft.end_at and draft.scheduled_at < plan_end):
            continue
        if plan.target_id not in targets:
            tgt = session.get(Target, plan.target_id)
            targets[plan.target_id] = tgt.name if tgt else plan.target_id
        when = f"{plan.scheduled_at.astimezone(CST):%m-%d %H:%M}–{plan_end.astimezone(CST):%H:%M}"
        for oid in sorted(mine & set(plan.officer_ids or [])):
            check.warnings.append(Issue(
                "booked", f"{names.get(oid, oid)}在 {when} 已安排检查「{targets[plan.target_id]}」，时间冲突",
                oid, plan.id))


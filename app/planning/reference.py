"""Read models for the planning screens, run on the UI's task runner: reference lists of a township (departments,
officers, catalogue matters), target search (bigram full-text: name, credit code, address), and one call that
evaluates a draft (checks + merged checklist) so the planner can refresh live. Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from app.models import Department, Grid, Matter, Officer, Target, Task
from app.planning.checklist import (
    ChecklistGroup,
    MatterSuggestion,
    merged_checklist,
    open_tasks_on_target,
    suggest_matters,
)
from app.planning.config import PlanningConfig
from app.planning.planner import PlanCheck, PlanDraft, check_plan, local_day
from app.search import search_ids
from app.store import Store


@dataclass(frozen=True)
class OfficerInfo:
    id: str
    name: str
    role: str
    certificate_no: str | None
    cert_valid_until: date | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class MatterInfo:
    code: str
    name: str
    field: str
    department_id: str
    department_name: str
    random_item: bool
    industries: tuple[str, ...]


@dataclass(frozen=True)
class TargetInfo:
    id: str
    name: str
    credit_code: str | None
    address: str
    industry: str
    grid_id: str | None
    risk_grade: str


@dataclass
class Reference:
    departments: list[tuple[str, str]]
    officers: list[OfficerInfo]
    matters: list[MatterInfo]
    grids: list[tuple[str, str]]
    industries: list[str]


def load_reference(store: Store, township_id: str) -> Reference:
    with store.read() as s:
        depts = list(s.execute(select(Department.id, Department.name).order_by(Department.id)).all())
        names = dict(depts)
        officers = [
            OfficerInfo(o.id, o.name, o.role, o.certificate_no, o.cert_valid_until, tuple(o.fields or ()))
            for o in s.scalars(select(Officer).where(Officer.township_id == township_id, Officer.active.is_(True))
                               .order_by(Officer.role != "leader", Officer.name))
        ]
        matters = [
            MatterInfo(m.code, m.name, m.field, m.owner_department_id, names.get(m.owner_department_id, ""),
                       m.random_item, tuple(m.industries or ()))
            for m in s.scalars(select(Matter).order_by(Matter.code))
        ]
        grids = list(s.execute(select(Grid.id, Grid.name).where(Grid.township_id == township_id)
                               .order_by(Grid.code)).all())
        industries = sorted(i for i in s.scalars(select(Target.industry).where(
            Target.township_id == township_id).distinct()) if i)
    return Reference([(d[0], d[1]) for d in depts], officers, matters, [(g[0], g[1]) for g in grids], industries)


def _info(t: Target) -> TargetInfo:
    return TargetInfo(t.id, t.name, t.credit_code, t.address, t.industry, t.grid_id, t.risk_grade)


def search_targets(store: Store, township_id: str, query: str, limit: int = 30) -> list[TargetInfo]:
    """Targets of the township matching `query` by name, credit code (prefix) or address."""
    query = query.strip()
    if not query:
        return []
    with store.read() as s:
        ids = search_ids(s, "target", query, limit=limit * 4, ranked=True)
        found: dict[str, Target] = {}
        if ids:
            for t in s.scalars(select(Target).where(Target.id.in_(ids), Target.township_id == township_id)):
                found[t.id] = t
        ordered = [found[i] for i in ids if i in found]
        if len(ordered) < limit and query.isalnum() and query.isascii():
            # a credit code typed in part is also matched as a plain prefix (upper case as printed)
            more = s.scalars(select(Target).where(Target.township_id == township_id, or_(
                Target.credit_code.like(query.upper() + "%"))).limit(limit))
            ordered += [t for t in more if t.id not in found]
        return [_info(t) for t in ordered[:limit]]


def target_info(store: Store, target_id: str) -> TargetInfo | None:
    with store.read() as s:
        t = s.get(Target, target_id)
        return _info(t) if t else None


@dataclass
class TargetContext:
    target: TargetInfo
    suggestions: list[MatterSuggestion]
    open_tasks: list[tuple[str, str, str]]  # id, number, title


def target_context(store: Store, township_id: str, target_id: str) -> TargetContext | None:
    with store.read() as s:
        t = s.get(Target, target_id)
        if t is None:
            return None
        tasks: list[Task] = open_tasks_on_target(s, target_id)
        return TargetContext(_info(t), suggest_matters(s, township_id, target_id),
                             [(x.id, x.number, x.title) for x in tasks])


@dataclass
class Evaluation:
    check: PlanCheck
    checklist: list[ChecklistGroup]


def evaluate(store: Store, township_id: str, draft: PlanDraft, config: PlanningConfig) -> Evaluation:
    with store.read() as s:
        check = check_plan(s, draft, config, township_id=township_id)
        day = local_day(draft.scheduled_at) if draft.scheduled_at else None
        groups = merged_checklist(s, township_id, draft.matter_codes, day=day,
                                  lead_department_id=draft.lead_department_id)
    return Evaluation(check, groups)

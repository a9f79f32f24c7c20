"""Matter suggestions for a target and the merged checklist of a joint inspection (one list for several
departments: "进一次门、查多项事"). Qt-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.inspections.checklist import MatterInfo, merge_checklist
from app.law.jurisdiction import JurisdictionAuthority
from app.models import Matter, Target, Task, TaskMatter
from app.planning.catalog import department_names, matters_by_code, township_matters
from app.rules.enforcing_body import Body
from app.rules.task_states import OPEN_STATUSES


@dataclass(frozen=True)
class MatterSuggestion:
    code: str
    name: str
    by_industry: bool
    task_ids: tuple[str, ...]
    reason: str


def open_tasks_on_target(session: Session, target_id: str) -> list[Task]:
    """Instructions on the target the team still owes work on (待签收 / 已签收 / 处理中)."""
    q = select(Task).where(Task.target_id == target_id, Task.status.in_([s.value for s in OPEN_STATUSES]))
    return list(session.scalars(q.order_by(Task.deadline)))


def suggest_matters(session: Session, township_id: str, target_id: str) -> list[MatterSuggestion]:
    """Matters of the township's catalogue worth checking at `target_id`: those of its open instructions first,
    then those whose `industries` include the target's industry."""
    target = session.get(Target, target_id)
    if target is None:
        return []
    catalogue = {m.code: m for m in township_matters(session, township_id)}
    by_task: dict[str, list[Task]] = {}
    tasks = open_tasks_on_target(session, target_id)
    if tasks:
        rows = session.execute(select(TaskMatter.task_id, TaskMatter.matter_code).where(
            TaskMatter.task_id.in_([t.id for t in tasks])))
        task_of = {t.id: t for t in tasks}
        for task_id, code in rows:
            by_task.setdefault(code, []).append(task_of[task_id])
    industry = (target.industry or "").strip()
    out: list[MatterSuggestion] = []
    for code, matter in catalogue.items():
        linked = by_task.get(code, [])
        fits = bool(industry) and industry in (matter.industries or [])
        if not linked and not fits:
            continue
        reasons = []
        if linked:
            reasons.append("未办结指令 " + "、".join(t.number for t in linked))
        if fits:
            reasons.append(f"适用于{industry}行业")
        out.append(MatterSuggestion(code, matter.name, fits, tuple(t.id for t in linked), "；".join(reasons)))
    out.sort(key=lambda s: (not s.task_ids, s.code))
    return out


@dataclass
class ChecklistItem:
    """One check point; identical points of several matters are checked once and name every matter and body."""

    point: str
    matter_codes: list[str] = field(default_factory=list)
    matter_names: list[str] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)

    @property
    def body_names(self) -> str:
        return "、".join(dict.fromkeys(b.legal_name for b in self.bodies))


@dataclass
class ChecklistGroup:
    department_id: str
    department_name: str
    items: list[ChecklistItem] = field(default_factory=list)
    is_lead: bool = False


def merged_checklist(session: Session, township_id: str, matter_codes: list[str], *, day: date | None = None,
                     lead_department_id: str | None = None) -> list[ChecklistGroup]:
    """The matters' check points grouped by owning department (the lead department first, then in the order the
    matters were chosen); a point identical to one already listed is not repeated but gains the matter and its
    enforcing body (the jurisdiction authority `app.law.jurisdiction`, for the edition in force on `day`).

    The merge itself is `app.inspections.checklist.merge_checklist`, so the plan's preview and printed checklist
    are exactly the list the officers later answer in the field."""
    matters = matters_by_code(session, matter_codes)
    ordered: list[Matter] = [matters[c] for c in dict.fromkeys(matter_codes) if c in matters]
    if not ordered:
        return []
    authority = JurisdictionAuthority.load(session, township_id)
    on = day or date.today()
    names = department_names(session)
    infos: list[MatterInfo] = []
    bodies: dict[str, Body] = {}
    for matter in ordered:
        body = authority.resolve(matter.code, on).body
        bodies.setdefault(body.legal_name, body)
        dept = matter.owner_department_id
        infos.append(MatterInfo(matter.code, matter.name, dept, names.get(dept, dept),
                                tuple(str(p) for p in matter.check_points or []), body=body))
    return [
        ChecklistGroup(g.department_id, g.department_name, is_lead=g.lead, items=[
            ChecklistItem(item.text, list(item.matter_codes), list(item.matter_names),
                          [bodies[name] for name in item.bodies])
            for item in g.items
        ])
        for g in merge_checklist(infos, lead_department_id)
    ]



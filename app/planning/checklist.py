"""Matter suggestions for a target and the merged checklist of a joint inspection (one list for several
departments: "进一次门、查多项事"). Qt-free."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Matter, Target, Task, TaskMatter
from app.planning.catalog import BodyResolver, department_names, matters_by_code, township_matters
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


_SPACE = re.compile(r"\s+")


def normalise_point(text: str) -> str:
    """Identity of a check point: whitespace removed, trailing punctuation dropped."""
    return _SPACE.sub("", text or "").rstrip("。；;，,.?？")


def merged_checklist(session: Session, township_id: str, matter_codes: list[str], *, day: date | None = None,
                     lead_department_id: str | None = None) -> list[ChecklistGroup]:
    """The matters' check points grouped by owning department (the lead department first, then in the order the
    matters were chosen); a point identical to one already listed is not repeated but gains the matter and its
    enforcing body (`app.rules.enforcing_body.resolve`)."""
    matters = matters_by_code(session, matter_codes)
    ordered: list[Matter] = [matters[c] for c in dict.fromkeys(matter_codes) if c in matters]
    if not ordered:
        return []
    resolver = BodyResolver.for_day(session, township_id, day or date.today())
    names = department_names(session)
    groups: dict[str, ChecklistGroup] = {}
    if lead_department_id and any(m.owner_department_id == lead_department_id for m in ordered):
        groups[lead_department_id] = ChecklistGroup(lead_department_id, names.get(lead_department_id, ""),
                                                    is_lead=True)
    seen: dict[str, ChecklistItem] = {}
    for matter in ordered:
        body = resolver.body(matter.code)
        dept = matter.owner_department_id
        group = groups.setdefault(dept, ChecklistGroup(dept, names.get(dept, dept), is_lead=dept == lead_department_id))
        for point in matter.check_points or []:
            key = normalise_point(str(point))
            if not key:
                continue
            item = seen.get(key)
            if item is None:
                item = ChecklistItem(str(point).strip())
                seen[key] = item
                group.items.append(item)
            if matter.code not in item.matter_codes:
                item.matter_codes.append(matter.code)
                item.matter_names.append(matter.name)
            if all((b.kind, b.id) != (body.kind, body.id) for b in item.bodies):
                item.bodies.append(body)
    return [g for g in groups.values() if g.items]


def checklist_size(groups: list[ChecklistGroup]) -> int:
    return sum(len(g.items) for g in groups)

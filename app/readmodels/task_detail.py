"""Qt-free loading of everything the task detail shows, as plain frozen data: the task's fields, its target,
its matters with the enforcing body each is done in the name of today (the jurisdiction authority
`app.law.jurisdiction`), the status timeline, evidence and open conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.documents.values import CHINA_TZ
from app.errors import DomainError
from app.law.jurisdiction import JurisdictionAuthority
from app.readmodels.task_inbox import PRIORITY_LABELS
from app.rules.task_states import TaskAction, TaskStatus


@dataclass(frozen=True)
class TargetInfo:
    name: str
    kind: str
    credit_code: str
    address: str
    legal_rep: str
    contact_name: str
    contact_phone: str
    industry: str
    risk_grade: str


@dataclass(frozen=True)
class MatterInfo:
    code: str
    name: str
    field: str
    owner: str  # the owning district department
    body: str  # legal name of the enforcing body
    body_kind: str  # "township" / "department" / "" when unknown
    note: str = ""
    reason: str = ""  # app.law.jurisdiction.Reason value: empowered / dispatched / not_empowered
    edition: str = ""  # the catalogue edition the body comes from


@dataclass(frozen=True)
class EventInfo:
    at: datetime
    actor: str
    action: str  # label (签收 …)
    from_status: str
    to_status: str
    reason: str
    feedback: str
    synced: bool


@dataclass(frozen=True)
class EvidenceInfo:
    id: str
    name: str
    size: int
    kind: str
    uploaded: bool


@dataclass(frozen=True)
class TaskDetail:
    id: str
    number: str
    title: str
    description: str
    task_type: str
    source: str
    priority: int
    deadline: datetime | None
    dispatched_at: datetime | None
    status: str
    township_id: str
    township: str
    township_mode: str
    grid: str
    notes: str
    feedback: str
    version: int
    target: TargetInfo | None
    matters: list[MatterInfo] = field(default_factory=list)
    events: list[EventInfo] = field(default_factory=list)
    assignees: list[tuple[str, str]] = field(default_factory=list)  # (officer id, name)
    evidence: list[EvidenceInfo] = field(default_factory=list)
    conflict_fields: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        try:
            return TaskStatus(self.status).label
        except ValueError:
            return self.status

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS.get(self.priority, str(self.priority))

def _label(action: str) -> str:
    try:
        return TaskAction(action).label
    except ValueError:
        return action


def _status_label(status: str) -> str:
    try:
        return TaskStatus(status).label
    except ValueError:
        return status


def enforcing_bodies(
    session: Session, township: m.Township, codes: list[str], day: date | None = None
) -> dict[str, MatterInfo]:
    """The matters `codes` with their enforcing body in `township` on `day` (today in China time), from the
    jurisdiction authority; a matter it refuses keeps the authority's Chinese message as its note."""
    on = day or datetime.now(CHINA_TZ).date()
    matters = {mt.code: mt for mt in session.scalars(select(m.Matter).where(m.Matter.code.in_(codes)))}
    departments = {d.id: d.name for d in session.scalars(select(m.Department))}
    try:
        authority: JurisdictionAuthority | None = JurisdictionAuthority.load(session, township.id)
        problem = ""
    except DomainError as exc:
        authority, problem = None, exc.message
    out: dict[str, MatterInfo] = {}
    for code in codes:
        mt = matters.get(code)
        if mt is None:
            out[code] = MatterInfo(
                code, "（目录中未找到）", "", "", "", "", "事项目录中没有该事项，请同步后再查看"
            )
            continue
        owner = departments.get(mt.owner_department_id, "")
        if authority is None:
            out[code] = MatterInfo(code, mt.name, mt.field, owner, "", "", problem)
            continue
        try:
            j = authority.resolve(code, on)
        except DomainError as exc:
            out[code] = MatterInfo(code, mt.name, mt.field, owner, "", "", exc.message)
            continue
        out[code] = MatterInfo(
            code, mt.name, mt.field, owner, j.body.legal_name, j.body.kind, reason=j.reason.value,
            edition=j.edition_label,
        )
    return out


def load_detail(session: Session, task_id: str) -> TaskDetail:
    task = session.get(m.Task, task_id)
    if task is None:
        raise DomainError("未找到该任务，可能已被指挥中心撤回", code="not_found")
    township = session.get(m.Township, task.township_id)
    grid = session.get(m.Grid, task.grid_id) if task.grid_id else None
    target = session.get(m.Target, task.target_id) if task.target_id else None
    codes = sorted(tm.matter_code for tm in task.matters)
    bodies = enforcing_bodies(session, township, codes) if township is not None and codes else {}
    officer_ids = [a.officer_id for a in task.assignees]
    names = {o.id: o.name for o in session.scalars(select(m.Officer).where(m.Officer.id.in_(officer_ids)))}
    evidence = session.scalars(
        select(m.Evidence).where(m.Evidence.task_id == task_id).order_by(m.Evidence.imported_at)
    ).all()
    conflicts = session.scalars(
        select(m.Conflict.field).where(
            m.Conflict.entity == "task", m.Conflict.entity_id == task_id, m.Conflict.status == "open"
        )
    ).all()
    return TaskDetail(
        id=task.id,
        number=task.number,
        title=task.title,
        description=task.description or "",
        task_type=task.task_type,
        source=task.source,
        priority=task.priority,
        deadline=task.deadline,
        dispatched_at=task.dispatched_at,
        status=task.status,
        township_id=task.township_id,
        township=township.name if township else "",
        township_mode=township.mode if township else "",
        grid=grid.name if grid else "",
        notes=task.notes or "",
        feedback=task.feedback or "",
        version=task.version,
        target=None
        if target is None
        else TargetInfo(
            target.name,
            target.kind,
            target.credit_code or "",
            target.address or "",
            target.legal_rep or "",
            target.contact_name or "",
            target.contact_phone or "",
            target.industry or "",
            target.risk_grade or "",
        ),
        matters=[bodies[c] for c in codes if c in bodies],
        events=[
            EventInfo(
                e.at,
                e.actor,
                _label(e.action),
                _status_label(e.from_status),
                _status_label(e.to_status),
                e.reason or "",
                e.feedback or "",
                e.synced,
            )
            for e in sorted(task.events, key=lambda e: e.at)
        ],
        assignees=[(oid, names.get(oid, oid)) for oid in sorted(officer_ids, key=lambda o: names.get(o, o))],
        evidence=[EvidenceInfo(e.id, e.original_name, e.size, e.kind, e.uploaded) for e in evidence],
        conflict_fields=sorted(set(conflicts)),
    )


def team_officers(session: Session, township_id: str) -> list[tuple[str, str, str]]:
    """(id, name, role) of the active officers and leaders of a township's team, for assignment."""
    rows = session.scalars(
        select(m.Officer)
        .where(
            m.Officer.township_id == township_id,
            m.Officer.active.is_(True),
            m.Officer.role.in_(("leader", "officer")),
        )
        .order_by(m.Officer.role, m.Officer.name)
    ).all()
    return [(o.id, o.name, o.role) for o in rows]

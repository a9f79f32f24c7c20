"""The merged checklist of a joint inspection (综合查一次: "进一次门、查多项事").

The check points (检查要点) of every matter on the plan or task are grouped by the department that owns the
matter, the lead department (牵头) first; a check point with the same text in several matters — even of
different departments — is checked once, in the group of the first department that lists it, and keeps every
matter it stands for. Each item names the enforcing body (执法主体) it is done in the name of, from the
jurisdiction authority `app.law.jurisdiction` on the inspection's day.

`merge_checklist` is pure; `load_checklist` reads the matters and asks the authority for their bodies.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.law.jurisdiction import Jurisdiction, JurisdictionAuthority
from app.models import Department, Matter
from app.rules.enforcing_body import Body

OBSERVATION_PREFIX = "obs:"


def normalise_point(text: str) -> str:
    """What makes two check points "identical": NFKC, no blanks anywhere, no trailing punctuation."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).rstrip("。；;，,.?？")


def item_key(text: str) -> str:
    """A stable key for a check point, the same on every laptop and across catalogue editions."""
    return "cp:" + hashlib.sha1(normalise_point(text).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MatterInfo:
    """What the merge needs to know about one matter."""

    code: str
    name: str
    department_id: str
    department_name: str
    check_points: tuple[str, ...]
    body: Body | None = None
    empowered: bool = False
    major_penalty: bool = False
    legal_basis: str = ""
    penalty_basis: str = ""
    field: str = ""
    jurisdiction: Jurisdiction | None = None  # body, edition and reason on the inspection's day
    problem: str = ""  # why there is no body (e.g. the matter is not in the edition in force)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str
    department_id: str
    department_name: str
    matter_codes: tuple[str, ...]
    matter_names: tuple[str, ...]
    bodies: tuple[str, ...]  # legal names of the enforcing bodies, in matter order, without repeats

    @property
    def matter_code(self) -> str:
        """The matter a finding on this item is filed under (the first that lists the point)."""
        return self.matter_codes[0]

    @property
    def body_label(self) -> str:
        return "、".join(self.bodies)


@dataclass(frozen=True)
class ChecklistGroup:
    department_id: str
    department_name: str
    lead: bool
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)


@dataclass
class _Acc:
    text: str
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def merge_checklist(matters: Sequence[MatterInfo], lead_department_id: str | None = None) -> list[ChecklistGroup]:
    """Group the matters' check points by owning department (lead first), identical points once."""
    order: list[str] = []
    names: dict[str, str] = {}
    for m in matters:
        if m.department_id not in names:
            order.append(m.department_id)
            names[m.department_id] = m.department_name
    if lead_department_id in names:
        order.remove(lead_department_id)
        order.insert(0, lead_department_id)
    found: dict[str, _Acc] = {}
    keys_of_dept: dict[str, list[str]] = {d: [] for d in order}
    for dept in order:
        for m in (x for x in matters if x.department_id == dept):
            body = m.body.legal_name if m.body is not None else m.department_name
            for point in m.check_points:
                text = normalise_point(point)
                if not text:
                    continue
                key = item_key(text)
                acc = found.get(key)
                if acc is None:
                    acc = found[key] = _Acc(text)
                    keys_of_dept[dept].append(key)
                if m.code not in acc.codes:
                    acc.codes.append(m.code)
                    acc.names.append(m.name)
                if body not in acc.bodies:
                    acc.bodies.append(body)
    groups: list[ChecklistGroup] = []
    for dept in order:
        items = tuple(
            ChecklistItem(key=k, text=found[k].text, department_id=dept, department_name=names[dept],
                          matter_codes=tuple(found[k].codes), matter_names=tuple(found[k].names),
                          bodies=tuple(found[k].bodies))
            for k in keys_of_dept[dept]
        )
        if items:
            groups.append(ChecklistGroup(dept, names[dept], dept == lead_department_id, items))
    return groups


def flatten(groups: Iterable[ChecklistGroup]) -> list[ChecklistItem]:
    return [item for g in groups for item in g.items]


def load_matters(session: Session, township_id: str, matter_codes: Sequence[str], day: date) -> list[MatterInfo]:
    """The matters in the given order (unknown codes are skipped), each with its enforcing body in the
    township on `day` from the jurisdiction authority (`app.law.jurisdiction`); a matter the edition in force
    does not list keeps no body and says why in `problem`."""
    codes = list(dict.fromkeys(matter_codes))
    if not codes:
        return []
    rows = {m.code: m for m in session.scalars(select(Matter).where(Matter.code.in_(codes)))}
    authority = JurisdictionAuthority.load(session, township_id)
    dept_ids = {m.owner_department_id for m in rows.values()}
    depts = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(dept_ids)))}
    out: list[MatterInfo] = []
    for code in codes:
        m = rows.get(code)
        if m is None:
            continue
        dept = depts.get(m.owner_department_id)
        jurisdiction: Jurisdiction | None = None
        problem = ""
        try:
            jurisdiction = authority.resolve(code, day)
        except DomainError as exc:
            problem = exc.message
        out.append(MatterInfo(
            code=code, name=m.name, department_id=m.owner_department_id,
            department_name=dept.name if dept else m.owner_department_id,
            check_points=tuple(str(p) for p in (m.check_points or [])),
            body=jurisdiction.body if jurisdiction else None,
            empowered=bool(jurisdiction and jurisdiction.empowered), major_penalty=bool(m.major_penalty),
            legal_basis=m.legal_basis, penalty_basis=m.penalty_basis, field=m.field,
            jurisdiction=jurisdiction, problem=problem,
        ))
    return out


def load_checklist(
    session: Session, township_id: str, matter_codes: Sequence[str], lead_department_id: str | None = None,
    *, day: date,
) -> list[ChecklistGroup]:
    return merge_checklist(load_matters(session, township_id, matter_codes, day), lead_department_id)

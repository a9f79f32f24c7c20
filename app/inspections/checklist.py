"""The merged checklist of a joint inspection (综合查一次: "进一次门、查多项事").

The check points (检查要点) of every matter on the plan or task are grouped by the department that owns the
matter, the lead department (牵头) first; a check point with the same text in several matters — even of
different departments — is checked once, in the group of the first department that lists it, and keeps every
matter it stands for. Each item names the enforcing body (执法主体) it is done in the name of, from
`app.rules.enforcing_body` (the township for empowered matters in a 赋权 township, else the department).

`merge_checklist` is pure; `load_checklist` reads the matters, departments, township and empowerments.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Department, Matter, MatterEmpowerment, Township
from app.rules.enforcing_body import Body, Catalogue, DepartmentRef, TownshipMode, TownshipRef, resolve

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


def township_ref(township: Township) -> TownshipRef:
    return TownshipRef(township.id, township.name, TownshipMode(township.mode), township.legal_name,
                       township.seal_name, township.number_prefix)


def department_ref(dept: Department) -> DepartmentRef:
    return DepartmentRef(dept.id, dept.name, dept.legal_name, dept.seal_name, dept.number_prefix)


def load_matters(session: Session, township_id: str, matter_codes: Sequence[str]) -> list[MatterInfo]:
    """The matters in the given order (unknown codes are skipped), each with its enforcing body in the
    township under the latest catalogue edition."""
    codes = list(dict.fromkeys(matter_codes))
    if not codes:
        return []
    rows = {m.code: m for m in session.scalars(select(Matter).where(Matter.code.in_(codes)))}
    township = session.get(Township, township_id)
    if township is None:
        raise ValidationError(f"未找到乡镇「{township_id}」", code="unknown_township")
    dept_ids = {m.owner_department_id for m in rows.values()}
    depts = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(dept_ids)))}
    empowerments = session.execute(
        select(MatterEmpowerment.township_id, MatterEmpowerment.matter_code, MatterEmpowerment.version,
               MatterEmpowerment.empowered)
        .where(MatterEmpowerment.township_id == township_id, MatterEmpowerment.matter_code.in_(list(rows)))
    ).all()
    catalogue = Catalogue.from_empowerments(
        {c: m.owner_department_id for c, m in rows.items()}, [tuple(r) for r in empowerments]
    )
    tref = township_ref(township)
    drefs = {d.id: department_ref(d) for d in depts.values()}
    out: list[MatterInfo] = []
    for code in codes:
        m = rows.get(code)
        if m is None:
            continue
        dept = depts.get(m.owner_department_id)
        body = resolve(catalogue, tref, drefs, code) if dept is not None else None
        out.append(MatterInfo(
            code=code, name=m.name, department_id=m.owner_department_id,
            department_name=dept.name if dept else m.owner_department_id,
            check_points=tuple(str(p) for p in (m.check_points or [])), body=body,
            empowered=catalogue.is_empowered(township_id, code), major_penalty=bool(m.major_penalty),
            legal_basis=m.legal_basis, penalty_basis=m.penalty_basis, field=m.field,
        ))
    return out


def load_checklist(
    session: Session, township_id: str, matter_codes: Sequence[str], lead_department_id: str | None = None
) -> list[ChecklistGroup]:
    return merge_checklist(load_matters(session, township_id, matter_codes), lead_department_id)

"""The township's view of the matter catalogue for planning: matters, their owning departments and the enforcing
body of each matter on a given day (through `app.rules.enforcing_body`), plus officer references for the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.models import (
    CatalogueVersion,
    Department,
    Matter,
    MatterEmpowerment,
    Officer,
    OfficerInterest,
    Township,
)
from app.rules.enforcing_body import (
    Body,
    Catalogue,
    DepartmentRef,
    TownshipMode,
    TownshipRef,
    resolve,
)
from app.rules.officers import OfficerRef


def township_ref(session: Session, township_id: str) -> TownshipRef:
    t = session.get(Township, township_id)
    if t is None:
        raise DomainError("未找到本乡镇（街道）的基础数据，请先同步", code="unknown_township")
    return TownshipRef(t.id, t.name, TownshipMode(t.mode), t.legal_name, t.seal_name, t.number_prefix)


def department_refs(session: Session) -> dict[str, DepartmentRef]:
    return {
        d.id: DepartmentRef(d.id, d.name, d.legal_name, d.seal_name, d.number_prefix)
        for d in session.scalars(select(Department))
    }


def department_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Department.id, Department.name)).all())


def catalogue_version_on(session: Session, day: date) -> int | None:
    """The newest catalogue edition in force on `day` (None when no edition is recorded: use the latest rows)."""
    rows = session.execute(select(CatalogueVersion.version, CatalogueVersion.effective_date)).all()
    in_force = [v for v, eff in rows if eff <= day]
    if in_force:
        return max(in_force)
    return min((v for v, _ in rows), default=None)


def load_catalogue(session: Session, township_id: str | None = None) -> Catalogue:
    owners = dict(session.execute(select(Matter.code, Matter.owner_department_id)).all())
    q = select(MatterEmpowerment.township_id, MatterEmpowerment.matter_code, MatterEmpowerment.version,
               MatterEmpowerment.empowered)
    if township_id is not None:
        q = q.where(MatterEmpowerment.township_id == township_id)
    rows = [tuple(r) for r in session.execute(q) if r[1] in owners]
    return Catalogue.from_empowerments(owners, rows)  # type: ignore[arg-type]


@dataclass
class BodyResolver:
    """Resolves the enforcing body of matters for one township on one day (catalogue loaded once)."""

    township: TownshipRef
    departments: dict[str, DepartmentRef]
    catalogue: Catalogue
    version: int | None

    @classmethod
    def for_day(cls, session: Session, township_id: str, day: date) -> BodyResolver:
        return cls(township_ref(session, township_id), department_refs(session),
                   load_catalogue(session, township_id), catalogue_version_on(session, day))

    def body(self, matter_code: str) -> Body:
        version = self.version
        if version is not None and version not in self.catalogue.versions(matter_code):
            version = max((v for v in self.catalogue.versions(matter_code) if v <= version), default=None)
        return resolve(self.catalogue, self.township, self.departments, matter_code, version)


def matters_by_code(session: Session, codes: Iterable[str]) -> dict[str, Matter]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    return {m.code: m for m in session.scalars(select(Matter).where(Matter.code.in_(codes)))}


def township_matters(session: Session, township_id: str) -> list[Matter]:
    """Every catalogue matter the township exercises (in its own name or the department's), by code."""
    del township_id  # the published catalogue is district-wide; empowerment only decides the body
    return list(session.scalars(select(Matter).order_by(Matter.code)))


def officer_refs(session: Session, officer_ids: Iterable[str], target_ids: Iterable[str] = ()) -> list[OfficerRef]:
    """OfficerRefs in the order of `officer_ids` (unknown ids dropped), with their interests among `target_ids`
    (all their interests when `target_ids` is empty)."""
    ids = list(dict.fromkeys(officer_ids))
    if not ids:
        return []
    officers = {o.id: o for o in session.scalars(select(Officer).where(Officer.id.in_(ids)))}
    q = select(OfficerInterest.officer_id, OfficerInterest.target_id).where(OfficerInterest.officer_id.in_(ids))
    targets = list(target_ids)
    if targets:
        q = q.where(OfficerInterest.target_id.in_(targets))
    interests: dict[str, set[str]] = {}
    for oid, tid in session.execute(q):
        interests.setdefault(oid, set()).add(tid)
    return [to_ref(officers[i], interests.get(i, set())) for i in ids if i in officers]


def to_ref(o: Officer, interests: Iterable[str] = ()) -> OfficerRef:
    return OfficerRef(
        id=o.id, name=o.name, certificate_no=o.certificate_no, cert_valid_until=o.cert_valid_until,
        fields=frozenset(o.fields or ()), interests=frozenset(interests), unit_id=o.unit_id, grid_id=o.grid_id,
    )


def interest_reasons(session: Session, target_id: str, officer_ids: Iterable[str]) -> dict[str, str]:
    ids = list(officer_ids)
    if not ids:
        return {}
    q = select(OfficerInterest.officer_id, OfficerInterest.reason).where(
        OfficerInterest.target_id == target_id, OfficerInterest.officer_id.in_(ids))
    return {oid: reason or "" for oid, reason in session.execute(q)}

"""The township's view of the matter catalogue for planning: matters and their owning departments, plus officer
references for the rules. The enforcing body of a matter on a day is the jurisdiction authority's question
(`app.law.jurisdiction`), never answered here."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department, Matter, Officer, OfficerInterest
from app.rules.officers import OfficerRef


def department_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Department.id, Department.name)).all())


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

"""Read side of field recording: plain snapshots of an inspection (fields, team, merged checklist with answers,
evidence) and the rows the 检查 area lists. Everything returned is detached plain data, safe to hand across
threads; loading takes a session so that finalisation can re-check inside its own write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.inspections.checklist import ChecklistGroup, ChecklistItem, flatten, item_key, load_checklist
from app.models import (
    Evidence,
    Finding,
    Inspection,
    InspectionPlan,
    Matter,
    Officer,
    OfficerInterest,
    Target,
    TaskMatter,
    Township,
)
from app.rules.officers import OfficerRef, TeamCheck, certificate_problem, check_team

CHINA_TZ = timezone(timedelta(hours=8))
OBSERVATION_POINT = "其他现场发现"
RESULTS = ("compliant", "violation", "not_applicable")
RESULT_LABELS = {"compliant": "符合", "violation": "不符合", "not_applicable": "不适用", "": "未检查"}


def local_day(moment: datetime | None) -> date:
    """The calendar day in China time (Asia/Shanghai has no DST) of `moment`, or today."""
    return (moment or datetime.now(UTC)).astimezone(CHINA_TZ).date()


@dataclass(frozen=True)
class OfficerInfo:
    id: str
    name: str
    certificate_no: str | None
    cert_valid_until: date | None
    problem: str | None  # why the certificate does not count on the day, or None
    must_recuse: bool
    ref: OfficerRef


@dataclass(frozen=True)
class Answer:
    finding_id: str
    key: str
    check_point: str
    matter_code: str | None
    result: str
    note: str
    found_at: datetime
    fact: str = ""  # 违法事实 as the officer states it (violations)


@dataclass(frozen=True)
class EvidenceInfo:
    id: str
    sha256: str
    size: int
    kind: str
    media_type: str
    original_name: str
    finding_id: str | None
    imported_at: datetime
    exif_time: datetime | None
    gps_lat: float | None
    gps_lon: float | None
    voided: bool
    void_reason: str | None
    uploaded: bool
    caption: str


@dataclass
class InspectionSnapshot:
    id: str
    status: str
    version: int
    plan_id: str | None
    task_id: str | None
    target_id: str | None
    target_name: str
    township_id: str
    township_name: str
    started_at: datetime | None
    ended_at: datetime | None
    place: str
    officer_ids: list[str]
    certificates_shown: bool
    recusal_told: bool
    party: dict[str, Any]
    onsite_person: dict[str, Any]
    witnesses: list[dict[str, Any]]
    observations: str
    signatures: dict[str, Any]
    finalised_at: datetime | None
    matter_codes: list[str]
    groups: list[ChecklistGroup]
    answers: dict[str, Answer]
    extra_findings: list[Answer]  # free observations, and answers to points no longer on the checklist
    evidence: list[EvidenceInfo]
    officers: list[OfficerInfo]
    team: TeamCheck
    matter_fields: frozenset[str] = field(default_factory=frozenset)

    @property
    def finalised(self) -> bool:
        return self.status == "finalised"

    @property
    def items(self) -> list[ChecklistItem]:
        return flatten(self.groups)

    @property
    def day(self) -> date:
        return local_day(self.started_at)

    def unanswered(self) -> list[ChecklistItem]:
        return [i for i in self.items if not (a := self.answers.get(i.key)) or a.result not in RESULTS]

    def violations(self) -> list[Answer]:
        return [a for a in [*self.answers.values(), *self.extra_findings] if a.result == "violation"]


def officer_refs(session: Session, officer_ids: list[str]) -> list[OfficerRef]:
    """OfficerRefs (with declared interests) in the given order; unknown ids skipped."""
    ids = list(dict.fromkeys(officer_ids))
    if not ids:
        return []
    rows = {o.id: o for o in session.scalars(select(Officer).where(Officer.id.in_(ids)))}
    interests: dict[str, set[str]] = {}
    for oid, tid in session.execute(
        select(OfficerInterest.officer_id, OfficerInterest.target_id).where(OfficerInterest.officer_id.in_(ids))
    ):
        interests.setdefault(oid, set()).add(tid)
    return [
        OfficerRef(o.id, o.name, o.certificate_no, o.cert_valid_until, frozenset(o.fields or []),
                   frozenset(interests.get(o.id, set())), o.unit_id, o.grid_id)
        for oid in ids if (o := rows.get(oid)) is not None
    ]


def team_check(session: Session, officer_ids: list[str], day: date, target_id: str | None,
               matter_fields: frozenset[str] = frozenset()) -> tuple[list[OfficerInfo], TeamCheck]:
    refs = officer_refs(session, officer_ids)
    infos = [
        OfficerInfo(r.id, r.name, r.certificate_no, r.cert_valid_until, certificate_problem(r, day),
                    target_id is not None and target_id in r.interests, r)
        for r in refs
    ]
    check = check_team(refs, day, target_id, matter_fields=matter_fields)
    missing = [oid for oid in dict.fromkeys(officer_ids) if oid not in {r.id for r in refs}]
    for oid in missing:
        check.warnings.append(f"执法人员（{oid}）不在本机人员名录中")
    return infos, check


def matter_codes_of(session: Session, insp: Inspection) -> tuple[list[str], str | None]:
    """The matters of the inspection (from its plan, else its task) and the plan's lead department."""
    if insp.plan_id:
        plan = session.get(InspectionPlan, insp.plan_id)
        if plan is not None:
            return [str(c) for c in plan.matter_codes or []], plan.lead_department_id
    if insp.task_id:
        codes = session.scalars(select(TaskMatter.matter_code).where(TaskMatter.task_id == insp.task_id)).all()
        return list(codes), None
    return [], None


def _answer(f: Finding) -> Answer:
    key = f"obs:{f.id}" if f.check_point == OBSERVATION_POINT else item_key(f.check_point)
    return Answer(f.id, key, f.check_point, f.matter_code, f.result, f.note, f.found_at, f.fact or "")


def _evidence(e: Evidence) -> EvidenceInfo:
    return EvidenceInfo(e.id, e.sha256, e.size, e.kind, e.media_type, e.original_name, e.finding_id, e.imported_at,
                        e.exif_time, e.gps_lat, e.gps_lon, e.voided, e.void_reason, e.uploaded, e.caption)


def snapshot(session: Session, inspection_id: str) -> InspectionSnapshot:
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise DomainError("未找到该检查记录", code="not_found")
    target = session.get(Target, insp.target_id) if insp.target_id else None
    township = session.get(Township, insp.township_id)
    codes, lead = matter_codes_of(session, insp)
    groups = load_checklist(session, insp.township_id, codes, lead, day=local_day(insp.started_at))
    fields = frozenset(session.scalars(select(Matter.field).where(Matter.code.in_(codes))).all()) if codes else frozenset()
    keys = {i.key for g in groups for i in g.items}
    answers: dict[str, Answer] = {}
    extra: list[Answer] = []
    findings = session.scalars(
        select(Finding).where(Finding.inspection_id == inspection_id).order_by(Finding.found_at, Finding.id)
    ).all()
    for f in findings:
        a = _answer(f)
        if a.key in keys and a.key not in answers:
            answers[a.key] = a
        else:
            extra.append(a)
    evidence = session.scalars(
        select(Evidence).where(Evidence.inspection_id == inspection_id).order_by(Evidence.imported_at, Evidence.id)
    ).all()
    officers, team = team_check(session, list(insp.officer_ids or []), local_day(insp.started_at), insp.target_id,
                                fields)
    return InspectionSnapshot(
        id=insp.id, status=insp.status, version=insp.version, plan_id=insp.plan_id, task_id=insp.task_id,
        target_id=insp.target_id, target_name=target.name if target else "", township_id=insp.township_id,
        township_name=township.name if township else insp.township_id, started_at=insp.started_at,
        ended_at=insp.ended_at, place=insp.place, officer_ids=list(insp.officer_ids or []),
        certificates_shown=insp.certificates_shown, recusal_told=insp.recusal_told, party=dict(insp.party or {}),
        onsite_person=dict(insp.onsite_person or {}), witnesses=list(insp.witnesses or []),
        observations=insp.observations, signatures=dict(insp.signatures or {}), finalised_at=insp.finalised_at,
        matter_codes=codes, groups=groups, answers=answers, extra_findings=extra,
        evidence=[_evidence(e) for e in evidence], officers=officers, team=team, matter_fields=fields,
    )


@dataclass(frozen=True)
class InspectionRow:
    id: str
    status: str
    target_name: str
    started_at: datetime | None
    place: str
    plan_id: str | None
    task_id: str | None


@dataclass(frozen=True)
class PlanRow:
    id: str
    kind: str
    target_name: str
    scheduled_at: datetime
    matter_count: int
    status: str


def open_inspections(session: Session, township_id: str | None, today: date) -> list[InspectionRow]:
    """Drafts of any day, and everything started or finalised today (China time), newest first."""
    start = datetime(today.year, today.month, today.day, tzinfo=CHINA_TZ)
    query = (
        select(Inspection, Target.name)
        .outerjoin(Target, Target.id == Inspection.target_id)
        .where(or_(Inspection.status != "finalised", Inspection.started_at >= start,
                   Inspection.finalised_at >= start))
        .order_by(Inspection.started_at.desc())
    )
    if township_id:
        query = query.where(Inspection.township_id == township_id)
    return [InspectionRow(i.id, i.status, name or "", i.started_at, i.place, i.plan_id, i.task_id)
            for i, name in session.execute(query)]


def startable_plans(session: Session, township_id: str | None, today: date, days_ahead: int = 7) -> list[PlanRow]:
    """Planned visits up to `days_ahead` days ahead (overdue ones too) without a draft inspection yet."""
    end = datetime(today.year, today.month, today.day, tzinfo=CHINA_TZ) + timedelta(days=days_ahead + 1)
    started = select(Inspection.plan_id).where(Inspection.plan_id.is_not(None))
    query = (
        select(InspectionPlan, Target.name)
        .outerjoin(Target, Target.id == InspectionPlan.target_id)
        .where(InspectionPlan.status == "planned", InspectionPlan.scheduled_at < end,
               InspectionPlan.id.not_in(started))
        .order_by(InspectionPlan.scheduled_at)
    )
    if township_id:
        query = query.where(InspectionPlan.township_id == township_id)
    return [PlanRow(p.id, p.kind, name or "", p.scheduled_at, len(p.matter_codes or []), p.status)
            for p, name in session.execute(query)]


def township_officers(session: Session, township_id: str | None) -> list[tuple[str, str, str | None]]:
    """(id, name, certificate number) of the active officers of the township, by name."""
    query = select(Officer.id, Officer.name, Officer.certificate_no).where(Officer.active.is_(True))
    if township_id:
        query = query.where(Officer.township_id == township_id)
    return [tuple(r) for r in session.execute(query.order_by(Officer.name))]  # type: ignore[misc]  # each row has exactly the three selected columns



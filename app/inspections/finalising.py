"""Finalising an on-site record (完成并锁定) and what may follow from it (mixed into `InspectionService`).

`finalise_problems` lists, in Chinese, everything that stops a record from being finalised: the team (two
officers holding a certificate valid on the day, recusal — 《行政处罚法》第四十二、四十三条), the statements that
certificates were shown and the right to recusal told (第五十五条), the party, every checklist item answered,
signatures or recorded refusals of the party and every officer, start and end time. `finalise` re-checks inside
its write transaction, then locks the record and queues it — with its draft findings — for the platform.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app import changes
from app.entities import to_wire
from app.errors import DomainError
from app.inspections.party import party_missing
from app.inspections.signing import required_roles, role_label
from app.inspections.view import InspectionSnapshot, snapshot
from app.models import Finding, Inspection, InspectionPlan

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.identity import CurrentUser
    from app.inspections.followups import FollowUpOption
    from app.rules.clocks import LegalThresholds
    from app.store import Store

MAX_LISTED = 5


class FinaliseRefused(DomainError):
    """The record cannot be finalised yet; `problems` lists why (Chinese)."""

    default_code = "not_finalisable"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("检查记录尚不能完成并锁定：\n" + "\n".join(f"· {p}" for p in problems))
        self.problems = problems

    def __reduce__(self) -> tuple[Any, ...]:
        return (FinaliseRefused, (self.problems,))


def ends_before_start(start: datetime, end: datetime) -> bool:
    """A record states its times to the minute: the end may share the start's minute."""
    return end.replace(second=0, microsecond=0) < start.replace(second=0, microsecond=0)


def _signature_problems(snap: InspectionSnapshot) -> list[str]:
    names = {o.id: o.name for o in snap.officers}
    out = []
    for role in required_roles(snap.officer_ids):
        entry = snap.signatures.get(role) or {}
        live = {e.id for e in snap.evidence if not e.voided}
        if entry.get("refused"):
            if not entry.get("reason") or not entry.get("witness"):
                out.append(f"{role_label(role, names)}拒绝签名，但未记录原因或见证人")
        elif not entry.get("evidence_id") or entry["evidence_id"] not in live:
            out.append(f"缺少{role_label(role, names)}的签名（或拒签记录）")
    return out


def finalise_problems(snap: InspectionSnapshot) -> list[str]:
    """Everything that stops finalisation, in the order a person would fix it."""
    if snap.finalised:
        return ["检查记录已定稿"]
    problems: list[str] = []
    if snap.started_at is None:
        problems.append("未填写检查开始时间")
    if snap.ended_at is None:
        problems.append("未填写检查结束时间")
    elif snap.started_at is not None and ends_before_start(snap.started_at, snap.ended_at):
        problems.append("检查结束时间早于开始时间")
    if not snap.place.strip():
        problems.append("未填写检查地点")
    problems += snap.team.refusals
    if not snap.certificates_shown:
        problems.append("未记录已向当事人出示执法证件（《行政处罚法》第五十五条）")
    if not snap.recusal_told:
        problems.append("未记录已告知当事人申请回避的权利")
    problems += party_missing(snap.party, today=snap.day)
    unanswered = snap.unanswered()
    if unanswered:
        listed = "；".join(f"「{i.text}」" for i in unanswered[:MAX_LISTED])
        more = f" 等 {len(unanswered)} 项" if len(unanswered) > MAX_LISTED else ""
        problems.append(f"还有 {len(unanswered)} 个检查项未作结论：{listed}{more}")
    problems += _fact_problems(snap)
    problems += _signature_problems(snap)
    return problems


def _fact_problems(snap: InspectionSnapshot) -> list[str]:
    """A violation needs the officer's statement of the facts (违法事实): what was seen, where, how much —
    the check point only says what was asked."""
    missing = [a for a in snap.violations() if not (a.fact or "").strip()]
    if not missing:
        return []
    listed = "；".join(f"「{a.check_point}」" for a in missing[:MAX_LISTED])
    more = f" 等 {len(missing)} 项" if len(missing) > MAX_LISTED else ""
    return [f"判定为不符合的检查项须填写违法事实（执法人员对现场所见事实的陈述）：{listed}{more}"]


class FinalisingMixin:
    store: Store
    user: CurrentUser
    clock: Callable[[], datetime]
    thresholds: LegalThresholds

    if TYPE_CHECKING:
        def _draft(self, session: Session, inspection_id: str, *, allow_final: bool = False) -> Inspection: ...

    def missing(self, inspection_id: str) -> list[str]:
        """What still stops `finalise` (empty when it would succeed)."""
        with self.store.read() as session:
            return finalise_problems(snapshot(session, inspection_id))

    def finalise(self, inspection_id: str) -> InspectionSnapshot:
        """Check, lock (status finalised) and queue the record and its findings in one transaction.
        Raises `FinaliseRefused` listing what is missing; nothing changes then."""
        with self.store.write() as session:
            insp = self._draft(session, inspection_id)
            snap = snapshot(session, inspection_id)
            problems = finalise_problems(snap)
            if problems:
                raise FinaliseRefused(problems)
            findings = session.scalars(
                select(Finding).where(Finding.inspection_id == inspection_id).order_by(Finding.found_at)
            ).all()
            for f in findings:
                if not f.result:  # filed for evidence under an item no longer on the checklist, never answered
                    f.result = "not_applicable"
                changes.record(session, actor=self.user.actor, entity="finding", entity_id=f.id, op="create",
                               data=to_wire(f))
            now = self.clock()
            changes.record_update(session, insp, {"status": "finalised", "finalised_at": now},
                                  actor=self.user.actor)
            if insp.plan_id:
                plan = session.get(InspectionPlan, insp.plan_id)
                if plan is not None and plan.status == "planned":
                    changes.record_update(session, plan, {"status": "done"}, actor=self.user.actor)
            session.flush()
            return snapshot(session, inspection_id)

    # ---- follow-ups (see app.inspections.followups) ---------------------------------------------------------

    def follow_ups(self, inspection_id: str) -> list[FollowUpOption]:
        from app.inspections.followups import FollowUpService

        return FollowUpService(self.store, self.user, thresholds=self.thresholds, clock=self.clock).options(
            inspection_id)

    def create_follow_up(self, inspection_id: str, option: FollowUpOption, **overrides: Any) -> dict[str, str]:
        from app.inspections.followups import FollowUpService

        return FollowUpService(self.store, self.user, thresholds=self.thresholds, clock=self.clock).create(
            inspection_id, option, **overrides)

"""双向反馈 (plan §13): a 抄告 (Referral kind "notice") is answered by the regulating department through the
platform (`NoticeReply`, entered with the platform's admin `notice-reply`). The reply deadline is the referral's
`reply_due`; a notice without a reply after that day is overdue. The chain "finding → 抄告 → reply" is shown
on the target (through the inspection) and on a case (referrals carrying its `case_id`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import models as m
from app.rules.response import reply_overdue


@dataclass(frozen=True)
class ChainLink:
    finding: m.Finding | None
    notice: m.Referral
    department: str
    replies: list[m.NoticeReply]
    overdue: bool

    @property
    def answered(self) -> bool:
        return bool(self.replies)


def _links(session: Session, notices: list[m.Referral], today: date) -> list[ChainLink]:
    if not notices:
        return []
    ids = [n.id for n in notices]
    replies: dict[str, list[m.NoticeReply]] = {}
    for r in session.scalars(select(m.NoticeReply).where(m.NoticeReply.referral_id.in_(ids))
                             .order_by(m.NoticeReply.replied_at)):
        replies.setdefault(r.referral_id, []).append(r)
    departments = {d.id: d.name for d in session.scalars(select(m.Department))}
    out = []
    for n in sorted(notices, key=lambda n: (n.created_at, n.id)):
        got = replies.get(n.id, [])
        finding = session.get(m.Finding, n.finding_id) if n.finding_id else None
        out.append(ChainLink(finding, n, departments.get(n.to_department_id, n.to_department_id), got,
                             reply_overdue(n.reply_due, bool(got), today)))
    return out


def chain_for_target(session: Session, target_id: str, today: date) -> list[ChainLink]:
    inspections = select(m.Inspection.id).where(m.Inspection.target_id == target_id)
    findings = select(m.Finding.id).where(m.Finding.target_id == target_id)
    notices = list(session.scalars(select(m.Referral).where(
        m.Referral.kind == "notice",
        or_(m.Referral.inspection_id.in_(inspections), m.Referral.finding_id.in_(findings)),
    )))
    return _links(session, notices, today)


def chain_for_case(session: Session, case_id: str, today: date) -> list[ChainLink]:
    notices = list(session.scalars(select(m.Referral).where(m.Referral.kind == "notice", m.Referral.case_id == case_id)))
    return _links(session, notices, today)


def overdue_notices(session: Session, township_id: str | None, today: date) -> list[ChainLink]:
    """Notices past their reply day with no reply (the query behind the overdue flag)."""
    query = select(m.Referral).where(m.Referral.kind == "notice", m.Referral.reply_due < today)
    if township_id:
        query = query.where(m.Referral.township_id == township_id)
    answered = select(m.NoticeReply.referral_id)
    query = query.where(m.Referral.id.not_in(answered))
    return _links(session, list(session.scalars(query)), today)

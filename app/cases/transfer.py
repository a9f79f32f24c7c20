"""Transfers (移送) produce their letter and are tracked: a 案件移送函 draft with its attachment list (the case's and
the inspection's records, the photos and recordings, and the evidence list with each file's SHA-256), and the
transfer's progress sent → received → answered, each step recorded with its date, note and who recorded it.

A transfer comes from a follow-up of an inspection (`app.inspections.followups`, a Referral of kind "transfer")
or from a case (the case's 移送 step, `transfer_case`). The letter is issued like any document (签发 decides the
sender's body: the team's own name for letters to other bodies).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app import models as m
from app.documents.lifecycle import DocStatus
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.rules.case_history import CHINA_TZ
from app.rules.numbering import doc_type_name
from app.store import Store

TRACK_STEPS = {"sent": "open", "received": "sent", "answered": "received"}
TRACK_LABELS = {"open": "待发送", "sent": "已发送", "received": "已接收", "answered": "已回复"}


def attachment_list(session: Session, referral: m.Referral, evidence: list[dict[str, str]]) -> str:
    """附件: the records issued for the inspection or case (by number), the photos/recordings, the evidence list."""
    docs = select(m.Document).where(
        m.Document.status.in_([DocStatus.ISSUED.value, DocStatus.SERVED.value]),
        m.Document.doc_type != "transfer_letter",
    )
    if referral.case_id:
        docs = docs.where(
            (m.Document.case_id == referral.case_id) | (m.Document.inspection_id == referral.inspection_id)
        )
    elif referral.inspection_id:
        docs = docs.where(m.Document.inspection_id == referral.inspection_id)
    else:
        docs = docs.where(m.Document.id.is_(None))
    lines = [
        f"{doc_type_name(d.doc_type)}（{d.number}）"
        for d in session.scalars(docs.order_by(m.Document.issued_at))
    ]
    counts: dict[str, int] = {}
    for row in evidence:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    lines.extend(f"{kind} {n} 份" for kind, n in counts.items())
    if evidence:
        lines.append(f"证据清单（{len(evidence)} 项，附 SHA-256 校验码）")
    if not lines:
        lines.append("现场检查（勘验）笔录")
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


class TransferService:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store = store
        self.user = user

    def letter(self, referral_id: str) -> m.Document:
        """The transfer's 案件移送函 draft (made once; asking again returns the same letter)."""
        from app.documents.service import DocumentService

        with self.store.read() as session:
            referral = self._load(session, referral_id)
            if referral.letter_id:
                existing = session.get(m.Document, referral.letter_id)
                if existing is not None:
                    return existing
            department = session.get(m.Department, referral.to_department_id)
            fields: dict[str, Any] = {
                "receiver": department.legal_name if department else "",
                "facts": referral.facts,
            }
            if referral.reason:
                fields["reason"] = referral.reason
            task_id = (
                session.scalar(select(m.Inspection.task_id).where(m.Inspection.id == referral.inspection_id))
                if referral.inspection_id
                else None
            )
            case = session.get(m.Case, referral.case_id) if referral.case_id else None
        if case is not None:
            fields.update(
                {
                    "party_name": case.party_name,
                    "party_id_code": case.party_id_code,
                    "party_legal_rep": case.party_legal_rep,
                    "party_address": case.party_address,
                }
            )
            fields.setdefault("inspection_date", case.act_date.isoformat())
        from app.documents.templates import load_template

        template = load_template("transfer_letter")
        given = {k: v for k, v in fields.items() if k in template.by_key and v not in (None, "")}
        doc = DocumentService(self.store, self.user).create_draft(
            doc_type="transfer_letter",
            township_id=referral.township_id,
            matter_code=referral.matter_code,
            inspection_id=referral.inspection_id,
            task_id=task_id,
            fields=given,
            case_id=referral.case_id,
        )
        with self.store.read() as session:
            attachments = attachment_list(session, referral, list(doc.fields.get("evidence_list") or []))
        doc = DocumentService(self.store, self.user).update_draft(doc.id, {"attachments": attachments})
        with self.store.write() as session:
            changes.record_update(
                session, self._load(session, referral_id), {"letter_id": doc.id}, actor=self.user.actor
            )
        return doc

    def transfer_case(
        self, case_id: str, *, to_department_id: str, reason: str, on: date | None = None
    ) -> m.Referral:
        """The case's 移送 step and the transfer it makes (its letter is drafted with `letter`)."""
        from app.cases.service import CaseService

        if not reason or not reason.strip():
            raise ValidationError("移送必须填写原因", code="reason_required")
        with self.store.read() as session:
            if session.get(m.Department, to_department_id) is None:
                raise ValidationError("未找到接收部门", code="unknown_department")
        cases = CaseService(self.store, self.user)
        cases.step(case_id, "transfer", reason=reason, on=on, data={"to_department_id": to_department_id})
        case = cases.get(case_id)
        with self.store.write() as session:
            referral = m.Referral(
                id=m.new_id(),
                kind="transfer",
                township_id=case.township_id,
                inspection_id=case.inspection_id,
                finding_id=case.finding_id,
                to_department_id=to_department_id,
                matter_code=(case.matter_codes or [None])[0],
                subject=f"关于{case.party_name}{case.title}的移送"[:200],
                facts=case.facts,
                reason=reason.strip(),
                status="open",
                created_by=self.user.actor,
                case_id=case.id,
                tracking=[],
            )
            changes.record_create(session, referral, actor=self.user.actor)
            return referral

    def track(self, referral_id: str, status: str, *, on: date | None = None, note: str = "") -> m.Referral:
        """Record the next step of the transfer: sent (the letter issued), received, answered (with the reply)."""
        if status not in TRACK_STEPS:
            raise ValidationError("移送跟踪只能登记：已发送、已接收、已回复", code="bad_status")
        with self.store.write() as session:
            referral = self._load(session, referral_id)
            if referral.kind != "transfer":
                raise DomainError("只有案件移送需要跟踪", code="not_a_transfer")
            if referral.status != TRACK_STEPS[status]:
                raise DomainError(
                    f"移送当前为「{TRACK_LABELS.get(referral.status, referral.status)}」，"
                    f"不能登记「{TRACK_LABELS[status]}」",
                    code="bad_status",
                )
            if status == "sent":
                letter = session.get(m.Document, referral.letter_id) if referral.letter_id else None
                if letter is None or letter.status not in (DocStatus.ISSUED.value, DocStatus.SERVED.value):
                    raise DomainError("案件移送函签发后才能登记已发送", code="letter_not_issued")
            if status == "answered" and not note.strip():
                raise ValidationError("请填写接收部门的回复（处理结果）", code="note_required")
            day = on or datetime.now(CHINA_TZ).date()
            entry = {"status": status, "on": day.isoformat(), "note": note.strip(), "actor": self.user.actor}
            changes.record_update(
                session,
                referral,
                {"status": status, "tracking": [*(referral.tracking or []), entry]},
                actor=self.user.actor,
            )
            return referral

    def _load(self, session: Session, referral_id: str) -> m.Referral:
        referral = session.get(m.Referral, referral_id)
        if referral is None:
            raise DomainError("未找到该移送记录", code="not_found")
        if self.user.township_id and referral.township_id != self.user.township_id:
            raise DomainError("该移送不属于本队", code="forbidden")
        return referral

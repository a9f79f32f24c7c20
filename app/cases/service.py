"""Case use cases: 立案 (from a finding, a received transfer, a complaint), stage steps, the case's documents,
its clocks and next legal steps.

Every step goes through `app.rules.case_states.step` (the same function the platform runs) and is recorded as a
`transition` mutation through `app.changes` in the same transaction as the case row; a refused step raises a
`DomainError` and changes nothing. Clocks are derived from the events each time they are asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app import models as m
from app.cases.common import editions, facts_of
from app.cases.filing import Filing, build_case, party_from_records
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.rules.case_clocks import case_clocks, surcharge
from app.rules.case_history import CHINA_TZ, china_day, fold
from app.rules.case_states import CaseAction, CaseStage, StepContext, filing_warnings, next_steps, step
from app.rules.clocks import Clock
from app.store import Store


@dataclass
class Filed:
    case: m.Case
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseView:
    """Everything the case view shows, computed from the stored case on `today`."""

    case: m.Case
    stage: CaseStage
    clocks: list[Clock]
    steps: list[tuple[CaseAction, str | None]]
    documents: list[m.Document]
    reviews: list[dict[str, Any]]
    surcharge: str
    warnings: list[str]
    refused: list[str] = field(default_factory=list)  # steps the platform refused, with its reason

    @property
    def next_step(self) -> tuple[CaseAction, str | None] | None:
        """The first main-line step the stage allows (with why it is blocked today, if it is)."""
        return self.steps[0] if self.steps else None


def refused_steps(session: Session, case_id: str) -> list[str]:
    """Steps of the case the platform refused (parked in the outbox with its reason), for the case view."""
    parked = session.scalars(
        select(m.OutboxEntry)
        .where(m.OutboxEntry.entity == "case", m.OutboxEntry.entity_id == case_id,
               m.OutboxEntry.op == "transition", m.OutboxEntry.state == "parked")
        .order_by(m.OutboxEntry.seq)
    ).all()
    out = []
    for row in parked:
        event = row.payload.get("event") if isinstance(row.payload, dict) else None
        if isinstance(event, dict):
            out.append(f"{CaseAction(event['action']).label}（{event.get('on', '')}）：{row.last_error or ''}")
    return out


class CaseService:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store = store
        self.user = user

    # ---- reading -----------------------------------------------------------------------------------------

    def get(self, case_id: str) -> m.Case:
        with self.store.read() as session:
            return self._load(session, case_id)

    def view(self, case_id: str, today: date | None = None) -> CaseView:
        today = today or datetime.now(CHINA_TZ).date()
        with self.store.read() as session:
            case = self._load(session, case_id)
            eds = editions(session)
            docs = list(
                session.scalars(
                    select(m.Document)
                    .where(m.Document.case_id == case.id)
                    .order_by(m.Document.created_at, m.Document.id)
                )
            )
            refused = refused_steps(session, case.id)
        facts = facts_of(case)
        events = list(case.events or [])
        history = fold(events)
        reviews = [
            {
                "opinion": (e.get("data") or {}).get("opinion"),
                "text": (e.get("data") or {}).get("text", ""),
                "reviewer": e["actor"],
                "on": e.get("on"),
            }
            for e in events
            if e["action"] == CaseAction.REVIEW.value
        ]
        from app.rules.case_config import in_force
        from app.rules.clocks import format_yuan

        owed = surcharge(history, in_force(eds, case.filed_on), today)
        return CaseView(
            case=case,
            stage=CaseStage(case.status),
            clocks=case_clocks(facts, events, eds),
            steps=next_steps(facts, events, today, eds),
            documents=docs,
            reviews=reviews,
            surcharge=format_yuan(owed),
            warnings=filing_warnings(facts, case.filed_on, eds),
            refused=refused,
        )

    # ---- 立案 --------------------------------------------------------------------------------------------

    def file_from_finding(self, finding_id: str, filing: Filing, *, on: date | None = None) -> Filed:
        with self.store.write() as session:
            finding = session.get(m.Finding, finding_id)
            if finding is None:
                raise ValidationError("未找到该检查发现", code="unknown_finding")
            if finding.result != "violation":
                raise ValidationError("只有违法发现可以立案", code="not_a_violation")
            if session.scalar(
                select(m.Case.id).where(m.Case.finding_id == finding_id, m.Case.status != "terminated")
            ):
                raise DomainError("该检查发现已经立案，不能重复立案", code="already_filed")
            inspection = session.get(m.Inspection, finding.inspection_id) if finding.inspection_id else None
            links = {
                "finding_id": finding.id,
                "inspection_id": finding.inspection_id,
                "task_id": inspection.task_id if inspection else None,
                "target_id": finding.target_id,
            }
            officers = list(filing.officer_ids) or list(inspection.officer_ids if inspection else [])
            filing.officer_ids = officers
            if not filing.matter_codes and finding.matter_code:
                filing.matter_codes = [finding.matter_code]
            if not filing.facts.strip():
                filing.facts = finding.fact or ""  # the officer's statement of the facts (违法事实)
            defaults = party_from_records(session, inspection, finding.target_id)
            return self._file(session, finding.township_id, "finding", filing, on, defaults, links)

    def file_from_transfer(
        self,
        filing: Filing,
        *,
        township_id: str | None = None,
        referral_id: str | None = None,
        on: date | None = None,
    ) -> Filed:
        """A case received by transfer (移送接收): `source_note` names the sending body and its letter."""
        if not filing.source_note.strip():
            raise ValidationError("请填写移送机关及移送函文号", code="source_required")
        township = township_id or self._own_township()
        with self.store.write() as session:
            return self._file(session, township, "transfer", filing, on, {}, {"referral_id": referral_id})

    def file_from_complaint(
        self,
        filing: Filing,
        *,
        township_id: str | None = None,
        target_id: str | None = None,
        on: date | None = None,
    ) -> Filed:
        if not filing.source_note.strip():
            raise ValidationError("请填写投诉举报内容（来源、时间、反映的问题）", code="source_required")
        township = township_id or self._own_township()
        with self.store.write() as session:
            defaults = party_from_records(session, None, target_id)
            return self._file(session, township, "complaint", filing, on, defaults, {"target_id": target_id})

    def _file(
        self,
        session: Session,
        township_id: str,
        source: str,
        filing: Filing,
        on: date | None,
        defaults: dict[str, str],
        links: dict[str, str | None],
    ) -> Filed:
        if self.user.township_id and township_id != self.user.township_id:
            raise DomainError("不能为其他乡镇（街道）立案", code="forbidden")
        at = datetime.now(CHINA_TZ)
        filed_on = on or at.date()
        case, _jurisdiction, facts = build_case(
            session,
            township_id=township_id,
            source=source,
            filing=filing,
            filed_on=filed_on,
            actor=self.user.actor,
            defaults=defaults,
            links=links,
        )
        eds = editions(session)
        event = step(
            facts,
            [],
            CaseAction.FILE,
            self._ctx(at, filed_on),
            editions=eds,
            event_id=m.new_id(),
            data={"source": source},
        )
        case.events = [event]
        case.status = event["to_status"]
        changes.record_create(session, case, actor=self.user.actor)
        return Filed(case, filing_warnings(facts, filed_on, eds))

    # ---- steps -------------------------------------------------------------------------------------------

    def step(
        self,
        case_id: str,
        action: CaseAction | str,
        *,
        on: date | None = None,
        reason: str | None = None,
        data: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> dict[str, Any]:
        """Take one step; a refusal raises `TransitionError` naming the article and nothing is stored."""
        with self.store.write() as session:
            case = self._load(session, case_id)
            event = step(
                facts_of(case),
                list(case.events or []),
                action,
                self._ctx(at or datetime.now(CHINA_TZ), on),
                editions=editions(session),
                reason=reason,
                data=data,
                event_id=m.new_id(),
            )
            case.events = [*(case.events or []), event]
            case.status = event["to_status"]
            changes.record(
                session,
                actor=self.user.actor,
                entity="case",
                entity_id=case.id,
                op="transition",
                base_version=case.version,
                data={"event": event},
                audit_detail={
                    "action": event["action"],
                    "from": event["from_status"],
                    "to": event["to_status"],
                    "on": event["on"],
                    "reason": event["reason"],
                },
            )
            return event

    def edit(self, case_id: str, **fields: Any) -> m.Case:
        """Edit the case's own text and flags (merged per field with the platform)."""
        from app.ownership import CASE_OFFICER_FIELDS

        unknown = sorted(set(fields) - CASE_OFFICER_FIELDS)
        if unknown:
            raise ValidationError(f"不能修改案件字段：{'、'.join(unknown)}", code="not_editable")
        with self.store.write() as session:
            case = self._load(session, case_id)
            if CaseStage(case.status) in (CaseStage.CLOSED, CaseStage.TRANSFERRED, CaseStage.TERMINATED):
                raise DomainError(f"案件已{CaseStage(case.status).label}，不能再修改", code="locked")
            changes.record_update(session, case, dict(fields), actor=self.user.actor)
            return case

    # ---- documents ---------------------------------------------------------------------------------------

    def create_document(
        self, case_id: str, doc_type: str, fields: Mapping[str, Any] | None = None
    ) -> m.Document:
        """A draft of `doc_type` linked to the case, filled from its records and party."""
        from app.documents.service import DocumentService

        case = self.get(case_id)
        party = {
            "party_name": case.party_name,
            "party_id_code": case.party_id_code,
            "party_legal_rep": case.party_legal_rep,
            "party_address": case.party_address,
        }
        from app.documents.templates import load_template

        template = load_template(doc_type)
        given = {k: v for k, v in party.items() if k in template.by_key and v}
        if "facts" in template.by_key and case.facts:
            given["facts"] = case.facts
        given.update(fields or {})
        return DocumentService(self.store, self.user).create_draft(
            doc_type=doc_type,
            township_id=case.township_id,
            matter_code=(case.matter_codes or [None])[0],
            inspection_id=case.inspection_id,
            task_id=case.task_id,
            fields=given,
            case_id=case.id,
        )

    # ---- helpers -----------------------------------------------------------------------------------------

    def _ctx(self, at: datetime, on: date | None) -> StepContext:
        return StepContext(
            role=self.user.role.value,
            username=self.user.username,
            actor=self.user.actor,
            at=at,
            officer_id=self.user.officer_id,
            on=on or china_day(at),
        )

    def _own_township(self) -> str:
        if not self.user.township_id:
            raise ValidationError("请选择立案的乡镇（街道）", code="township_required")
        return self.user.township_id

    def _load(self, session: Session, case_id: str) -> m.Case:
        case = session.get(m.Case, case_id)
        if case is None:
            raise DomainError("未找到该案件", code="not_found")
        if self.user.township_id and case.township_id != self.user.township_id:
            raise DomainError("该案件不属于本队", code="forbidden")
        return case

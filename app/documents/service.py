"""Document use cases for clerks and officers: create a draft filled from the records, edit its free text,
validate, issue with the next number of this laptop's blocks (offline), void, record service (送达).
The enforcing body is decided at 签发 for the issue date (`app.documents.issuing`): a body change since the
draft is shown to the clerk (`prepare_issue`, `BodyChangedError`) and applied only when confirmed.

Every change goes through `app.changes` (domain row + audit event + outbox row in one transaction). Issued
documents are immutable: only service may be added and a void recorded; a voided number stays used.

The stable entry point other areas call (field recording creates follow-up documents with it)::

    DocumentService(store, user).create_draft(doc_type=…, township_id=…, matter_code=…, inspection_id=…,
                                              task_id=…, fields={…}) -> Document
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, changes
from app import models as m
from app.cases import gate as case_gate
from app.documents import lifecycle, numbers
from app.documents.filling import fill, gather
from app.documents.issuing import BodyChange, BodyChangedError, Decision, IssuePlan, change_between, decide
from app.documents.lifecycle import DocStatus
from app.documents.templates import Template, load_template
from app.documents.values import CHINA_TZ, canonical_value, content_sha256, empty
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.loops import complaints
from app.rules.clocks import Clock
from app.rules.numbering import doc_type, format_document_number
from app.store import Store

PdfBytesFn = Callable[[m.Document], bytes]


class DocumentService:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store = store
        self.user = user

    # ---- reading -----------------------------------------------------------------------------------------

    def get(self, doc_id: str) -> m.Document:
        with self.store.read() as session:
            return self._load(session, doc_id)

    def list_documents(self, *, status: str | None = None, township_id: str | None = None) -> list[m.Document]:
        """Documents of the user's township (or `township_id`), newest first."""
        with self.store.read() as session:
            query = select(m.Document).order_by(m.Document.created_at.desc(), m.Document.id)
            township = township_id or self.user.township_id
            if township:
                query = query.where(m.Document.township_id == township)
            if status:
                query = query.where(m.Document.status == status)
            return list(session.scalars(query))

    def template(self, doc: m.Document) -> Template:
        return load_template(doc.doc_type, doc.template_version)

    def validate(self, doc: m.Document) -> list[str]:
        """Chinese sentences naming what must be fixed before `doc` can be issued (empty: ready)."""
        return lifecycle.problems(self.template(doc), doc.fields)

    def clocks_for(self, doc: m.Document) -> list[Clock]:
        return lifecycle.clocks_for(doc.doc_type, doc.status, doc.fields, doc.issued_at, doc.service)

    def pdf_path(self, doc: m.Document) -> Path:
        return self.store.paths.documents / f"{doc.id}.pdf"

    def number_status(self) -> list[numbers.CounterStatus]:
        with self.store.read() as session:
            return numbers.counter_status(session)

    # ---- drafts ------------------------------------------------------------------------------------------

    def create_draft(
        self,
        *,
        doc_type: str,
        township_id: str,
        matter_code: str | None = None,
        inspection_id: str | None = None,
        task_id: str | None = None,
        fields: Mapping[str, Any] | None = None,
        day: date | None = None,
        case_id: str | None = None,
    ) -> m.Document:
        """A new draft of `doc_type` in the name of the body the jurisdiction authority names for the township
        and matter on `day` (today in China time), filled from the inspection / task records; `fields`
        supplies editable text (and values the records lack). Raises `ValidationError` for an unknown type,
        township, matter or field, `DomainError` when no body holds the matter on that day. The body is
        decided again at 签发 for the issue date (`issue`)."""
        kind = _known_type(doc_type)
        template = load_template(kind)
        on = day or datetime.now(CHINA_TZ).date()
        with self.store.write() as session:
            if inspection_id and session.get(m.Inspection, inspection_id) is None:
                raise ValidationError("未找到该检查记录", code="unknown_inspection")
            if task_id and session.get(m.Task, task_id) is None:
                raise ValidationError("未找到该任务", code="unknown_task")
            if case_id and session.get(m.Case, case_id) is None:
                raise ValidationError("未找到该案件", code="unknown_case")
            src = gather(
                session,
                township_id=township_id,
                body=_placeholder_body(),
                matter_code=matter_code,
                inspection_id=inspection_id,
                task_id=task_id,
                recorder=self.user.name,
                today=on,
            )
            code = matter_code or src.get("matter.code")
            decision = decide(session, doc_type=kind, township_id=township_id, matter_code=code, day=on)
            body = decision.body
            src.values["body.legal_name"], src.values["body.seal_name"] = body.legal_name, body.seal_name
            doc = m.Document(
                id=m.new_id(),
                doc_type=kind,
                template_version=template.version,
                status=DocStatus.DRAFT.value,
                body_kind=body.kind,
                body_id=body.id,
                body_legal_name=body.legal_name,
                seal_name=body.seal_name,
                number_prefix=body.number_prefix,
                catalogue_edition=decision.edition,
                jurisdiction_reason=decision.reason,
                fields=complaints.redact_fields(  # a complainant's identity never reaches a document
                    session, complaints.document_task_id(session, task_id or src.get("task.id"), inspection_id),
                    fill(template, src, fields),
                ),
                matter_code=code,
                inspection_id=inspection_id,
                task_id=task_id or src.get("task.id"),
                case_id=case_id,
                township_id=township_id,
                service={},
                created_by=self.user.actor,
            )
            changes.record_create(session, doc, actor=self.user.actor)
            return doc

    def update_draft(self, doc_id: str, fields: Mapping[str, Any]) -> m.Document:
        """Change editable fields of a draft (and fill record-sourced fields the records left empty); other
        fields, and any field of an issued or voided document, are refused with a DomainError."""
        with self.store.write() as session:
            doc = self._load(session, doc_id)
            lifecycle.require_status(
                doc.status, DocStatus.DRAFT, action="修改（已签发的文书不可更改，如有错误请作废后重新出具）"
            )
            template = self.template(doc)
            unknown = sorted(k for k in fields if k not in template.by_key)
            if unknown:
                raise ValidationError(
                    f"文书「{template.title}」没有字段：{'、'.join(unknown)}", code="unknown_field"
                )
            # record-filled fields are locked once they hold a value; an empty one may be filled in by hand
            locked = sorted(
                k for k in fields if k not in template.editable_keys and not empty(doc.fields.get(k))
            )
            if locked:
                labels = "、".join(template.by_key[k].label if k in template.by_key else k for k in locked)
                raise DomainError(
                    f"以下内容来自检查记录或执法主体，不能在文书中修改：{labels}", code="field_locked"
                )
            new = dict(doc.fields)
            for key, value in fields.items():
                new[key] = canonical_value(template.field(key), value)
            complaints.check_fields(session, complaints.document_task_id(session, doc.task_id, doc.inspection_id), new)
            changes.record_update(session, doc, {"fields": new}, actor=self.user.actor)
            return doc

    # ---- issuing -----------------------------------------------------------------------------------------

    def prepare_issue(self, doc_id: str, *, at: datetime | None = None) -> IssuePlan:
        """What 签发 at `at` (now) would do, spending nothing: the body decided for the issue date, the number
        that will be used, the party, the change from the draft's body if any, what blocks issuing (required
        fields, rules, no free number) and what the clerk should confirm (empty "should have" fields)."""
        at = at or datetime.now(CHINA_TZ)
        day = at.astimezone(CHINA_TZ).date()
        with self.store.read() as session:
            doc = self._load(session, doc_id)
            lifecycle.require_status(doc.status, DocStatus.DRAFT, action="再次签发")
            template = self.template(doc)
            found = case_gate.issue_problems(session, doc, day) + lifecycle.problems(template, doc.fields, today=day)
            decision = decide(
                session, doc_type=doc.doc_type, township_id=doc.township_id, matter_code=doc.matter_code, day=day
            )
            number, seq = "", None
            try:
                seq = numbers.next_number(session, decision.body.id, doc.doc_type, day.year)
                number = format_document_number(decision.body.number_prefix, doc.doc_type, day.year, seq)
            except DomainError as exc:
                found.append(exc.message)
            return IssuePlan(
                doc_id=doc.id, title=template.title, day=day, decision=decision, number=number, seq=seq,
                year=day.year, party=_party_of(doc.fields or {}),
                change=change_between(doc, decision, day), problems=found,
                warnings=lifecycle.warnings(template, doc.fields),
            )

    def issue(
        self,
        doc_id: str,
        *,
        pdf_bytes_fn: PdfBytesFn,
        at: datetime | None = None,
        confirmed: IssuePlan | BodyChange | None = None,
    ) -> m.Document:
        """Give the draft the next number of this laptop's blocks for (body, type, year) and freeze it.

        The body is decided for the issue date through the jurisdiction authority. When it (or its number
        series) differs from the draft's, nothing is issued unless `confirmed` is that very change (the
        `IssuePlan` the clerk confirmed, or its `BodyChange`): otherwise `BodyChangedError` carries old → new.
        A confirmed change is applied (body, seal, number series, edition, reason, body-sourced fields) and the
        number comes from the new body's blocks. When `confirmed` is an `IssuePlan`, its number must still be
        the next one, or the clerk is asked again.

        Works offline. `pdf_bytes_fn(doc)` renders the numbered document (number, issued_at and content_sha256
        already set); the PDF is saved under the data dir's `documents/` and its hash kept. When the blocks are
        exhausted, or validation or rendering fails, nothing changes and the draft stays as it was."""
        at = at or datetime.now(CHINA_TZ)
        day = at.astimezone(CHINA_TZ).date()
        plan = confirmed if isinstance(confirmed, IssuePlan) else None
        accepted = plan.change if plan is not None else confirmed
        with self.store.write() as session:
            doc = self._load(session, doc_id)
            lifecycle.require_status(doc.status, DocStatus.DRAFT, action="再次签发")
            case_found = case_gate.issue_problems(session, doc, day)  # 案件文书: the case's stage and the law
            if case_found:
                raise ValidationError("文书尚不能签发：" + "；".join(case_found), code="case_not_ready")
            found = lifecycle.problems(self.template(doc), doc.fields, today=day)
            if found:
                raise ValidationError("文书尚不能签发：" + "；".join(found), code="not_issuable")
            decision = decide(
                session, doc_type=doc.doc_type, township_id=doc.township_id, matter_code=doc.matter_code, day=day
            )
            change = change_between(doc, decision, day)
            if change is not None and not change.same_as(accepted if isinstance(accepted, BodyChange) else None):
                raise BodyChangedError(change)
            body = decision.body
            fields = self._fields_for_body(doc, body) if change is not None else dict(doc.fields)
            complaints.check_fields(
                session, complaints.document_task_id(session, doc.task_id, doc.inspection_id), fields
            )
            year = day.year
            seq = numbers.next_number(session, body.id, doc.doc_type, year)
            number = format_document_number(body.number_prefix, doc.doc_type, year, seq)
            if plan is not None and plan.number and plan.number != number:
                raise DomainError(
                    f"将使用的文号已由「{plan.number}」变为「{number}」，请重新确认后签发", code="number_changed"
                )
            issued: dict[str, Any] = {
                "body_kind": body.kind,
                "body_id": body.id,
                "body_legal_name": body.legal_name,
                "seal_name": body.seal_name,
                "number_prefix": body.number_prefix,
                "catalogue_edition": decision.edition,
                "jurisdiction_reason": decision.reason,
                "fields": fields,
                "status": DocStatus.ISSUED.value,
                "year": year,
                "seq": seq,
                "number": number,
                "issued_at": at,
                "issued_by": self.user.actor,
                "content_sha256": content_sha256(
                    doc_type=doc.doc_type,
                    template_version=doc.template_version,
                    body_id=body.id,
                    body_legal_name=body.legal_name,
                    number=number,
                    fields=fields,
                ),
            }
            draft = {key: getattr(doc, key) for key in issued}
            for key, value in issued.items():
                setattr(doc, key, value)
            pdf = pdf_bytes_fn(doc)
            for key, value in draft.items():  # let record_update see the change from the draft's values
                setattr(doc, key, value)
            issued["pdf_sha256"] = _save_pdf(self.pdf_path(doc), pdf)
            entry = changes.record_update(session, doc, issued, actor=self.user.actor)
            if entry is not None and "fields" not in entry.payload["fields"]:
                # the platform must hold exactly the hashed fields, even if a draft edit was refused earlier
                entry.payload = {
                    "fields": {**entry.payload["fields"], "fields": dict(doc.fields)},
                    "base": {**entry.payload["base"], "fields": dict(doc.fields)},
                }
            audit.append(
                session, actor=self.user.actor, action="issue", entity="document", entity_id=doc.id,
                detail=_issue_detail(doc, decision, change),
            )
            return doc

    def _fields_for_body(self, doc: m.Document, body: Any) -> dict[str, Any]:
        """The draft's fields with those filled from the enforcing body (`body.*` sources) set to `body`."""
        template = self.template(doc)
        values = {"body.legal_name": body.legal_name, "body.seal_name": body.seal_name}
        new = dict(doc.fields)
        for spec in template.fields:
            if spec.source in values:
                new[spec.key] = canonical_value(spec, values[spec.source])
        return new

    def void(self, doc_id: str, reason: str) -> m.Document:
        """Void a document: its number (if any) stays used, the reason is kept, the record stays."""
        if not reason or not reason.strip():
            raise ValidationError("作废必须填写原因", code="reason_required")
        with self.store.write() as session:
            doc = self._load(session, doc_id)
            lifecycle.require_status(
                doc.status, DocStatus.DRAFT, DocStatus.ISSUED, DocStatus.SERVED, action="作废"
            )
            doc.status, doc.void_reason = DocStatus.VOIDED.value, reason.strip()
            changes.record(
                session,
                actor=self.user.actor,
                entity="document",
                entity_id=doc.id,
                op="void",
                base_version=doc.version,
                data={"reason": reason.strip()},
                audit_detail={"reason": reason.strip(), "number": doc.number},
            )
            return doc

    def record_service(
        self,
        doc_id: str,
        *,
        method: str,
        date: date | str,
        recipient: str,
        witness: str | None = None,
        note: str = "",
        place: str = "",
    ) -> m.Document:
        """Record how the issued document was served (直接/留置/邮寄/电子); 留置 needs a witness."""
        with self.store.write() as session:
            doc = self._load(session, doc_id)
            lifecycle.require_status(doc.status, DocStatus.ISSUED, action="登记送达")
            entry = lifecycle.service_record(
                method=method,
                served_on=date,
                recipient=recipient,
                witness=witness,
                note=note,
                place=place,
                issued_on=lifecycle.issue_date(doc.issued_at),
            )
            entry["recorded_by"] = self.user.actor
            changes.record_update(
                session, doc, {"status": DocStatus.SERVED.value, "service": entry}, actor=self.user.actor
            )
            return doc

    # ---- helpers -----------------------------------------------------------------------------------------

    def _load(self, session: Session, doc_id: str) -> m.Document:
        doc = session.get(m.Document, doc_id)
        if doc is None:
            raise DomainError("未找到该文书", code="not_found")
        if self.user.township_id and doc.township_id != self.user.township_id:
            raise DomainError("无权查看其他乡镇（街道）的文书", code="forbidden")
        return doc


def _party_of(fields: Mapping[str, Any]) -> str:
    """Who the document names: the party, else the recipient (送达回证) or receiving body (移送函, 抄告单)."""
    for key in ("party_name", "recipient", "receiver"):
        if fields.get(key):
            return str(fields[key])
    return ""


def _issue_detail(doc: m.Document, decision: Decision, change: BodyChange | None) -> dict[str, Any]:
    """The issue audit event: number, body, edition and reason (and the change from the draft, if any)."""
    detail: dict[str, Any] = {
        "number": doc.number,
        "body_id": decision.body.id,
        "body": decision.body.legal_name,
        "number_prefix": decision.body.number_prefix,
        "catalogue_edition": decision.edition,
        "jurisdiction_reason": decision.reason,
        "reason_label": decision.reason_label,
    }
    if change is not None:
        detail["body_changed_from"] = {
            "body_id": change.old.body.id,
            "body": change.old.body.legal_name,
            "number_prefix": change.old.body.number_prefix,
            "catalogue_edition": change.old.edition,
            "jurisdiction_reason": change.old.reason,
        }
    return detail


def _known_type(key: str) -> str:
    try:
        doc_type(key)
    except DomainError as exc:
        raise ValidationError(exc.message, code="unknown_doc_type") from None
    return key


def _placeholder_body() -> Any:
    from app.rules.enforcing_body import Body

    return Body("township", "", "", "", "")


def _save_pdf(path: Path, data: bytes) -> str:
    """Write encrypted and atomically (`app.evidence_store.write_sealed`); return the SHA-256 of the PDF."""
    import hashlib

    from app.evidence_store import write_sealed

    write_sealed(path, data)
    return hashlib.sha256(data).hexdigest()



"""A document's life: draft → issued → served, or voided; what makes a draft issuable; service (送达) rules;
the statutory clocks an issued document starts.

All checks return or raise Chinese sentences a clerk can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from app.documents.templates import Template
from app.documents.values import CHINA_TZ, canonical_value, empty
from app.errors import DomainError, ThresholdError, ValidationError
from app.rules.clocks import (
    Clock,
    check_preservation_period,
    check_summary_fine,
    coercive_clock,
    days_after,
    hearing_request_deadline,
    payment_deadline,
    preservation_clock,
)


class DocStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    SERVED = "served"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "issued": "已签发", "served": "已送达", "voided": "已作废"}[self.value]


SERVICE_METHODS = ("直接", "留置", "邮寄", "电子")
SERVICE_LABELS = {"直接": "直接送达", "留置": "留置送达", "邮寄": "邮寄送达", "电子": "电子送达"}
PARTY_TYPE_CHOICES = {"公民": "person", "法人或其他组织": "organisation"}


def problems(template: Template, fields: Mapping[str, Any], *, today: date | None = None) -> list[str]:
    """What stops a draft from being issued, each a Chinese sentence; empty when it may be issued."""
    found: list[str] = []
    for spec in template.fields:
        value = fields.get(spec.key)
        if spec.required and empty(value):
            found.append(f"「{spec.label}」为必填项，尚未填写")
            continue
        try:
            canonical_value(spec, value)
        except ValidationError as exc:
            found.append(exc.message)
    found.extend(_type_rules(template, fields, today or datetime.now(CHINA_TZ).date()))
    return found


def warnings(template: Template, fields: Mapping[str, Any]) -> list[str]:
    """Empty "should have" fields (`recommended` in the template), each a Chinese sentence: they are printed
    blank if the clerk goes on, so 签发 asks first."""
    return [
        f"「{spec.label}」尚未填写，将打印为空白"
        for spec in template.fields
        if spec.recommended and not spec.required and empty(fields.get(spec.key))
    ]


def _type_rules(template: Template, fields: Mapping[str, Any], today: date) -> list[str]:
    found: list[str] = []
    kind = template.doc_type
    if kind == "summary_penalty" and fields.get("penalty_kind") == "罚款":
        amount = fields.get("fine_amount")
        if empty(amount):
            found.append("处罚种类为罚款时必须填写罚款金额")
        else:
            party_type = PARTY_TYPE_CHOICES.get(str(fields.get("party_type")), "person")
            try:
                check_summary_fine(party_type, str(amount))
            except (ThresholdError, ValidationError) as exc:
                found.append(exc.message)
    officers = str(fields.get("officers", ""))
    if template.record and "officers" in template.by_key and officers.count("执法证号") < 2:
        found.append("笔录须载明至少两名执法人员及其执法证号（《行政处罚法》第四十二条）")
    if kind == "preservation_notice" and not empty(fields.get("preserve_from")) and not empty(fields.get("preserve_to")):
        try:
            check_preservation_period(
                date.fromisoformat(str(fields["preserve_from"])[:10]), date.fromisoformat(str(fields["preserve_to"])[:10])
            )
        except ValueError:
            pass
        except ThresholdError as exc:
            found.append(exc.message)
    if kind == "correction_order" and not empty(fields.get("deadline")):
        try:
            if date.fromisoformat(str(fields["deadline"])[:10]) < today:
                found.append("改正期限不能早于今天")
        except ValueError:
            pass
    return found


def require_status(doc_status: str, *allowed: DocStatus, action: str) -> None:
    status = DocStatus(doc_status)
    if status not in allowed:
        raise DomainError(f"文书{status.label}，不能{action}", code="bad_status")


def service_record(
    *,
    method: str,
    served_on: date | str,
    recipient: str,
    witness: str | None,
    note: str,
    place: str,
    issued_on: date | None,
    today: date | None = None,
) -> dict[str, Any]:
    """The service (送达) entry to store; `ValidationError` for a record the law would not accept."""
    if method not in SERVICE_METHODS:
        raise ValidationError(f"送达方式只能是：{'、'.join(SERVICE_METHODS)}", code="bad_service_method")
    if not recipient or not recipient.strip():
        raise ValidationError("请填写受送达人", code="recipient_required")
    if method == "留置" and not (witness and witness.strip()):
        raise ValidationError("留置送达须有见证人签名，请填写见证人", code="witness_required")
    try:
        day = served_on if isinstance(served_on, date) else date.fromisoformat(str(served_on)[:10])
    except ValueError:
        raise ValidationError(f"送达日期无效：{served_on}", code="bad_service_date") from None
    today = today or datetime.now(CHINA_TZ).date()
    if day > today:
        raise ValidationError("送达日期不能晚于今天", code="bad_service_date")
    if issued_on is not None and day < issued_on:
        raise ValidationError("送达日期不能早于签发日期", code="bad_service_date")
    return {
        "method": method,
        "method_label": SERVICE_LABELS[method],
        "date": day.isoformat(),
        "recipient": recipient.strip(),
        "witness": (witness or "").strip(),
        "note": (note or "").strip(),
        "place": (place or "").strip(),
    }


def issue_date(issued_at: datetime | None) -> date | None:
    return issued_at.astimezone(CHINA_TZ).date() if issued_at else None


def clocks_for(
    doc_type: str,
    status: str,
    fields: Mapping[str, Any],
    issued_at: datetime | None,
    service: Mapping[str, Any] | None = None,
) -> list[Clock]:
    """The statutory clocks a document has started: a preservation notice the 7-day decision period from its
    issue date; a correction order the re-check (复查) due at its deadline; a seizure decision its 30-day period;
    an advance notice the 5-day hearing request period from service; a summary decision the 15-day payment."""
    start = issue_date(issued_at)
    if status not in (DocStatus.ISSUED, DocStatus.SERVED) or start is None:
        return []
    clocks: list[Clock] = []
    if doc_type == "preservation_notice":
        clocks.append(preservation_clock(start))
    elif doc_type == "correction_order" and fields.get("deadline"):
        due = date.fromisoformat(str(fields["deadline"])[:10])
        clocks.append(Clock("责令改正期满复查", start, due, "责令（限期）改正通知书"))
    elif doc_type == "seizure_decision":
        clocks.append(coercive_clock(start))
    elif doc_type == "penalty_notice":
        served = (service or {}).get("date")
        if served:
            day = date.fromisoformat(served)
            clocks.append(
                Clock(
                    "陈述申辩、听证申请期限", day, hearing_request_deadline(day), "《行政处罚法》第六十四条"
                )
            )
    elif doc_type == "summary_penalty" and fields.get("penalty_kind") == "罚款":
        clocks.append(Clock("罚款缴纳期限", start, payment_deadline(start), "《行政处罚法》第六十七条"))
    elif doc_type == "notice_sheet" and fields.get("reply_deadline"):
        due = date.fromisoformat(str(fields["reply_deadline"])[:10])
        clocks.append(Clock("抄告回复期限", start, due, "抄告单"))
    elif doc_type == "notice_sheet":
        clocks.append(Clock("抄告回复期限", start, days_after(start, 15), "抄告单"))
    return clocks

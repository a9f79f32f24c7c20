"""立案: what a new case is made of, from a finding, a received transfer or a complaint.

The body comes from the jurisdiction authority (`app.law.jurisdiction`) for the case's matters on the filing day;
the case number from this laptop's number blocks of the body's case register (series "case", as documents draw
theirs), so cases are filed offline without two laptops using one number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app import models as m
from app.documents import numbers
from app.errors import ValidationError
from app.law.jurisdiction import Jurisdiction, JurisdictionAuthority, Reason
from app.rules.case_history import CaseFacts
from app.rules.clocks import PartyType
from app.rules.numbering import CASE_SERIES, format_case_number
from app.rules.validators import validate_credit_code, validate_id_number

SOURCES = {"finding": "检查发现", "transfer": "移送接收", "complaint": "投诉举报"}


@dataclass
class Filing:
    """What a clerk fills in at 立案 (party values default from the inspection's party or the target)."""

    title: str
    matter_codes: Sequence[str]
    act_date: date
    party_name: str = ""
    party_type: str = ""
    party_id_code: str = ""
    party_legal_rep: str = ""
    party_address: str = ""
    facts: str = ""
    act_end_date: date | None = None
    severe_harm: bool = False
    complex_case: bool = False
    officer_ids: Sequence[str] = ()
    source_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def party_from_records(
    session: Session, inspection: m.Inspection | None, target_id: str | None
) -> dict[str, str]:
    """The party as the on-site record or the target register names it."""
    party = dict(inspection.party or {}) if inspection is not None else {}
    target = session.get(m.Target, target_id) if target_id else None
    if party.get("name"):
        kind = "person" if party.get("type") == "person" else "organisation"
        return {
            "party_name": str(party.get("name") or ""),
            "party_type": kind,
            "party_id_code": str(party.get("id_number") or party.get("credit_code") or ""),
            "party_legal_rep": str(party.get("legal_rep") or ""),
            "party_address": str(party.get("address") or ""),
        }
    if target is not None:
        return {
            "party_name": target.name,
            "party_type": "person" if target.kind == "自然人" else "organisation",
            "party_id_code": target.credit_code or "",
            "party_legal_rep": target.legal_rep or "",
            "party_address": target.address or "",
        }
    return {}


def case_body(session: Session, township_id: str, matter_codes: Sequence[str], day: date) -> Jurisdiction:
    """The one body that holds every matter of the case on `day`; a matter the township may not file on (未赋权)
    is refused and pointed to 移送."""
    if not matter_codes:
        raise ValidationError("请选择案件涉及的执法事项", code="matters_required")
    authority = JurisdictionAuthority.load(session, township_id)
    found = [authority.resolve(code, day) for code in dict.fromkeys(matter_codes)]
    refused = [j for j in found if j.reason is Reason.NOT_EMPOWERED]
    if refused:
        names = "、".join(f"{j.matter_code}（{j.body.legal_name}）" for j in refused)
        raise ValidationError(
            f"事项 {names} 未赋权本乡镇（街道），不能立案，应当移送有管辖权的部门", code="not_empowered"
        )
    bodies = {j.body.id for j in found}
    if len(bodies) > 1:
        raise ValidationError("所选事项的执法主体不同，应分别立案", code="mixed_bodies")
    return found[0]


def validate_party(values: dict[str, str]) -> dict[str, str]:
    if not values.get("party_name", "").strip():
        raise ValidationError("请填写当事人名称（姓名）", code="party_required")
    try:
        kind = PartyType(values.get("party_type") or "organisation")
    except ValueError:
        raise ValidationError("当事人类型只能是公民或法人（其他组织）", code="bad_party_type") from None
    code = values.get("party_id_code", "").strip()
    if code:
        code = validate_id_number(code) if kind is PartyType.PERSON else validate_credit_code(code)
    if kind is PartyType.ORGANISATION and not values.get("party_legal_rep", "").strip():
        raise ValidationError("当事人为单位的，须填写法定代表人（负责人）", code="legal_rep_required")
    return {**values, "party_type": kind.value, "party_id_code": code}


def build_case(
    session: Session,
    *,
    township_id: str,
    source: str,
    filing: Filing,
    filed_on: date,
    actor: str,
    defaults: dict[str, str],
    links: dict[str, str | None],
) -> tuple[m.Case, Jurisdiction, CaseFacts]:
    """A new case row (not yet added) with its body and number; raises `ValidationError` in Chinese."""
    if source not in SOURCES:
        raise ValidationError("立案来源只能是检查发现、移送接收或投诉举报", code="bad_source")
    if not filing.title.strip():
        raise ValidationError("请填写案由", code="title_required")
    given = {
        k: getattr(filing, k)
        for k in ("party_name", "party_type", "party_id_code", "party_legal_rep", "party_address")
    }
    party = validate_party({k: str(given[k] or defaults.get(k) or "") for k in given})
    jurisdiction = case_body(session, township_id, list(filing.matter_codes), filed_on)
    body = jurisdiction.body
    seq = numbers.next_number(session, body.id, CASE_SERIES, filed_on.year)
    officers = list(dict.fromkeys(filing.officer_ids))
    case = m.Case(
        id=m.new_id(),
        number=format_case_number(body.number_prefix, filed_on.year, seq),
        year=filed_on.year,
        seq=seq,
        title=filing.title.strip(),
        status="",
        township_id=township_id,
        source=source,
        finding_id=links.get("finding_id"),
        inspection_id=links.get("inspection_id"),
        task_id=links.get("task_id"),
        referral_id=links.get("referral_id"),
        source_note=filing.source_note.strip(),
        matter_codes=list(dict.fromkeys(filing.matter_codes)),
        body_kind=body.kind,
        body_id=body.id,
        body_legal_name=body.legal_name,
        number_prefix=body.number_prefix,
        body_reason=f"{jurisdiction.reason_label}（{jurisdiction.edition_label}）",
        catalogue_edition=jurisdiction.edition,
        target_id=links.get("target_id"),
        **party,
        facts=filing.facts.strip(),
        act_date=filing.act_date,
        act_end_date=filing.act_end_date,
        severe_harm=filing.severe_harm,
        complex_case=filing.complex_case,
        officer_ids=officers,
        filed_on=filed_on,
        events=[],
        created_by=actor,
    )
    from app.cases.common import facts_of

    return case, jurisdiction, facts_of(case)

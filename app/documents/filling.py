"""Filling a document's fields from the records: inspection, findings, party, officers, matter, evidence, task.

`gather(session, …)` collects every value a template `source` may name into a flat `Sources` mapping
("party.name", "officers", "matter.legal_basis", "evidence_list" …); `fill(template, sources)` turns that into the
document's canonical field values (strings, ISO dates, lists of table rows). The enforcing body (主体) is given
(decided by the jurisdiction authority, `app.documents.issuing.decide`): its legal name, seal name and number
prefix are never typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.documents.templates import Template
from app.documents.values import CHINA_TZ, canonical_value, empty
from app.errors import ValidationError
from app.rules.enforcing_body import Body

#: 行政复议机关 for both township and district-department decisions in the district (configurable data later)
REVIEW_BODY = "杭州市富阳区人民政府"
PERSON_KINDS = frozenset({"自然人", "个体工商户", "person", "公民"})
#: printed on the 法定代表人（负责人） line of a natural person
NOT_APPLICABLE = "不适用（自然人）"


@dataclass
class Sources:
    """Everything the records say, by source path; `missing` lists records that were asked for but absent."""

    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def get(self, path: str) -> Any:
        return self.values.get(path)


#: documents a team sends in its own name to another body (the receiver is the matter's department)
SENDER_TYPES = frozenset({"transfer_letter", "notice_sheet"})


def party_type_of(kind: str | None) -> str:
    """ "person" for natural persons and individual businesses (the lower summary-fine limit applies: the
    cautious reading), else "organisation"."""
    return "person" if (kind or "") in PERSON_KINDS else "organisation"


def _party(session: Session, inspection: m.Inspection | None, target: m.Target | None) -> dict[str, Any]:
    party: dict[str, Any] = {}
    if target is not None:
        party = {
            "name": target.name,
            "credit_code": target.credit_code or "",
            "kind": target.kind,
            "address": target.address,
            "legal_rep": target.legal_rep or "",
            "phone": target.contact_phone or "",
            "contact": target.contact_name or "",
        }
    if inspection is not None and inspection.party:
        party.update({k: v for k, v in inspection.party.items() if v not in (None, "")})
    ptype = party.get("type")
    if ptype not in ("person", "organisation"):
        ptype = party_type_of(party.get("kind") or ptype)
    party["type"] = ptype
    if ptype == "person" and party.get("kind") != "个体工商户" and not party.get("legal_rep"):
        party["legal_rep"] = NOT_APPLICABLE  # a natural person has no 法定代表人: the line says so, not blank
    party["type_label"] = "公民" if ptype == "person" else "法人或其他组织"
    party["id_code"] = party.get("credit_code") or party.get("id_number") or ""
    return party


def _officer_text(officers: list[m.Officer]) -> str:
    return "、".join(f"{o.name}（执法证号：{o.certificate_no or '未登记'}）" for o in officers)


def _local(dt: datetime | None) -> datetime | None:
    return dt.astimezone(CHINA_TZ) if dt is not None else None


def _evidence_rows(session: Session, inspection_id: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    query = (
        select(m.Evidence)
        .where(
            m.Evidence.inspection_id == inspection_id,
            m.Evidence.voided.is_(False),
            m.Evidence.kind != "signature",
        )
        .order_by(m.Evidence.imported_at, m.Evidence.id)
    )
    labels = {"photo": "照片", "video": "视频", "audio": "录音", "document": "书证"}
    for i, ev in enumerate(session.scalars(query), start=1):
        taken = _local(ev.exif_time or ev.imported_at)
        rows.append(
            {
                "no": str(i),
                "name": ev.caption or ev.original_name,
                "kind": labels.get(ev.kind, ev.kind),
                "time": taken.strftime("%Y-%m-%d %H:%M") if taken else "",
                "sha": ev.sha256,  # the whole SHA-256: the receiver verifies each file against it
            }
        )
    return rows


def gather(
    session: Session,
    *,
    township_id: str,
    body: Body,
    matter_code: str | None = None,
    inspection_id: str | None = None,
    task_id: str | None = None,
    recorder: str = "",
    today: date | None = None,
) -> Sources:
    """Collect the source values for a document in `township_id`."""
    src = Sources()
    v = src.values
    now = datetime.now(CHINA_TZ)
    v["today"] = (today or now.date()).isoformat()
    v["now"] = now.strftime("%Y-%m-%d %H:%M")
    v["recorder"] = recorder
    base_day = today or now.date()
    for days in (3, 7, 15, 30):
        v[f"today+{days}"] = (base_day + timedelta(days=days)).isoformat()
    v["review_body"] = REVIEW_BODY
    v["body.legal_name"], v["body.seal_name"] = body.legal_name, body.seal_name
    township = session.get(m.Township, township_id)
    if township is not None:
        v["township.name"], v["township.team_name"] = township.name, township.team_name
    inspection = session.get(m.Inspection, inspection_id) if inspection_id else None
    if inspection_id and inspection is None:
        src.missing.append(f"检查记录 {inspection_id}")
    task = session.get(m.Task, task_id or (inspection.task_id if inspection else None) or "")
    target_id = (inspection.target_id if inspection else None) or (task.target_id if task else None)
    target = session.get(m.Target, target_id) if target_id else None
    for key, value in _party(session, inspection, target).items():
        v[f"party.{key}"] = value
    if task is not None:
        v["task.id"] = task.id
        v["task.number"], v["task.title"], v["task.description"] = task.number, task.title, task.description
        v["task.source"] = task.source
        if not matter_code:
            codes = [tm.matter_code for tm in task.matters]
            matter_code = codes[0] if len(codes) == 1 else None
    if inspection is not None:
        _gather_inspection(session, src, inspection)
        if not matter_code:
            codes = sorted({c for c in v.get("findings.violation_matters", []) if c})
            matter_code = codes[0] if len(codes) == 1 else None
    if matter_code:
        matter = session.scalar(select(m.Matter).where(m.Matter.code == matter_code))
        if matter is not None:
            v["matter.code"], v["matter.name"] = matter.code, matter.name
            v["matter.legal_basis"], v["matter.penalty_basis"] = matter.legal_basis, matter.penalty_basis
            v["matter.field"] = matter.field
            dept = session.get(m.Department, matter.owner_department_id)
            if dept is not None:
                v["matter.department"] = dept.legal_name
    return src


def _gather_inspection(session: Session, src: Sources, inspection: m.Inspection) -> None:
    v = src.values
    v["inspection.place"] = inspection.place or v.get("party.address", "")
    started, ended = _local(inspection.started_at), _local(inspection.ended_at)
    v["inspection.started_at"] = started.strftime("%Y-%m-%d %H:%M") if started else ""
    v["inspection.ended_at"] = ended.strftime("%Y-%m-%d %H:%M") if ended else ""
    v["inspection.date"] = started.date().isoformat() if started else ""
    v["inspection.observations"] = inspection.observations
    v["inspection.certificates_shown"] = "已出示" if inspection.certificates_shown else ""
    v["inspection.recusal_told"] = "已告知" if inspection.recusal_told else ""
    person = inspection.onsite_person or {}
    v["onsite.name"] = person.get("name", "")
    v["onsite.relation"] = person.get("relation") or person.get("position", "")
    v["onsite.phone"] = person.get("phone", "")
    v["onsite.id_number"] = person.get("id_number", "")
    v["inspection.witnesses"] = "、".join(
        w.get("name", "") if isinstance(w, Mapping) else str(w) for w in inspection.witnesses or []
    )
    ids = [str(i) for i in inspection.officer_ids or []]
    found = {o.id: o for o in session.scalars(select(m.Officer).where(m.Officer.id.in_(ids)))}
    officers = [found[i] for i in ids if i in found]
    v["officers"] = _officer_text(officers)
    v["officers.names"] = "、".join(o.name for o in officers)
    findings = session.scalars(
        select(m.Finding)
        .where(m.Finding.inspection_id == inspection.id)
        .order_by(m.Finding.found_at, m.Finding.id)
    ).all()
    violations = [f for f in findings if f.result == "violation"]
    v["findings.violation_matters"] = [f.matter_code for f in violations]
    # 违法事实 are the officers' statements, never the checklist questions they answer; a finding from before
    # statements were recorded contributes its note, or nothing (the clerk writes the facts on the draft)
    facts = [(f.fact or f.note or "").strip() for f in violations]
    facts = [t for t in facts if t]
    v["findings.violations"] = (
        facts[0] if len(facts) == 1 else "\n".join(f"{i}. {t}" for i, t in enumerate(facts, start=1))
    )
    v["findings.summary"] = "\n".join(
        f"{i}. {f.check_point}：{_RESULT.get(f.result, f.result)}{'（' + f.note + '）' if f.note else ''}"
        for i, f in enumerate(findings, start=1)
    )
    v["evidence_list"] = _evidence_rows(session, inspection.id)


_RESULT = {"compliant": "符合", "violation": "不符合", "not_applicable": "不适用"}


def fill(template: Template, sources: Sources, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Field values for `template`: from the records first; a value passed in `given` is used for an editable
    field, or for a record-filled field the records left empty. Unknown keys in `given` are refused."""
    given = dict(given or {})
    unknown = sorted(set(given) - set(template.by_key))
    if unknown:
        raise ValidationError(f"文书「{template.title}」没有字段：{'、'.join(unknown)}", code="unknown_field")
    values: dict[str, Any] = {}
    for spec in template.fields:
        value: Any = sources.get(spec.source) if spec.source else None
        if empty(value) and spec.default is not None:
            value = _default(spec.default, sources)
        if spec.key in given and (spec.editable or empty(value)):
            value = given[spec.key]
        values[spec.key] = canonical_value(spec, value)
    return values


def _default(default: Any, sources: Sources) -> Any:
    if isinstance(default, str) and default.startswith("=") and default[1:] in sources.values:
        return sources.get(default[1:])
    return default

"""案卷评查 checks that read the case's surrounding records: the basic standards (DOMAIN §6: lawful body, valid
certificates, at least two officers, transferred when it had to be), the on-site record's signatures, service of
the documents that must be served, the evidence files against their SHA-256, and the audio-video recordings
《行政处罚法》第四十七条 requires. Each function returns `Defect`s; `app.cases.self_check` runs them.

Every legal question is asked of its one authority: the body of `app.law.jurisdiction`, certificates and the
two-officer rule of `app.rules.officers`, the signers of `app.inspections.signing.required_roles`, the hearing
kinds of `app.rules.case_config`, the hash check of `app.evidence_store.verify_blob`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app import models as m
from app.errors import DomainError
from app.evidence_store import verify_blob
from app.inspections.signing import required_roles, role_label
from app.inspections.view import officer_refs
from app.law.jurisdiction import JurisdictionAuthority, Reason
from app.rules.case_config import CaseConfig, hearing_reasons
from app.rules.case_history import History
from app.rules.case_review import Defect, ReviewConfig
from app.rules.case_stages import CaseStage
from app.rules.officers import (
    MIN_CERTIFIED_OFFICERS,
    TWO_OFFICERS_MESSAGE,
    certificate_problem,
    eligible_inspectors,
)


@dataclass(frozen=True)
class FileContext:
    """What every check of one case file needs."""

    case: m.Case
    name: str  # "案件 新登镇综执立〔2026〕1号"
    history: History
    config: CaseConfig  # case-law edition in force on the filing day
    docs: Sequence[m.Document]  # the case's documents, voided ones left out
    evidence: Sequence[m.Evidence]  # live evidence of the case's inspection, finding and task
    review: ReviewConfig


def doc_name(doc: m.Document) -> str:
    from app.rules.numbering import doc_type_name

    return f"{doc_type_name(doc.doc_type)} {doc.number or '（草稿，未编号）'}"


def case_evidence(session: Session, case: m.Case) -> list[m.Evidence]:
    links = [col == value for col, value in ((m.Evidence.inspection_id, case.inspection_id),
                                             (m.Evidence.finding_id, case.finding_id),
                                             (m.Evidence.task_id, case.task_id)) if value]
    if not links:
        return []
    query = select(m.Evidence).where(or_(*links), m.Evidence.voided.is_(False)).order_by(m.Evidence.imported_at)
    return list(session.scalars(query))


# ---- basic standards ----------------------------------------------------------------------------------------


def basic_defects(session: Session, fc: FileContext) -> list[Defect]:
    case, found = fc.case, []
    authority = JurisdictionAuthority.load(session, case.township_id)
    transferred = fc.history.stage == CaseStage.TRANSFERRED.value or any(
        e.get("action") == "transfer" for e in case.events or [])
    penalty = fc.history.decision_penalty or fc.history.notice_penalty
    major = bool(penalty and hearing_reasons(fc.config, case.party_type, penalty))
    for code in case.matter_codes or []:
        try:
            j = authority.resolve(code, case.filed_on)
        except DomainError as exc:
            found.append(Defect("unlawful_body", fc.name, "执法主体", f"立案日无法确定事项 {code} 的执法主体：{exc.message}",
                                "核对事项目录版本与立案日期；事项不在目录中的，不得以本主体立案"))
            continue
        if j.body.id != case.body_id:
            found.append(Defect(
                "unlawful_body", fc.name, "执法主体",
                f"立案日（{case.filed_on.isoformat()}）事项 {code} 的执法主体应为「{j.body.legal_name}」"
                f"（{j.reason.label}），案件却以「{case.body_legal_name}」名义办理",
                f"由「{j.body.legal_name}」办理：本主体无权办理的，终止本案并移送有权机关"))
        matter = session.scalar(select(m.Matter).where(m.Matter.code == code))
        must = j.reason is Reason.NOT_EMPOWERED or bool(matter and matter.major_penalty and j.body.is_township and major)
        if must and not transferred:
            why = "该事项未赋权本乡镇" if j.reason is Reason.NOT_EMPOWERED else "拟作出重大行政处罚（" + "、".join(
                hearing_reasons(fc.config, case.party_type, penalty)) + "）"  # type: ignore[arg-type]  # `major` holds only with a penalty
            found.append(Defect("not_transferred", fc.name, "移送", f"{why}，依规应移送区级部门，案件未移送",
                                "在案件中办理「移送」步骤并出具案件移送函，附全部证据"))
    refs = officer_refs(session, list(case.officer_ids or []))
    days = sorted({case.filed_on, *([fc.history.decided_on] if fc.history.decided_on else [])})
    for ref in refs:
        for day in days:
            problem = certificate_problem(ref, day)
            if problem:
                found.append(Defect("certificate_invalid", fc.name, f"执法人员{ref.name}执法证",
                                    f"{problem}（{day.isoformat()}办案）",
                                    "由持有效执法证的执法人员办理；证件过期的应先换证，并在案卷中附证件复印件"))
                break
    certified = eligible_inspectors(refs, case.filed_on, case.target_id)
    if len(certified) < MIN_CERTIFIED_OFFICERS:
        found.append(Defect("too_few_officers", fc.name, "办案人员",
                            f"{TWO_OFFICERS_MESSAGE}，本案持有效证件的仅 {len(certified)} 名",
                            "在案件中补充登记第二名持证执法人员（调查取证须两人以上）"))
    return found


# ---- signatures and service ---------------------------------------------------------------------------------


def signature_defects(session: Session, fc: FileContext) -> list[Defect]:
    found: list[Defect] = []
    insp = session.get(m.Inspection, fc.case.inspection_id) if fc.case.inspection_id else None
    if insp is not None:
        onsite = next((d for d in fc.docs if d.doc_type == "onsite_record" and d.inspection_id == insp.id), None)
        where = doc_name(onsite) if onsite else f"现场检查（勘验）笔录（{insp.place}）"
        names = {r.id: r.name for r in officer_refs(session, list(insp.officer_ids or []))}
        live = {e.id for e in session.scalars(select(m.Evidence).where(
            m.Evidence.inspection_id == insp.id, m.Evidence.voided.is_(False)))}
        for role in required_roles(list(insp.officer_ids or [])):
            entry = (insp.signatures or {}).get(role) or {}
            label = role_label(role, names)
            each_page = "（每页）" if role == "party" else ""
            if entry.get("refused"):
                if not entry.get("reason") or not entry.get("witness"):
                    found.append(Defect("missing_signature", where, f"{label}签名{each_page}",
                                        f"{label}拒绝签名，但未记录原因或见证人",
                                        "补记拒签原因并由见证人签名确认"))
            elif not entry.get("evidence_id") or entry["evidence_id"] not in live:
                found.append(Defect("missing_signature", where, f"{label}签名{each_page}",
                                    f"笔录缺少{label}的签名（或拒签记录）",
                                    f"请{label}在笔录每页签名；拒绝签名的，注明原因并由见证人签名"))
    receipts = {str((d.fields or {}).get("served_doc_number") or ""): d for d in fc.docs
                if d.doc_type == "service_receipt" and d.number}
    for receipt in receipts.values():
        fields = receipt.fields or {}
        if fields.get("method") == "留置送达" and not (fields.get("witness") and fields.get("refusal_reason")):
            found.append(Defect("missing_signature", doc_name(receipt), "见证人签名、拒收事由",
                                "留置送达未载明拒收事由或没有见证人签名",
                                "作废后重新出具送达回证：写明拒收事由，由见证人签名（或以照相、录像记录留置过程）",
                                receipt.id))
    for doc in fc.docs:
        if doc.doc_type not in fc.review.served_documents or not doc.number:
            continue
        service = doc.service or {}
        recorded = bool(service.get("date") and service.get("recipient")) and (
            service.get("method") != "留置" or bool(service.get("witness")))
        if not recorded and doc.number not in receipts:
            found.append(Defect("missing_signature", doc_name(doc), "送达回证（受送达人签收）",
                                "没有送达记录或送达回证，无法证明已送达当事人",
                                "出具送达回证由受送达人签收（留置送达注明理由并由见证人签名），并在文书中登记送达"))
    return found


def _sealed_sha(path: Path) -> str:
    from app.evidence_store import hash_sealed

    try:
        return hash_sealed(path)
    except OSError:  # fails authentication: altered
        return ""


def page_defects(pdf_dir: Path, fc: FileContext) -> list[Defect]:
    """An issued document's PDF must be the one issued, byte for byte (every page present, none altered)."""

    found = []
    for doc in fc.docs:
        if not doc.number or not doc.pdf_sha256:
            continue
        path = pdf_dir / f"{doc.id}.pdf"
        if not path.exists():
            problem = "本机没有该文书签发时的 PDF，无法核对页数与内容"
        elif _sealed_sha(path) != doc.pdf_sha256:
            problem = "文书 PDF 与签发时不一致（页面缺失或被改动）"
        else:
            continue
        found.append(Defect("missing_page", doc_name(doc), "文书页面（第 X 页 共 Y 页）", problem,
                            "从签发该文书的电脑同步原件，或重新打印签发件归档（文号不变）", doc.id))
    return found


# ---- evidence -----------------------------------------------------------------------------------------------


def evidence_defects(evidence_dir: Path, fc: FileContext) -> list[Defect]:
    found = []
    for ev in fc.evidence:
        problem = verify_blob(evidence_dir, ev.sha256)
        if problem is not None:
            found.append(Defect("evidence_unverified", f"证据「{ev.original_name}」", "SHA-256",
                                problem.message, "从原始介质（执法记录仪、相机）重新导入该证据，或同步平台保存的原件；"
                                "无法恢复的，在案卷中说明并作废该证据"))
    return found


def recording_defects(fc: FileContext) -> list[Defect]:
    """第四十七条: every activity the configuration lists needs its own audio/video recording. Recordings are
    evidence of the case's inspection, finding or task (the store links them there, not to a document), so the
    check counts them: the on-site check needs one in its inspection, and each further activity one more."""
    wanted = set(fc.review.recording_activities)
    recordings = [e for e in fc.evidence if e.kind in fc.review.recording_kinds]
    found: list[Defect] = []
    activities: list[tuple[str, str]] = []  # (document or activity, what is recorded)
    if "onsite" in wanted and fc.case.inspection_id:
        if any(e.inspection_id == fc.case.inspection_id for e in recordings):
            activities.append(("现场检查（勘验）", "执法记录仪音像"))
        else:
            found.append(Defect("recording_missing", "现场检查（勘验）", "执法记录仪音像",
                                "现场检查没有音视频记录（《行政处罚法》第四十七条）",
                                "导入现场检查的执法记录仪音视频作为证据"))
    activities += [(doc_name(d), "执法记录仪音像") for d in fc.docs if d.number and d.doc_type in wanted]
    if "service" in wanted:
        activities += [(doc_name(d), "送达过程音像") for d in fc.docs
                       if d.doc_type in fc.review.served_documents and (d.service or {}).get("date")]
    for where, what in activities[len(recordings):]:
        found.append(Defect(
            "recording_missing", where, what,
            f"本案须全过程音像记录的环节 {len(activities)} 个，音视频证据仅 {len(recordings)} 件，本环节缺少记录"
            "（《行政处罚法》第四十七条）",
            "导入该环节的执法记录仪音视频作为证据；确无记录的，在案卷中说明原因"))
    return found

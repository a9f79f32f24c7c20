"""A complete case file built through the real services, for the 案卷评查 tests: an on-site inspection recorded
with InspectionService (party and officers' signatures, a photo and three camera recordings, the officer's
statement of the violation), finalised; 立案 from its finding; 调查取证; 事先告知 with the 事先告知书 issued and served;
the hearing window let pass; the decision with the 行政处罚决定书 issued and served; payment; 结案."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from app import models as m
from app.cases.filing import Filing
from app.cases.service import CaseService
from app.documents.service import DocumentService
from app.inspections import InspectionService
from app.store import Store
from tests.cases.district import CLERK, LEADER, MATTER, OFFICER, at, day
from tests.inspection.district import png_signature

FACT = "当事人在新登镇城南路88号店门前人行道上摆放餐桌6张、椅子24把，占用城市道路约30平方米"
NOTICE_FIELDS = {
    "evidence_summary": "现场检查笔录、现场照片1张、执法记录仪视频3段",
    "legal_basis": "《城市道路管理条例》第二十七条",
    "penalty_basis": "《城市道路管理条例》第四十二条",
    "intended_penalty": "罚款人民币伍佰元",
    "hearing_right": "不适用",
}
DECISION_FIELDS = {
    "evidence_summary": NOTICE_FIELDS["evidence_summary"],
    "statement": "当事人在法定期限内未提出陈述、申辩",
    "legal_basis": NOTICE_FIELDS["legal_basis"],
    "penalty_basis": NOTICE_FIELDS["penalty_basis"],
    "penalty": "罚款人民币伍佰元",
    "fine_amount": "500",
    "payment": "自收到本决定书之日起十五日内缴至指定银行",
}


@dataclass(frozen=True)
class CaseFile:
    case_id: str
    inspection_id: str
    notice_id: str
    decision_id: str
    evidence_ids: list[str]


def stub_pdf(doc: m.Document) -> bytes:
    return f"%PDF-1.4 stub {doc.number}".encode()


def inspect(store: Store, tmp: Path, *, recordings: int = 3) -> tuple[str, str, list[str]]:
    """A finalised on-site inspection of task t1 with a violation; (inspection id, finding id, evidence ids)."""
    start = at(-40).astimezone(UTC)
    svc = InspectionService(store, OFFICER, clock=lambda: start)
    iid = svc.start_from_task("t1")
    svc.set_officers(iid, ["o-1", "o-2"])
    svc.save_fields(iid, ended_at=at(-40).astimezone(UTC).replace(minute=40), place="新登镇城南路88号店门前",
                    certificates_shown=True, recusal_told=True)
    fid = svc.add_observation(iid, "店外占道摆放餐桌", matter_code=MATTER, fact=FACT)
    tmp.mkdir(parents=True, exist_ok=True)
    evidence = []
    photo = tmp / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo of the tables")
    evidence.append(svc.import_evidence(iid, photo)[0])
    for i in range(recordings):
        video = tmp / f"执法记录仪-{i + 1}.mp4"
        video.write_bytes(f"camera recording {i + 1}".encode() * 50)
        evidence.append(svc.import_evidence(iid, video)[0])
    for role in ("party", "officer:o-1", "officer:o-2"):
        svc.add_signature(iid, role, png_signature())
    svc.finalise(iid)
    return iid, fid, evidence


def complete_case(store: Store, tmp: Path, *, recordings: int = 3, serve_on: int = -19,
                  before_close: Callable[[str, str], None] | None = None) -> CaseFile:
    """The file; `serve_on` (days from today) when the decision is served; `before_close(case_id, decision_id)`
    runs while the case is still open (after payment)."""
    iid, fid, evidence = inspect(store, tmp, recordings=recordings)
    cases, docs = CaseService(store, OFFICER), DocumentService(store, CLERK)
    case = cases.file_from_finding(fid, Filing(title="擅自占用城市道路案", matter_codes=[], act_date=day(-40),
                                               facts=FACT), on=day(-39)).case
    cases.step(case.id, "investigate", on=day(-39))
    cases.step(case.id, "notify", on=day(-30), data={"kinds": ["罚款"], "fine_amount": "500", "hearing_right": False})
    notice = CaseService(store, CLERK).create_document(case.id, "penalty_notice", NOTICE_FIELDS)
    docs.issue(notice.id, pdf_bytes_fn=stub_pdf, at=at(-30))
    docs.record_service(notice.id, method="直接", date=day(-30), recipient="周建国")
    leader = CaseService(store, LEADER)
    leader.step(case.id, "decide", on=day(-20), data={"kinds": ["罚款"], "fine_amount": "500"})
    decision = CaseService(store, CLERK).create_document(case.id, "penalty_decision", DECISION_FIELDS)
    docs.issue(decision.id, pdf_bytes_fn=stub_pdf, at=at(-20))
    docs.record_service(decision.id, method="直接", date=day(serve_on), recipient="周建国")
    cases.step(case.id, "serve", on=day(serve_on), data={"method": "直接送达"})
    paid = min(serve_on + 9, -1)
    cases.step(case.id, "pay", on=day(paid))
    if before_close is not None:
        before_close(case.id, decision.id)
    cases.step(case.id, "close", on=day(paid + 1))
    return CaseFile(case.id, iid, notice.id, decision.id, evidence)

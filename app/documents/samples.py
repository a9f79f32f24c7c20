"""A filled example of every document type, for `render-samples`, the renderer tests and the benchmark.

`prepare(store)` makes sure the store holds a district (the demo district when `app.demo` can seed it, else a
small fixture of its own), then records one inspection in 新登镇 with findings, photos and signatures.
`issue_samples(store, render)` creates and issues one document of each type through `DocumentService`, using
local demonstration number blocks (the real ones come from the platform).
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from app import models as m
from app.documents.service import DocumentService, PdfBytesFn
from app.documents.templates import available_doc_types
from app.documents.values import CHINA_TZ
from app.evidence_store import import_file
from app.identity import CurrentUser
from app.rules.task_states import Role
from app.store import Store

TOWNSHIP = "xindeng"
CLERK = CurrentUser("xindeng.clerk", "赵文书", Role.CLERK, TOWNSHIP, "off-xindeng-clerk")
EMPOWERED_MATTER = "FY-SR-002"  # 出店经营: empowered to 新登镇 → township's own name
DEPT_MATTER = "FY-SJ-001"  # 食品经营许可: market regulation → transfer / notice
ISSUED_AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 2026-03-02 09:30 China time
CREDIT_CODE = "91330183MA2H2X0B2E"


@dataclass(frozen=True)
class Sample:
    inspection_id: str
    task_id: str | None
    target_name: str
    credit_code: str


def _seed(store: Store) -> None:
    with store.read() as s:
        if s.get(m.Township, TOWNSHIP) is not None:
            return
    from app.demo.dataset import build_dataset
    from app.demo.seed import seed_store

    seed_store(store, build_dataset(tasks=20, today=date(2026, 3, 1)))


def _image(kind: str, seed: int) -> bytes:
    from PIL import Image, ImageDraw

    if kind == "signature":
        img = Image.new("RGB", (360, 120), "white")
        d = ImageDraw.Draw(img)
        pts = [(20 + i * 8, 60 + int(30 * ((i * (seed + 3)) % 7 - 3) / 3)) for i in range(40)]
        d.line(pts, fill="black", width=4)
    else:
        img = Image.new("RGB", (640, 480), (170 + seed * 20 % 60, 190, 210))
        d = ImageDraw.Draw(img)
        d.rectangle((60, 200, 580, 420), fill=(120, 90, 60))
        d.ellipse((400 + seed * 10, 40, 520 + seed * 10, 160), fill=(240, 220, 120))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def prepare(store: Store, *, findings: int = 3) -> Sample:
    """Seed if needed and record one inspection (officers, party, findings, photos, signatures)."""
    _seed(store)
    with store.write() as s:
        officers = s.scalars(
            select(m.Officer)
            .where(m.Officer.township_id == TOWNSHIP, m.Officer.certificate_no.is_not(None))
            .order_by(m.Officer.id)
            .limit(2)
        ).all()
        if len(officers) < 2:
            officers = [
                m.Officer(
                    id=f"sample-off-{i}",
                    name=n,
                    role="officer",
                    township_id=TOWNSHIP,
                    certificate_no=f"33010{i}2021000{i}8",
                    cert_valid_until=date(2028, 12, 31),
                    version=1,
                )
                for i, n in ((1, "钱立新"), (2, "孙晓雯"))
            ]
            s.add_all(officers)
        target = m.Target(
            id=f"sample-target-{m.new_id()[:8]}",
            name="杭州富阳新登味道餐饮有限公司",
            credit_code=CREDIT_CODE,
            kind="企业",
            address="杭州市富阳区新登镇城南路88号",
            township_id=TOWNSHIP,
            industry="餐饮",
            legal_rep="周建国",
            contact_name="周建国",
            contact_phone="13905710088",
            version=1,
        )
        s.add(target)
        task = s.scalars(select(m.Task).where(m.Task.township_id == TOWNSHIP).order_by(m.Task.id)).first()
        start = datetime(2026, 3, 1, 1, 10, tzinfo=UTC)
        inspection = m.Inspection(
            id=m.new_id(),
            township_id=TOWNSHIP,
            target_id=target.id,
            task_id=task.id if task else None,
            started_at=start,
            ended_at=start + timedelta(minutes=50),
            place="杭州市富阳区新登镇城南路88号店门前",
            officer_ids=[o.id for o in officers],
            certificates_shown=True,
            recusal_told=True,
            party={
                "type": "organisation",
                "name": target.name,
                "credit_code": CREDIT_CODE,
                "legal_rep": "周建国",
                "address": target.address,
                "phone": "13905710088",
            },
            onsite_person={
                "name": "周建国",
                "relation": "法定代表人",
                "phone": "13905710088",
                "id_number": "330183198003150012",
            },
            witnesses=[{"name": "王小明"}],
            observations="现场检查时店内正在营业，当事人配合检查。",
        )
        s.add(inspection)
        s.flush()
        notes = [
            "店外人行道上摆放餐桌6张、塑料凳24只，占用人行道约12平方米",
            "店门前堆放啤酒箱、煤气罐等物料，影响市容",
            "后厨油烟净化设施运行正常",
        ]
        for i in range(findings):
            s.add(
                m.Finding(
                    id=m.new_id(),
                    inspection_id=inspection.id,
                    township_id=TOWNSHIP,
                    target_id=target.id,
                    matter_code=EMPOWERED_MATTER,
                    check_point=f"检查要点{i + 1}：是否存在出店经营、乱堆物料等行为",
                    result="violation" if i % 3 != 2 else "compliant",
                    note="" if i % 3 != 2 else notes[i % len(notes)],
                    fact=notes[i % len(notes)] if i % 3 != 2 else "",  # the officer's statement (违法事实)
                    found_at=start + timedelta(minutes=5 + i),
                )
            )
    tmp = Path(tempfile.mkdtemp(prefix="lxt-samples-"))
    signatures: dict[str, object] = {}
    for i, (name, kind) in enumerate(
        (
            ("现场照片-店外餐桌.png", "photo"),
            ("现场照片-堆放物料.png", "photo"),
            ("签名-当事人.png", "signature"),
            ("签名-执法人员.png", "signature"),
        )
    ):
        path = tmp / name
        path.write_bytes(_image(kind, i))
        ev = import_file(
            store,
            path,
            actor=CLERK.actor,
            inspection_id=inspection.id,
            kind=kind,
            caption=name.removesuffix(".png"),
        ).evidence
        if kind == "signature":
            signatures["party" if "当事人" in name else "officer:1"] = ev.id
    with store.write() as s:
        row = s.get_one(m.Inspection, inspection.id)
        row.signatures = signatures
        row.status = "finalised"
    return Sample(inspection.id, task.id if task else None, "杭州富阳新登味道餐饮有限公司", CREDIT_CODE)


FIELDS: dict[str, dict[str, object]] = {
    "onsite_record": {},
    "interview_record": {
        "started_at": "2026-03-01 10:10",
        "ended_at": "2026-03-01 10:40",
        "interviewee_sex": "男",
        "interviewee_address": "杭州市富阳区新登镇城南路90号",
        "qa": "问：你与杭州富阳新登味道餐饮有限公司是什么关系？\n答：我是公司的法定代表人。\n"
        "问：店门外人行道上的餐桌是谁摆放的？\n答：是我们店里的服务员摆放的，晚上客人多。\n"
        "问：你是否知道在人行道上摆放餐桌经营是违法的？\n答：知道了，我们马上整改。",
    },
    "correction_order": {
        "requirement": "立即撤除店外摆放的餐桌、凳子，清理店门前堆放的物料，恢复人行道通行。",
        "deadline": "2026-03-09",
        "contact_phone": "0571-63321234",
    },
    "preservation_notice": {
        "items": [
            {
                "no": "1",
                "name": "折叠餐桌",
                "spec": "1.2米×0.8米",
                "quantity": "6张",
                "place": "新登镇综合行政执法队仓库",
            },
            {
                "no": "2",
                "name": "塑料凳",
                "spec": "红色",
                "quantity": "24只",
                "place": "新登镇综合行政执法队仓库",
            },
        ],
        "preserve_from": "2026-03-02",
        "preserve_to": "2026-03-09",
        "storage_place": "新登镇综合行政执法队仓库",
        "contact_phone": "0571-63321234",
    },
    "seizure_decision": {
        "items": [
            {
                "no": "1",
                "name": "煤气罐",
                "spec": "15公斤",
                "quantity": "3只",
                "place": "新登镇综合行政执法队仓库",
            }
        ],
        "period_from": "2026-03-02",
        "period_to": "2026-03-31",
        "measure": "扣押",
        "contact_phone": "0571-63321234",
    },
    "penalty_notice": {
        "intended_penalty": "罚款人民币伍佰元整（¥500）。",
        "hearing_right": "不适用",
        "contact_address": "杭州市富阳区新登镇新兴路1号",
        "contact_phone": "0571-63321234",
    },
    "summary_penalty": {"penalty_kind": "罚款", "fine_amount": "200", "act_time": "2026-03-01 09:15"},
    "penalty_decision": {"penalty": "罚款人民币伍佰元整。", "fine_amount": "500"},
    "service_receipt": {
        "served_doc_title": "责令（限期）改正通知书",
        "served_doc_number": "新登镇综执责改〔2026〕1号",
        "method": "直接送达",
        "served_at": "2026-03-02 10:00",
    },
    "transfer_letter": {"contact_phone": "0571-63321234"},
    "notice_sheet": {
        "outcome": "本机关已责令当事人限期改正。",
        "suggestion": "建议加强对辖区餐饮单位食品经营许可的日常监管。",
        "reply_deadline": "2026-03-17",
        "contact_phone": "0571-63321234",
    },
}


def add_demo_blocks(store: Store, body_id: str, doc_type: str, year: int, size: int = 50) -> None:
    """Local demonstration blocks (render-samples, tests without a platform); real blocks come from sync."""
    with store.write() as s:
        top = (
            s.scalar(
                select(func.max(m.NumberBlock.end)).where(
                    m.NumberBlock.body_id == body_id,
                    m.NumberBlock.doc_type == doc_type,
                    m.NumberBlock.year == year,
                )
            )
            or 0
        )
        s.add(
            m.NumberBlock(
                id=m.new_id(),
                body_id=body_id,
                doc_type=doc_type,
                year=year,
                start=top + 1,
                end=top + size,
                device_id="demo",
            )
        )


CASE_DOC_TYPES = frozenset({"penalty_notice", "penalty_decision"})  # issued only within a case (普通程序)


def sample_case(store: Store, sample: Sample, user: CurrentUser = CLERK) -> str:
    """The sample inspection's case, filed once and taken to 决定 (a 500-yuan fine: no hearing, no review)."""
    from app.cases.filing import Filing
    from app.cases.service import CaseService

    with store.read() as s:
        finding = s.scalars(select(m.Finding).where(m.Finding.inspection_id == sample.inspection_id,
                                                    m.Finding.result == "violation").order_by(m.Finding.id)).first()
        assert finding is not None, "the sample inspection records violations"
        existing = s.scalar(select(m.Case.id).where(m.Case.finding_id == finding.id))
        legal_rep = s.scalar(select(m.Target.legal_rep).where(m.Target.id == finding.target_id)) or "周建国"
    if existing:
        return existing
    if not store_has_blocks(store, TOWNSHIP, "case", 2026):
        add_demo_blocks(store, TOWNSHIP, "case", 2026)
    cases = CaseService(store, user)
    filing = Filing(title="出店经营影响市容案", matter_codes=[EMPOWERED_MATTER], act_date=date(2026, 2, 19),
                    party_legal_rep=legal_rep, facts="当事人超出门窗外墙摆放餐桌经营")
    case = cases.file_from_finding(finding.id, filing, on=date(2026, 2, 20)).case
    penalty = {"kinds": ["罚款"], "fine_amount": "500"}
    cases.step(case.id, "investigate", on=date(2026, 2, 20))
    cases.step(case.id, "notify", on=date(2026, 2, 22), data={**penalty, "hearing_right": False})
    cases.step(case.id, "decide", on=date(2026, 2, 28), data=penalty)
    return case.id


def store_has_blocks(store: Store, body_id: str, doc_type: str, year: int) -> bool:
    with store.read() as s:
        return bool(s.scalar(select(func.count()).select_from(m.NumberBlock).where(
            m.NumberBlock.body_id == body_id, m.NumberBlock.doc_type == doc_type, m.NumberBlock.year == year)))


def draft_sample(store: Store, sample: Sample, doc_type: str, user: CurrentUser = CLERK) -> m.Document:
    svc = DocumentService(store, user)
    matter = DEPT_MATTER if doc_type in ("transfer_letter", "notice_sheet") else EMPOWERED_MATTER
    case_id = sample_case(store, sample, user) if doc_type in CASE_DOC_TYPES else None
    return svc.create_draft(
        case_id=case_id,
        doc_type=doc_type,
        township_id=TOWNSHIP,
        matter_code=matter,
        inspection_id=sample.inspection_id,
        task_id=sample.task_id,
        fields=dict(FIELDS.get(doc_type, {})),
        day=ISSUED_AT.astimezone(CHINA_TZ).date(),
    )


def issue_samples(
    store: Store, render: PdfBytesFn, *, sample: Sample | None = None, doc_types: list[str] | None = None
) -> list[m.Document]:
    sample = sample or prepare(store)
    svc = DocumentService(store, CLERK)
    issued = []
    for doc_type in doc_types or available_doc_types():
        doc = draft_sample(store, sample, doc_type)
        with store.read() as s:
            have = s.scalar(
                select(func.count())
                .select_from(m.NumberBlock)
                .where(
                    m.NumberBlock.body_id == doc.body_id,
                    m.NumberBlock.doc_type == doc_type,
                    m.NumberBlock.year == ISSUED_AT.year + 0,
                )
            )
        if not have:
            add_demo_blocks(store, doc.body_id, doc_type, 2026)
        issued.append(svc.issue(doc.id, pdf_bytes_fn=render, at=ISSUED_AT))
    return issued

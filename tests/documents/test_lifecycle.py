"""Issuing from this laptop's number blocks (offline), exhaustion, voids, immutability, service and clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.documents import DocumentService
from app.documents.numbers import counter_status, remaining
from app.documents.values import CHINA_TZ
from app.errors import DomainError, NumberingError, ValidationError
from app.evidence_store import read_sealed
from app.models import Document, OutboxEntry
from app.store import Store
from tests.documents.conftest import AT, CLERK, add_blocks, stub_pdf


def _ready_order(svc: DocumentService, deadline: str = "2026-03-20") -> Document:
    return svc.create_draft(
        doc_type="correction_order",
        township_id="xd",
        inspection_id="insp1",
        fields={"requirement": "立即撤除", "deadline": deadline},
    )


def test_issue_takes_the_next_number_offline(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 11, 12)
    add_blocks(district, "xd", "correction_order", 31, 31)
    svc = DocumentService(district, CLERK)
    numbers = [svc.issue(_ready_order(svc).id, pdf_bytes_fn=stub_pdf, at=AT).number for _ in range(3)]
    assert numbers == [
        "新登镇综执责改〔2026〕11号",
        "新登镇综执责改〔2026〕12号",
        "新登镇综执责改〔2026〕31号",
    ]
    doc = svc.list_documents(status="issued")[0]
    assert doc.status == "issued" and doc.issued_by == CLERK.actor and doc.content_sha256
    assert read_sealed(svc.pdf_path(doc)) == stub_pdf(doc)
    with district.read() as s:
        row = s.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == doc.id, OutboxEntry.op == "update")
        ).first()
    assert row.payload["fields"]["status"] == "issued" and "fields" in row.payload["fields"]


def test_exhaustion_keeps_the_draft_with_a_plain_message(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 1, 1)
    svc = DocumentService(district, CLERK)
    svc.issue(_ready_order(svc).id, pdf_bytes_fn=stub_pdf, at=AT)
    draft = _ready_order(svc)
    with pytest.raises(NumberingError) as err:
        svc.issue(draft.id, pdf_bytes_fn=stub_pdf, at=AT)
    assert (
        err.value.message
        == "本机的「责令（限期）改正通知书」文号已用完，请联网同步以领取新的文号段；草稿已保留"
    )
    kept = svc.get(draft.id)
    assert kept.status == "draft" and kept.number is None and kept.fields == draft.fields
    assert not svc.pdf_path(kept).exists()
    with pytest.raises(NumberingError):  # no block at all for another counter
        doc = svc.create_draft(
            doc_type="notice_sheet",
            township_id="xd",
            matter_code="M-DEPT",
            inspection_id="insp1",
            fields={"outcome": "已处理", "suggestion": "加强"},
        )
        svc.issue(doc.id, pdf_bytes_fn=stub_pdf, at=AT)


def test_failed_render_keeps_the_draft_and_the_number(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 5, 6)
    svc = DocumentService(district, CLERK)
    draft = _ready_order(svc)

    def broken(doc: Document) -> bytes:
        raise RuntimeError("printer on fire")

    with pytest.raises(RuntimeError):
        svc.issue(draft.id, pdf_bytes_fn=broken, at=AT)
    assert svc.get(draft.id).status == "draft"
    assert svc.issue(draft.id, pdf_bytes_fn=stub_pdf, at=AT).number == "新登镇综执责改〔2026〕5号"


def test_voided_numbers_are_never_reused(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 1, 3)
    svc = DocumentService(district, CLERK)
    first = svc.issue(_ready_order(svc).id, pdf_bytes_fn=stub_pdf, at=AT)
    voided = svc.void(first.id, "当事人名称有误")
    assert (
        voided.status == "voided" and voided.number == first.number and voided.void_reason == "当事人名称有误"
    )
    second = svc.issue(_ready_order(svc).id, pdf_bytes_fn=stub_pdf, at=AT)
    assert second.seq == 2
    with district.read() as s:
        assert remaining(s, "xd", "correction_order", 2026) == 1
        assert counter_status(s)[0].label == "新登镇综执责改 2026：1 个"
    with pytest.raises(ValidationError, match="原因"):
        svc.void(second.id, "  ")
    with pytest.raises(DomainError):
        svc.void(first.id, "再次作废")


def test_issued_documents_are_immutable(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 1, 5)
    svc = DocumentService(district, CLERK)
    doc = svc.issue(_ready_order(svc).id, pdf_bytes_fn=stub_pdf, at=AT)
    with pytest.raises(DomainError, match="已签发"):
        svc.update_draft(doc.id, {"requirement": "改一下"})
    with pytest.raises(DomainError):
        svc.issue(doc.id, pdf_bytes_fn=stub_pdf, at=AT)
    assert svc.get(doc.id).fields["requirement"] == "立即撤除"


def test_unready_draft_is_not_issued(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 1, 5)
    svc = DocumentService(district, CLERK)
    doc = svc.create_draft(doc_type="correction_order", township_id="xd", inspection_id="insp1")
    with pytest.raises(ValidationError, match="改正内容及要求"):
        svc.issue(doc.id, pdf_bytes_fn=stub_pdf, at=AT)


def test_service_rules(district: Store) -> None:
    add_blocks(district, "xd", "correction_order", 1, 5)
    svc = DocumentService(district, CLERK)
    today = datetime.now(CHINA_TZ).date()  # dates are China dates, whatever the machine's zone
    future = (today + timedelta(days=10)).isoformat()
    doc = svc.issue(_ready_order(svc, future).id, pdf_bytes_fn=stub_pdf, at=datetime.now(UTC))
    with pytest.raises(ValidationError, match="见证人"):
        svc.record_service(doc.id, method="留置", date=today, recipient="周建国")
    with pytest.raises(ValidationError, match="送达方式"):
        svc.record_service(doc.id, method="传真", date=today, recipient="周建国")
    with pytest.raises(ValidationError, match="晚于今天"):
        svc.record_service(doc.id, method="直接", date=today + timedelta(days=3), recipient="周建国")
    served = svc.record_service(
        doc.id, method="留置", date=today, recipient="周建国", witness="王小明", note="当事人拒收，留置于店内"
    )
    assert served.status == "served" and served.service["witness"] == "王小明"
    assert served.service["method_label"] == "留置送达"
    with pytest.raises(DomainError):
        svc.record_service(doc.id, method="直接", date=today, recipient="周建国")
    draft = _ready_order(svc)
    with pytest.raises(DomainError, match="草稿"):
        svc.record_service(draft.id, method="直接", date=today, recipient="周建国")


@pytest.mark.parametrize(
    ("target", "amount", "ok"),
    [
        ("tg2", "200", True),
        ("tg2", "201", False),
        ("tg1", "3000", True),
        ("tg1", "3000.01", False),
    ],
)
def test_summary_fine_thresholds(district: Store, target: str, amount: str, ok: bool) -> None:
    svc = DocumentService(district, CLERK)
    party = "公民" if target == "tg2" else "法人或其他组织"
    doc = svc.create_draft(
        doc_type="summary_penalty",
        township_id="xd",
        matter_code="M-EMP",
        fields={
            "party_name": "张三" if target == "tg2" else "某公司",
            "party_type": party,
            "act_place": "城南路",
            "facts": "占道经营",
            "officers": "甲（执法证号：1）",
            "penalty_kind": "罚款",
            "fine_amount": amount,
        },
    )
    problems = svc.validate(doc)
    limit = "200" if target == "tg2" else "3000"
    assert (not problems) if ok else any(f"不得超过{limit}元" in p for p in problems), problems


def test_warning_needs_no_amount(district: Store) -> None:
    svc = DocumentService(district, CLERK)
    doc = svc.create_draft(
        doc_type="summary_penalty",
        township_id="xd",
        matter_code="M-EMP",
        fields={
            "party_name": "张三",
            "party_type": "公民",
            "act_place": "城南路",
            "facts": "占道",
            "officers": "甲（执法证号：1）",
            "penalty_kind": "警告",
        },
    )
    assert svc.validate(doc) == []


def test_clocks(district: Store) -> None:
    for doc_type in ("preservation_notice", "seizure_decision"):
        add_blocks(district, "xd", doc_type, 1, 5)
    add_blocks(district, "xd", "correction_order", 1, 5)
    svc = DocumentService(district, CLERK)
    notice = svc.create_draft(
        doc_type="preservation_notice",
        township_id="xd",
        inspection_id="insp1",
        fields={"items": [{"no": "1", "name": "餐桌", "spec": "", "quantity": "6张", "place": "仓库"}]},
    )
    assert svc.clocks_for(notice) == []  # drafts start nothing
    notice = svc.issue(notice.id, pdf_bytes_fn=stub_pdf, at=AT)
    (clock,) = svc.clocks_for(notice)
    assert clock.start == date(2026, 3, 2) and clock.due == date(2026, 3, 9) and "第五十六条" in clock.basis
    order = svc.issue(_ready_order(svc).id, pdf_bytes_fn=stub_pdf, at=AT)
    (recheck,) = svc.clocks_for(order)
    assert recheck.due == date(2026, 3, 20) and "复查" in recheck.name

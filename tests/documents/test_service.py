"""DocumentService: enforcing body resolution, filling from records, draft editing rules, audit + outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.documents import DocumentService
from app.errors import DomainError, ValidationError
from app.models import AuditEvent, OutboxEntry
from app.store import Store
from tests.documents.conftest import CLERK, CREDIT, YH_CLERK


def _svc(store: Store, user=CLERK) -> DocumentService:
    return DocumentService(store, user)


@pytest.mark.parametrize(
    ("township", "matter", "body", "prefix"),
    [
        ("xd", "M-EMP", "杭州市富阳区新登镇人民政府", "新登镇综执"),  # empowered township, empowered matter
        ("xd", "M-DEPT", "杭州市富阳区市场监督管理局", "富市监"),  # empowered township, matter not empowered
        ("xd", "M-DEEMP", "杭州市富阳区综合行政执法局", "富综执"),  # de-empowered in catalogue version 2
        ("yh", "M-EMP", "杭州市富阳区综合行政执法局", "富综执"),  # dispatched township: always the department
    ],
)
def test_body_resolution(district: Store, township: str, matter: str, body: str, prefix: str) -> None:
    user = CLERK if township == "xd" else YH_CLERK
    doc = _svc(district, user).create_draft(
        doc_type="correction_order", township_id=township, matter_code=matter
    )
    assert (doc.body_legal_name, doc.seal_name, doc.number_prefix) == (body, body, prefix)
    assert doc.status == "draft" and doc.number is None


def test_dispatched_township_needs_a_matter(district: Store) -> None:
    with pytest.raises(ValidationError, match="派驻"):
        _svc(district, YH_CLERK).create_draft(doc_type="onsite_record", township_id="yh")


def test_letters_go_out_in_the_teams_own_name(district: Store) -> None:
    doc = _svc(district).create_draft(
        doc_type="transfer_letter", township_id="xd", matter_code="M-DEPT", inspection_id="insp1"
    )
    assert doc.body_legal_name == "杭州市富阳区新登镇人民政府"
    assert doc.fields["receiver"] == "杭州市富阳区市场监督管理局"


def test_filled_from_records(district: Store) -> None:
    doc = _svc(district).create_draft(doc_type="onsite_record", township_id="xd", inspection_id="insp1")
    f = doc.fields
    assert doc.matter_code == "M-EMP"  # from the violation finding
    assert f["party_name"] == "杭州富阳新登味道餐饮有限公司" and f["party_id_code"] == CREDIT
    assert f["officers"] == "李明（执法证号：浙A01-2021-10088）、周红（执法证号：浙A01-2021-20088）"
    assert f["started_at"] == "2026-03-01 09:00" and f["ended_at"] == "2026-03-01 09:40"  # China time
    assert "店外占道摆放餐桌6张" in f["findings"] and f["recorder"] == "赵内勤"
    order = _svc(district).create_draft(
        doc_type="correction_order",
        township_id="xd",
        inspection_id="insp1",
        fields={"requirement": "立即撤除"},
    )
    assert order.fields["legal_basis"] == "《测试条例》第5条" and order.fields["requirement"] == "立即撤除"
    assert order.task_id == "t1"


def test_given_fields_cannot_override_record_values(district: Store) -> None:
    doc = _svc(district).create_draft(
        doc_type="correction_order",
        township_id="xd",
        inspection_id="insp1",
        fields={"party_name": "别人", "contact_phone": "0571-1"},
    )
    assert doc.fields["party_name"] == "杭州富阳新登味道餐饮有限公司"
    assert doc.fields["contact_phone"] == "0571-1"
    with pytest.raises(ValidationError, match="没有字段"):
        _svc(district).create_draft(doc_type="correction_order", township_id="xd", fields={"bogus": 1})
    with pytest.raises(ValidationError):
        _svc(district).create_draft(doc_type="no_such_type", township_id="xd")


def test_update_draft_only_editable_fields(district: Store) -> None:
    svc = _svc(district)
    doc = svc.create_draft(doc_type="correction_order", township_id="xd", inspection_id="insp1")
    doc = svc.update_draft(doc.id, {"requirement": "限期拆除", "deadline": "2030-01-01"})
    assert doc.fields["requirement"] == "限期拆除" and doc.fields["deadline"] == "2030-01-01"
    with pytest.raises(DomainError, match="不能在文书中修改"):
        svc.update_draft(doc.id, {"party_name": "改名"})
    with pytest.raises(ValidationError):
        svc.update_draft(doc.id, {"deadline": "不是日期"})
    # a record-sourced field the records left empty may be filled in once, then it is locked like the rest
    record = svc.create_draft(doc_type="onsite_record", township_id="xd", inspection_id="insp1")
    assert record.fields["onsite_phone"] == ""
    record = svc.update_draft(record.id, {"onsite_phone": "13900000000"})
    assert record.fields["onsite_phone"] == "13900000000"
    with pytest.raises(DomainError):
        svc.update_draft(record.id, {"onsite_phone": "13900000001"})


def test_every_change_writes_audit_and_outbox(district: Store) -> None:
    svc = _svc(district)
    with district.read() as s:
        before = (
            s.scalar(select(func.count()).select_from(AuditEvent)),
            s.scalar(select(func.count()).select_from(OutboxEntry)),
        )
    doc = svc.create_draft(
        doc_type="notice_sheet", township_id="xd", matter_code="M-DEPT", inspection_id="insp1"
    )
    svc.update_draft(doc.id, {"suggestion": "加强监管"})
    svc.void(doc.id, "重复出具")
    with district.read() as s:
        audits = s.scalar(select(func.count()).select_from(AuditEvent)) - before[0]
        rows = s.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == doc.id).order_by(OutboxEntry.seq)
        ).all()
    assert audits == 3
    assert [r.op for r in rows] == ["create", "update", "void"]
    assert rows[2].payload == {"reason": "重复出具"}


def test_validation_messages(district: Store) -> None:
    svc = _svc(district)
    doc = svc.create_draft(doc_type="correction_order", township_id="xd", inspection_id="insp1")
    problems = svc.validate(doc)
    assert "「改正内容及要求」为必填项，尚未填写" in problems

"""A document's 违法事实 is the officers' statement from the findings, never the checklist question."""

from __future__ import annotations

from app import models as m
from app.documents import DocumentService
from app.store import Store
from tests.documents.conftest import CLERK


def test_facts_come_from_the_officers_statement_not_the_check_point(district: Store) -> None:
    statement = "当事人在店门外人行道上摆放餐桌6张、塑料凳24只，占用人行道约12平方米"
    with district.write() as s:
        s.get(m.Finding, "f1").fact = statement
    svc = DocumentService(district, CLERK)
    for doc_type in ("correction_order", "penalty_notice", "transfer_letter"):
        doc = svc.create_draft(doc_type=doc_type, township_id="xd", matter_code="M-EMP", inspection_id="insp1")
        assert doc.fields["facts"] == statement, doc_type
        assert "是否占用城市道路" not in doc.fields["facts"]


def test_a_finding_without_a_statement_never_prints_the_question(district: Store) -> None:
    with district.write() as s:
        f = s.get(m.Finding, "f1")
        f.fact, f.note = "", ""
    doc = DocumentService(district, CLERK).create_draft(
        doc_type="correction_order", township_id="xd", matter_code="M-EMP", inspection_id="insp1"
    )
    assert doc.fields["facts"] == ""  # the clerk writes the facts; 签发 refuses until they do
    assert any("违法事实" in p for p in DocumentService(district, CLERK).validate(doc))

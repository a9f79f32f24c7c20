"""Case service: 立案 from each source with body and number from the authorities, steps recorded with their outbox
rows, refusals leaving the store as it was, and the document issue path gated by the case."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import models as m
from app.cases.filing import Filing
from app.cases.service import CaseService
from app.documents.service import DocumentService
from app.errors import DomainError, NumberingError, TransitionError, ValidationError
from app.store import Store
from tests.cases.district import CLERK, LEADER, MATTER, OFFICER, YEAR, at, build, day
from tests.law import district as law_district


def _stub_pdf(doc: m.Document) -> bytes:
    return f"%PDF-1.4 stub {doc.number}".encode()


def _filing(**over: object) -> Filing:
    values: dict[str, object] = {"title": "擅自占用城市道路案", "matter_codes": [], "act_date": day(-40),
                                 "facts": "当事人在店外占道摆放餐桌6张"}
    values.update(over)
    return Filing(**values)


def _outbox(store: Store) -> list[m.OutboxEntry]:
    with store.read() as s:
        return list(s.scalars(select(m.OutboxEntry).order_by(m.OutboxEntry.seq)))


def test_file_from_finding_takes_body_number_party_and_officers(cases_store: Store) -> None:
    filed = CaseService(cases_store, OFFICER).file_from_finding("f1", _filing(), on=day(-39))
    case = filed.case
    assert filed.warnings == []
    assert case.number == f"新登镇综执立〔{YEAR}〕1号"
    assert (case.body_id, case.body_legal_name) == ("xd", "杭州市富阳区新登镇人民政府")
    assert case.body_reason.startswith("赋权")
    assert case.party_name == "杭州富阳新登味道餐饮有限公司" and case.party_legal_rep == "周建国"
    assert case.officer_ids == ["o-1", "o-2"] and case.matter_codes == [MATTER]
    assert (case.task_id, case.inspection_id, case.status) == ("t1", "insp1", "filed")
    assert case.facts == "当事人在店外占道摆放餐桌6张"  # typed at 立案; left empty it is the officer's 违法事实
    entry = _outbox(cases_store)[-1]
    assert (entry.entity, entry.op, entry.entity_id) == ("case", "create", case.id)
    assert entry.payload["events"][0]["action"] == "file"
    with pytest.raises(DomainError, match="重复立案"):
        CaseService(cases_store, OFFICER).file_from_finding("f1", _filing())


def test_limitation_warning_at_filing(cases_store: Store) -> None:
    filed = CaseService(cases_store, OFFICER).file_from_finding("f1", _filing(act_date=day(-800)))
    assert filed.warnings and "第三十六条" in filed.warnings[0]


def test_not_empowered_matter_is_pointed_to_transfer(cases_store: Store) -> None:
    with pytest.raises(ValidationError, match="移送"):
        CaseService(cases_store, OFFICER).file_from_complaint(
            _filing(matter_codes=[law_district.DEPT_ONLY], party_name="张三", party_type="person",
                    source_note="12345热线投诉"))


def test_complaint_and_received_transfer_sources(cases_store: Store) -> None:
    svc = CaseService(cases_store, OFFICER)
    with pytest.raises(ValidationError, match="投诉举报内容"):
        svc.file_from_complaint(_filing(matter_codes=[MATTER], party_name="张三", party_type="person"))
    a = svc.file_from_complaint(_filing(matter_codes=[MATTER], source_note="12345热线：门前占道"), target_id="tg1")
    b = svc.file_from_transfer(_filing(matter_codes=[MATTER], party_name="张三", party_type="person",
                                       source_note="区市场监管局 富市监移〔2026〕3号"))
    assert (a.case.source, b.case.source) == ("complaint", "transfer")
    assert [a.case.seq, b.case.seq] == [1, 2]
    assert a.case.party_legal_rep == "周建国"


def test_without_number_blocks_filing_is_refused_and_nothing_stored(store: Store) -> None:
    build(store, blocks=False)
    before = len(_outbox(store))
    with pytest.raises(NumberingError, match="同步"):
        CaseService(store, OFFICER).file_from_finding("f1", _filing())
    assert len(_outbox(store)) == before
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Case)) == 0


def test_refused_step_keeps_the_store_and_names_the_article(cases_store: Store) -> None:
    svc = CaseService(cases_store, OFFICER)
    case = svc.file_from_finding("f1", _filing(), on=day(-39)).case
    before = len(_outbox(cases_store))
    with pytest.raises(TransitionError, match="《行政处罚法》第四十四条"):
        svc.step(case.id, "decide", data={"kinds": ["罚款"], "fine_amount": "500"})
    assert len(_outbox(cases_store)) == before
    assert svc.get(case.id).status == "filed"


def _to_review(store: Store) -> str:
    svc = CaseService(store, OFFICER)
    case = svc.file_from_finding("f1", _filing(), on=day(-39)).case
    svc.step(case.id, "investigate", on=day(-39))
    svc.step(case.id, "notify", on=day(-30),
             data={"kinds": ["罚款"], "fine_amount": "200000", "hearing_right": True})
    svc.step(case.id, "request_hearing", on=day(-28))
    svc.step(case.id, "notify_hearing", on=day(-27))
    svc.step(case.id, "hold_hearing", on=day(-20), data={"record": "听证笔录：当事人请求从轻处罚"})
    svc.step(case.id, "submit_review", on=day(-19))
    return case.id


def test_hearing_right_and_review_gate_the_documents(cases_store: Store) -> None:
    case_id = _to_review(cases_store)
    svc, docs = CaseService(cases_store, CLERK), DocumentService(cases_store, CLERK)
    notice = svc.create_document(case_id, "penalty_notice", {
        "intended_penalty": "罚款人民币贰拾万元", "hearing_right": "不适用", "evidence_summary": "现场检查笔录",
        "legal_basis": "《城市道路管理条例》第二十七条", "penalty_basis": "《城市道路管理条例》第四十二条"})
    with pytest.raises(ValidationError, match=r"第六十三条.*不适用"):
        docs.issue(notice.id, pdf_bytes_fn=_stub_pdf, at=at(-30))
    assert docs.get(notice.id).status == "draft"
    docs.update_draft(notice.id, {"hearing_right": "享有"})
    assert docs.issue(notice.id, pdf_bytes_fn=_stub_pdf, at=at(-30)).number

    decision = svc.create_document(case_id, "penalty_decision", {})
    with pytest.raises(ValidationError, match="第五十八条"):
        docs.issue(decision.id, pdf_bytes_fn=_stub_pdf, at=at(-18))
    leader = CaseService(cases_store, LEADER)
    with pytest.raises(TransitionError, match="第五十八条"):
        leader.step(case_id, "decide", on=day(-18), data={"kinds": ["罚款"], "fine_amount": "150000"})
    with pytest.raises(TransitionError, match="审核人"):
        CaseService(cases_store, OFFICER).step(case_id, "review", on=day(-18), data={"opinion": "通过"})
    leader.step(case_id, "review", on=day(-18), data={"opinion": "通过", "text": "事实清楚，程序合法"})
    leader.step(case_id, "decide", on=day(-17), data={"kinds": ["罚款"], "fine_amount": "150000"})
    view = svc.view(case_id)
    assert view.reviews[-1]["opinion"] == "通过" and "陈队长" in view.reviews[-1]["reviewer"]
    assert [d.id for d in view.documents] == [notice.id, decision.id]


def test_preservation_notice_with_thirty_days_is_refused(cases_store: Store) -> None:
    svc = CaseService(cases_store, OFFICER)
    case = svc.file_from_finding("f1", _filing(), on=day(-39)).case
    doc = svc.create_document(case.id, "preservation_notice", {
        "preserve_from": day(-1).isoformat(), "preserve_to": day(29).isoformat(), "storage_place": "队部",
        "items": [{"no": "1", "name": "餐桌", "spec": "折叠", "quantity": "6", "place": "队部"}]})
    problems = DocumentService(cases_store, CLERK).validate(DocumentService(cases_store, CLERK).get(doc.id))
    assert any("第五十六条" in p for p in problems)
    with pytest.raises(ValidationError, match="第五十六条"):
        DocumentService(cases_store, CLERK).issue(doc.id, pdf_bytes_fn=_stub_pdf)


def test_view_shows_clocks_and_the_next_step(cases_store: Store) -> None:
    svc = CaseService(cases_store, OFFICER)
    case = svc.file_from_finding("f1", _filing(), on=day(-39)).case
    view = svc.view(case.id)
    names = [c.name for c in view.clocks]
    assert names[:2] == ["追责时效", "案件办理期限"]
    assert view.clocks[1].due == day(51)
    assert view.next_step is not None and view.next_step[0].value == "investigate"


def test_synced_case_law_edition_applies_by_its_date(cases_store: Store) -> None:
    from app.rules.case_config import default_config_data

    data = {**default_config_data(), "edition": 2}
    data["hearing"] = {**data["hearing"], "fine_organisation": "50000"}
    with cases_store.write() as s:
        s.add(m.CaseConfigEdition(id="case-law-2", edition=2, effective_from=day(-5), data=data, version=1))
    svc = CaseService(cases_store, OFFICER)
    case = svc.file_from_finding("f1", _filing(), on=day(-20)).case
    svc.step(case.id, "investigate", on=day(-20))
    penalty = {"kinds": ["罚款"], "fine_amount": "60000", "hearing_right": False}
    with pytest.raises(TransitionError, match="50000"):
        svc.step(case.id, "notify", on=day(-1), data=penalty)  # edition 2 in force: 60000 ≥ 50000
    svc.step(case.id, "notify", on=day(-10), data=penalty)  # edition 1 in force that day: below 100000


def test_facts_default_to_the_officers_statement(cases_store: Store) -> None:
    case = CaseService(cases_store, OFFICER).file_from_finding("f1", _filing(facts="")).case
    assert case.facts.startswith("当事人在新登镇城南路88号店外人行道摆放餐桌6张")

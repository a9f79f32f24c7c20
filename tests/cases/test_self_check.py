"""案卷评查 self-check: a complete case file built through the real services scores full marks; each seeded defect
(one per kind) is found, named with its document and field and a fix, and deducted by the configured weights;
basic-standard failures make the file 不合格 with score 0; the all-open-cases run; the XLSX export read back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from app import models as m
from app.cases.filing import Filing
from app.cases.self_check import CaseReview, SelfCheckService
from app.cases.service import CaseService
from app.documents.service import DocumentService
from app.errors import ValidationError
from app.evidence_store import blob_path
from app.rules.case_review import default_review_config, parse_review_config
from app.store import Store
from tests.cases.district import CLERK, MATTER, OFFICER, YEAR, at, day
from tests.cases.review_file import CaseFile, complete_case, stub_pdf


def _check(store: Store, case_id: str) -> CaseReview:
    return SelfCheckService(store, OFFICER).check(case_id)


def _kinds(review: CaseReview) -> list[str]:
    return [d.kind for d in review.defects]


def _only(review: CaseReview, kind: str) -> list:
    found = [d for d in review.defects if d.kind == kind]
    assert found, f"{kind} not found in {review.defects}"
    for d in found:
        assert d.document and d.field and d.problem and d.fix
    return found


def _docs(store: Store, f: CaseFile) -> tuple[m.Document, m.Document]:
    svc = DocumentService(store, CLERK)
    return svc.get(f.notice_id), svc.get(f.decision_id)


def test_complete_case_file_scores_full_marks(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files")
    review = _check(cases_store, f.case_id)
    assert review.defects == []
    assert (review.score.total, review.score.form, review.score.content) == (100, 20, 80)
    assert review.score.verdict == "优秀" and review.stage == "结案"


def test_missing_mandatory_field_names_the_document_and_field(cases_store: Store, tmp_path: Path) -> None:
    def draft_interview(case_id: str, _decision: str) -> None:
        CaseService(cases_store, CLERK).create_document(case_id, "interview_record", {"ended_at": None})

    f = complete_case(cases_store, tmp_path / "files", before_close=draft_interview)
    review = _check(cases_store, f.case_id)
    fields = {d.field for d in _only(review, "missing_field")}
    assert {"询问时间（止）", "被询问人", "询问记录"} <= fields
    defect = next(d for d in review.defects if d.field == "询问记录")
    assert defect.document == "询问（调查）笔录 （草稿，未编号）" and "填写「询问记录」" in defect.fix
    assert "not_issued" in _kinds(review)
    config = default_review_config()
    assert review.score.content == 80 - config.points("missing_field") * len(
        [d for d in review.defects if d.kind == "missing_field"])


def test_missing_party_signature_and_missing_service(cases_store: Store, tmp_path: Path) -> None:
    from app.inspections import InspectionService

    f = complete_case(cases_store, tmp_path / "files")
    with cases_store.read() as s:
        sig = s.get(m.Inspection, f.inspection_id).signatures["party"]["evidence_id"]
    InspectionService(cases_store, OFFICER).void_evidence(sig, "签名图像模糊，无法辨认")
    with cases_store.write() as s:  # a notice synced from a laptop that never recorded its service
        s.execute(update(m.Document).where(m.Document.id == f.notice_id).values(service={}, status="issued"))
    review = _check(cases_store, f.case_id)
    signatures = _only(review, "missing_signature")
    party = next(d for d in signatures if d.field == "当事人签名（每页）")
    assert party.document.startswith("现场检查（勘验）笔录") and "每页签名" in party.fix
    notice = next(d for d in signatures if d.field.startswith("送达回证"))
    assert notice.document.startswith("行政处罚事先告知书 ") and "送达回证" in notice.fix


def test_altered_pdf_is_a_missing_page(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files")
    _notice, decision = _docs(cases_store, f)
    path = DocumentService(cases_store, CLERK).pdf_path(decision)
    path.write_bytes(path.read_bytes()[:10])  # the last pages lost
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "missing_page")
    assert defect.document == f"行政处罚决定书 {decision.number}"
    assert review.score.form == 20 - default_review_config().points("missing_page")
    assert review.score.total == 100 - default_review_config().points("missing_page")


def _receipt(store: Store, method: str, on: int) -> Callable[[str, str], None]:
    with store.write() as s:
        s.add(m.NumberBlock(id=m.new_id(), body_id="xd", doc_type="service_receipt", year=YEAR, start=1, end=20,
                            device_id="test"))

    def issue_receipt(case_id: str, decision_id: str) -> None:
        decision = DocumentService(store, CLERK).get(decision_id)
        receipt = CaseService(store, CLERK).create_document(case_id, "service_receipt", {
            "served_doc_title": "行政处罚决定书", "served_doc_number": decision.number, "method": method,
            "served_at": at(on).isoformat()})
        DocumentService(store, CLERK).issue(receipt.id, pdf_bytes_fn=stub_pdf, at=at(on))

    return issue_receipt


def test_service_receipt_dated_before_the_decision_is_out_of_order(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files", before_close=_receipt(cases_store, "直接送达", -21))
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "document_order")
    assert defect.document.startswith("送达回证 ") and "早于被送达的「行政处罚决定书" in defect.problem
    assert "missing_signature" not in _kinds(review)


def test_left_service_without_a_witness(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files", before_close=_receipt(cases_store, "留置送达", -19))
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "missing_signature")
    assert defect.document.startswith("送达回证 ") and defect.field == "见证人签名、拒收事由"
    assert "document_order" not in _kinds(review)


def test_decision_served_late_is_a_clock_exceeded(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files", serve_on=-5)
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "clock_exceeded")
    assert defect.field == "决定书送达期限" and "第六十一条" in defect.problem


def test_document_under_the_wrong_body_for_its_date(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files")
    with cases_store.write() as s:  # as if issued on a laptop holding a stale catalogue
        s.execute(update(m.Document).where(m.Document.id == f.notice_id).values(
            body_id="dept_zf", body_legal_name="杭州市富阳区综合行政执法局", number_prefix="富综执"))
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "wrong_body")
    assert defect.field == "执法主体" and "杭州市富阳区新登镇人民政府" in defect.problem
    assert "赋权" in defect.problem and "重新出具" in defect.fix


def test_evidence_failing_its_hash(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files")
    with cases_store.read() as s:
        video = s.get(m.Evidence, f.evidence_ids[1])
    blob_path(cases_store.paths.evidence, video.sha256).write_bytes(b"edited")
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "evidence_unverified")
    assert defect.document == "证据「执法记录仪-1.mp4」" and "已被改动" in defect.problem


def test_missing_recording_names_the_activity(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files", recordings=2)
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "recording_missing")
    _notice, decision = _docs(cases_store, f)
    assert defect.document == f"行政处罚决定书 {decision.number}" and defect.field == "送达过程音像"
    assert "第四十七条" in defect.problem


def test_review_missing_where_article_58_requires_it(cases_store: Store, tmp_path: Path) -> None:
    def complex_now(case_id: str, _decision: str) -> None:
        CaseService(cases_store, OFFICER).edit(case_id, complex_case=True)

    f = complete_case(cases_store, tmp_path / "files", before_close=complex_now)
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "review_missing")
    assert "案情疑难复杂" in defect.problem and "第五十八条" in defect.problem and "队长" in defect.fix
    assert review.score.content == 80 - default_review_config().points("review_missing")


def test_expired_certificate_and_one_officer_fail_the_basic_standards(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files")
    with cases_store.write() as s:
        s.execute(update(m.Officer).where(m.Officer.id == "o-2").values(cert_valid_until=day(-45)))
    review = _check(cases_store, f.case_id)
    [cert] = _only(review, "certificate_invalid")
    assert cert.field == "执法人员周红执法证" and "到期" in cert.problem
    assert "too_few_officers" in _kinds(review)
    assert (review.score.total, review.score.verdict, review.score.basic_failed) == (0, "不合格", True)


def test_case_under_a_body_that_does_not_hold_the_matter(cases_store: Store, tmp_path: Path) -> None:
    f = complete_case(cases_store, tmp_path / "files")
    with cases_store.write() as s:
        s.execute(update(m.Case).where(m.Case.id == f.case_id).values(
            body_id="dept_zf", body_legal_name="杭州市富阳区综合行政执法局"))
    review = _check(cases_store, f.case_id)
    [defect] = _only(review, "unlawful_body")
    assert "杭州市富阳区新登镇人民政府" in defect.problem and review.score.verdict == "不合格"


def test_major_penalty_kept_by_the_township_is_not_transferred(cases_store: Store) -> None:
    with cases_store.write() as s:
        s.execute(update(m.Matter).where(m.Matter.code == MATTER).values(major_penalty=True))
    svc = CaseService(cases_store, OFFICER)
    case = svc.file_from_finding("f1", Filing(title="擅自占用城市道路案", matter_codes=[], act_date=day(-40),
                                              facts="占道摆放餐桌6张"), on=day(-39)).case
    svc.step(case.id, "investigate", on=day(-39))
    svc.step(case.id, "notify", on=day(-3), data={"kinds": ["责令停产停业"], "hearing_right": True})
    [review] = SelfCheckService(cases_store, OFFICER).check_open()
    assert review.case_id == case.id
    [defect] = _only(review, "not_transferred")
    assert "责令停产停业" in defect.problem and "移送" in defect.fix
    assert review.score.total == 0


def test_all_open_cases_and_the_xlsx_export(cases_store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from app.cases.review_export import write_xlsx

    closed = complete_case(cases_store, tmp_path / "files")
    svc = CaseService(cases_store, OFFICER)
    open_case = svc.file_from_complaint(Filing(title="门前占道案", matter_codes=[MATTER], act_date=day(-3),
                                               facts="门前占道", source_note="12345热线"),
                                        target_id="tg1", on=day(-2)).case
    reviews = SelfCheckService(cases_store, OFFICER).check_open()
    assert [r.case_id for r in reviews] == [open_case.id]  # the closed file is not open
    reviews.append(_check(cases_store, closed.case_id))
    path = write_xlsx(reviews, tmp_path / "评查.xlsx")
    book = load_workbook(path, read_only=True)
    summary = list(book["评查汇总"].iter_rows(values_only=True))[: len(reviews) + 1]
    assert summary[0][:6] == ("案件编号", "案由", "当事人", "阶段", "得分", "结论")
    assert {row[0] for row in summary[1:]} == {r.number for r in reviews}
    assert next(row for row in summary[1:] if row[0] == reviews[1].number)[4:6] == (100, "优秀")
    defects = list(book["问题清单"].iter_rows(values_only=True))
    assert defects[0] == ("案件编号", "标准", "问题类别", "文书", "字段", "问题", "整改方法", "扣分")
    assert len(defects) - 1 == len(reviews[0].defects) > 0
    assert all(row[0] == open_case.number for row in defects[1:])


def test_weights_are_configuration() -> None:
    data = {"basic": [], "form": {"points": 30, "deductions": {"missing_page": 30}},
            "content": {"points": 70, "deductions": {"clock_exceeded": 100}}, "grades": [{"min": 60, "label": "合格"}]}
    config = parse_review_config(data)
    assert config.section("missing_page") == "form" and config.points("clock_exceeded") == 100
    with pytest.raises(ValidationError, match="未知的问题类别"):
        parse_review_config({**data, "basic": ["made_up"]})
    with pytest.raises(ValidationError, match="评查配置无效"):
        parse_review_config({"basic": []})

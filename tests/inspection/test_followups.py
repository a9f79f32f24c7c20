"""Follow-ups of violations: which options a matter allows, pre-filled values, creation without duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import DomainError, ValidationError
from app.inspections import InspectionService
from app.inspections.checklist import item_key
from app.inspections.view import local_day
from app.models import Document, InspectionPlan, OutboxEntry, Referral
from app.store import Store
from tests.inspection.district import SHARED_POINT
from tests.inspection.test_finalise import complete


def _violate(service: InspectionService, iid: str, points: dict[str, str]) -> None:
    complete(service, iid)
    for point, note in points.items():
        service.answer(iid, item_key(point), "violation", fact=note)


def test_options_per_matter_rules(service: InspectionService, started: str) -> None:
    _violate(service, started, {SHARED_POINT: "营业执照已过期", "是否超出门窗外墙出店经营": "出店摆摊约3平方米"})
    service.finalise(started)
    options = service.follow_ups(started)
    by = {(o.matter_code, o.kind): o for o in options}
    # the shared licence point stands for FY-SR-001 (empowered) and FY-SJ-001 (not empowered, major penalty)
    assert {k for m, k in by if m == "FY-SR-001"} == {"correction", "case_clue", "notice"}
    assert {k for m, k in by if m == "FY-SJ-001"} == {"correction", "transfer", "notice"}
    transfer = by[("FY-SJ-001", "transfer")]
    assert transfer.required and "未赋权新登镇" in transfer.reason and transfer.to_department_id == "dept_scjg"
    corr = by[("FY-SR-002", "correction")]
    assert corr.defaults["deadline"] == local_day(None) + timedelta(days=15)
    assert "出店摆摊约3平方米" in corr.defaults["facts"] and "新登镇城南路1号" in corr.defaults["facts"]
    notice = by[("FY-SR-002", "notice")]
    assert notice.defaults["reply_due"] == local_day(None) + timedelta(days=15)
    assert not any(o.done for o in options)


def test_major_penalty_of_an_empowered_matter_is_transferred(service: InspectionService) -> None:
    iid = service.start_from_plan("p2")
    _violate(service, iid, {"广告设施是否牢固、有无安全隐患": "广告牌松动"})
    service.finalise(iid)
    kinds = {o.kind: o for o in service.follow_ups(iid)}
    assert set(kinds) == {"correction", "transfer", "notice"}
    assert "重大行政处罚" in kinds["transfer"].reason


def test_referrals_are_created_once_and_queued(service: InspectionService, district: Store, started: str) -> None:
    _violate(service, started, {"是否超出门窗外墙出店经营": "出店经营"})
    with pytest.raises(DomainError, match="完成并锁定后"):
        service.create_follow_up(started, service.follow_ups(started)[0])
    service.finalise(started)
    notice = next(o for o in service.follow_ups(started) if o.kind == "notice")
    created = service.create_follow_up(started, notice, subject="关于出店经营的抄告")
    again = service.create_follow_up(started, notice)
    assert created == again
    with district.read() as s:
        ref = s.get(Referral, created["referral"])
        assert ref.kind == "notice" and ref.subject == "关于出店经营的抄告" and ref.to_department_id == "dept_zf"
        assert ref.reply_due == local_day(None) + timedelta(days=15) and "出店经营" in ref.facts
        assert s.scalar(select(OutboxEntry.op).where(OutboxEntry.entity_id == ref.id)) == "create"
    assert next(o for o in service.follow_ups(started) if o.kind == "notice").done
    clue = next(o for o in service.follow_ups(started) if o.kind == "case_clue")
    assert service.create_follow_up(started, clue)["referral"]


def test_correction_creates_document_draft_and_recheck_plan(service: InspectionService, district: Store,
                                                            started: str) -> None:
    _violate(service, started, {"是否超出门窗外墙出店经营": "出店经营"})
    service.finalise(started)
    corr = next(o for o in service.follow_ups(started) if o.kind == "correction")
    with pytest.raises(ValidationError, match="早于今天"):
        service.create_follow_up(started, corr, deadline=local_day(None) - timedelta(days=1))
    deadline = local_day(None) + timedelta(days=7)
    created = service.create_follow_up(started, corr, deadline=deadline)
    assert service.create_follow_up(started, corr, deadline=deadline) == created
    with district.read() as s:
        doc = s.get(Document, created["document"])
        plan = s.get(InspectionPlan, created["plan"])
    assert doc.doc_type == "correction_order" and doc.status == "draft" and doc.inspection_id == started
    assert doc.body_legal_name == "杭州市富阳区新登镇人民政府"  # empowered matter: the township's own name
    assert plan.kind == "recheck" and plan.target_id == "tg1" and plan.matter_codes == ["FY-SR-002"]
    assert local_day(plan.scheduled_at) == deadline and plan.officer_ids == ["o-1", "o-2"]
    assert next(o for o in service.follow_ups(started) if o.kind == "correction").done

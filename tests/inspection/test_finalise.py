"""Finalisation: every refusal in Chinese, then the lock, the queue (record + findings) and append-only rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.errors import DomainError, ValidationError
from app.inspections import FinaliseRefused, InspectionService
from app.models import Evidence, InspectionPlan, OutboxEntry
from app.store import Store
from tests.inspection.district import CREDIT, png_signature


def complete(service: InspectionService, iid: str, *, result: str = "compliant") -> None:
    """Fill everything finalisation needs."""
    service.save_fields(iid, ended_at=datetime.now(UTC) + timedelta(minutes=30), certificates_shown=True,
                        recusal_told=True)
    service.set_party(iid, type="organisation", name="新登镇老王餐饮店", credit_code=CREDIT, legal_rep="王老板",
                      address="新登镇城南路1号")
    for i, item in enumerate(service.load(iid).items, start=1):
        fact = f"现场第{i}处：门前堆放货物约{i}平方米" if result == "violation" else None
        service.answer(iid, item.key, result, fact=fact)
    for role in ("party", "officer:o-1", "officer:o-2"):
        service.add_signature(iid, role, png_signature())


def test_empty_record_lists_every_refusal(service: InspectionService, started: str) -> None:
    service.set_officers(started, ["o-1", "o-3"])
    service.set_party(started, type="person", name="", id_number="123")
    service.save_fields(started, place="")
    problems = service.missing(started)
    text = "\n".join(problems)
    for expected in ("未填写检查结束时间", "未填写检查地点", "至少需要两名持有效执法证的执法人员", "出示执法证件",
                     "申请回避的权利", "当事人（公民）未填写姓名", "身份证号码有误", "还有 6 个检查项未作结论",
                     "缺少当事人的签名", "缺少执法人员李队员的签名", "缺少执法人员吴队员的签名"):
        assert expected in text, expected
    with pytest.raises(FinaliseRefused) as err:
        service.finalise(started)
    assert err.value.problems == problems and err.value.code == "not_finalisable"
    assert "检查记录尚不能完成并锁定" in err.value.message
    assert service.load(started).status == "draft"


def test_recusal_and_refused_signature_rules(service: InspectionService, started: str) -> None:
    complete(service, started)
    service.set_officers(started, ["o-1", "o-2", "o-4"])
    assert any("须回避" in p for p in service.missing(started))
    service.set_officers(started, ["o-1", "o-2"])
    assert service.missing(started) == []
    service.refuse_signature(started, "party", "当事人拒绝签字", "赵六")
    assert service.missing(started) == []  # a recorded refusal stands in for the signature
    service.save_fields(started, ended_at=datetime.now(UTC) - timedelta(days=1))
    assert "检查结束时间早于开始时间" in service.missing(started)


def test_voided_signature_does_not_count(service: InspectionService, started: str) -> None:
    complete(service, started)
    eid = service.load(started).signatures["officer:o-1"]["evidence_id"]
    service.delete_evidence(eid)
    assert service.missing(started) == ["缺少执法人员李队员的签名（或拒签记录）"]


def test_finalise_locks_queues_and_closes_the_plan(service: InspectionService, district: Store,
                                                   started: str) -> None:
    complete(service, started, result="violation")
    snap = service.finalise(started)
    assert snap.finalised and snap.finalised_at is not None
    with district.read() as s:
        rows = list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
        assert s.get(InspectionPlan, "p1").status == "done"
    finding_creates = [r for r in rows if r.entity == "finding"]
    assert len(finding_creates) == 6 and {r.op for r in finding_creates} == {"create"}
    assert finding_creates[0].payload["result"] == "violation" and finding_creates[0].payload["township_id"] == "xd"
    update = [r for r in rows if r.entity == "inspection" and r.op == "update"][-1]
    assert update.payload["fields"]["status"] == "finalised"
    # locked: no field, answer, import or delete; evidence may only be voided with a reason
    item = snap.items[0]
    for call in (lambda: service.save_fields(started, place="x"),
                 lambda: service.answer(started, item.key, "compliant"),
                 lambda: service.add_signature(started, "party", png_signature()),
                 lambda: service.refuse_signature(started, "party", "r", "w")):
        with pytest.raises(DomainError, match="定稿"):
            call()
    with pytest.raises(DomainError, match="定稿"):
        service.finalise(started)
    eid = snap.signatures["party"]["evidence_id"]
    with pytest.raises(DomainError, match="只能作废"):
        service.delete_evidence(eid)
    with pytest.raises(ValidationError, match="原因"):
        service.void_evidence(eid, " ")
    service.void_evidence(eid, "签名模糊，另行补签")
    with district.read() as s:
        ev = s.get(Evidence, eid)
        assert ev.voided and ev.void_reason == "签名模糊，另行补签"  # the original row and blob are kept
    with pytest.raises(DomainError, match="已作废"):
        service.void_evidence(eid, "again")
    # findings are append-only after finalisation: an observation is appended and queued at once
    fid = service.add_observation(started, "后厨排烟管道破损", result="violation", matter_code="FY-SR-002")
    with district.read() as s:
        assert s.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == fid)).op == "create"


def test_a_violation_needs_the_officers_statement_of_facts(service: InspectionService, started: str) -> None:
    """违法事实 is what the officer saw, written by them; the check point is only the question it answers."""
    complete(service, started)
    item = service.load(started).items[0]
    service.answer(started, item.key, "violation", "备注")
    problems = service.missing(started)
    assert any("须填写违法事实" in p and item.text in p for p in problems), problems
    with pytest.raises(FinaliseRefused):
        service.finalise(started)
    service.set_fact(started, item.key, "店门口东侧人行道上摆放餐桌3张、凳子12只，约5平方米")
    assert service.missing(started) == []
    snap = service.finalise(started)
    answer = snap.answers[item.key]
    assert answer.fact.startswith("店门口东侧") and answer.note == "备注"

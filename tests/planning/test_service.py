"""PlanService: leader only, audit + outbox in one transaction, update, cancel, link, merge ("进一次门")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.models import AuditEvent, InspectionPlan, OutboxEntry
from app.planning.planner import PlanDraft
from app.planning.service import PlanRefused, PlanService
from tests.planning.district import AT, LEADER, OFFICER


def good() -> PlanDraft:
    return PlanDraft(target_id="tg1", scheduled_at=AT, duration=120, matter_codes=["SR-001", "SJ-001", "SR-001"],
                     lead_department_id="dept_zf", supporting_department_ids=["dept_scjg", "dept_zf"],
                     officer_ids=["o-leader", "o-1"], task_ids=["t-open"])


def test_create_writes_plan_audit_and_outbox_together(planned, config) -> None:
    plan_id, check = PlanService(planned, LEADER, config).create(good())
    assert check.ok
    with planned.read() as s:
        plan = s.get(InspectionPlan, plan_id)
        assert plan.matter_codes == ["SR-001", "SJ-001"]  # duplicates dropped
        assert plan.supporting_department_ids == ["dept_scjg"]  # the lead is not also supporting
        assert plan.status == "planned" and plan.kind == "joint" and plan.created_by == LEADER.actor
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == plan_id)).all()
        assert [(o.entity, o.op) for o in outbox] == [("inspection_plan", "create")]
        assert outbox[0].payload["matter_codes"] == ["SR-001", "SJ-001"]
        audit = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == plan_id)).all()
        assert [(a.action, a.entity) for a in audit] == [("create", "inspection_plan")]


def test_only_a_leader_plans(planned, config) -> None:
    service = PlanService(planned, OFFICER, config)
    with pytest.raises(DomainError) as err:
        service.create(good())
    assert err.value.code == "forbidden"
    leader_plan, _ = PlanService(planned, LEADER, config).create(good())
    for call in (lambda: service.cancel(leader_plan, "x"), lambda: service.update(leader_plan, good()),
                 lambda: service.link_tasks(leader_plan, ["t-open"])):
        with pytest.raises(DomainError):
            call()


def test_refused_plan_is_not_saved(planned, config) -> None:
    bad = good()
    bad.officer_ids = ["o-1", "o-2"]  # o-2 must recuse
    with pytest.raises(PlanRefused) as err:
        PlanService(planned, LEADER, config).create(bad)
    assert "回避" in str(err.value) and err.value.check.refusals
    with planned.read() as s:
        assert s.scalars(select(InspectionPlan)).all() == []
        assert s.scalars(select(OutboxEntry)).all() == []


def test_update_cancel_and_link(planned, config) -> None:
    service = PlanService(planned, LEADER, config)
    plan_id, _ = service.create(good())
    changed = good()
    changed.scheduled_at = AT + timedelta(days=1)
    changed.officer_ids = ["o-leader", "o-5"]
    service.update(plan_id, changed)
    service.link_tasks(plan_id, ["t-closed"])
    with pytest.raises(DomainError):
        service.cancel(plan_id, "  ")
    service.cancel(plan_id, "企业停业")
    with planned.read() as s:
        plan = s.get(InspectionPlan, plan_id)
        assert plan.status == "cancelled" and "企业停业" in plan.notes
        assert plan.officer_ids == ["o-leader", "o-5"] and plan.task_ids == ["t-open", "t-closed"]
        ops = [o.op for o in s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))]
        assert ops[0] == "create" and set(ops[1:]) == {"update"}
    with pytest.raises(DomainError) as err:
        service.update(plan_id, good())
    assert err.value.code == "locked"
    rows = service.list_plans()
    assert [r.id for r in rows] == [plan_id] and rows[0].status_label == "已取消"
    assert rows[0].target_name == "新登镇老王餐饮店" and "王队长" in rows[0].officer_names


def test_merge_two_plans_into_one_visit(planned, config) -> None:
    service = PlanService(planned, LEADER, config)
    keep, _ = service.create(good())
    other_draft = PlanDraft(target_id="tg1", scheduled_at=AT + timedelta(days=2), matter_codes=["SR-010", "SJ-001"],
                            lead_department_id="dept_scjg", officer_ids=["o-4", "o-5"])
    other, check = service.create(other_draft)
    assert [c.plan_id for c in check.merge_candidates] == [keep]
    service.merge(keep, other)
    with planned.read() as s:
        k, o = s.get(InspectionPlan, keep), s.get(InspectionPlan, other)
        assert k.matter_codes == ["SR-001", "SJ-001", "SR-010"]
        assert k.officer_ids == ["o-leader", "o-1", "o-4", "o-5"]
        assert k.supporting_department_ids == ["dept_scjg"] and k.lead_department_id == "dept_zf"
        assert o.status == "merged" and keep in o.notes
    with pytest.raises(DomainError):
        service.merge(keep, other)  # already merged


def test_merge_draft_into_existing_plan(planned, config) -> None:
    service = PlanService(planned, LEADER, config)
    keep, _ = service.create(good())
    extra = PlanDraft(target_id="tg1", scheduled_at=AT + timedelta(days=1), matter_codes=["SR-010"],
                      lead_department_id="dept_zf", officer_ids=["o-5", "o-4"], task_ids=[])
    service.merge_draft_into(keep, extra)
    with planned.read() as s:
        k = s.get(InspectionPlan, keep)
        assert k.matter_codes == ["SR-001", "SJ-001", "SR-010"] and "o-5" in k.officer_ids
        assert s.scalar(select(InspectionPlan).where(InspectionPlan.id != keep)) is None
    wrong = PlanDraft(target_id="tg2", scheduled_at=AT, matter_codes=["HJ-001"], lead_department_id="dept_sthj",
                      officer_ids=["o-4", "o-5"])
    with pytest.raises(DomainError):
        service.merge_draft_into(keep, wrong)

"""check_plan: every refusal and warning of a joint inspection plan, merge offers, the yearly cap, bookings."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import Inspection, InspectionPlan
from app.planning.config import PlanningConfig
from app.planning.planner import CST, PlanDraft, check_plan
from tests.planning.district import AT


def draft(**kw) -> PlanDraft:
    base = PlanDraft(target_id="tg1", scheduled_at=AT, duration=120, matter_codes=["SR-001", "SJ-001"],
                     lead_department_id="dept_zf", supporting_department_ids=["dept_scjg"],
                     officer_ids=["o-leader", "o-1"])
    return replace(base, **kw)


def run(store, d: PlanDraft, config: PlanningConfig | None = None):
    with store.read() as s:
        return check_plan(s, d, config or PlanningConfig.from_dict({}), township_id="xd")


def add_plan(store, **kw) -> str:
    values = {"township_id": "xd", "target_id": "tg1", "kind": "joint", "scheduled_at": AT, "duration_minutes": 120,
              "lead_department_id": "dept_zf", "matter_codes": ["SR-001"], "officer_ids": ["o-4", "o-5"],
              "status": "planned", **kw}
    with store.write() as s:
        plan = InspectionPlan(**values)
        s.add(plan)
        s.flush()
        return plan.id


def test_a_good_plan_passes_cleanly(planned) -> None:
    check = run(planned, draft())
    assert check.refusals == [] and check.warnings == [] and check.merge_candidates == []


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"officer_ids": ["o-1"]}, "two_officers"),
        ({"officer_ids": ["o-1", "o-exp"]}, "two_officers"),  # expired certificate does not count
        ({"officer_ids": ["o-1", "o-nocert"]}, "two_officers"),  # no certificate
        ({"officer_ids": ["o-leader", "o-1", "o-2"]}, "recusal"),  # o-2 declared an interest in tg1
        ({"officer_ids": ["o-leader", "o-2"]}, "recusal"),
        ({"officer_ids": ["o-leader", "o-1", "o-yh"]}, "foreign_officer"),
        ({"target_id": None}, "no_target"),
        ({"scheduled_at": None}, "no_time"),
        ({"matter_codes": []}, "no_matter"),
        ({"matter_codes": ["NOPE-1"]}, "unknown_matter"),
        ({"lead_department_id": None}, "no_lead"),
    ],
)
def test_refusals(planned, changes, refusal) -> None:
    check = run(planned, draft(**changes))
    assert refusal in {i.code for i in check.refusals}, check.refusals
    assert not check.ok
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in i.message) for i in check.refusals)


def test_recusal_names_the_officer_and_reason_and_excludes_from_the_count(planned) -> None:
    check = run(planned, draft(officer_ids=["o-leader", "o-2"]))
    recusal = next(i for i in check.refusals if i.code == "recusal")
    assert recusal.officer_id == "o-2" and "周队员" in recusal.message and "配偶经营" in recusal.message
    assert "回避" in recusal.message
    assert "two_officers" in {i.code for i in check.refusals}  # o-2 does not count as certified


@pytest.mark.parametrize(
    ("changes", "warning", "officer"),
    [
        ({"officer_ids": ["o-leader", "o-1", "o-3"]}, "fields", "o-3"),  # 生态环境 only; matters 市容环卫/市场监管
        ({"officer_ids": ["o-leader", "o-1", "o-exp"]}, "certificate", "o-exp"),
        ({"lead_department_id": "dept_sthj", "supporting_department_ids": ["dept_zf", "dept_scjg"]},
         "lead_owns_nothing", None),
        ({"supporting_department_ids": []}, "department_missing", None),
    ],
)
def test_warnings(planned, changes, warning, officer) -> None:
    check = run(planned, draft(**changes))
    assert check.ok, check.refusals
    hits = [i for i in check.warnings if i.code == warning]
    assert hits, check.warnings
    assert hits[0].officer_id == officer


@pytest.mark.parametrize(("days", "window", "offered"), [(3, 7, True), (-7, 7, True), (8, 7, False), (10, 14, True)])
def test_merge_offer_within_the_window(planned, days, window, offered) -> None:
    other = add_plan(planned, scheduled_at=AT + timedelta(days=days), officer_ids=["o-4", "o-5"])
    check = run(planned, draft(), PlanningConfig.from_dict({"merge_window_days": window}))
    assert [c.plan_id for c in check.merge_candidates] == ([other] if offered else [])
    if offered:
        assert "进一次门" in check.merge_candidates[0].message
        assert check.merge_candidates[0].days_apart == abs(days)


def test_no_merge_offer_for_cancelled_or_other_targets_or_itself(planned) -> None:
    add_plan(planned, status="cancelled")
    add_plan(planned, target_id="tg2")
    mine = add_plan(planned)
    check = run(planned, draft(plan_id=mine))
    assert check.merge_candidates == []


def _finalised(store, when: datetime, plan_id: str | None = None) -> None:
    with store.write() as s:
        s.add(Inspection(township_id="xd", target_id="tg1", plan_id=plan_id, task_id="t-closed",
                         status="finalised", started_at=when, finalised_at=when))


@pytest.mark.parametrize(
    ("earlier", "cap", "warned"),
    [
        (["plan", "plan"], 2, True),
        (["plan"], 2, False),
        (["plan", "inspection_of_plan"], 2, False),  # the inspection of a counted plan is the same visit
        (["plan", "inspection"], 2, True),  # an inspection without a plan counts by its instruction's matters
        (["plan", "plan"], 3, False),
        (["plan_last_year", "plan_last_year"], 2, False),
        (["plan_other_body", "plan_other_body"], 2, False),
    ],
)
def test_yearly_cap_per_enforcing_body(planned, earlier, cap, warned) -> None:
    for i, kind in enumerate(earlier):
        when = AT - timedelta(days=30 * (i + 1))
        if kind == "plan":
            add_plan(planned, scheduled_at=when, status="done", matter_codes=["SR-010"])
        elif kind == "plan_last_year":
            add_plan(planned, scheduled_at=when - timedelta(days=365), status="done")
        elif kind == "plan_other_body":
            add_plan(planned, scheduled_at=when, status="done", matter_codes=["HJ-001"])
        elif kind == "inspection_of_plan":
            pid = add_plan(planned, scheduled_at=AT - timedelta(days=40), status="done", matter_codes=["SR-001"])
            _finalised(planned, AT - timedelta(days=40), plan_id=pid)
            # the plan itself is the counted visit; make the earlier plan above the only other one
        elif kind == "inspection":
            with planned.write() as s:
                from app.models import TaskMatter

                s.add(TaskMatter(task_id="t-closed", matter_code="SR-001"))
            _finalised(planned, when)
    check = run(planned, draft(), PlanningConfig.from_dict({"yearly_cap_per_body": cap}))
    hits = [i for i in check.warnings if i.code == "yearly_cap"]
    if earlier == ["plan", "inspection_of_plan"]:
        # two plans (SR-010, SR-001) both of the township body → reaches the cap of 2; the inspection adds none
        assert len(hits) == 1 and "2 次" in hits[0].message
        return
    assert bool(hits) is warned, check.warnings
    if warned:
        assert "新登镇人民政府" in hits[0].message  # SR-001/SR-010 are empowered: the township's own name


def test_officer_booked_in_an_overlapping_plan(planned) -> None:
    clash = add_plan(planned, target_id="tg2", scheduled_at=AT + timedelta(minutes=60), officer_ids=["o-1", "o-4"])
    add_plan(planned, target_id="tg2", scheduled_at=AT + timedelta(minutes=120), officer_ids=["o-leader"])  # adjacent
    check = run(planned, draft())
    booked = [i for i in check.warnings if i.code == "booked"]
    assert [(i.officer_id, i.plan_id) for i in booked] == [("o-1", clash)]
    assert "李队员" in booked[0].message and "新登镇富达五金厂" in booked[0].message


def test_times_are_local_days_for_certificates(planned) -> None:
    # o-exp's certificate is valid until 2026-01-31 (local): 23:30 local on that day is still valid
    on_the_day = datetime(2026, 1, 31, 23, 30, tzinfo=CST)
    check = run(planned, draft(scheduled_at=on_the_day, officer_ids=["o-1", "o-exp"]))
    assert check.ok, check.refusals
    check = run(planned, draft(scheduled_at=on_the_day + timedelta(hours=1), officer_ids=["o-1", "o-exp"]))
    assert not check.ok


def test_check_is_read_only(planned) -> None:
    run(planned, draft(officer_ids=["o-1"]))
    with planned.read() as s:
        assert s.scalars(select(InspectionPlan)).all() == []

"""Fixtures of the loop tests: the planning tests' small district plus an urgent instruction, a complaint with
its complainant and a 抄告 with a reply deadline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app import models as m
from app.identity import CurrentUser
from app.planning.planner import CST
from app.rules.task_states import Role
from app.store import Store
from tests.planning import district

LEADER = district.LEADER
OFFICER = district.OFFICER
CLERK = CurrentUser("xd.clerk", "赵内勤", Role.CLERK, "xd", "o-nocert")
YH_LEADER = CurrentUser("yh.leader", "陈队长", Role.LEADER, "yh", "o-yh")
DISPATCHED = datetime(2026, 5, 12, 9, 0, tzinfo=CST)  # Tuesday


@pytest.fixture
def loops(store: Store) -> Store:
    district.build(store)
    with store.write() as s:
        s.add(m.Task(id="t-urgent", number="FYZH-2026-000010", title="城南路燃气泄漏处置", task_type="核查",
                     source="指挥中心", priority=2, township_id="xd", grid_id="g1", target_id="tg1",
                     status="accepted", dispatched_at=DISPATCHED, version=1))
        s.add(m.Task(id="t-complaint", number="FYZH-2026-000011", title="餐饮油烟扰民投诉", task_type="核查",
                     source="投诉举报", township_id="xd", grid_id="g1", target_id="tg1", status="accepted",
                     dispatched_at=DISPATCHED, version=1))
        s.flush()
        s.add(m.Complainant(id="c-1", township_id="xd", task_id="t-complaint", name="王秀英", phone="13905710001",
                            received_at=DISPATCHED, version=1))
        s.add(m.Inspection(id="i-1", township_id="xd", target_id="tg1", task_id="t-complaint",
                           started_at=DISPATCHED + timedelta(hours=2), version=1))
        s.flush()
        s.add(m.Finding(id="f-1", inspection_id="i-1", township_id="xd", grid_id="g1", target_id="tg1",
                        matter_code="SJ-001", check_point="是否取得食品经营许可证", result="violation",
                        found_at=DISPATCHED + timedelta(hours=2), version=1))
        s.flush()
        s.add(m.Referral(id="r-1", kind="notice", township_id="xd", inspection_id="i-1", finding_id="f-1",
                         to_department_id="dept_scjg", subject="食品经营许可监管漏洞", reply_due=date(2026, 5, 27),
                         case_id="case-1", version=1))
    return store

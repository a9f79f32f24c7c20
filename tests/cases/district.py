"""A small district for case tests: the jurisdiction test district (新登镇 赋权, 银湖街道 派驻) plus two certified
officers, a company target, a finalised inspection with a violation finding, and local number blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app import models as m
from app.identity import CurrentUser
from app.rules.case_history import CHINA_TZ
from app.rules.task_states import Role
from app.rules.validators import make_credit_code
from app.store import Store
from tests.law import district as law_district

LEADER = CurrentUser("xd.leader", "陈队长", Role.LEADER, "xd", "o-lead")
OFFICER = CurrentUser("xd.officer", "李明", Role.OFFICER, "xd", "o-1")
CLERK = CurrentUser("xd.clerk", "赵内勤", Role.CLERK, "xd", None)
CREDIT = make_credit_code("91330183MA2H2X0B2")
MATTER = law_district.EMPOWERED
TODAY = datetime.now(CHINA_TZ).date()
YEAR = TODAY.year


def day(offset: int) -> date:
    """A day relative to today (negative: in the past)."""
    return TODAY + timedelta(days=offset)


def at(offset: int) -> datetime:
    return datetime.combine(day(offset), time(10, 0), tzinfo=CHINA_TZ)


def build(store: Store, *, blocks: bool = True) -> None:
    law_district.build(store)
    with store.write() as s:
        for oid, name in (("o-1", "李明"), ("o-2", "周红"), ("o-lead", "陈队长")):
            s.add(m.Officer(id=oid, name=name, role="officer", township_id="xd",
                            certificate_no=f"浙A01-2021-{oid[-1]}0088", cert_valid_until=date(2035, 1, 1), version=1))
        s.add(m.Target(id="tg1", name="杭州富阳新登味道餐饮有限公司", credit_code=CREDIT, kind="企业", township_id="xd",
                       address="新登镇城南路88号", legal_rep="周建国", version=1))
        s.flush()
        s.add(m.Task(id="t1", number="FYZH-2026-000001", title="占道经营投诉核查", task_type="核查", source="投诉举报",
                     township_id="xd", target_id="tg1", status="in_progress", version=1,
                     assignees=[m.TaskAssignee(officer_id="o-1"), m.TaskAssignee(officer_id="o-2")]))
        s.flush()
        start = at(-40).astimezone(UTC)
        s.add(m.Inspection(id="insp1", township_id="xd", target_id="tg1", task_id="t1", started_at=start,
                           ended_at=start + timedelta(minutes=40), place="新登镇城南路88号店门前",
                           officer_ids=["o-1", "o-2"], certificates_shown=True, recusal_told=True,
                           party={"type": "organisation", "name": "杭州富阳新登味道餐饮有限公司", "credit_code": CREDIT,
                                  "legal_rep": "周建国", "address": "新登镇城南路88号"},
                           status="finalised", version=1))
        s.flush()
        s.add(m.Finding(id="f1", inspection_id="insp1", township_id="xd", target_id="tg1", matter_code=MATTER,
                        check_point="是否占用城市道路", result="violation", note="店外占道摆放餐桌6张", found_at=start,
                        fact="当事人在新登镇城南路88号店外人行道摆放餐桌6张经营，占用城市道路约12平方米",
                        version=1))
        if blocks:
            for series in ("case", "penalty_notice", "penalty_decision", "preservation_notice", "transfer_letter"):
                s.add(m.NumberBlock(id=m.new_id(), body_id="xd", doc_type=series, year=YEAR, start=1, end=20,
                                    device_id="test"))

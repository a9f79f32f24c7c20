"""Urgent check-ins against their targets, complaint identity and reply deadline, 抄告 chain and overdue query."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import models as m
from app.errors import DomainError, ValidationError
from app.loops.complaints import ComplaintService, overdue_complaints
from app.loops.config import LoopsConfig
from app.loops.notices import chain_for_case, chain_for_target, overdue_notices
from app.loops.urgent import UrgentService, overdue_task_ids
from app.rules.response import add_working_days, stage_timers
from app.store import Store
from tests.loops.conftest import CLERK, DISPATCHED, LEADER, OFFICER


def test_check_ins_are_timed_from_dispatch_and_flagged_late(loops: Store) -> None:
    service = UrgentService(loops, OFFICER)
    ok = service.check_in("t-urgent", "respond", at=DISPATCHED + timedelta(seconds=40), location="城南路",
                          location_source="typed")
    assert (ok.elapsed_seconds, ok.target_seconds, ok.overdue) == (40, 60, False)
    with pytest.raises(DomainError, match="请先完成「出发」"):
        service.check_in("t-urgent", "arrive", at=DISPATCHED + timedelta(minutes=5))
    late = service.check_in("t-urgent", "depart", at=DISPATCHED + timedelta(minutes=4))
    assert late.overdue and late.target_seconds == 180
    with pytest.raises(DomainError, match="已打卡"):
        service.check_in("t-urgent", "depart")
    state = service.state("t-urgent", now=DISPATCHED + timedelta(minutes=10))
    assert state is not None and [t.stage.value for t in state.overdue] == ["depart"]
    assert state.next_stage is not None and state.next_stage.value == "arrive"
    with loops.read() as s:
        assert overdue_task_ids(s, "xd", DISPATCHED + timedelta(minutes=10)) == {"t-urgent"}
        assert s.scalar(select(m.OutboxEntry.entity).limit(1)) == "response_checkin"


def test_targets_are_configuration_and_only_urgent_tasks_check_in(loops: Store) -> None:
    cfg = LoopsConfig.from_dict({"urgent_targets_seconds": {"respond": 30}})
    assert (cfg.urgent.respond, cfg.urgent.depart, cfg.urgent.arrive) == (30, 180, 900)
    with pytest.raises(DomainError, match="紧急"):
        UrgentService(loops, OFFICER).check_in("t-open", "respond")
    timers = stage_timers(DISPATCHED, {}, DISPATCHED + timedelta(seconds=45), cfg.urgent)
    assert [t.overdue for t in timers] == [True, False, False]


def test_complainant_only_for_identity_roles(loops: Store) -> None:
    assert ComplaintService(loops, LEADER).complainant("t-complaint").name == "王秀英"
    for user in (OFFICER, CLERK):
        with pytest.raises(DomainError) as err:
            ComplaintService(loops, user).complainant("t-complaint")
        assert err.value.code == "identity_forbidden"
    wider = LoopsConfig.from_dict({"complainant_roles": ["leader", "clerk"]})
    assert ComplaintService(loops, CLERK, wider).complainant("t-complaint") is not None
    with pytest.raises(ValidationError, match="未知角色"):
        LoopsConfig.from_dict({"complainant_roles": ["boss"]})


def test_complaint_reply_deadline_in_working_days_and_reply(loops: Store) -> None:
    assert add_working_days(date(2026, 5, 12), 15) == date(2026, 6, 2)  # three weekends skipped
    service = ComplaintService(loops, OFFICER)
    state = service.state("t-complaint", today=date(2026, 6, 3))
    assert state.due == date(2026, 6, 2) and state.overdue and not state.identity_visible and state.has_identity
    with loops.read() as s:
        assert overdue_complaints(s, "xd", date(2026, 6, 3)) == ["t-complaint"]
    with pytest.raises(ValidationError, match="答复内容"):
        service.record_reply("t-complaint", replied_at=DISPATCHED, channel="phone", content=" ")
    service.record_reply("t-complaint", replied_at=DISPATCHED + timedelta(days=3), channel="phone",
                         content="已责令整改")
    state = service.state("t-complaint", today=date(2026, 6, 3))
    assert not state.overdue and [r.content for r in state.replies] == ["已责令整改"]
    with pytest.raises(DomainError, match="不是投诉举报"):
        service.record_reply("t-urgent", replied_at=DISPATCHED, channel="phone", content="x")


def test_notice_chain_on_target_and_case_and_overdue(loops: Store) -> None:
    with loops.read() as s:
        [link] = chain_for_target(s, "tg1", date(2026, 5, 28))
        assert link.finding is not None and link.finding.id == "f-1" and link.overdue and not link.answered
        assert link.department == "区市场监管局"
        assert [x.notice.id for x in chain_for_case(s, "case-1", date(2026, 5, 28))] == ["r-1"]
        assert [x.notice.id for x in overdue_notices(s, "xd", date(2026, 5, 28))] == ["r-1"]
        assert overdue_notices(s, "xd", date(2026, 5, 27)) == []  # due today is not overdue yet
    with loops.write() as s:
        s.add(m.NoticeReply(id="nr-1", township_id="xd", referral_id="r-1", replied_at=datetime(2026, 5, 29, 9,
                            tzinfo=DISPATCHED.tzinfo), replier="区市场监管局", content="已开展行业排查", version=1))
    with loops.read() as s:
        [link] = chain_for_target(s, "tg1", date(2026, 6, 1))
        assert link.answered and not link.overdue
        assert overdue_notices(s, "xd", date(2026, 6, 1)) == []


def test_inbox_rows_mark_late_urgent_responses(loops: Store) -> None:
    from app.readmodels.task_inbox import fetch_rows

    with loops.read() as s:
        rows = fetch_rows(s, ["t-urgent", "t-open", "t-complaint"])
    assert rows["t-urgent"].response_late and not rows["t-open"].response_late
    assert not rows["t-complaint"].response_late

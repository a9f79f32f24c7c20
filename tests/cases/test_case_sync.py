"""A case end to end over real HTTP between two laptops and the reference platform: inspection → finding → 立案 →
事先告知 with the hearing right → 听证 → 法制审核 → 决定 → 送达 → 结案. The platform holds the same case, stages and
clocks; a step out of order is refused on both sides with the article named, and the draft stays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app import changes
from app import models as m
from app.cases.common import facts_of
from app.cases.filing import Filing
from app.cases.service import CaseService
from app.documents.service import DocumentService
from app.errors import TransitionError, ValidationError
from app.rules.case_clocks import case_clocks
from app.rules.case_history import CHINA_TZ, CaseFacts
from app.rules.validators import make_credit_code
from sync.numbers import current_year, ensure_blocks
from sync.server.storage import Record, read_session
from tests.sync.conftest import (  # noqa: F401  (the sync fixtures)
    laptop_factory,
    platform_template,
    server,
    server_dir,
    server_factory,
)
from tests.sync.helpers import Laptop, synced

TODAY = datetime.now(CHINA_TZ).date()
MATTER = "FY-SR-001"  # empowered to 新登镇 in the demo catalogue


def day(offset: int) -> Any:
    return TODAY + timedelta(days=offset)


def _record_finding(lap: Laptop) -> str:
    """An inspection with a violation, recorded on the officer's laptop (synced like any field record)."""
    user = lap.user
    with lap.store.write() as s:
        target = s.scalars(select(m.Target).where(m.Target.township_id == user.township_id)
                           .order_by(m.Target.id)).first()
        assert target is not None
        others = s.scalars(select(m.Officer.id).where(m.Officer.township_id == user.township_id,
                                                       m.Officer.id != user.officer_id,
                                                       m.Officer.role == "officer")).all()
        start = datetime.combine(day(-30), time(9, 0), tzinfo=CHINA_TZ).astimezone(UTC)
        insp = m.Inspection(id=m.new_id(), township_id=user.township_id, target_id=target.id, started_at=start,
                            ended_at=start + timedelta(minutes=30), place=target.address,
                            officer_ids=[user.officer_id, others[0]], certificates_shown=True, recusal_told=True,
                            party={"type": "organisation", "name": target.name}, status="finalised",
                            finalised_at=start + timedelta(minutes=30), created_by=user.actor)
        changes.record_create(s, insp, actor=user.actor)
        finding = m.Finding(id=m.new_id(), inspection_id=insp.id, township_id=user.township_id, target_id=target.id,
                            matter_code=MATTER, check_point="是否取得临时占用城市道路许可", result="violation",
                            note="未经许可占道堆放建材约20平方米", found_at=start, created_by=user.actor)
        changes.record_create(s, finding, actor=user.actor)
        return finding.id


def _server_case(srv: Any, case_id: str) -> dict[str, Any]:
    with read_session(srv.engine) as s:
        rec = s.get(Record, ("case", case_id))
        assert rec is not None
        return dict(rec.data)


def _blocks(lap: Laptop, *series: str) -> None:
    keys = [(lap.user.township_id, kind, current_year()) for kind in series]
    ensure_blocks(lap.store, lap.auth, keys, 5, device_id=lap.auth.device_id or "")


def _stub_pdf(doc: m.Document) -> bytes:
    return f"%PDF-1.4 stub {doc.number}".encode()


@pytest.fixture
def team(laptop_factory: Callable[..., Laptop]) -> tuple[Laptop, Laptop]:  # noqa: F811
    officer = laptop_factory("officer", "xindeng.officer")
    leader = laptop_factory("leader", "xindeng.leader")
    synced(officer.sync())
    synced(leader.sync())
    return officer, leader


def test_case_from_finding_to_closing_over_http(team: tuple[Laptop, Laptop], server: Any) -> None:  # noqa: F811
    officer, leader = team
    with officer.store.read() as s:
        assert s.scalars(select(m.CaseConfigEdition)).first() is not None  # the platform published edition 1
    finding_id = _record_finding(officer)
    _blocks(officer, "case")
    filing = Filing(title="未经许可占用城市道路案", matter_codes=[], act_date=day(-30), party_type="organisation",
                    party_id_code=make_credit_code("91330183MA2H2X0B2"), party_legal_rep="刘雪波",
                    facts="当事人未经许可占道堆放建材约20平方米")
    osvc = CaseService(officer.store, officer.user)
    case = osvc.file_from_finding(finding_id, filing, on=day(-29)).case
    osvc.step(case.id, "investigate", on=day(-29))
    with pytest.raises(TransitionError, match="《行政处罚法》第六十三条"):
        osvc.step(case.id, "notify", on=day(-20), data={"kinds": ["罚款"], "fine_amount": "200000",
                                                         "hearing_right": False})
    osvc.step(case.id, "notify", on=day(-20), data={"kinds": ["罚款"], "fine_amount": "200000",
                                                     "hearing_right": True})
    osvc.step(case.id, "request_hearing", on=day(-18))
    osvc.step(case.id, "notify_hearing", on=day(-17))
    osvc.step(case.id, "hold_hearing", on=day(-10), data={"record": "听证笔录：当事人对事实无异议"})
    osvc.step(case.id, "submit_review", on=day(-9))
    synced(officer.sync())
    assert _server_case(server, case.id)["status"] == "review"

    synced(leader.sync())  # the reviewer (队长 by configuration) reviews on their own laptop
    lsvc = CaseService(leader.store, leader.user)
    assert lsvc.get(case.id).status == "review"
    lsvc.step(case.id, "review", on=day(-8), data={"opinion": "通过", "text": "事实清楚，证据确凿，程序合法"})
    lsvc.step(case.id, "decide", on=day(-7), data={"kinds": ["罚款"], "fine_amount": "150000"})
    _blocks(leader, "penalty_decision")
    decision = lsvc.create_document(case.id, "penalty_decision", {})
    synced(leader.sync())

    synced(officer.sync())
    osvc.step(case.id, "serve", on=day(-6), data={"method": "直接送达"})
    osvc.step(case.id, "execute", on=day(-6))
    osvc.step(case.id, "pay", on=day(-2), data={"amount": "150000"})
    osvc.step(case.id, "close", on=day(-1))
    synced(officer.sync())
    synced(leader.sync())

    server_case = _server_case(server, case.id)
    for lap in (officer, leader):
        local = CaseService(lap.store, lap.user).get(case.id)
        assert local.status == server_case["status"] == "closed"
        assert [e["id"] for e in local.events] == [e["id"] for e in server_case["events"]]
        local_clocks = case_clocks(facts_of(local), local.events)
        server_clocks = case_clocks(CaseFacts.from_wire(server_case), server_case["events"])
        assert local_clocks == server_clocks
    names = [c.name for c in server_clocks]
    assert {"案件办理期限", "陈述申辩、听证申请期限", "决定书送达期限", "罚款缴纳期限"} <= set(names)
    with officer.store.read() as s:
        assert s.get(m.Document, decision.id).case_id == case.id
        assert not s.scalars(select(m.OutboxEntry).where(m.OutboxEntry.state == "parked")).all()


def test_out_of_order_step_refused_by_the_platform_and_the_draft_stays(
    team: tuple[Laptop, Laptop], server: Any,  # noqa: F811
) -> None:
    officer, leader = team
    finding_id = _record_finding(officer)
    _blocks(officer, "case")
    filing = Filing(title="未经许可占用城市道路案", matter_codes=[], act_date=day(-30), party_type="organisation",
                    party_id_code=make_credit_code("91330183MA2H2X0B2"), party_legal_rep="刘雪波")
    osvc = CaseService(officer.store, officer.user)
    case = osvc.file_from_finding(finding_id, filing, on=day(-29)).case
    osvc.step(case.id, "investigate", on=day(-29))
    osvc.step(case.id, "notify", on=day(-20), data={"kinds": ["罚款"], "fine_amount": "200000",
                                                     "hearing_right": True})
    synced(officer.sync())
    synced(leader.sync())
    # the party's hearing request reaches the officer; the leader, not yet synced, thinks the window passed
    osvc.step(case.id, "request_hearing", on=day(-16))
    synced(officer.sync())
    lsvc = CaseService(leader.store, leader.user)
    with pytest.raises(TransitionError, match="第五十八条"):  # the client refuses what it knows is out of order
        lsvc.step(case.id, "decide", on=day(-10), data={"kinds": ["罚款"], "fine_amount": "150000"})
    lsvc.step(case.id, "submit_review", on=day(-10))  # allowed on what the leader's laptop knows
    _blocks(leader, "penalty_decision")
    draft = lsvc.create_document(case.id, "penalty_decision", {})
    leader.sync()
    with leader.store.read() as s:
        parked = s.scalars(select(m.OutboxEntry).where(m.OutboxEntry.state == "parked")).all()
    assert len(parked) == 1 and parked[0].entity == "case"
    assert "《行政处罚法》第六十四条" in (parked[0].last_error or "") and "听证笔录" in (parked[0].last_error or "")
    assert _server_case(server, case.id)["status"] == "hearing"  # the platform kept the lawful stage
    local = CaseService(leader.store, leader.user).get(case.id)  # and so does the leader's laptop
    assert (local.status, local.events[-1]["action"]) == ("hearing", "request_hearing")
    refused = CaseService(leader.store, leader.user).view(case.id).refused  # the case view says what was refused
    assert len(refused) == 1 and refused[0].startswith("提交法制审核") and "第六十四条" in refused[0]
    with leader.store.read() as s:
        assert s.get(m.Document, draft.id).status == "draft"
    with pytest.raises(ValidationError, match="第五十八条"):
        DocumentService(leader.store, leader.user).issue(draft.id, pdf_bytes_fn=_stub_pdf)

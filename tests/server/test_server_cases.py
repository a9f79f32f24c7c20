"""Cases on the platform: created with their 立案, steps replayed through the same rules with the caller's role,
forged histories and out-of-order steps refused with the article, stage fields never written by an update."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from server_helpers import XD, login, mutation, pull_all, push
from starlette.testclient import TestClient

from app.rules.case_history import CHINA_TZ, CaseFacts
from app.rules.case_states import StepContext, step
from sync.server.storage import Record, read_session

TODAY = datetime.now(CHINA_TZ).date()
FACTS = {"party_type": "organisation", "act_date": (TODAY - timedelta(days=40)).isoformat(), "officer_ids": ["off-xd-1"]}


def _event(events: list[dict[str, Any]], action: str, offset: int, actor: str = "李队员（xindeng.officer）",
           role: str = "officer", **data: Any) -> dict[str, Any]:
    on: date = TODAY + timedelta(days=offset)
    ctx = StepContext(role=role, username="x", actor=actor, at=datetime.combine(on, time(10), tzinfo=CHINA_TZ), on=on)
    return step(CaseFacts.from_wire(FACTS), events, action, ctx, data=data, event_id=f"ev-{len(events)}-{action}")


def _case(events: list[dict[str, Any]], number: str = "新登镇综执立〔2026〕1号") -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {**FACTS, "township_id": XD, "number": number, "year": 2026, "seq": 1, "title": "占道案",
            "status": events[-1]["to_status"], "source": "complaint", "source_note": "投诉", "matter_codes": ["330217001"],
            "body_kind": "township", "body_id": XD, "body_legal_name": "新登镇人民政府", "number_prefix": "新登镇综执",
            "body_reason": "赋权", "party_name": "某公司", "party_id_code": "", "party_legal_rep": "王某",
            "party_address": "", "facts": "", "severe_harm": False, "complex_case": False, "filed_on": events[0]["on"],
            "events": events, "created_by": "李队员", "created_at": now, "updated_at": now}


def _stored(engine: Any, case_id: str) -> dict[str, Any]:
    with read_session(engine) as s:
        rec = s.get(Record, ("case", case_id))
        assert rec is not None
        return dict(rec.data)


def test_case_created_stepped_and_pulled(client: TestClient, engine: Any) -> None:
    headers = login(client, "xindeng.officer")
    filed = [_event([], "file", -30)]
    assert push(client, headers, mutation("case", "c1", "create", _case(filed), base_version=0))[0]["status"] == "applied"
    inv = _event(filed, "investigate", -29)
    res = push(client, headers, mutation("case", "c1", "transition", {"event": inv}))[0]
    assert res["status"] == "applied"
    again = push(client, headers, mutation("case", "c1", "transition", {"event": inv}))[0]
    assert again["status"] == "duplicate"
    stored = _stored(engine, "c1")
    assert stored["status"] == "investigating" and [e["id"] for e in stored["events"]] == [filed[0]["id"], inv["id"]]
    state, _ = pull_all(client, headers)
    assert state[("case", "c1")]["data"]["status"] == "investigating"
    assert any(entity == "case_config" for entity, _id in state)  # the published case-law edition


def test_out_of_order_step_is_refused_with_the_article(client: TestClient, engine: Any) -> None:
    headers = login(client, "xindeng.officer")
    filed = [_event([], "file", -30)]
    push(client, headers, mutation("case", "c2", "create", _case(filed, "新登镇综执立〔2026〕2号"), base_version=0))
    forged = {**_event([*filed, _event(filed, "investigate", -29)], "notify", -20, kinds=["罚款"], fine_amount="500",
                       hearing_right=False)}
    res = push(client, headers, mutation("case", "c2", "transition", {"event": forged}))[0]
    assert res["status"] == "rejected" and "《行政处罚法》第四十四条" in res["reason"]
    assert _stored(engine, "c2")["status"] == "filed"


def test_review_only_by_the_configured_reviewer_and_stage_fields_not_updatable(client: TestClient, engine: Any) -> None:
    officer = login(client, "xindeng.officer")
    events = [_event([], "file", -30)]
    for action, offset, data in (("investigate", -29, {}),
                                 ("notify", -20, {"kinds": ["罚款"], "fine_amount": "200000", "hearing_right": True}),
                                 ("waive_hearing", -19, {"text": "当事人书面放弃听证"}), ("submit_review", -18, {})):
        events.append(_event(events, action, offset, **data))
    push(client, officer, mutation("case", "c3", "create", _case(events, "新登镇综执立〔2026〕3号"), base_version=0))
    review = _event(events, "review", -17, actor="张队长（xindeng.leader）", role="leader", opinion="通过")
    refused = push(client, officer, mutation("case", "c3", "transition", {"event": review}))[0]
    assert refused["status"] == "rejected" and "审核人" in refused["reason"]
    ok = push(client, login(client, "xindeng.leader"), mutation("case", "c3", "transition", {"event": review}))[0]
    assert ok["status"] == "applied"
    upd = push(client, officer, mutation("case", "c3", "update", {"fields": {"status": "closed"},
                                                                  "base": {"status": "review"}}, base_version=3))[0]
    assert upd["status"] == "rejected" and upd["code"] == "append_only"
    assert _stored(engine, "c3")["status"] == "review"


def test_forged_history_and_reused_number_refused(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    filed = [_event([], "file", -30)]
    leap = {**filed[0], "id": "ev-x", "action": "decide", "from_status": "filed", "to_status": "decided",
            "data": {"kinds": ["罚款"], "fine_amount": "500"}}
    res = push(client, headers, mutation("case", "c4", "create", _case([*filed, leap], "新登镇综执立〔2026〕4号"),
                                         base_version=0))[0]
    assert res["status"] == "rejected" and "第四十四条" in res["reason"]
    push(client, headers, mutation("case", "c5", "create", _case(filed, "新登镇综执立〔2026〕5号"), base_version=0))
    dup = push(client, headers, mutation("case", "c6", "create", _case(filed, "新登镇综执立〔2026〕5号"),
                                         base_version=0))[0]
    assert dup["status"] == "rejected" and dup["code"] == "number_taken"


def test_transfer_tracking_only_moves_forward(client: TestClient, engine: Any) -> None:
    headers = login(client, "xindeng.officer")
    now = datetime.now(UTC).isoformat()
    referral = {"kind": "transfer", "township_id": XD, "inspection_id": "insp-xd-1", "finding_id": None,
                "to_department_id": "dept-zhj", "matter_code": "330217001", "subject": "移送", "facts": "事实",
                "reason": "需吊销许可证", "reply_due": None, "status": "open", "created_by": "李队员", "case_id": None,
                "letter_id": None, "tracking": [], "created_at": now, "updated_at": now}
    assert push(client, headers, mutation("referral", "r1", "create", referral, base_version=0))[0]["status"] == "applied"
    sent = [{"status": "sent", "on": TODAY.isoformat(), "note": "", "actor": "李队员"}]
    ok = push(client, headers, mutation("referral", "r1", "update", {
        "fields": {"status": "sent", "tracking": sent, "letter_id": "doc-1"},
        "base": {"status": "open", "tracking": [], "letter_id": None}}))[0]
    assert ok["status"] == "applied"
    leap = push(client, headers, mutation("referral", "r1", "update", {
        "fields": {"status": "answered"}, "base": {"status": "sent"}}, base_version=2))[0]
    assert leap["status"] == "rejected" and leap["code"] == "append_only"
    rewrite = push(client, headers, mutation("referral", "r1", "update", {
        "fields": {"tracking": [{"status": "sent", "on": "2020-01-01", "note": "", "actor": "x"}]},
        "base": {"tracking": sent}}, base_version=2))[0]
    assert rewrite["status"] == "rejected"
    other = push(client, headers, mutation("referral", "r1", "update", {
        "fields": {"facts": "改了"}, "base": {"facts": "事实"}}, base_version=2))[0]
    assert other["status"] == "rejected"
    with read_session(engine) as s:
        rec = s.get(Record, ("referral", "r1"))
        assert rec is not None and rec.data["status"] == "sent" and rec.data["tracking"] == sent


def test_published_edition_applies_from_its_effective_date(client: TestClient, engine: Any) -> None:
    from app.rules.case_config import default_config_data
    from sync.server.cases import CaseRefused, publish_config
    from sync.server.storage import write_session

    data = {**default_config_data(), "edition": 2, "effective_from": (TODAY - timedelta(days=5)).isoformat()}
    data["hearing"] = {**data["hearing"], "fine_organisation": "50000"}
    with write_session(engine) as s:
        publish_config(s, data)
    with write_session(engine) as s:
        try:
            publish_config(s, data)
            raise AssertionError("an edition number was published twice")
        except CaseRefused as exc:
            assert exc.code == "edition_exists"
    headers = login(client, "xindeng.officer")
    for case_id, offset, expected in (("c7", -10, "applied"), ("c8", -1, "rejected")):
        events = [_event([], "file", offset - 2)]
        events.append(_event(events, "investigate", offset - 2))
        number = f"新登镇综执立〔2026〕{case_id[1:]}号"
        push(client, headers, mutation("case", case_id, "create", _case(events, number), base_version=0))
        notice = _event(events, "notify", offset, kinds=["罚款"], fine_amount="60000", hearing_right=False)
        res = push(client, headers, mutation("case", case_id, "transition", {"event": notice}))[0]
        assert res["status"] == expected, res
        if expected == "rejected":
            assert "第六十三条" in res["reason"] and "50000" in res["reason"]
    state, _ = pull_all(client, headers)
    assert ("case_config", "case-law-2") in state

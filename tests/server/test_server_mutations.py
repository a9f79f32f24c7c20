"""Push: idempotency, per-field merge and conflicts, field ownership, append-only, documents, voids, scope."""

from __future__ import annotations

import uuid

from server_helpers import XD, YH, login, mutation, pull_all, push, update
from starlette.testclient import TestClient

from sync.protocol import MutationResults
from sync.server import admin
from sync.server.app import create_app
from sync.server.storage import MutationRow, Record, read_session


def _finding(fid: str, township: str = XD) -> dict:
    return mutation(
        "finding",
        fid,
        "create",
        {
            "id": fid,
            "township_id": township,
            "inspection_id": "insp-xd-1",
            "matter_code": "330217001",
            "check_point": "占道经营",
            "result": "violation",
            "note": "门前堆放",
            "found_at": "2026-03-02T09:30:00+08:00",
        },
        base_version=0,
    )


def _record(engine, entity: str, rid: str) -> Record:
    with read_session(engine) as s:
        rec = s.get(Record, (entity, rid))
        assert rec is not None
        return rec


def test_same_batch_twice_is_all_duplicate_and_one_record(client: TestClient, engine, settings) -> None:
    headers = login(client, "xindeng.officer")
    batch = [
        _finding("fnd-1"),
        _finding("fnd-2"),
        update("task", "task-xd-002", {"notes": "已到现场"}, {"notes": ""}),
    ]
    first = push(client, headers, *batch)
    assert [r["status"] for r in first] == ["applied", "applied", "applied"]
    second = push(client, headers, *batch)
    assert [r["status"] for r in second] == ["duplicate"] * 3
    assert [r["version"] for r in second] == [r["version"] for r in first]
    assert _record(engine, "task", "task-xd-002").version == 2
    # forever: also after a restart of the platform
    client.app.state.engine.dispose()
    with TestClient(create_app(settings)) as again:
        third = push(again, login(again, "xindeng.officer"), *batch)
    assert [r["status"] for r in third] == ["duplicate"] * 3
    with read_session(engine) as s:
        assert s.query(Record).filter(Record.entity == "finding").count() == 2


def test_results_follow_the_order_and_one_bad_mutation_does_not_undo_others(
    client: TestClient, engine
) -> None:
    headers = login(client, "xindeng.officer")
    results = push(
        client,
        headers,
        _finding("fnd-a"),
        update("task", "task-xd-002", {"title": "改标题"}, {"title": "x"}),
        _finding("fnd-b"),
    )
    MutationResults.model_validate({"results": results})
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["code"] == "platform_owned"
    with read_session(engine) as s:
        assert s.get(Record, ("finding", "fnd-a")) and s.get(Record, ("finding", "fnd-b"))
        assert s.get(MutationRow, results[1]["mutation_id"]).result["status"] == "rejected"
    # replaying a rejected mutation returns the stored rejection
    again = push(
        client,
        headers,
        update(
            "task", "task-xd-002", {"title": "改标题"}, {"title": "x"}, mutation_id=results[1]["mutation_id"]
        ),
    )
    assert again[0]["status"] == "rejected" and again[0]["code"] == "platform_owned"


def test_create_rules(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    res = push(
        client,
        headers,
        _finding("fnd-other", township=YH),
        mutation("task", "task-new", "create", {"township_id": XD, "title": "自建"}),
        mutation("finding", "fnd-x", "create", {"id": "different", "township_id": XD}),
        mutation("finding", "fnd-y", "create", {"note": "no township"}),
    )
    assert [(r["status"], r["code"]) for r in res] == [
        ("rejected", "forbidden"),
        ("rejected", "bad_request"),
        ("rejected", "bad_request"),
        ("rejected", "bad_request"),
    ]
    assert all(r["reason"] for r in res)
    # same id created again with a new mutation_id: duplicate if same data, rejected if different
    assert push(client, headers, _finding("fnd-z"))[0]["status"] == "applied"
    assert push(client, headers, _finding("fnd-z"))[0]["status"] == "duplicate"
    changed = _finding("fnd-z")
    changed["data"]["note"] = "别的内容"
    assert push(client, headers, changed)[0] == {**push(client, headers, changed)[0], "code": "exists"}


def test_per_field_merge_of_officer_fields(client: TestClient, engine) -> None:
    a = login(client, "xindeng.officer", device="laptop-aaaa-1")
    b = login(client, "xindeng.leader", device="laptop-bbbb-2")
    assert (
        push(client, a, update("task", "task-xd-002", {"notes": "A 的记录"}, {"notes": ""}))[0]["status"]
        == "applied"
    )
    res = push(client, b, update("task", "task-xd-002", {"feedback": "B 的反馈"}, {"feedback": ""}))[0]
    assert res["status"] == "applied" and res["version"] == 3
    data = _record(engine, "task", "task-xd-002").data
    assert data["notes"] == "A 的记录" and data["feedback"] == "B 的反馈"


def test_same_field_conflict_keeps_server_value_and_merges_the_rest(client: TestClient, engine) -> None:
    a = login(client, "xindeng.officer", device="laptop-aaaa-1")
    b = login(client, "xindeng.leader", device="laptop-bbbb-2")
    push(client, a, update("task", "task-xd-002", {"notes": "A"}, {"notes": ""}))
    res = push(
        client,
        b,
        update("task", "task-xd-002", {"notes": "B", "feedback": "B 反馈"}, {"notes": "", "feedback": ""}),
    )[0]
    assert res["status"] == "conflict"
    assert res["server"] == {"notes": "A"} and res["yours"] == {"notes": "B"}
    assert res["applied_fields"] == ["feedback"] and res["version"] == 3
    data = _record(engine, "task", "task-xd-002").data
    assert data["notes"] == "A" and data["feedback"] == "B 反馈"
    # writing the value the server already has is not a conflict
    same = push(client, b, update("task", "task-xd-002", {"notes": "A"}, {"notes": "stale"}))[0]
    assert same["status"] == "applied" and same["version"] == 3


def test_conflict_with_a_centre_edit(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.officer")
    admin.set_field(engine, "task-xd-002", "notes", "中心备注")
    res = push(client, headers, update("task", "task-xd-002", {"notes": "队员备注"}, {"notes": ""}))[0]
    assert (
        res["status"] == "conflict" and res["server"] == {"notes": "中心备注"} and res["applied_fields"] == []
    )
    assert res["version"] == 2


def test_platform_owned_task_fields_and_assignees(client: TestClient, engine) -> None:
    officer, leader = login(client, "xindeng.officer"), login(client, "xindeng.leader")
    for field in ("deadline", "priority", "township_id", "matter_codes", "target_id"):
        r = push(client, leader, update("task", "task-xd-001", {field: None}, {field: None}))[0]
        assert (r["status"], r["code"]) == ("rejected", "platform_owned"), field
    r = push(
        client, officer, update("task", "task-xd-001", {"assignee_ids": ["off-xd-1"]}, {"assignee_ids": []})
    )[0]
    assert (r["status"], r["code"]) == ("rejected", "forbidden")
    r = push(
        client,
        leader,
        update("task", "task-xd-001", {"assignee_ids": ["off-xd-2", "off-xd-1"]}, {"assignee_ids": []}),
    )[0]
    assert r["status"] == "applied"
    assert _record(engine, "task", "task-xd-001").data["assignee_ids"] == ["off-xd-1", "off-xd-2"]
    r = push(
        client,
        leader,
        update(
            "task",
            "task-xd-001",
            {"assignee_ids": ["off-yh-leader"]},
            {"assignee_ids": ["off-xd-1", "off-xd-2"]},
        ),
    )[0]
    assert (r["status"], r["code"]) == ("rejected", "bad_request")
    r = push(client, leader, update("task", "task-xd-001", {"status": "closed"}, {"status": "pending"}))[0]
    assert (r["status"], r["code"]) == ("rejected", "bad_request")
    r = push(client, leader, update("target", "tgt-xd-1", {"name": "x"}, {"name": "新登饭店"}))[0]
    assert (r["status"], r["code"]) == ("rejected", "platform_owned")


def test_other_township_cannot_touch_xindeng_records(client: TestClient, engine) -> None:
    yh = login(client, "yinhu.leader")
    res = push(
        client,
        yh,
        update("task", "task-xd-002", {"notes": "入侵"}, {"notes": ""}),
        mutation(
            "task",
            "task-xd-001",
            "transition",
            {"action": "accept", "actor": "陈队长", "at": "2026-03-02T09:00:00+08:00", "event_id": "e1"},
        ),
        mutation("evidence", "ev-xd-1", "void", {"reason": "恶意"}),
    )
    assert [(r["status"], r["code"]) for r in res] == [("rejected", "forbidden")] * 3
    assert _record(engine, "task", "task-xd-002").version == 1


def test_unknown_record_and_bad_shapes(client: TestClient) -> None:
    headers = login(client, "xindeng.leader")
    res = push(
        client,
        headers,
        update("task", "no-such-task", {"notes": "x"}, {"notes": ""}),
        mutation("task", "task-xd-002", "update", {"base": {}}),
        mutation("task", "task-xd-002", "transition", {"action": "accept"}),
        mutation(
            "finding", "fnd-1", "transition", {"action": "accept", "actor": "a", "at": "x", "event_id": "e"}
        ),
        mutation("task", "task-xd-002", "void", {"reason": "x"}),
        mutation(
            "task",
            "task-xd-002",
            "transition",
            {"action": "report", "actor": "a", "at": "not a time", "event_id": "e"},
        ),
    )
    assert [r["code"] for r in res] == ["not_found"] + ["bad_request"] * 5
    assert all(r["status"] == "rejected" and r["reason"] for r in res)
    bad = client.post("/api/v1/sync/mutations", headers=headers, json={"device_id": "x", "mutations": []})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_request"


def test_append_only_and_locked_records(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.officer")
    push(client, headers, _finding("fnd-1"))
    res = push(
        client,
        headers,
        update("finding", "fnd-1", {"note": "改"}, {"note": "门前堆放"}),
        update("evidence", "ev-xd-1", {"caption": "改"}, {"caption": ""}),
        update("inspection", "insp-xd-2", {"observations": "改"}, {"observations": "无问题"}),
        update(
            "inspection",
            "insp-xd-1",
            {"observations": "发现占道", "status": "finalised"},
            {"observations": "", "status": "draft"},
        ),
    )
    assert [(r["status"], r.get("code")) for r in res] == [
        ("rejected", "append_only"),
        ("rejected", "append_only"),
        ("rejected", "locked"),
        ("applied", None),
    ]
    later = push(
        client,
        headers,
        update("inspection", "insp-xd-1", {"observations": "再改"}, {"observations": "发现占道"}),
    )[0]
    assert later["code"] == "locked"


def test_plan_create_and_update(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.leader")
    plan = {
        "township_id": XD,
        "target_id": "tgt-xd-1",
        "kind": "joint",
        "scheduled_at": "2026-03-05T09:00:00+08:00",
        "matter_codes": ["330217001"],
        "officer_ids": ["off-xd-1", "off-xd-2"],
        "status": "planned",
        "notes": "",
    }
    assert (
        push(client, headers, mutation("inspection_plan", "plan-1", "create", plan))[0]["status"] == "applied"
    )
    r = push(client, headers, update("inspection_plan", "plan-1", {"notes": "带执法记录仪"}, {"notes": ""}))[
        0
    ]
    assert r == {
        "mutation_id": r["mutation_id"],
        "status": "applied",
        "version": 2,
        "server": None,
        "yours": None,
        "applied_fields": None,
        "code": None,
        "reason": None,
    }


def test_document_issue_serve_and_void(client: TestClient, engine) -> None:
    clerk = login(client, "xindeng.clerk")
    issue = {
        "status": "issued",
        "number": "新登镇综执检〔2026〕1号",
        "year": 2026,
        "seq": 1,
        "issued_at": "2026-03-02T10:00:00+08:00",
        "issued_by": "赵内勤",
        "content_sha256": "ef" * 32,
    }
    base = {k: None for k in issue} | {"status": "draft"}
    res = push(
        client,
        clerk,
        update("document", "doc-xd-2", {"fields": {"a": 2}}, {"fields": {"a": 1}}),  # a draft is editable
        update("document", "doc-xd-2", {"number": "x"}, {"number": None}),  # but not its number
        update("document", "doc-xd-2", {"status": "served"}, {"status": "draft"}),
        update("document", "doc-xd-2", issue, base),
        update("document", "doc-xd-2", {"fields": {"a": 3}}, {"fields": {"a": 2}}),  # issued: immutable
    )
    assert [(r["status"], r.get("code")) for r in res] == [
        ("applied", None),
        ("rejected", "append_only"),
        ("rejected", "append_only"),
        ("applied", None),
        ("rejected", "append_only"),
    ]
    res = push(
        client,
        clerk,
        update("document", "doc-xd-2", {"content_sha256": "00" * 32}, {"content_sha256": "ef" * 32}),
        update(
            "document",
            "doc-xd-2",
            {"status": "served", "service": {"method": "直接送达"}},
            {"status": "issued", "service": {}},
        ),
        mutation("document", "doc-xd-2", "void", {"reason": ""}),
        mutation("document", "doc-xd-2", "void", {"reason": "当事人信息有误"}),
        update("document", "doc-xd-2", {"status": "served"}, {"status": "voided"}),
    )
    assert [(r["status"], r.get("code")) for r in res] == [
        ("rejected", "append_only"),
        ("applied", None),
        ("rejected", "reason_required"),
        ("applied", None),
        ("rejected", "locked"),
    ]
    data = _record(engine, "document", "doc-xd-2").data
    assert (
        data["status"] == "voided"
        and data["number"] == issue["number"]
        and data["void_reason"] == "当事人信息有误"
    )


def test_evidence_void_keeps_the_record(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.officer")
    first = push(client, headers, mutation("evidence", "ev-xd-1", "void", {"reason": "拍错对象"}))[0]
    again = push(client, headers, mutation("evidence", "ev-xd-1", "void", {"reason": "再次"}))[0]
    assert first["status"] == again["status"] == "applied" and first["version"] == again["version"] == 2
    state, _ = pull_all(client, headers)
    ev = state[("evidence", "ev-xd-1")]["data"]
    assert ev["voided"] is True and ev["void_reason"] == "拍错对象" and ev["sha256"]


def test_mutation_ids_are_global(client: TestClient) -> None:
    mid = uuid.uuid4().hex
    a = push(client, login(client, "xindeng.officer"), _finding("fnd-q") | {"mutation_id": mid})[0]
    b = push(client, login(client, "xindeng.leader"), _finding("fnd-r") | {"mutation_id": mid})[0]
    assert a["status"] == "applied" and b["status"] == "duplicate"


def test_malformed_values_are_rejected_not_500(client: TestClient) -> None:
    headers = login(client, "xindeng.leader")
    res = push(
        client,
        headers,
        mutation(
            "task",
            "task-xd-001",
            "transition",
            {
                "action": "return",
                "actor": "a",
                "event_id": "e",
                "at": "2026-03-02T09:00:00+08:00",
                "reason": 42,
            },
        ),
        update("task", "task-xd-001", {"assignee_ids": "off-xd-1"}, {"assignee_ids": []}),
        mutation("finding", "fnd-weird", "create", {"township_id": ["list"]}),
    )
    assert [(r["status"], r["code"]) for r in res] == [("rejected", "bad_request")] * 3

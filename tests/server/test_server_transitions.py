"""Task transitions through the shared state machine, checked with the caller's role."""

from __future__ import annotations

import pytest
from server_helpers import YH, login, pull_all, push, step
from starlette.testclient import TestClient

from sync.server import admin
from sync.server.admin import AdminError
from sync.server.storage import Record, read_session


def _task(engine, tid: str) -> dict:
    with read_session(engine) as s:
        rec = s.get(Record, ("task", tid))
        assert rec is not None
        return {**rec.data, "version": rec.version}


def test_officer_walks_a_task_to_reported(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.officer")
    res = push(
        client,
        headers,
        step("task-xd-001", "accept", event_id="ev-1"),
        step("task-xd-001", "start"),
        step("task-xd-001", "report", feedback="  已责令整改  "),
    )
    assert [r["status"] for r in res] == ["applied"] * 3 and res[-1]["version"] == 4
    task = _task(engine, "task-xd-001")
    assert task["status"] == "reported" and task["feedback"] == "已责令整改"
    assert [(e["from_status"], e["to_status"]) for e in task["events"]] == [
        ("pending", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "reported"),
    ]
    assert task["events"][0]["id"] == "ev-1" and task["events"][0]["actor"] == "李队员"
    # the same event sent again under another mutation id is a duplicate, not a second step
    again = push(client, headers, step("task-xd-001", "accept", event_id="ev-1"))[0]
    assert again["status"] == "duplicate" and again["version"] == 4


@pytest.mark.parametrize(
    ("user", "task", "action", "kw", "code"),
    [
        ("xindeng.officer", "task-xd-001", "return", {"reason": "不属于本镇"}, "role_not_allowed"),
        ("xindeng.leader", "task-xd-001", "return", {"reason": "  "}, "reason_required"),
        ("xindeng.leader", "task-xd-001", "report", {"feedback": "x"}, "illegal_transition"),
        ("xindeng.officer", "task-xd-002", "report", {}, "feedback_required"),
        ("xindeng.leader", "task-xd-003", "close", {}, "role_not_allowed"),
        ("xindeng.clerk", "task-xd-001", "accept", {}, "role_not_allowed"),
        ("xindeng.leader", "task-xd-001", "fly", {}, "unknown_value"),
    ],
)
def test_illegal_steps_are_rejected_with_the_rule_message(
    client: TestClient, engine, user: str, task: str, action: str, kw: dict, code: str
) -> None:
    res = push(client, login(client, user), step(task, action, **kw))[0]
    assert res["status"] == "rejected" and res["code"] == code
    assert res["reason"] and not res["reason"].isascii()
    assert _task(engine, task)["version"] == 1


def test_naive_time_is_refused(client: TestClient) -> None:
    mut = step("task-xd-001", "accept")
    mut["data"]["at"] = "2026-03-02T09:00:00"
    res = push(client, login(client, "xindeng.officer"), mut)[0]
    assert res["code"] == "naive_time"


def test_leader_returns_centre_reassigns(client: TestClient, engine) -> None:
    leader = login(client, "xindeng.leader")
    res = push(client, leader, step("task-xd-001", "return", reason="不在本镇辖区"))[0]
    assert res["status"] == "applied" and _task(engine, "task-xd-001")["status"] == "returned"
    moved = admin.reassign(engine, "task-xd-001", YH)
    assert moved["status"] == "pending" and moved["township_id"] == YH
    assert [e["action"] for e in moved["events"]] == ["return", "reassign"]
    state, _ = pull_all(client, login(client, "yinhu.leader"))
    assert state[("task", "task-xd-001")]["data"]["status"] == "pending"
    # the old team can no longer act on it
    late = push(client, leader, step("task-xd-001", "accept"))[0]
    assert (late["status"], late["code"]) == ("rejected", "forbidden")


def test_centre_close_and_reject(client: TestClient, engine) -> None:
    rejected = admin.reject(engine, "task-xd-003", "整改照片不清晰")
    assert rejected["status"] == "in_progress" and rejected["events"][-1]["reason"] == "整改照片不清晰"
    with pytest.raises(AdminError):
        admin.close(engine, "task-xd-003")  # not reported any more
    push(client, login(client, "xindeng.officer"), step("task-xd-003", "report", feedback="已补拍"))
    assert admin.close(engine, "task-xd-003")["status"] == "closed"
    # the centre may also act through the API with its own role
    centre = login(client, "centre.admin")
    res = push(client, centre, step("task-xd-004", "reassign"))[0]
    assert res["status"] == "applied" and _task(engine, "task-xd-004")["status"] == "pending"

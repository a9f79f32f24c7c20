"""Shared data and helpers of the platform tests: a small two-township dataset in the shape of
`app.demo.dataset.build_dataset()`, the demo accounts, and functions to log in, push and pull like a
client."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.testclient import TestClient

PASSWORD = "demo2026"
XD, YH = "twn-xindeng", "twn-yinhu"
T0 = "2026-03-02T08:00:00+08:00"
DOC_SHA = "ab" * 32
EV_SHA = "cd" * 32
DEVICE = "device-test-0001"


def _stamp(d: dict[str, Any]) -> dict[str, Any]:
    return {**d, "created_at": T0, "updated_at": T0}


def _task(tid: str, township: str, status: str, **extra: Any) -> dict[str, Any]:
    return _stamp(
        {
            "id": tid,
            "version": 1,
            "number": f"FYZH-2026-{tid[-3:]}",
            "title": f"核查 {tid}",
            "description": "",
            "task_type": "核查",
            "source": "指挥中心",
            "priority": 3,
            "deadline": "2026-03-10T17:00:00+08:00",
            "status": status,
            "township_id": township,
            "grid_id": None,
            "target_id": None,
            "dispatched_at": T0,
            "notes": "",
            "feedback": "",
            "assignee_ids": [],
            "matter_codes": ["330217001"],
            "events": [],
            **extra,
        }
    )


def small_dataset() -> dict[str, list[dict[str, Any]]]:
    """Two townships, a few of everything, in the shape of `app.demo.dataset.build_dataset()`."""
    return {
        "township": [
            _stamp(
                {
                    "id": XD,
                    "version": 1,
                    "name": "新登镇",
                    "kind": "镇",
                    "mode": "empowered",
                    "legal_name": "杭州市富阳区新登镇人民政府",
                    "seal_name": "新登镇人民政府",
                    "number_prefix": "新登镇综执",
                    "team_name": "综合行政执法队",
                }
            ),
            _stamp(
                {
                    "id": YH,
                    "version": 1,
                    "name": "银湖街道",
                    "kind": "街道",
                    "mode": "dispatched",
                    "legal_name": "杭州市富阳区银湖街道办事处",
                    "seal_name": "银湖街道办事处",
                    "number_prefix": "银湖综执",
                    "team_name": "联合巡查执法队",
                }
            ),
        ],
        "department": [
            _stamp(
                {
                    "id": "dept-zhj",
                    "version": 1,
                    "name": "区综合行政执法局",
                    "short_name": "综合执法",
                    "field": "综合",
                    "kind": "bureau",
                    "legal_name": "杭州市富阳区综合行政执法局",
                    "seal_name": "富阳区综合行政执法局",
                    "number_prefix": "富综执",
                }
            ),
        ],
        "unit": [
            _stamp(
                {
                    "id": "unit-xd",
                    "version": 1,
                    "name": "新登中队",
                    "department_id": "dept-zhj",
                    "township_id": XD,
                }
            )
        ],
        "grid": [
            _stamp(
                {
                    "id": "grid-xd-1",
                    "version": 1,
                    "township_id": XD,
                    "code": "XD01",
                    "name": "新登一网格",
                    "patrol_tier": 1,
                }
            ),
            _stamp(
                {
                    "id": "grid-yh-1",
                    "version": 1,
                    "township_id": YH,
                    "code": "YH01",
                    "name": "银湖一网格",
                    "patrol_tier": 1,
                }
            ),
        ],
        "target": [
            _stamp(
                {
                    "id": "tgt-xd-1",
                    "version": 1,
                    "name": "新登饭店",
                    "kind": "企业",
                    "township_id": XD,
                    "grid_id": "grid-xd-1",
                    "credit_code": None,
                    "address": "新登镇",
                    "industry": "餐饮",
                }
            ),
            _stamp(
                {
                    "id": "tgt-yh-1",
                    "version": 1,
                    "name": "银湖超市",
                    "kind": "企业",
                    "township_id": YH,
                    "grid_id": "grid-yh-1",
                    "credit_code": None,
                    "address": "银湖",
                    "industry": "零售",
                }
            ),
        ],
        "officer": [
            _stamp(
                {
                    "id": oid,
                    "version": 1,
                    "name": name,
                    "username": user,
                    "role": role,
                    "township_id": twn,
                    "unit_id": None,
                    "grid_id": None,
                    "certificate_no": "33010001",
                    "cert_valid_until": "2028-12-31",
                    "fields": ["综合"],
                    "phone": None,
                    "active": True,
                }
            )
            for oid, name, user, role, twn in (
                ("off-xd-leader", "张队长", "xindeng.leader", "leader", XD),
                ("off-xd-1", "李队员", "xindeng.officer", "officer", XD),
                ("off-xd-2", "王队员", None, "officer", XD),
                ("off-xd-clerk", "赵内勤", "xindeng.clerk", "clerk", XD),
                ("off-yh-leader", "陈队长", "yinhu.leader", "leader", YH),
            )
        ],
        "officer_interest": [  # no township_id: the platform takes the officer's
            _stamp(
                {
                    "id": "oi-1",
                    "version": 1,
                    "officer_id": "off-xd-2",
                    "target_id": "tgt-xd-1",
                    "reason": "亲属",
                }
            ),
        ],
        "catalogue_version": [
            {"id": "1", "version": 1, "effective_date": "2026-01-01", "published_at": T0, "note": "首版"}
        ],
        "matter": [
            _stamp(
                {
                    "id": f"mat-{code}",
                    "version": 1,
                    "code": code,
                    "name": name,
                    "field": "市容环卫",
                    "owner_department_id": "dept-zhj",
                    "catalogue_version": 1,
                }
            )
            for code, name in (("330217001", "擅自占用道路"), ("330217002", "乱倒垃圾"))
        ],
        "matter_empowerment": [
            {"id": "emp-1", "version": 1, "township_id": XD, "matter_code": "330217001", "empowered": True}
        ],
        "task": [
            _task("task-xd-001", XD, "pending", target_id="tgt-xd-1", grid_id="grid-xd-1"),
            _task("task-xd-002", XD, "in_progress"),
            _task("task-xd-003", XD, "reported", feedback="已整改"),
            _task("task-xd-004", XD, "returned"),
            _task("task-yh-001", YH, "pending", target_id="tgt-yh-1"),
        ],
        "inspection": [
            _stamp(
                {
                    "id": "insp-xd-1",
                    "version": 1,
                    "township_id": XD,
                    "target_id": "tgt-xd-1",
                    "status": "draft",
                    "observations": "",
                    "place": "新登饭店",
                    "officer_ids": ["off-xd-1", "off-xd-2"],
                }
            ),
            _stamp(
                {
                    "id": "insp-xd-2",
                    "version": 1,
                    "township_id": XD,
                    "target_id": "tgt-xd-1",
                    "status": "finalised",
                    "observations": "无问题",
                    "place": "新登饭店",
                    "officer_ids": [],
                }
            ),
        ],
        "evidence": [
            _stamp(
                {
                    "id": "ev-xd-1",
                    "version": 1,
                    "township_id": XD,
                    "sha256": EV_SHA,
                    "size": 10,
                    "media_type": "image/jpeg",
                    "kind": "photo",
                    "original_name": "a.jpg",
                    "imported_by": "李队员",
                    "imported_at": T0,
                    "voided": False,
                    "void_reason": None,
                    "uploaded": False,
                }
            ),
        ],
        "document": [
            _stamp(
                {
                    "id": "doc-xd-1",
                    "version": 1,
                    "township_id": XD,
                    "doc_type": "correction_order",
                    "status": "issued",
                    "body_kind": "township",
                    "body_id": XD,
                    "body_legal_name": "杭州市富阳区新登镇人民政府",
                    "seal_name": "新登镇人民政府",
                    "number_prefix": "新登镇综执",
                    "year": 2026,
                    "seq": 3,
                    "number": "新登镇综执责改〔2026〕3号",
                    "fields": {},
                    "content_sha256": DOC_SHA,
                    "issued_at": T0,
                    "issued_by": "赵内勤",
                    "service": {},
                    "void_reason": None,
                }
            ),
            _stamp(
                {
                    "id": "doc-xd-2",
                    "version": 1,
                    "township_id": XD,
                    "doc_type": "onsite_record",
                    "status": "draft",
                    "body_kind": "township",
                    "body_id": XD,
                    "body_legal_name": "杭州市富阳区新登镇人民政府",
                    "seal_name": "新登镇人民政府",
                    "number_prefix": "新登镇综执",
                    "year": None,
                    "seq": None,
                    "number": None,
                    "fields": {"a": 1},
                    "content_sha256": None,
                    "issued_at": None,
                    "issued_by": None,
                    "service": {},
                    "void_reason": None,
                }
            ),
        ],
    }


ACCOUNTS = [
    {
        "username": "xindeng.leader",
        "password": PASSWORD,
        "name": "张队长",
        "role": "leader",
        "township_id": XD,
        "officer_id": "off-xd-leader",
    },
    {
        "username": "xindeng.officer",
        "password": PASSWORD,
        "name": "李队员",
        "role": "officer",
        "township_id": XD,
        "officer_id": "off-xd-1",
    },
    {
        "username": "xindeng.clerk",
        "password": PASSWORD,
        "name": "赵内勤",
        "role": "clerk",
        "township_id": XD,
        "officer_id": "off-xd-clerk",
    },
    {
        "username": "yinhu.leader",
        "password": PASSWORD,
        "name": "陈队长",
        "role": "leader",
        "township_id": YH,
        "officer_id": "off-yh-leader",
    },
    {
        "username": "centre.admin",
        "password": PASSWORD,
        "name": "指挥中心",
        "role": "centre",
        "township_id": None,
        "officer_id": None,
    },
]


def login(
    client: TestClient, username: str, device: str = DEVICE, password: str = PASSWORD
) -> dict[str, str]:
    resp = client.post(
        "/api/v1/auth/token", json={"username": username, "password": password, "device_id": device}
    )
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def mutation(
    entity: str,
    entity_id: str,
    op: str,
    data: dict[str, Any],
    *,
    base_version: int = 1,
    mutation_id: str | None = None,
) -> dict[str, Any]:
    return {
        "mutation_id": mutation_id or uuid.uuid4().hex,
        "device_seq": 1,
        "entity": entity,
        "entity_id": entity_id,
        "op": op,
        "base_version": base_version,
        "data": data,
    }


def push(client: TestClient, headers: dict[str, str], *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    resp = client.post(
        "/api/v1/sync/mutations", headers=headers, json={"device_id": DEVICE, "mutations": list(mutations)}
    )
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]


def pull_all(
    client: TestClient, headers: dict[str, str], cursor: int = 0, limit: int = 1000
) -> tuple[dict[tuple[str, str], dict[str, Any]], int]:
    """Apply every page like a client would: returns ((entity, id) → latest change, final cursor)."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    while True:
        resp = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": cursor, "limit": limit})
        assert resp.status_code == 200, resp.text
        page = resp.json()
        for change in page["changes"]:
            if change["op"] == "delete":
                state.pop((change["entity"], change["id"]), None)
            else:
                state[(change["entity"], change["id"])] = change
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return state, cursor


def update(
    entity: str, entity_id: str, fields: dict[str, Any], base: dict[str, Any], **kw: Any
) -> dict[str, Any]:
    return mutation(entity, entity_id, "update", {"fields": fields, "base": base}, **kw)


def step(
    task_id: str,
    action: str,
    *,
    reason: str | None = None,
    feedback: str | None = None,
    event_id: str | None = None,
    **kw: Any,
) -> dict[str, Any]:
    return mutation(
        "task",
        task_id,
        "transition",
        {
            "action": action,
            "actor": "李队员",
            "at": "2026-03-02T09:00:00+08:00",
            "reason": reason,
            "feedback": feedback,
            "event_id": event_id or uuid.uuid4().hex,
        },
        **kw,
    )

"""The app as a whole: OpenAPI, JSON errors, the embedded server over real HTTP, policy agreement, demo
data."""

from __future__ import annotations

import httpx
import pytest
from server_helpers import ACCOUNTS, PASSWORD, small_dataset
from starlette.testclient import TestClient

from app.ownership import TOWNSHIP_ENTITIES
from sync.protocol import ChangesPage, TokenResponse
from sync.server import policy
from sync.server.embedded import start_server

ENDPOINTS = {
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/sync/changes"),
    ("post", "/api/v1/sync/mutations"),
    ("get", "/api/v1/sync/checksums"),
    ("get", "/api/v1/sync/scope"),
    ("post", "/api/v1/uploads"),
    ("head", "/api/v1/uploads/{upload_id}"),
    ("get", "/api/v1/uploads/{upload_id}"),
    ("patch", "/api/v1/uploads/{upload_id}"),
    ("get", "/api/v1/blobs/{sha256}"),
    ("post", "/api/v1/number-blocks"),
    ("get", "/api/v1/documents/verify"),
    ("get", "/api/v1/health"),
    ("post", "/api/v1/audit/anchors"),
    ("post", "/api/v1/devices/ack"),  # a revoked device reports collected / wiped
}
ENDPOINTS |= {
    ("get", "/api/v1/supervision/interventions"),
    ("get", "/api/v1/supervision/interventions/summary"),
    ("get", "/api/v1/supervision/urgent-responses"),
    ("get", "/api/v1/supervision/notice-replies/overdue"),
}


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "联巡通 参考指挥平台" and doc["info"]["version"]
    listed = {(method, path) for path, ops in doc["paths"].items() for method in ops}
    assert listed == ENDPOINTS
    assert client.get("/api/v1/docs").status_code == 200
    assert "bearer" in str(doc["components"]["securitySchemes"]).lower()


def test_errors_are_always_json(client: TestClient) -> None:
    for resp in (
        client.get("/api/v1/nowhere"),
        client.delete("/api/v1/health"),
        client.post("/api/v1/sync/mutations", content=b"not json"),
    ):
        body = resp.json()
        assert resp.status_code >= 400 and set(body) >= {"code", "message"} and body["message"]


def test_health(client: TestClient) -> None:
    got = client.get("/api/v1/health").json()
    assert got["status"] == "ok" and got["seq"] > 0


def test_embedded_server_real_http_and_restart(tmp_path) -> None:
    data = tmp_path / "platform"
    with start_server(data, dataset=small_dataset(), accounts=ACCOUNTS, access_ttl=60) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        assert server.seeded["records"] > 20 and server.seeded["users"] == len(ACCOUNTS)
        with httpx.Client(base_url=server.api_url, timeout=10) as http:
            tok = TokenResponse.model_validate(
                http.post(
                    "/auth/token",
                    json={
                        "username": "xindeng.leader",
                        "password": PASSWORD,
                        "device_id": "device-real-http",
                    },
                ).json()
            )
            assert tok.expires_in == 60
            page = ChangesPage.model_validate(
                http.get("/sync/changes", headers={"Authorization": f"Bearer {tok.access_token}"}).json()
            )
            assert page.changes and not page.has_more
    assert not server.thread.is_alive()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server.url}/api/v1/health", timeout=1)
    # a second start over the same directory does not seed again and keeps the data
    with start_server(data, dataset=small_dataset(), accounts=ACCOUNTS) as again:
        assert again.seeded == {"records": 0, "users": 0, "number_blocks": 0}
        assert httpx.get(f"{again.url}/api/v1/health").json()["seq"] > 0


def test_policy_agrees_with_the_client_registry() -> None:
    """Field ownership has one source (app.ownership): the laptop's registry is built from it, the platform's
    policy holds no copy, and the wire type names the same entities."""
    from typing import get_args

    from app import ownership as O
    from app.entities import SPECS
    from sync.protocol import EntityName

    assert list(SPECS) == list(O.ENTITY_NAMES) and set(get_args(EntityName)) == set(O.ENTITY_NAMES)
    assert set(SPECS) == O.GLOBAL_ENTITIES | O.TOWNSHIP_ENTITIES and not O.GLOBAL_ENTITIES & O.TOWNSHIP_ENTITIES
    assert {n for n, s in SPECS.items() if s.scope == "global"} == O.GLOBAL_ENTITIES
    assert {n for n, s in SPECS.items() if s.local_create} == O.LOCAL_CREATE
    assert {n for n, s in SPECS.items() if s.append_only} == O.APPEND_ONLY
    assert {n for n, s in SPECS.items() if not s.local_create and n != "task"} == O.PLATFORM_ONLY
    assert SPECS["task"].platform_fields == O.TASK_PLATFORM_FIELDS
    assert SPECS["task"].officer_fields == O.TASK_OFFICER_FIELDS
    assert SPECS["case"].officer_fields == O.CASE_OFFICER_FIELDS
    for name in O.PLATFORM_ONLY:  # every column of a platform-only record is the platform's
        columns = {c.key for c in SPECS[name].model.__table__.columns} - {"id", "version"}
        assert SPECS[name].platform_fields == columns and not SPECS[name].officer_fields, name
    copies = {"GLOBAL_ENTITIES", "TOWNSHIP_ENTITIES", "LOCAL_CREATE", "APPEND_ONLY", "PLATFORM_ONLY",
              "TASK_PLATFORM_FIELDS", "TASK_OFFICER_FIELDS", "TASK_LEADER_FIELDS", "TASK_STATE_FIELDS",
              "CASE_OFFICER_FIELDS"}
    assert not copies & set(vars(policy)), "sync.server.policy must not keep its own copy of field ownership"


def test_demo_dataset_seeds_and_every_account_pulls_valid_pages(tmp_path) -> None:
    with start_server(tmp_path / "demo") as server, httpx.Client(base_url=server.api_url, timeout=30) as http:
        from app.demo.dataset import DEMO_ACCOUNTS

        for account in DEMO_ACCOUNTS:
            tok = http.post(
                "/auth/token",
                json={
                    "username": account["username"],
                    "password": account["password"],
                    "device_id": "device-demo-0001",
                },
            )
            assert tok.status_code == 200, tok.text
            headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
            cursor, count = 0, 0
            while True:
                page = ChangesPage.model_validate(
                    http.get(
                        "/sync/changes", headers=headers, params={"cursor": cursor, "limit": 2000}
                    ).json()
                )
                for change in page.changes:
                    township = (change.data or {}).get("township_id")
                    if account["role"] != "centre" and change.entity in TOWNSHIP_ENTITIES and township:
                        assert township == account["township_id"]
                count += len(page.changes)
                cursor = page.next_cursor
                if not page.has_more:
                    break
            assert count > 0


def test_demo_mode_adds_an_urgent_instruction_and_a_protected_complaint_once(tmp_path) -> None:
    from sqlalchemy import select

    from sync.server.storage import Record, read_session

    data = tmp_path / "platform"
    with start_server(data, dataset=small_dataset(), accounts=ACCOUNTS, demo_loops=True) as server:
        assert server.seeded["demo_loop_tasks"] == 2
        with read_session(server.engine) as s:
            tasks = {r.data["title"]: r for r in s.scalars(select(Record).where(Record.entity == "task"))}
            people = list(s.scalars(select(Record).where(Record.entity == "complainant")))
        urgent = tasks["紧急：城南路燃气泄漏现场处置"]
        complaint = tasks["关于餐饮店油烟扰民的投诉"]
        assert urgent.township_id == complaint.township_id == "twn-xindeng"
        assert urgent.data["priority"] == 2 and complaint.data["source"] == "投诉举报"
        assert [p.data["task_id"] for p in people] == [complaint.id]
        assert "王秀英" not in str(complaint.data) and "13905710001" not in str(complaint.data)
    with start_server(data, dataset=small_dataset(), accounts=ACCOUNTS, demo_loops=True) as again:
        assert again.seeded["demo_loop_tasks"] == 0

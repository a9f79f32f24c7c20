"""The app as a whole: OpenAPI, JSON errors, the embedded server over real HTTP, policy agreement, demo
data."""

from __future__ import annotations

import importlib.util

import httpx
import pytest
from server_helpers import ACCOUNTS, PASSWORD, small_dataset
from starlette.testclient import TestClient

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
    entities = pytest.importorskip("app.entities")
    specs = entities.SPECS
    assert set(specs) == policy.GLOBAL_ENTITIES | policy.TOWNSHIP_ENTITIES
    assert {n for n, s in specs.items() if s.scope == "global"} == policy.GLOBAL_ENTITIES
    assert {n for n, s in specs.items() if s.local_create} == policy.LOCAL_CREATE
    assert {n for n, s in specs.items() if s.append_only} == policy.APPEND_ONLY
    assert specs["task"].platform_fields == policy.TASK_PLATFORM_FIELDS
    assert specs["task"].officer_fields == policy.TASK_OFFICER_FIELDS
    platform_only = {n for n, s in specs.items() if not s.local_create and n != "task"}
    assert platform_only == policy.PLATFORM_ONLY


@pytest.mark.skipif(
    importlib.util.find_spec("app.demo.dataset") is None, reason="demo dataset not written yet"
)
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
                    if account["role"] != "centre" and change.entity in policy.TOWNSHIP_ENTITIES and township:
                        assert township == account["township_id"]
                count += len(page.changes)
                cursor = page.next_cursor
                if not page.has_more:
                    break
            assert count > 0

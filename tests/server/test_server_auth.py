"""Login, refresh rotation, expiry and logout of the reference platform."""

from __future__ import annotations

import time

from server_helpers import DEVICE, PASSWORD, login
from sqlalchemy import update
from starlette.testclient import TestClient

from sync.protocol import ErrorBody, TokenResponse
from sync.server.app import create_app
from sync.server.security import hash_password, verify_password
from sync.server.settings import ServerSettings
from sync.server.storage import DeviceSession, User, read_session, utcnow, write_session


def _token(client: TestClient, username: str = "xindeng.officer", device: str = DEVICE) -> TokenResponse:
    resp = client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD, "device_id": device}
    )
    assert resp.status_code == 200, resp.text
    return TokenResponse.model_validate(resp.json())


def test_login_returns_tokens_and_user(client: TestClient) -> None:
    tok = _token(client)
    assert tok.user.role == "officer" and tok.user.township_id == "twn-xindeng"
    assert tok.user.officer_id == "off-xd-1" and tok.expires_in == 15 * 60
    assert tok.access_token != tok.refresh_token
    resp = client.get("/api/v1/sync/changes", headers={"Authorization": f"Bearer {tok.access_token}"})
    assert resp.status_code == 200


def test_bad_password_and_unknown_user_are_the_same_401(client: TestClient) -> None:
    for username, password in (("xindeng.officer", "wrong-password"), ("nobody", PASSWORD)):
        resp = client.post(
            "/api/v1/auth/token", json={"username": username, "password": password, "device_id": DEVICE}
        )
        assert resp.status_code == 401
        assert ErrorBody.model_validate(resp.json()) == ErrorBody(
            code="bad_credentials", message="用户名或密码错误"
        )


def test_malformed_login_is_a_json_error(client: TestClient) -> None:
    resp = client.post("/api/v1/auth/token", json={"username": "x", "password": "y", "device_id": "short"})
    assert resp.status_code == 422
    assert resp.json()["code"] == "bad_request" and "请求格式不正确" in resp.json()["message"]


def test_tokens_are_stored_hashed_and_passwords_with_scrypt(client: TestClient, engine) -> None:
    tok = _token(client)
    with read_session(engine) as s:
        row = s.query(DeviceSession).one()
        user = s.get(User, "xindeng.officer")
    assert tok.access_token not in (row.access_hash, row.refresh_hash) and len(row.access_hash) == 64
    assert (
        user is not None and user.password_hash.startswith("scrypt$") and PASSWORD not in user.password_hash
    )
    assert verify_password(PASSWORD, user.password_hash) and not verify_password(
        "demo2027", user.password_hash
    )
    assert hash_password("x") != hash_password("x")  # per-user salt


def test_refresh_rotates_and_old_refresh_token_is_dead(client: TestClient) -> None:
    tok = _token(client)
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": tok.refresh_token, "device_id": DEVICE})
    assert resp.status_code == 200
    new = TokenResponse.model_validate(resp.json())
    assert new.access_token != tok.access_token and new.refresh_token != tok.refresh_token
    assert (
        client.get(
            "/api/v1/sync/changes", headers={"Authorization": f"Bearer {new.access_token}"}
        ).status_code
        == 200
    )
    # the rotated-out access token no longer works
    old = client.get("/api/v1/sync/changes", headers={"Authorization": f"Bearer {tok.access_token}"})
    assert old.status_code == 401
    again = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tok.refresh_token, "device_id": DEVICE}
    )
    assert again.status_code == 401 and again.json()["code"] == "session_expired"
    # re-use of a rotated refresh token is treated as theft: the successor session is revoked too
    dead = client.post("/api/v1/auth/refresh", json={"refresh_token": new.refresh_token, "device_id": DEVICE})
    assert dead.status_code == 401


def test_refresh_with_wrong_device_or_garbage_is_refused(client: TestClient) -> None:
    tok = _token(client)
    resp = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tok.refresh_token, "device_id": "other-device"}
    )
    assert resp.status_code == 401 and resp.json()["code"] == "session_expired"
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43, "device_id": DEVICE})
    assert resp.status_code == 401 and resp.json()["code"] == "session_expired"


def test_expired_refresh_token(client: TestClient, engine) -> None:
    tok = _token(client)
    with write_session(engine) as s:
        s.execute(update(DeviceSession).values(refresh_expires=utcnow()))
    resp = client.post("/api/v1/auth/refresh", json={"refresh_token": tok.refresh_token, "device_id": DEVICE})
    assert resp.status_code == 401 and resp.json()["code"] == "session_expired"


def test_access_token_expires_after_configured_ttl(settings: ServerSettings) -> None:
    settings.access_ttl = 1
    with TestClient(create_app(settings)) as client:
        tok = _token(client)
        assert tok.expires_in == 1
        headers = {"Authorization": f"Bearer {tok.access_token}"}
        assert client.get("/api/v1/sync/changes", headers=headers).status_code == 200
        time.sleep(1.1)
        resp = client.get("/api/v1/sync/changes", headers=headers)
        assert resp.status_code == 401 and resp.json()["code"] == "token_expired"
        assert resp.headers["www-authenticate"] == "Bearer"
        # the refresh token still gives a new pair
        resp = client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tok.refresh_token, "device_id": DEVICE}
        )
        assert resp.status_code == 200


def test_missing_or_bogus_bearer(client: TestClient) -> None:
    assert client.get("/api/v1/sync/changes").json()["code"] == "unauthorized"
    resp = client.get("/api/v1/sync/changes", headers={"Authorization": "Bearer nonsense-token-value"})
    assert resp.status_code == 401 and resp.json()["code"] == "unauthorized"


def test_logout_revokes_the_device_session(client: TestClient) -> None:
    headers = login(client, "xindeng.leader")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    resp = client.get("/api/v1/sync/changes", headers=headers)
    assert resp.status_code == 401 and resp.json()["code"] == "session_expired"


def test_login_again_on_same_device_replaces_session_other_device_kept(client: TestClient) -> None:
    first = login(client, "xindeng.leader", device="laptop-aaaa-1")
    other = login(client, "xindeng.leader", device="laptop-bbbb-2")
    second = login(client, "xindeng.leader", device="laptop-aaaa-1")
    assert client.get("/api/v1/sync/changes", headers=first).status_code == 401
    assert client.get("/api/v1/sync/changes", headers=second).status_code == 200
    assert client.get("/api/v1/sync/changes", headers=other).status_code == 200

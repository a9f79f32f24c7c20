"""Signing in over real HTTP: tokens live only in the keyring, a 401 refreshes once, a refused refresh asks the
person to sign in again, and logging out revokes the session on the platform and clears the keyring."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import keyring
import pytest
import requests
from sqlalchemy import update

from app.models import SyncState
from sync import state
from sync.auth import AuthClient, LoginFailed, SessionExpired
from sync.credentials import SERVICE, TokenStore
from tests.sync.helpers import Laptop, synced


def _tokens(lap: Laptop) -> tuple[str, str]:
    tokens = TokenStore(lap.transport.base_url, lap.auth.username or "").load()
    assert tokens is not None
    return tokens.access_token, tokens.refresh_token


def _count_calls(lap: Laptop) -> dict[str, int]:
    counts: dict[str, int] = {}
    original = lap.transport.request

    def counting(method: str, path: str, **kw: Any) -> Any:
        counts[path] = counts.get(path, 0) + 1
        return original(method, path, **kw)

    lap.transport.request = counting
    return counts


def test_tokens_live_only_in_the_keyring(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", username=None)
    handler = logging.FileHandler(lap.store.paths.logs / "sync.log", encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        user = lap.auth.login("xindeng.leader", "demo2026")
        seen = set(_tokens(lap))
        synced(lap.sync())
        lap.auth.refresh()
        seen |= set(_tokens(lap))
        synced(lap.sync())
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    assert user.role == "leader" and user.township_id
    assert keyring.get_password(SERVICE, f"{lap.transport.base_url}|xindeng.leader")
    with lap.store.read() as s:
        signed = state.load_user(s)
        rows = {r.key: r.value for r in s.query(SyncState)}
    assert signed is not None and signed.username == "xindeng.leader" and signed.device_id == lap.auth.device_id
    assert signed.server_url == lap.transport.base_url and signed.officer_id == user.officer_id
    lap.store.close()  # checkpoint the WAL so every byte is in the files we read
    files = [p for p in lap.root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" and p.stat().st_size > 0 for p in files)
    for path in files:
        blob = path.read_bytes()
        for token in seen:
            assert token.encode() not in blob, f"token found in {path}"
        assert b"demo2026" not in blob, f"password found in {path}"
    assert all("token" not in v for v in rows.values())
    lap.store = type(lap.store).open(lap.store.paths)  # reopened for the fixture's teardown


def test_logout_revokes_and_clears_keyring(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a")
    access, _ = _tokens(lap)
    lap.auth.logout()
    assert keyring.get_password(SERVICE, f"{lap.transport.base_url}|xindeng.leader") is None
    resp = requests.get(f"{lap.transport.base_url}/api/v1/sync/changes", headers={"Authorization": f"Bearer {access}"},
                        timeout=5)
    assert resp.status_code == 401
    with lap.store.read() as s:
        assert state.load_user(s) is None
    report = lap.sync()
    assert not report.ok and "登录" in report.errors[0]


def test_expired_access_token_is_refreshed_once(server_factory: Callable[..., Any], tmp_path: Any) -> None:
    srv = server_factory(access_ttl=1)
    lap = Laptop(tmp_path / "a", srv.url, retries=1, backoff=0.01).login("xindeng.officer")
    try:
        before = _tokens(lap)
        time.sleep(1.3)
        counts = _count_calls(lap)
        synced(lap.sync())
        assert counts.get("/auth/refresh") == 1
        assert counts.get("/sync/changes", 0) >= 2  # the refused call and its retry
        after = _tokens(lap)
        assert after[0] != before[0] and after[1] != before[1]
    finally:
        lap.close()


def test_refused_refresh_means_session_expired(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    from sync.server.storage import DeviceSession, write_session

    lap = laptop_factory("a")
    with write_session(server.engine) as s:
        s.execute(update(DeviceSession).values(revoked=True))
    with pytest.raises(SessionExpired) as err:
        lap.auth.request("GET", "/sync/changes", params={"cursor": 0, "limit": 1})
    assert err.value.message == "登录已过期，请重新登录"
    assert keyring.get_password(SERVICE, f"{lap.transport.base_url}|xindeng.leader") is None
    report = lap.sync()
    assert report.errors == ["登录已过期，请重新登录"]


def test_wrong_password_stores_nothing(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", username=None)
    with pytest.raises(LoginFailed) as err:
        lap.auth.login("xindeng.leader", "wrong-password")
    assert "用户名或密码错误" in err.value.message
    assert "wrong-password" not in repr(err.value) + str(err.value)
    assert keyring.get_password(SERVICE, f"{lap.transport.base_url}|xindeng.leader") is None
    with lap.store.read() as s:
        assert state.load_user(s) is None


def test_resume_after_restart_uses_keyring_tokens(laptop_factory: Callable[..., Laptop]) -> None:
    lap = laptop_factory("a", username="xindeng.clerk")
    again = AuthClient.resume(lap.transport, lap.store)
    assert again is not None and again.current_user().username == "xindeng.clerk"
    assert again.device_id == lap.auth.device_id
    again.request("GET", "/sync/changes", params={"cursor": 0, "limit": 1})
    TokenStore(lap.transport.base_url, "xindeng.clerk").clear()
    assert AuthClient.resume(lap.transport, lap.store) is None

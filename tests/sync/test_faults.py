"""Fault injection with a scripted fake platform on 127.0.0.1: 5xx are retried with backoff, a platform that
keeps failing or answers garbage is reported clearly (Chinese), and a bad payload leaves the local store
byte-for-byte unchanged. Plus TLS, unreachable, cancel, and hypothesis fuzzing of the response parsing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import OutboxEntry, Task
from app.services.tasks import TaskService
from sync import state
from sync.engine import SyncEngine
from sync.protocol import ENTITY_NAMES, ChangesPage, MutationResults
from sync.pull import pull
from sync.push import push
from sync.transport import (
    AuthError,
    Cancelled,
    NetworkError,
    ProtocolError,
    ServerError,
    TlsError,
    Transport,
    parse,
)
from tests.sync.fakeserver import FakePlatform, answer, fake_platform
from tests.sync.helpers import Laptop, store_fingerprint


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    with fake_platform() as f:
        yield f


@pytest.fixture
def lap(offline_laptop: Laptop) -> Laptop:
    return offline_laptop


def _cursor(lap: Laptop) -> int:
    with lap.store.read() as s:
        return state.cursor(s)


def _transport(fake: FakePlatform, **kw: Any) -> Transport:
    return Transport(fake.url, **{"retries": 3, "backoff": 0.001, **kw})


def test_5xx_are_retried_then_succeed(fake: FakePlatform, lap: Laptop) -> None:
    cursor = _cursor(lap)
    page = {"changes": [], "next_cursor": cursor, "has_more": False}
    fake.script("/sync/changes", answer(503), answer(500, b"oops"), answer(504), answer(200, page))
    res = pull(lap.store, _transport(fake))
    assert res.pulled == 0 and fake.count("/sync/changes") == 4


def test_platform_that_keeps_failing_is_reported(fake: FakePlatform, lap: Laptop) -> None:
    before = store_fingerprint(lap.root)
    fake.script("/sync/changes", answer(503, {"code": "busy", "message": "平台数据库繁忙，请稍后重试"}))
    with pytest.raises(ServerError) as err:
        pull(lap.store, _transport(fake, retries=2))
    assert fake.count("/sync/changes") == 3
    assert "平台" in err.value.message and err.value.status == 503
    assert store_fingerprint(lap.root) == before


BAD_PAGES: list[bytes] = [
    b"<html>502 Bad Gateway</html>",
    b'{"changes": "nope", "next_cursor": 5, "has_more": false}',
    b'{"changes": [{"entity": "spaceship", "id": "x", "version": 1, "op": "upsert", "data": {}}], '
    b'"next_cursor": 999999, "has_more": false}',
    b'{"changes": [], "next_cursor": -1, "has_more": false}',
    b'{"changes": [], "next_cursor": 0, "has_more": true}',
]


@pytest.mark.parametrize("body", BAD_PAGES)
def test_garbage_pages_change_nothing(fake: FakePlatform, lap: Laptop, body: bytes) -> None:
    before = store_fingerprint(lap.root)
    fake.script("/sync/changes", answer(200, body))
    with pytest.raises(ProtocolError) as err:
        pull(lap.store, _transport(fake))
    assert "格式不正确" in err.value.message
    assert store_fingerprint(lap.root) == before


def test_page_with_bad_record_is_rolled_back_whole(fake: FakePlatform, lap: Laptop) -> None:
    good, bad = lap.task_ids()[:2]
    with lap.store.read() as s:
        title = s.get(Task, good).title
    before = store_fingerprint(lap.root)
    page = {"changes": [
        {"entity": "task", "id": good, "version": 99, "op": "upsert", "data": {"title": "改了"}},
        {"entity": "task", "id": bad, "version": 99, "op": "upsert", "data": {"deadline": "明天下午"}},
        {"entity": "task", "id": "brand-new", "version": 1, "op": "upsert", "data": {"title": "缺字段"}},
    ], "next_cursor": _cursor(lap) + 10, "has_more": False}
    fake.script("/sync/changes", answer(200, page))
    with pytest.raises(ProtocolError):
        pull(lap.store, _transport(fake))
    assert store_fingerprint(lap.root) == before
    with lap.store.read() as s:
        assert s.get(Task, good).title == title


def test_garbage_mutation_results_keep_the_outbox(fake: FakePlatform, lap: Laptop) -> None:
    tids = lap.open_task_ids()[:2]
    svc = TaskService(lap.store, lap.user)
    for tid in tids:
        svc.edit_text(tid, notes="待上传的备注")
    with lap.store.read() as s:
        mids = list(s.scalars(select(OutboxEntry.mutation_id).order_by(OutboxEntry.seq)))
    fake.script("/sync/mutations", answer(200, b"{not json"),
                answer(200, {"results": [{"mutation_id": mids[0], "status": "applied", "version": 5}]}),
                answer(200, {"results": [{"mutation_id": x, "status": "weird"} for x in mids]}),
                answer(200, {"results": [{"mutation_id": x, "status": "duplicate", "version": 7} for x in mids]}))
    transport = _transport(fake)
    for _ in range(3):
        with pytest.raises(ProtocolError):
            push(lap.store, transport, device_id="device-fake-01")
        with lap.store.read() as s:
            rows = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
            assert [(r.mutation_id, r.state) for r in rows] == [(x, "pending") for x in mids]
            assert all(s.get(Task, t).version < 5 for t in tids)
    res = push(lap.store, transport, device_id="device-fake-01")
    assert res.duplicates == 2
    sent = [json.loads(b)["mutations"] for m, p, b in fake.requests if p.endswith("/sync/mutations")]
    assert all([x["mutation_id"] for x in batch] == mids for batch in sent)  # the same ids every time
    with lap.store.read() as s:
        assert s.scalars(select(OutboxEntry)).all() == []
        assert all(s.get(Task, t).version == 7 for t in tids)


def test_sync_once_reports_a_failing_platform(fake: FakePlatform, lap: Laptop) -> None:
    fake.script("/sync/mutations", answer(500))
    fake.script("/sync/changes", answer(200, b"[]"))
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[0], notes="x")
    with lap.store.read() as s:
        last = state.last_sync_at(s)
    report = SyncEngine(lap.store, _transport(fake, retries=1), user=lap.user, prefetch_numbers=False).sync_once()
    assert not report.ok
    assert report.error_codes == ["push:server_error", "pull:bad_schema"]
    assert all(isinstance(e, str) and e for e in report.errors)
    with lap.store.read() as s:
        assert state.last_sync_at(s) == last
        assert s.scalars(select(OutboxEntry.state)).all() == ["pending"]


def test_tls_failure_and_unreachable_platform(fake: FakePlatform) -> None:
    port = int(fake.url.rsplit(":", 1)[1])
    tls = Transport(f"https://127.0.0.1:{port}", retries=2, backoff=0.001)
    assert tls.verify is True
    with pytest.raises(TlsError) as err:
        tls.request("GET", "/health")
    assert err.value.message.startswith("平台证书校验失败")
    assert Transport("https://x.invalid", ca_bundle="/etc/ssl/certs/ca-certificates.crt").verify.endswith(".crt")

    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    with pytest.raises(NetworkError) as nerr:
        Transport(f"http://127.0.0.1:{closed}", retries=1, backoff=0.001).request("GET", "/health")
    assert nerr.value.message.startswith("无法连接平台")


def test_cancel_interrupts_the_backoff(fake: FakePlatform) -> None:
    fake.script("/sync/changes", answer(503))
    transport = _transport(fake, retries=5, backoff=30)
    threading.Timer(0.3, transport.cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        transport.request("GET", "/sync/changes")
    assert time.monotonic() - started < 5


def test_error_texts_never_carry_the_token(fake: FakePlatform) -> None:
    secret = "tok_" + "S3CRET" * 6
    fake.script("/sync/changes", answer(401, {"code": "token_expired", "message": "访问令牌已过期，请刷新"}))
    with pytest.raises(AuthError) as err:
        _transport(fake).request("GET", "/sync/changes", headers={"Authorization": f"Bearer {secret}"})
    text = " ".join([str(err.value), repr(err.value), err.value.message, *map(str, err.value.args)])
    assert secret not in text and err.value.code == "token_expired"


# ---- fuzzing ---------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def _response(body: bytes) -> requests.Response:
    resp = requests.Response()
    resp.status_code = 200
    resp._content = body
    return resp


@given(st.one_of(json_values, st.binary(max_size=64).map(lambda b: b)))
@settings(max_examples=150, deadline=None)
def test_fuzz_parsing_only_ever_raises_protocol_error(value: Any) -> None:
    body = value if isinstance(value, bytes) else json.dumps(value).encode()
    for model in (ChangesPage, MutationResults):
        try:
            parsed = parse(_response(body), model)
        except ProtocolError:
            continue
        assert isinstance(parsed, model)


TASK_FIELDS = ["title", "deadline", "status", "priority", "assignee_ids", "matter_codes", "events", "notes",
               "township_id", "version", "zzz"]


def change_strategy(ids: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "entity": st.sampled_from(["task", "task", "target", "officer", *ENTITY_NAMES]),
        "id": st.sampled_from(ids) | st.text(min_size=1, max_size=8),
        "version": st.integers(min_value=1, max_value=10**6),
        "op": st.sampled_from(["upsert", "upsert", "delete"]),
        "data": st.none() | st.dictionaries(st.sampled_from(TASK_FIELDS), json_values, max_size=6),
    })


class _OnePageApi:
    def __init__(self, body: bytes, cursor: int) -> None:
        self.bodies = [body, json.dumps({"changes": [], "next_cursor": cursor, "has_more": False}).encode()]

    def call(self, _method: str, _path: str, model: Any, **_kw: Any) -> Any:
        return parse(_response(self.bodies.pop(0) if len(self.bodies) > 1 else self.bodies[0]), model)

    def check_cancel(self) -> None:
        pass


@given(data=st.data())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_pages_apply_whole_or_not_at_all(lap: Laptop, data: st.DataObject) -> None:
    """Random pages against a synced store: either the page applies, or ProtocolError and not one byte moved."""
    page = data.draw(st.lists(change_strategy([*lap.task_ids()[:4], "x1"]), max_size=4))
    with lap.store.read() as s:
        current = state.cursor(s)
    nxt = current + data.draw(st.integers(min_value=0, max_value=50))
    body = json.dumps({"changes": page, "next_cursor": nxt, "has_more": data.draw(st.booleans())}).encode()
    before = store_fingerprint(lap.root)
    try:
        pull(lap.store, _OnePageApi(body, nxt))
    except ProtocolError:
        assert store_fingerprint(lap.root) == before

"""The platform's operations: a batch is one transaction, sign-in rate limits, the periodic sweeps, upload
leases shared through the database (as between worker processes), relative blob keys and the in-place upgrade
of a version-1 database."""

from __future__ import annotations

import hashlib
import shutil
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from server_helpers import PASSWORD, XD, login, mutation, push
from sqlalchemy import func, select, text, update
from starlette.testclient import TestClient
from test_server_uploads import DATA, SHA, _create, _patch, _upload_all

from sync.protocol import UploadState
from sync.server import maintenance, mutations, uploads
from sync.server.app import create_app
from sync.server.auth import caller_for_token
from sync.server.settings import DB_FILE_NAME, ServerSettings
from sync.server.storage import (
    Base,
    Blob,
    ChangeRow,
    DeviceSession,
    FeedCounter,
    Meta,
    MutationRow,
    RateLimit,
    Upload,
    init_db,
    make_engine,
    read_session,
    utcnow,
    write_session,
)

FOUND = "2026-03-02T09:00:00+08:00"


def _finding(note: str) -> dict:
    return mutation("finding", f"f-{note}", "create", {"township_id": XD, "note": note, "found_at": FOUND}, base_version=0)


def test_a_batch_is_one_transaction_and_a_refusal_is_rolled_back_alone(
    client: TestClient, engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = login(client, "xindeng.leader")
    opened: list[int] = []
    real = mutations.write_session

    @contextmanager
    def counting(bind):
        opened.append(1)
        with real(bind) as session:
            yield session

    monkeypatch.setattr(mutations, "write_session", counting)
    bad = mutation("task", "task-xd-001", "update", {"fields": {"deadline": "2030-01-01"}, "base": {}})
    results = push(client, headers, _finding("a"), bad, _finding("b"))
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert opened == [1]  # one write transaction for the whole batch
    with read_session(engine) as s:
        seqs = [s.scalar(select(ChangeRow.seq).where(ChangeRow.entity_id == f"f-{n}")) for n in "ab"]
        assert seqs[1] == seqs[0] + 1  # numbered together at the batch's commit
        assert s.get(MutationRow, bad["mutation_id"]).result["status"] == "rejected"
        task = s.scalar(select(ChangeRow.version).where(ChangeRow.entity_id == "task-xd-001"))
        assert task == 1  # the refused mutation left nothing behind


def _limited_client(settings: ServerSettings, **limits: int) -> TestClient:
    for key, value in limits.items():
        setattr(settings, key, value)
    return TestClient(create_app(settings))


def _sign_in(client: TestClient, username: str, password: str):
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": password, "device_id": "device-limit-01"}
    )


def test_failed_sign_ins_are_limited_per_account_with_a_chinese_answer(settings: ServerSettings) -> None:
    with _limited_client(settings, login_failures_per_account=3) as client:
        assert [_sign_in(client, "xindeng.leader", "wrong-pass").status_code for _ in range(3)] == [401] * 3
        limited = _sign_in(client, "xindeng.leader", PASSWORD)  # even the right password waits
        assert limited.status_code == 429
        assert 0 < int(limited.headers["Retry-After"]) <= settings.login_window
        body = limited.json()
        assert body["code"] == "too_many_attempts" and "登录失败次数过多" in body["message"]
        assert "分钟后再试" in body["message"]
        assert _sign_in(client, "xindeng.officer", PASSWORD).status_code == 200  # other accounts unaffected
        with write_session(client.app.state.engine) as s:  # the window ends
            s.execute(update(RateLimit).values(window_start=utcnow() - timedelta(seconds=settings.login_window)))
        assert _sign_in(client, "xindeng.leader", PASSWORD).status_code == 200
        with read_session(client.app.state.engine) as s:  # a success clears the account's count
            assert s.get(RateLimit, "user:xindeng.leader") is None


def test_failed_sign_ins_are_limited_per_address(settings: ServerSettings) -> None:
    with _limited_client(settings, login_failures_per_address=4) as client:
        for user in ("a.one", "b.two", "c.three", "d.four"):
            assert _sign_in(client, user, "wrong-pass").status_code == 401
        assert _sign_in(client, "xindeng.leader", PASSWORD).status_code == 429


def test_maintenance_sweeps_expired_sessions_abandoned_uploads_and_ended_windows(
    client: TestClient, engine, settings: ServerSettings
) -> None:
    headers = login(client, "xindeng.officer")
    login(client, "xindeng.leader", device="device-old-0001")
    old = _create(client, headers, b"abandoned" * 10)
    fresh = _create(client, headers)
    assert old.status_code == fresh.status_code == 201
    old_id, fresh_id = old.json()["upload_id"], fresh.json()["upload_id"]
    assert _patch(client, headers, old_id, 0, b"abandoned").status_code == 204
    long_ago = utcnow() - timedelta(seconds=settings.upload_max_age + 60)
    with write_session(engine) as s:
        s.execute(update(Upload).where(Upload.upload_id == old_id).values(touched_at=long_ago))
        s.execute(
            update(DeviceSession).where(DeviceSession.device_id == "device-old-0001").values(refresh_expires=long_ago)
        )
        s.add(RateLimit(key="addr:203.0.113.9", window_start=long_ago, failures=3))
    assert (settings.upload_dir / old_id).exists()
    removed = maintenance.run_once(engine, settings)
    assert removed == {"sessions": 1, "uploads": 1, "rate_limits": 1}
    assert not (settings.upload_dir / old_id).exists() and (settings.upload_dir / fresh_id).exists()
    with read_session(engine) as s:
        assert s.get(Upload, old_id) is None and s.get(Upload, fresh_id) is not None
        assert s.scalar(select(DeviceSession).where(DeviceSession.device_id == "device-old-0001")) is None
    assert client.get("/api/v1/sync/changes", headers=headers).status_code == 200  # live sessions stay
    assert maintenance.run_once(engine, settings) == {"sessions": 0, "uploads": 0, "rate_limits": 0}


def test_an_upload_lease_is_shared_by_every_worker(client: TestClient, settings: ServerSettings) -> None:
    """A second app over the same database stands for another worker process: it holds the lease of a chunk
    in progress, so this one answers 409 upload_busy; an expired lease (a crashed worker) is taken over."""
    headers = login(client, "xindeng.officer")
    state = UploadState.model_validate(_create(client, headers).json())
    with TestClient(create_app(settings)) as other:
        other_engine = other.app.state.engine
        me = caller_for_token(other_engine, headers["Authorization"].split()[1])
        uploads._acquire(other_engine, settings, me, state.upload_id, 0, "f" * 32)
        busy = _patch(client, headers, state.upload_id, 0, DATA[:1000])
        assert busy.status_code == 409 and busy.json()["code"] == "upload_busy"
        with write_session(other_engine) as s:  # that worker died: its lease runs out
            s.execute(update(Upload).values(lease_until=utcnow() - timedelta(seconds=1)))
    assert _patch(client, headers, state.upload_id, 0, DATA[:1000]).status_code == 204
    with read_session(client.app.state.engine) as s:
        row = s.get(Upload, state.upload_id)
        assert row.offset == 1000 and row.lease_token is None and row.temp_path == state.upload_id


def test_blob_keys_are_relative_to_the_store_and_v1_absolute_paths_still_serve(
    client: TestClient, engine, settings: ServerSettings
) -> None:
    headers = login(client, "xindeng.officer")
    assert _upload_all(client, headers).complete
    with read_session(engine) as s:
        key = s.get(Blob, SHA).path
    assert key == f"{SHA[:2]}/{SHA}" and not Path(key).is_absolute()
    moved = settings.data_dir / "elsewhere.bin"
    shutil.copy(settings.blob_dir / key, moved)
    with write_session(engine) as s:
        s.get(Blob, SHA).path = str(moved)  # as version 1 stored it
    (settings.blob_dir / key).unlink()
    got = client.get(f"/api/v1/blobs/{SHA}", headers=headers)
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == SHA


def test_a_version_1_sqlite_database_is_upgraded_in_place(tmp_path: Path, template_db: Path) -> None:
    data = tmp_path / "v1"
    data.mkdir()
    shutil.copy(template_db, data / DB_FILE_NAME)
    engine = make_engine(f"sqlite:///{data / DB_FILE_NAME}")
    with engine.begin() as conn:  # rebuild the v1 layout: changes keyed by seq, uploads without a lease
        conn.execute(text("DROP INDEX ix_changes_township_seq"))
        conn.execute(text("DROP INDEX ix_changes_seq"))
        conn.execute(text("ALTER TABLE changes RENAME TO changes_now"))
        conn.execute(text(
            "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity VARCHAR(32), entity_id VARCHAR(64),"
            " township_id VARCHAR(64), township_key VARCHAR(64), op VARCHAR(8), version INTEGER, at DATETIME,"
            " UNIQUE (entity, entity_id, township_key))"
        ))
        conn.execute(text("CREATE INDEX ix_changes_township_seq ON changes (township_key, seq)"))
        conn.execute(text(
            "INSERT INTO changes SELECT seq, entity, entity_id, township_id, township_key, op, version, at"
            " FROM changes_now"
        ))
        conn.execute(text("DROP TABLE changes_now"))
        conn.execute(text("DROP TABLE feed_counter"))
        conn.execute(text("DROP TABLE uploads"))
        conn.execute(text(
            "CREATE TABLE uploads (upload_id VARCHAR(64) PRIMARY KEY, township_id VARCHAR(64), username VARCHAR(60),"
            " sha256 VARCHAR(64), size BIGINT, \"offset\" BIGINT, temp_path TEXT, evidence_id VARCHAR(64),"
            " complete BOOLEAN, created_at DATETIME)"
        ))
        before = conn.execute(text("SELECT seq, entity, entity_id FROM changes ORDER BY seq")).all()
    init_db(engine)
    with read_session(engine) as s:
        after = [tuple(r) for r in s.execute(select(ChangeRow.seq, ChangeRow.entity, ChangeRow.entity_id)
                                             .order_by(ChangeRow.seq))]
    engine.dispose()
    assert after == [tuple(r) for r in before]  # every laptop's cursor still means the same
    with TestClient(create_app(ServerSettings(data_dir=data))) as client:
        headers = login(client, "xindeng.leader")
        [result] = push(client, headers, _finding("after-upgrade"))
        page = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": before[-1][0]}).json()
        assert result["status"] == "applied" and [c["id"] for c in page["changes"]] == ["f-after-upgrade"]
        assert _upload_all(client, headers).complete


def test_workers_starting_together_create_the_schema_once(tmp_path: Path, settings: ServerSettings) -> None:
    """Four processes' worth of engines run init_db at once on an empty database (gunicorn starting its
    workers): every one succeeds and there is one feed counter and one receipt secret."""
    url = settings.db_url or f"sqlite:///{tmp_path / 'fresh.db'}"
    engines = [make_engine(url) for _ in range(4)]
    Base.metadata.drop_all(engines[0])
    errors: list[BaseException] = []

    def start(engine) -> None:
        try:
            init_db(engine)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        with read_session(engines[0]) as s:
            assert s.scalar(select(func.count()).select_from(FeedCounter)) == 1
            assert s.scalar(select(func.count()).select_from(Meta).where(Meta.key == "receipt_secret")) == 1
    finally:
        for e in engines:
            e.dispose()

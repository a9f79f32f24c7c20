"""Opening a damaged store: a file that is not a database or is corrupt gives a Chinese message with the offer
to restore the newest backup (damaged file kept aside, backup never touched); a newer-schema file is left
byte-identical; a store locked by another program gives a clear message after the busy timeout."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import engine as db_engine
from app.db.migrate import backup_database, head_revision
from app.db.restore import restore_newest_backup
from app.errors import StoreError
from app.models import Task
from app.paths import DataPaths
from app.store import Store
from tests.support.factories import basic_district
from tests.support.rawdb import raw_connect

ROOT = Path(__file__).resolve().parents[2]


def _digest(paths: DataPaths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths.root.glob("lianxuntong.db*"))}


@pytest.fixture
def backed_up(tmp_path: Path, file_keyring: None) -> DataPaths:
    """A store with data and one backup of it (as a migration would have made)."""
    paths = DataPaths(tmp_path / "data")
    store = Store.open(paths)
    basic_district(store)
    store.close()
    backup_database(paths.db, paths.backups, head_revision())
    return paths


@pytest.mark.parametrize("garbage", [b"this is a text file, not a database\n" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 5000])
def test_not_a_database_offers_the_backup_and_restores(backed_up: DataPaths, garbage: bytes) -> None:
    backed_up.db.write_bytes(garbage)
    for side in ("-wal", "-shm"):
        backed_up.db.with_name(backed_up.db.name + side).unlink(missing_ok=True)
    backup = next(backed_up.backups.iterdir())
    backup_digest = hashlib.sha256(backup.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as err:
        Store.open(backed_up)
    assert err.value.code == "damaged" and "备份" in err.value.message and "恢复" in err.value.message
    assert backed_up.db.read_bytes() == garbage  # untouched by the failed open
    restored = restore_newest_backup(backed_up)
    assert restored.damaged_aside is not None and restored.damaged_aside.read_bytes() == garbage
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == backup_digest  # the backup is never written
    store = Store.open(backed_up)
    try:
        with store.read() as s:
            assert s.scalars(select(Task)).first() is not None
    finally:
        store.close()


def test_cli_restore_backup(backed_up: DataPaths) -> None:
    backed_up.db.write_bytes(b"garbage" * 100)
    res = subprocess.run([sys.executable, "-m", "lianxuntong", "verify", "--data-dir", str(backed_up.root)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "restore-backup" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, "-m", "lianxuntong", "restore-backup", "--data-dir", str(backed_up.root)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "已从备份恢复" in res.stdout
    assert list(backed_up.root.glob("lianxuntong.db.damaged-*"))


def test_no_backup_says_so(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    paths.db.write_bytes(b"\x00" * 4096)
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "damaged" and "没有找到可用的备份" in err.value.message
    with pytest.raises(StoreError) as err:
        restore_newest_backup(paths)
    assert err.value.code == "no_backup"


def test_newer_schema_file_is_left_byte_identical(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    store = Store.open(paths)
    basic_district(store)
    store.close()
    con = raw_connect(paths.db)
    con.execute("PRAGMA journal_mode=DELETE")  # as a future release might leave it
    con.execute("update alembic_version set version_num='9999_future'")
    con.commit()
    con.close()
    before = _digest(paths)
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "newer_schema" and "未作任何改动" in err.value.message
    assert _digest(paths) == before


def test_a_foreign_lock_gives_a_clear_message_after_the_busy_timeout(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    paths = DataPaths(tmp_path / "data")
    store = Store.open(paths)
    basic_district(store)
    store.close()
    assert db_engine.BUSY_TIMEOUT_MS <= 5000  # a sane stall, not 24 s
    monkeypatch.setattr(db_engine, "BUSY_TIMEOUT_MS", 500)
    holder = raw_connect(paths.db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        store = Store.open(paths)  # reading is fine (WAL)
        try:
            start = time.monotonic()
            with pytest.raises(StoreError) as err, store.write() as s:
                s.add(Task(id="x", number="N", title="t", task_type="核查", source="s", township_id="xd"))
            waited = time.monotonic() - start
            assert err.value.code == "busy" and "其他程序" in err.value.message
            assert 0.4 < waited < 5
        finally:
            store.close()
    finally:
        holder.rollback()
        holder.close()

"""Audit anchoring against the real reference platform: each sync anchors the chain head and keeps the signed
receipt; the platform key is pinned on first use and a different key later is refused (Chinese); the
platform's signing key file is private (0600); the admin command verifies a laptop's chain from its anchors
— from a DB copy or from exported heads — and finds a rewrite."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import audit, audit_keys
from app.models import AuditReceipt
from app.services.tasks import TaskService
from app.verify import run_verify
from sync.server import __main__ as server_cli
from sync.server.anchors import KEY_FILE
from tests.support.rawdb import plain_copy
from tests.sync.helpers import Laptop, synced

pytestmark = pytest.mark.usefixtures("file_keyring")  # `python -m lianxuntong …` children share the store key

ROOT = Path(__file__).resolve().parents[2]


def _receipts(lap: Laptop) -> list[AuditReceipt]:
    with lap.store.read() as s:
        return list(s.scalars(select(AuditReceipt).order_by(AuditReceipt.seq)))


def _head(lap: Laptop) -> int:
    with lap.store.read() as s:
        return int(s.scalar(select(audit.AuditEvent.seq).order_by(audit.AuditEvent.seq.desc()).limit(1)) or 0)


def test_each_sync_anchors_the_head_and_verify_uses_it(laptop_factory: Callable[..., Laptop], server: Any,
                                                       server_dir: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    assert synced(lap.sync()).anchored_seq is None  # the feed itself is not audited: nothing to anchor yet
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[0], notes="第一次修改")
    first = synced(lap.sync())
    assert first.anchored_seq == _head(lap) > 0
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[0], notes="锚定之后的修改")
    second = synced(lap.sync())
    assert second.anchored_seq == _head(lap) > first.anchored_seq
    assert synced(lap.sync()).anchored_seq is None  # nothing new: no request
    receipts = _receipts(lap)
    assert [r.seq for r in receipts] == [first.anchored_seq, second.anchored_seq]
    assert audit_keys.pinned_platform_key(server.url) is not None
    result = run_verify(lap.store)
    assert result.ok and result.anchored_seq == second.anchored_seq, result.problems
    mode = stat.S_IMODE((server_dir / KEY_FILE).stat().st_mode)
    assert mode == 0o600


def test_a_different_platform_key_is_refused(laptop_factory: Callable[..., Laptop],
                                             server_factory: Callable[..., Any], server_dir: Path) -> None:
    srv = server_factory()
    lap = laptop_factory("a", "xindeng.officer", url=srv.url)
    synced(lap.sync())
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[0], notes="换钥之前")
    synced(lap.sync())
    pinned = audit_keys.pinned_platform_key(srv.url)
    srv.stop()
    (server_dir / KEY_FILE).unlink()  # the platform now signs with another key (or it is not the platform)
    again = server_factory(port=int(srv.url.rsplit(":", 1)[1]))
    assert again.url == srv.url
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[0], notes="换钥之后")
    before = len(_receipts(lap))
    report = lap.sync()
    assert not report.ok and "anchor:platform_key_changed" in report.error_codes
    assert any("公钥" in e and "不一致" in e for e in report.errors)
    assert len(_receipts(lap)) == before and audit_keys.pinned_platform_key(srv.url) == pinned


def _admin(server_dir: Path, *args: str) -> int:
    return server_cli.main(["admin", "--data-dir", str(server_dir), "verify-chain", *args])


def test_platform_verifies_a_laptop_chain_from_its_anchors(laptop_factory: Callable[..., Laptop], server: Any,
                                                           server_dir: Path, tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[0], notes="第一次锚定")
    synced(lap.sync())
    TaskService(lap.store, lap.user).edit_text(lap.open_task_ids()[1], notes="第二次锚定")
    synced(lap.sync())
    heads = tmp_path / "heads.json"
    res = subprocess.run([sys.executable, "-m", "lianxuntong", "audit-heads", "--data-dir", str(lap.root), "--out",
                          str(heads)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    copy = tmp_path / "copy.db"
    plain_copy(lap.store.paths.db, copy)  # the administrator's decrypted copy (the store itself is encrypted)
    assert _admin(server_dir, "--db", str(copy)) == 0
    assert _admin(server_dir, "--heads", str(heads)) == 0
    # a rewrite of an anchored row, hashes recomputed by someone who can write the DB: the platform sees it
    tampered = tmp_path / "tampered.db"
    shutil.copy(copy, tampered)
    con = sqlite3.connect(tampered)
    con.execute("update audit_events set actor='篡改者' where seq=2")
    con.commit()
    con.close()
    from tests.app.test_audit_anchors import _rehash_from

    class _P:  # the helper takes a store; only its paths.db is used
        class paths:
            db = tampered

    _rehash_from(_P, 2)
    assert _admin(server_dir, "--db", str(tampered)) == 1
    data = json.loads(heads.read_text(encoding="utf-8"))
    data["heads"] = data["heads"][:-1]  # the newest anchored row removed
    heads.write_text(json.dumps(data), encoding="utf-8")
    assert _admin(server_dir, "--heads", str(heads)) == 1

"""Helpers of the sync tests: a simulated laptop, and small assertions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import changes
from app.models import Inspection, Task, new_id
from app.paths import DataPaths
from app.store import Store
from sync import state
from sync.auth import AuthClient
from sync.engine import SyncEngine, SyncReport
from sync.transport import Transport

PASSWORD = "demo2026"


class Laptop:
    """One simulated laptop: its own store (data dir), device id, transport and auth client."""

    def __init__(self, root: Path, url: str, **transport_kw: Any) -> None:
        self.root = root
        self.store = Store.open(DataPaths(root))
        kw: dict[str, Any] = {"retries": 3, "backoff": 0.02, "timeout": (3, 20), **transport_kw}
        self.transport = Transport(url, **kw)
        self.auth = AuthClient(self.transport, store=self.store)

    def login(self, username: str, password: str = PASSWORD) -> Laptop:
        self.auth.login(username, password)
        return self

    @property
    def user(self) -> Any:
        if self.auth.user is not None:
            return self.auth.current_user()
        with self.store.read() as s:  # offline: the user last signed in on this store
            signed = state.load_user(s)
        assert signed is not None
        return signed.current_user()

    def engine(self, **kw: Any) -> SyncEngine:
        kw.setdefault("prefetch_numbers", False)
        return SyncEngine(self.store, self.auth, **kw)

    def sync(self, **kw: Any) -> SyncReport:
        report = self.engine(**kw).sync_once()
        return report

    def task_ids(self, status: str | None = None) -> list[str]:
        with self.store.read() as s:
            q = select(Task.id).order_by(Task.number)
            if status:
                q = q.where(Task.status == status)
            return list(s.scalars(q))

    def open_task_ids(self) -> list[str]:
        """Tasks the team can still edit (not closed or returned)."""
        return [t for st in ("pending", "accepted", "in_progress", "reported") for t in self.task_ids(st)]

    def close(self) -> None:
        self.transport.close()
        self.store.close()


def synced(report: SyncReport) -> SyncReport:
    assert report.ok, report.errors
    return report


def store_fingerprint(root: Path) -> str:
    """SHA-256 over the bytes of the DB file and its WAL: "the store is byte-for-byte unchanged"."""
    h = hashlib.sha256()
    for name in ("lianxuntong.db", "lianxuntong.db-wal"):
        p = root / name
        h.update(name.encode())
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


def queue_inspections(lap: Laptop, n: int) -> list[str]:
    """Queue `n` inspection creates (a few hundred bytes each) on the laptop's outbox; returns their ids."""
    ids = [new_id() for _ in range(n)]
    with lap.store.write() as s:
        for i in ids:
            changes.record_create(s, Inspection(
                id=i, township_id=lap.user.township_id, started_at=datetime.now(UTC), place="城南路沿街店铺 " * 5,
                officer_ids=[lap.user.officer_id], observations="现场检查情况记录" * 10, created_by=lap.user.actor,
            ), actor=lap.user.actor)
    return ids

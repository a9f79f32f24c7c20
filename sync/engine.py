"""The sync engine: one `sync_once()` runs push → uploads → pull → replica check → search indexing → audit
anchor → number-block prefetch, and reports.

Qt-free and GUI-thread-free by design: the UI runs it on a worker and forwards `progress(phase, done, total)`
(total 0 = not known yet) to a signal. A `threading.Event` cancels between batches, chunks and pages; whatever
was acknowledged before stays acknowledged. A failed phase is reported in `SyncReport.errors` (Chinese); a
platform refusal or a malformed answer in one phase does not stop the later phases, while an unreachable
platform, a TLS failure, an expired session or a cancel ends the run. `last_sync_at` is stored only after a
run without errors.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app import models as m
from app import search, topics
from app.errors import StoreError
from app.identity import CurrentUser
from app.store import Store
from app.topics import Changes
from sync import replica, state
from sync.anchors import anchor
from sync.numbers import DEFAULT_MIN_FREE, Key, NumberBlockService
from sync.protocol import MAX_BATCH, MAX_PAGE
from sync.pull import PullResult, pull
from sync.push import PushResult, push
from sync.transport import AuthError, Cancelled, DeviceRevoked, NetworkError, SyncError, TlsError
from sync.uploads import CHUNK_SIZE, Uploader

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
FATAL = (NetworkError, TlsError, AuthError, Cancelled)


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    full_resync: bool = False
    removed: int = 0
    repaired: int = 0  # records re-fetched because the replica checksums differed (sync.replica)
    uploads_done: int = 0
    uploads_failed: int = 0
    upload_bytes: int = 0
    blocks_fetched: int = 0
    anchored_seq: int | None = None  # the audit chain head the platform signed a receipt for in this run
    cancelled: bool = False
    errors: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    finished_at: datetime | None = None
    #: what this run changed locally (app.topics): the entities the pull and the replica check applied, and
    #: everything else the run wrote (outbox, conflicts, uploads, sync state — so always Topic.SYNC)
    changes: Changes = topics.NOTHING
    entities: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        data["changes"] = sorted(self.changes.topics)
        data["entities"] = sorted(self.entities)
        return data


REPLICA_INTERVAL = timedelta(minutes=15)  # a replica check at most this often (and after any failed one)


class SyncEngine:
    """Runs the sync phases for one store against one platform (through an `AuthClient` or a `Transport`)."""

    def __init__(
        self,
        store: Store,
        api: Any,
        *,
        device_id: str | None = None,
        user: CurrentUser | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        chunk_size: int = CHUNK_SIZE,
        page_size: int = MAX_PAGE,
        batch_size: int = MAX_BATCH,
        number_keys: list[Key] | None = None,
        min_free_numbers: int = DEFAULT_MIN_FREE,
        prefetch_numbers: bool = True,
        replica_interval: timedelta = REPLICA_INTERVAL,
    ) -> None:
        self.store = store
        self.api = api
        self.device_id = device_id or getattr(api, "device_id", None) or state.device_id(store)
        self.user = user if user is not None else _user_of(store, api)
        self.progress = progress
        transport = getattr(api, "transport", api)
        if cancel is not None:
            transport.cancel = cancel
        self.cancel: threading.Event = transport.cancel
        self.chunk_size = chunk_size
        self.page_size = page_size
        self.batch_size = batch_size
        self.number_keys = number_keys
        self.min_free_numbers = min_free_numbers
        self.prefetch_numbers = prefetch_numbers
        self.replica_interval = replica_interval

    def _report(self, phase: str, done: int, total: int) -> None:
        if self.progress is not None:
            try:
                self.progress(phase, done, total)
            except Exception:  # a broken progress sink must not break a sync
                log.exception("progress callback failed")

    def sync_once(self) -> SyncReport:
        """push → uploads → pull → replica → index → anchor → number blocks. Never raises for sync failures: see
        `SyncReport.errors`; `SyncReport.changes` says which views the run concerns."""
        with topics.track() as tracked:
            report = self._run()
        report.changes = tracked.changes | topics.changes_of_entities(report.entities)
        return report

    def _run(self) -> SyncReport:
        report = SyncReport()
        phases: list[tuple[str, Callable[[SyncReport], None]]] = [
            ("push", self._push), ("upload", self._upload), ("pull", self._pull), ("replica", self._replica),
            ("index", self._index), ("anchor", self._anchor),
        ]
        if self.prefetch_numbers and self.user is not None and self.user.township_id:
            phases.append(("numbers", self._numbers))
        for name, run in phases:
            try:
                self.api.check_cancel()
                run(report)
            except DeviceRevoked as exc:  # collect (once) and wipe: the store is closed afterwards
                from sync.revocation import comply

                self._fail(report, name, exc)
                report.pushed += comply(self.store, self.api, exc, device_id=self.device_id,
                                        township_id=self.user.township_id if self.user else None).pushed
                report.finished_at = m.utcnow()
                return report
            except FATAL as exc:
                self._fail(report, name, exc)
                break
            except (SyncError, StoreError) as exc:
                self._fail(report, name, exc)
            except Exception:  # never raise out of a sync: a bug is reported, the store is as it was
                log.exception("sync phase %s crashed", name)
                self._fail(report, name, SyncError(
                    "同步时发生意外错误，本次未完成的部分已保留在本机，下次同步时继续。", code="internal"))
        report.finished_at = m.utcnow()
        try:
            with self.store.write() as session:
                if report.ok:
                    state.put(session, state.LAST_SYNC_AT, report.finished_at.isoformat())
                state.put(session, state.LAST_REPORT, json.dumps(report.summary(), ensure_ascii=False))
        except StoreError as exc:
            self._fail(report, "finish", exc)
        return report

    def _fail(self, report: SyncReport, phase: str, exc: SyncError | StoreError) -> None:
        if isinstance(exc, Cancelled):
            report.cancelled = True
        report.errors.append(exc.message)
        report.error_codes.append(f"{phase}:{exc.code}")
        log.info("sync phase %s failed: %s", phase, exc.code)

    # ---- phases ------------------------------------------------------------------------------------------

    def _push(self, report: SyncReport) -> None:
        res = PushResult()
        try:
            push(self.store, self.api, device_id=self.device_id, batch_size=self.batch_size,
                 township_id=self.user.township_id if self.user else None, progress=self._report, result=res)
        finally:
            report.pushed += res.pushed
            report.applied += res.applied
            report.duplicates += res.duplicates
            report.conflicts += res.conflicts
            report.rejected += res.rejected

    def _upload(self, report: SyncReport) -> None:
        uploader = Uploader(self.store, self.api, chunk_size=self.chunk_size, progress=self._report)
        try:
            uploader.run()
        finally:
            report.uploads_done += uploader.result.done
            report.uploads_failed += uploader.result.failed
            report.upload_bytes += uploader.result.bytes_sent
            for message in uploader.result.errors:  # a failed upload makes the run not ok
                report.errors.append(message)
                report.error_codes.append("upload:failed")

    def _pull(self, report: SyncReport) -> None:
        res = PullResult()
        try:
            pull(self.store, self.api, limit=self.page_size, progress=self._report, result=res)
        finally:
            report.pulled += res.pulled
            report.full_resync = report.full_resync or res.full_resync
            report.removed += res.removed
            report.entities |= res.entities

    def _anchor(self, report: SyncReport) -> None:
        report.anchored_seq = anchor(self.store, self.api, device_id=self.device_id)

    def _replica(self, report: SyncReport) -> None:
        """Compare replica checksums with the platform after the pull (the first time, then every
        `replica_interval`) and re-fetch an entity that differs (sync.replica)."""
        if report.error_codes or not replica.due(self.store, self.replica_interval):
            return
        result = replica.check(self.store, self.api, limit=self.page_size)
        report.repaired = sum(result.repaired.values())
        report.entities.update(result.repaired)
        if result.repaired:
            self._report("replica", report.repaired, report.repaired)

    def _index(self, _report: SyncReport) -> None:
        """Index what the pull bulk-inserted (app.search queue), in transactions of its own; a cancel stops it
        between batches and the rest waits for the next sync."""
        search.drain(self.store, check=self.api.check_cancel,
                     progress=lambda done, total: self._report("index", done, total))

    def _numbers(self, report: SyncReport) -> None:
        assert self.user is not None
        service = NumberBlockService(
            self.store, self.api, device_id=self.device_id, user=self.user, keys=self.number_keys,
            min_free=self.min_free_numbers,
        )
        report.blocks_fetched += service.prefetch()
        self._report("numbers", report.blocks_fetched, report.blocks_fetched)


def _user_of(store: Store, api: Any) -> CurrentUser | None:
    if getattr(api, "user", None) is not None:
        return api.current_user()
    with store.read() as session:
        signed = state.load_user(session)
    return signed.current_user() if signed is not None else None


def sync_status(store: Store) -> dict[str, Any]:
    """What the UI shows at all times: pending and parked outbox rows, open conflicts, uploads, last sync."""
    with store.read() as session:
        def count(model: Any, *where: Any) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return {
            "pending": count(m.OutboxEntry, m.OutboxEntry.state.in_(("pending", "sending"))),
            "parked": count(m.OutboxEntry, m.OutboxEntry.state == "parked"),
            "conflicts": count(m.Conflict, m.Conflict.status == "open"),
            "uploads_pending": count(m.Upload, m.Upload.state.in_(("pending", "uploading"))),
            "uploads_failed": count(m.Upload, m.Upload.state == "failed"),
            "last_sync_at": state.last_sync_at(session),
            "cursor": state.cursor(session),
            "indexing": search.indexing_pending(session),
        }

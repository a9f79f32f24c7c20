"""`SyncController`: runs `SyncEngine.sync_once()` on the runner's network pool and tells the UI about it.

One sync at a time (a request while one runs is remembered and run right after). Runs on a timer (default
every 2 minutes), shortly after local changes (`request_soon`), when the platform becomes reachable again, and
on F5. After each run it publishes the run's `SyncReport.changes` on the ChangeBus (the topics of the entities
the pull applied, plus what else it wrote), so only the affected views refresh.

Reachability ("online" = the platform answers now): a cheap `/api/v1/health` GET on the network pool every
PROBE_INTERVAL_MS (timeout PROBE_TIMEOUT_S), the outcome of every sync's transport, and — where Qt has a backend
for it — QNetworkInformation (losing the local network means offline at once, regaining it probes at once).
Online never means "uploaded": the pending count is a separate, always visible figure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.store import Store
from app.topics import Changes, Topic
from sync.auth import AuthClient
from sync.engine import SyncEngine, SyncReport, sync_status
from ui import session as sess
from ui.context import ChangeBus
from ui.qt_guard import alive
from ui.runner import JobControl, JobHandle, TaskRunner

log = logging.getLogger(__name__)

PROBE_INTERVAL_MS = 3_000
PROBE_TIMEOUT_S = 2.0
SOON_MS = 3_000
#: changes per pull page. Parsing and validating a page are single C calls that hold the GIL; pages of 500
#: keep each such pause well under a frame, so the GUI thread never waits long for the interpreter.
PAGE_SIZE = 500


@dataclass
class SyncRun:
    """One sync of this session, for the sync area's history."""

    started_at: datetime
    finished_at: datetime | None = None
    outcome: str = "running"  # ok / partial / offline / session / cancelled / error / running
    report: SyncReport | None = None
    message: str = ""
    trigger: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class SyncController(QObject):
    started = Signal()
    progress = Signal(str, int, int)  # phase, done, total (0 = unknown)
    finished = Signal(object)  # SyncReport
    failed = Signal(str)  # Chinese message
    online_changed = Signal(bool)
    session_expired = Signal(str)
    device_wiped = Signal(str)  # the platform revoked this device and its data was wiped (sync.revocation)
    status_changed = Signal(object)  # dict from sync.engine.sync_status
    history_changed = Signal()

    def __init__(
        self,
        store: Store,
        runner: TaskRunner,
        bus: ChangeBus,
        auth: AuthClient | None,
        server_url: str,
        *,
        interval_s: int = 120,
        ca_bundle: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ca_bundle = ca_bundle
        self.store = store
        self.runner = runner
        self.bus = bus
        self.auth = auth
        self.server_url = server_url
        self.online: bool | None = None  # None: not known yet (started offline)
        self.history: list[SyncRun] = []
        self.status: dict[str, Any] = {}
        self._job: JobHandle | None = None
        self._starting = False
        self._again = False
        self._stopped = True
        self._probing = False
        self._watching = False
        self.timer = QTimer(self)
        self.timer.setInterval(max(15, interval_s) * 1000)
        self.timer.timeout.connect(lambda: self.sync_now("timer"))
        self.soon = QTimer(self)
        self.soon.setSingleShot(True)
        self.soon.timeout.connect(lambda: self.sync_now("change"))
        self.health_timer = QTimer(self)
        self.health_timer.setInterval(PROBE_INTERVAL_MS)
        self.health_timer.timeout.connect(self.probe)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(250)
        self._status_timer.timeout.connect(self._load_status)
        bus.follow(runner)
        bus.changed.connect(self._bus_changed)

    # ---- life cycle --------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._job is not None or self._starting

    def start(self, *, sync_first: bool = True) -> None:
        self._stopped = False
        self.timer.start()
        self.health_timer.start()
        self._watch_network(True)
        self.refresh_status()
        if sync_first:
            self.sync_now("start")

    def stop(self) -> None:
        """Stop timers and cancel a running sync (what was acknowledged stays acknowledged)."""
        self._stopped = True
        for t in (self.timer, self.soon, self.health_timer, self._status_timer):
            t.stop()
        self._watch_network(False)
        self.cancel()

    def set_auth(self, auth: AuthClient) -> None:
        self.auth = auth

    # ---- syncing -----------------------------------------------------------------------------------------

    def request_soon(self, delay_ms: int = SOON_MS) -> None:
        """A local change was recorded: sync a moment later (several changes make one sync)."""
        if not self._stopped and self.auth is not None:
            self.soon.start(delay_ms)

    def sync_now(self, trigger: str = "manual") -> bool:
        """Start a sync unless one is running (then one more runs right after it). Returns True if started."""
        if self._stopped or self.auth is None:
            return False
        if self.running:
            self._again = True
            return False
        self.soon.stop()
        store, auth = self.store, self.auth
        run = SyncRun(started_at=datetime.now(UTC), trigger=trigger)
        self.history.append(run)

        def job(control: JobControl) -> SyncReport:
            def progress(phase: str, done: int, total: int) -> None:
                control.progress(done, total, phase)

            engine = SyncEngine(
                store, auth, progress=progress, cancel=control.cancel_event, page_size=PAGE_SIZE
            )
            return engine.sync_once()

        self._starting = True
        try:  # the GUI reacts before the worker competes with it for the interpreter
            self.started.emit()
            self.history_changed.emit()
        finally:
            self._starting = False
        self._job = self.runner.run_net(
            "sync",
            job,
            on_done=lambda report: self._done(run, report),
            on_error=lambda exc: self._error(run, exc),
            on_progress=lambda done, total, phase: self.progress.emit(phase, done, total),
        )
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self._again = False

    def _done(self, run: SyncRun, report: SyncReport) -> None:
        if not alive(self):
            return
        self._job = None
        if any(code.split(":")[-1].startswith("device_revoked") for code in report.error_codes):
            self.stop()
            self.device_wiped.emit(report.errors[-1] if report.errors else "")
            return  # the store is closed and its key destroyed: nothing more to record
        run.finished_at = datetime.now(UTC)
        run.report = report
        kind = sess.classify(report.error_codes)
        attention = report.rejected or report.uploads_failed or report.conflicts
        run.outcome = kind or ("partial" if attention else "ok")
        notes = list(dict.fromkeys(report.errors))
        if report.conflicts:
            notes.append(
                QCoreApplication.translate("SyncController", "%1 conflicts to decide").replace(
                    "%1", str(report.conflicts)
                )
            )
        if report.rejected:
            notes.append(
                QCoreApplication.translate(
                    "SyncController", "The platform refused %1 changes; see Sync → Refused"
                ).replace("%1", str(report.rejected))
            )
        run.message = "；".join(notes)
        if kind == "session":
            self._set_online(True)
            self.session_expired.emit(report.errors[-1] if report.errors else "")
        elif kind == "offline":
            self._set_online(False)
        elif kind != "cancelled":
            self._set_online(True)
        self.bus.publish(report.changes | Changes.of(Topic.SYNC))
        self.history_changed.emit()
        if report.ok:
            self.finished.emit(report)
        else:
            self.failed.emit(run.message)
            if kind not in ("offline", "session", "cancelled"):
                self.finished.emit(report)
        self._maybe_again()

    def _error(self, run: SyncRun, exc: BaseException) -> None:
        if not alive(self):
            return
        self._job = None
        run.finished_at = datetime.now(UTC)
        run.outcome = "error"
        run.message = str(exc) or type(exc).__name__
        log.warning("sync failed unexpectedly: %s", type(exc).__name__)
        self.bus.publish(Changes.of(Topic.SYNC))
        self.history_changed.emit()
        self.failed.emit(run.message)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again and not self._stopped:
            self._again = False
            QTimer.singleShot(0, self, lambda: self.sync_now("queued"))

    # ---- reachability ------------------------------------------------------------------------------------

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    def probe(self) -> None:
        """Cheap reachability check on the network pool (also while a sync runs: a platform that dies in the
        middle of a long request shows as offline within seconds); a sync starts when the platform is back."""
        if self._probing or self._stopped:
            return
        self._probing = True
        url, ca_bundle = self.server_url, self.ca_bundle

        def job(_control: JobControl) -> bool:
            return sess.health(url, timeout=PROBE_TIMEOUT_S, ca_bundle=ca_bundle)

        def done(ok: bool) -> None:
            if not alive(self):
                return
            self._probing = False
            if self._stopped:
                return
            was = self.online
            self._set_online(ok)
            if ok and was is False and not self.running:
                self.sync_now("online")

        def failed(_exc: BaseException) -> None:
            if alive(self):
                self._probing = False

        self.runner.run_net("health", job, on_done=done, on_error=failed)

    def _watch_network(self, on: bool) -> None:
        """Follow the OS's view of the network where Qt has a backend for it (none offscreen)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:  # pragma: no cover - QtNetwork ships with PySide6
            return
        info = QNetworkInformation.instance()
        if info is None and on:
            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        if info is None:
            return
        if on and not self._watching:
            info.reachabilityChanged.connect(self._reachability)
            self._watching = True
        elif not on and self._watching:
            info.reachabilityChanged.disconnect(self._reachability)
            self._watching = False

    def _reachability(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Disconnected:
            self._set_online(False)
        else:
            self.probe()

    # ---- status ------------------------------------------------------------------------------------------

    def _bus_changed(self, changes: Changes) -> None:
        if changes.touches(Topic.SYNC):
            self.refresh_status()

    def refresh_status(self) -> None:
        """Recount pending / parked / conflicts (coalesced; read on the store worker)."""
        if not self._status_timer.isActive():
            self._status_timer.start()

    def _load_status(self) -> None:
        store = self.store

        def job(_control: JobControl) -> dict[str, Any]:
            return sync_status(store)

        def done(status: dict[str, Any]) -> None:
            if not alive(self):
                return
            self.status = status
            self.status_changed.emit(status)

        self.runner.run_store("sync-status", job, on_done=done)

    # ---- conflicts ---------------------------------------------------------------------------------------

    def resolve(
        self,
        conflict_id: str,
        choice: str,
        merged: Any,
        actor: Any,
        *,
        on_done: Any = None,
        on_error: Any = None,
    ) -> None:
        """Decide a conflict through `sync.conflicts.resolve_conflict`, then sync the decision."""
        from sync.conflicts import resolve_conflict

        store = self.store

        def job(_control: JobControl) -> None:
            resolve_conflict(store, conflict_id, choice, merged, actor=actor)  # type: ignore[arg-type]  # `choice` comes from the dialog's fixed choices

        def done(_r: object) -> None:  # the bus heard what the decision wrote (ui.runner)
            self.request_soon(200)
            if on_done:
                on_done()

        self.runner.run_store("resolve-conflict", job, on_done=done, on_error=on_error)

"""The 同步 area: this session's sync history, the changes waiting for the platform, the changes it refused
(with its reason, and 重试 / 放弃), evidence uploads pending or failed, and open conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.readmodels import sync_status
from app.readmodels.conflicts import load_conflicts
from app.topics import Changes, Topic
from sync import refused
from ui.context import AppContext
from ui.dialogs.conflicts import field_name
from ui.qt_guard import alive
from ui.runner import JobControl
from ui.status_bar import describe_time
from ui.widgets.common import PageHeader
from ui.widgets.rows_model import RowsModel


@dataclass
class Snapshot:
    pending: tuple[list[sync_status.OutboxRow], int]
    parked: tuple[list[sync_status.OutboxRow], int]
    uploads: tuple[list[sync_status.UploadRow], int]
    conflicts: list[Any]


def _table(model: RowsModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


class SyncArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        head = PageHeader(self.tr("Sync"), self, wide_note=True)
        self.summary = head.note
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.clicked.connect(lambda: ctx.sync is not None and ctx.sync.sync_now("manual"))
        self.sync_button.setEnabled(ctx.sync is not None)
        head.add(self.sync_button)
        layout.addWidget(head)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)

        self.history = RowsModel(
            [
                self.tr("Started"),
                self.tr("Duration"),
                self.tr("Result"),
                self.tr("Sent"),
                self.tr("Received"),
                self.tr("Conflicts"),
                self.tr("Refused"),
                self.tr("Notes"),
            ],
            self,
        )
        self.pending = RowsModel(
            [self.tr("Recorded"), self.tr("Kind"), self.tr("Record"), self.tr("Change"), self.tr("Attempts")],
            self,
        )
        self.parked = RowsModel(
            [
                self.tr("Recorded"),
                self.tr("Kind"),
                self.tr("Record"),
                self.tr("Change"),
                self.tr("Platform's reason"),
            ],
            self,
        )
        self.uploads = RowsModel(
            [self.tr("File"), self.tr("Size"), self.tr("Sent"), self.tr("State"), self.tr("Problem")], self
        )
        self.conflicts = RowsModel(
            [self.tr("Record"), self.tr("Field"), self.tr("This laptop"), self.tr("Platform")], self
        )
        self.views: dict[str, QTableView] = {}
        for key, model in (
            ("history", self.history),
            ("pending", self.pending),
            ("parked", self.parked),
            ("uploads", self.uploads),
            ("conflicts", self.conflicts),
        ):
            page = QWidget(self)
            box = QVBoxLayout(page)
            view = _table(model, page)
            self.views[key] = view
            box.addWidget(view, 1)
            if key == "parked":
                row = QHBoxLayout()
                explain = QLabel(
                    self.tr(
                        "The platform refused these changes. They stay on this laptop until you "
                        "retry them (e.g. after the centre fixed the cause) or discard them."
                    ),
                    page,
                )
                explain.setWordWrap(True)
                explain.setObjectName("muted")
                row.addWidget(explain, 1)
                self.retry_button = QPushButton(self.tr("Retry"), page)
                self.discard_button = QPushButton(self.tr("Discard…"), page)
                self.retry_button.clicked.connect(self.retry_selected)
                self.discard_button.clicked.connect(self.discard_selected)
                row.addWidget(self.retry_button)
                row.addWidget(self.discard_button)
                box.addLayout(row)
            if key == "conflicts":
                row = QHBoxLayout()
                row.addStretch(1)
                resolve = QPushButton(self.tr("Resolve conflicts…"), page)
                resolve.clicked.connect(self.open_conflicts)
                row.addWidget(resolve)
                box.addLayout(row)
            self.tabs.addTab(page, "")
        self.message = QLabel(self)
        self.message.setObjectName("muted")
        layout.addWidget(self.message)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._load)
        ctx.bus.changed.connect(self._bus_changed)
        if ctx.sync is not None:
            ctx.sync.history_changed.connect(self._show_history)
            ctx.sync.status_changed.connect(self._show_status)
            if ctx.sync.status:
                self._show_status(ctx.sync.status)
        self._counts: dict[str, int] = {}
        self._set_tab_titles()
        self._show_history()
        self.reload()

    # ---- loading -----------------------------------------------------------------------------------------

    def _bus_changed(self, changes: Changes) -> None:
        if changes.touches(Topic.SYNC, Topic.CONFLICTS):
            self.reload()

    def reload(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _load(self) -> None:
        store = self.ctx.store

        def job(_control: JobControl) -> Snapshot:
            with store.read() as session:
                return Snapshot(
                    sync_status.outbox(session, ("pending", "sending")),
                    sync_status.outbox(session, ("parked",)),
                    sync_status.uploads(session),
                    load_conflicts(session),
                )

        self.ctx.runner.run_store("sync-area", job, on_done=self._show)

    def _show(self, snap: Snapshot) -> None:
        if not alive(self):
            return
        pend, n_pend = snap.pending
        self.pending.set_rows(
            [
                (timefmt.fmt(r.created_at, "short"), r.entity, r.record, r.op, r.attempts)
                for r in pend
            ],
            [r.seq for r in pend],
            [r.error for r in pend],
        )
        parked, n_parked = snap.parked
        self.parked.set_rows(
            [
                (timefmt.fmt(r.created_at, "short"), r.entity, r.record, r.op, r.error)
                for r in parked
            ],
            [r.seq for r in parked],
            [r.error for r in parked],
        )
        ups, n_ups = snap.uploads
        states = {
            "pending": self.tr("waiting"),
            "uploading": self.tr("uploading"),
            "failed": self.tr("failed"),
        }
        self.uploads.set_rows(
            [(u.name, _size(u.size), _size(u.offset), states.get(u.state, u.state), u.error) for u in ups],
            [u.sha256 for u in ups],
        )
        self.conflicts.set_rows(
            [(c.label, field_name(c.field), _short(c.local), _short(c.server)) for c in snap.conflicts],
            [c.id for c in snap.conflicts],
        )
        self._counts = {
            "pending": n_pend,
            "parked": n_parked,
            "uploads": n_ups,
            "conflicts": len(snap.conflicts),
        }
        self._set_tab_titles()
        for key, view in self.views.items():
            if key != "history":
                view.resizeColumnsToContents()
                for col in range(view.model().columnCount()):
                    view.setColumnWidth(col, min(view.columnWidth(col), 380))

    def _set_tab_titles(self) -> None:
        c = self._counts
        titles = [
            self.tr("History"),
            self.tr("Waiting to upload (%1)").replace("%1", str(c.get("pending", 0))),
            self.tr("Refused (%1)").replace("%1", str(c.get("parked", 0))),
            self.tr("Evidence uploads (%1)").replace("%1", str(c.get("uploads", 0))),
            self.tr("Conflicts (%1)").replace("%1", str(c.get("conflicts", 0))),
        ]
        for i, text in enumerate(titles):
            self.tabs.setTabText(i, text)

    def _show_history(self) -> None:
        sync = self.ctx.sync
        runs = list(reversed(sync.history)) if sync is not None else []
        outcomes = {
            "ok": self.tr("Done"),
            "partial": self.tr("Partly done"),
            "offline": self.tr("Offline"),
            "session": self.tr("Session expired"),
            "cancelled": self.tr("Cancelled"),
            "error": self.tr("Failed"),
            "running": self.tr("Running…"),
        }
        rows = []
        for run in runs:
            r = run.report
            secs = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
            rows.append(
                (
                    timefmt.fmt(run.started_at, "time_s"),
                    f"{secs:.1f} s" if secs is not None else "",
                    outcomes.get(run.outcome, run.outcome),
                    r.pushed if r else "",
                    r.pulled if r else "",
                    r.conflicts if r else "",
                    r.rejected if r else "",
                    run.message,
                )
            )
        self.history.set_rows(rows, tooltips=[run.message for run in runs])
        self.views["history"].resizeColumnsToContents()

    def _show_status(self, status: dict[str, Any]) -> None:
        sync = self.ctx.sync
        online = getattr(sync, "online", None)
        state = self.tr("online") if online else self.tr("offline")
        self.summary.setText(
            self.tr("%1 · last successful sync %2 · cursor %3")
            .replace("%1", state)
            .replace("%2", describe_time(status.get("last_sync_at")))
            .replace("%3", str(status.get("cursor", 0)))
        )

    # ---- decisions ---------------------------------------------------------------------------------------

    def _selected_parked(self) -> int | None:
        index = self.views["parked"].currentIndex()
        return self.parked.key(index.row()) if index.isValid() else None

    def retry_selected(self) -> None:
        seq = self._selected_parked()
        if seq is None:
            self.message.setText(self.tr("Select a refused change first."))
            return
        store, actor = self.ctx.store, self.ctx.user.actor
        self.ctx.runner.run_store(
            "retry-parked",
            lambda _c: refused.retry(store, seq, actor=actor),
            on_done=lambda _r: self._decided(None),
            on_error=self._decision_failed,
        )

    def discard_selected(self, confirm: bool = True) -> None:
        seq = self._selected_parked()
        if seq is None:
            self.message.setText(self.tr("Select a refused change first."))
            return
        if (
            confirm
            and QMessageBox.question(
                self,
                self.tr("Discard change"),
                self.tr("Discard this refused change? It will not be sent to the platform."),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        store, actor = self.ctx.store, self.ctx.user.actor
        self.ctx.runner.run_store(
            "discard-parked",
            lambda _c: refused.discard(store, seq, actor=actor),
            on_done=self._decided,
            on_error=self._decision_failed,
        )

    def _decision_failed(self, exc: BaseException) -> None:
        if alive(self):
            self.message.setText(str(exc))

    def _decided(self, text: str | None) -> None:
        if not alive(self):
            return
        self.message.setText(text or self.tr("Queued again; it is sent with the next sync."))
        if self.ctx.sync is not None:
            self.ctx.sync.request_soon(500)

    def open_conflicts(self) -> None:
        window = self.window()
        if hasattr(window, "show_conflicts"):
            window.show_conflicts()


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024**2:.1f} MB"


def _short(value: Any) -> str:
    text = "" if value is None else (value if isinstance(value, str) else str(value))
    return text if len(text) <= 60 else text[:57] + "…"

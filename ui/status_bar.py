"""The permanent sync status in the main window's status bar: online/offline, last successful sync, pending
changes, open conflicts (click → resolve), refused changes (click → sync area), a progress bar with cancel
while a sync runs, and 立即同步 (F5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget

from app import timefmt
from ui import theme


def _phase_text(phase: str) -> str:
    names = {
        "push": QCoreApplication.translate("SyncStatusBar", "Uploading changes"),
        "upload": QCoreApplication.translate("SyncStatusBar", "Uploading evidence"),
        "pull": QCoreApplication.translate("SyncStatusBar", "Receiving updates"),
        "index": QCoreApplication.translate("SyncStatusBar", "Building the search index"),
        "numbers": QCoreApplication.translate("SyncStatusBar", "Fetching document numbers"),
    }
    return names.get(phase, phase)


def describe_time(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return QCoreApplication.translate("SyncStatusBar", "never")
    today = QCoreApplication.translate("SyncStatusBar", "today %1").split("%1")[0].strip()
    return timefmt.relative(value, now, today_word=today)


class SyncStatusBar(QWidget):
    """Signals: `sync_clicked`, `cancel_clicked`, `conflicts_clicked`, `parked_clicked`."""

    sync_clicked = Signal()
    cancel_clicked = Signal()
    conflicts_clicked = Signal()
    parked_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(10)
        self.online_icon = QLabel(self)
        self.online_text = QLabel(self)
        self.last_sync = QLabel(self)
        self.last_sync.setObjectName("muted")
        self.pending = QLabel(self)
        self.conflicts = self._link_button("conflict")
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.parked = self._link_button("parked")
        self.parked.clicked.connect(self.parked_clicked)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(170)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.phase = QLabel(self)
        self.phase.setObjectName("muted")
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.clicked.connect(self.cancel_clicked)
        self.sync_button = QPushButton(theme.icon("sync-now"), self.tr("Sync now"), self)
        self.sync_button.setToolTip(self.tr("Sync with the command platform now (F5)"))
        self.sync_button.clicked.connect(self.sync_clicked)
        for w in (
            self.online_icon,
            self.online_text,
            self.last_sync,
            self.pending,
            self.conflicts,
            self.parked,
        ):
            layout.addWidget(w)
        layout.addStretch(1)
        for widget in (self.phase, self.progress, self.cancel, self.sync_button):
            layout.addWidget(widget)
        self.set_online(None)
        self.set_status({})
        self.set_running(False)

    def _link_button(self, icon_name: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(theme.icon(icon_name))
        button.setIconSize(QSize(14, 14))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def set_online(self, online: bool | None, note: str = "") -> None:
        self.online_icon.setPixmap(theme.icon("online" if online else "offline").pixmap(QSize(14, 14)))
        if online:
            text = self.tr("Online")
        elif online is None:
            text = self.tr("Offline (working on local data)")
        else:
            text = self.tr("Offline — changes are kept on this laptop")
        self.online_text.setText(f"{text}{'：' + note if note else ''}")
        self.online_text.setToolTip(
            self.tr("The platform answers now; pending changes go up with the next sync") if online else text
        )

    def set_status(self, status: dict[str, Any]) -> None:
        self.last_sync.setText(
            self.tr("Last sync: %1").replace("%1", describe_time(status.get("last_sync_at")))
        )
        pending = int(status.get("pending", 0)) + int(status.get("uploads_pending", 0))
        self.pending.setText(self.tr("Pending upload: %1").replace("%1", str(pending)))
        self.pending.setToolTip(
            self.tr("%1 changes and %2 evidence files wait for the platform")
            .replace("%1", str(status.get("pending", 0)))
            .replace("%2", str(status.get("uploads_pending", 0)))
        )
        conflicts = int(status.get("conflicts", 0))
        self.conflicts.setText(self.tr("Conflicts: %1").replace("%1", str(conflicts)))
        self.conflicts.setVisible(conflicts > 0)
        self.conflicts.setToolTip(self.tr("Click to decide which value to keep"))
        parked = int(status.get("parked", 0)) + int(status.get("uploads_failed", 0))
        self.parked.setText(self.tr("Refused: %1").replace("%1", str(parked)))
        self.parked.setVisible(parked > 0)
        self.parked.setToolTip(self.tr("Changes the platform refused; click to see the reasons"))

    def set_running(self, running: bool) -> None:
        for w in (self.progress, self.phase, self.cancel):
            w.setVisible(running)
        self.sync_button.setEnabled(not running)
        if running:
            self.progress.setRange(0, 0)
            self.phase.setText(self.tr("Syncing…"))

    def set_progress(self, phase: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.phase.setText(f"{_phase_text(phase)} {done}/{total}")
        else:
            self.progress.setRange(0, 0)
            self.phase.setText(f"{_phase_text(phase)} {done}" if done else _phase_text(phase))

"""What every area of the UI is handed: the store, the signed-in user, the task runner, the sync controller,
settings, and the change bus (after Anki: each finished operation says what it changed — a typed
`app.topics.Changes` — and only the views showing those things refresh)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.foreground import FOREGROUND
from app.identity import CurrentUser
from app.store import Store
from app.topics import Changes
from ui.runner import TaskRunner

#: a change published to the views: how long workers give way while they re-query, reset and repaint
REFRESH_BUSY_S = 0.15


class ChangeBus(QObject):
    """`changed` carries a `Changes`. Its sources: every store and io job of the followed runner (what the job
    wrote, `ui.runner`) and each sync run (what it applied, `SyncReport.changes`). Listeners test
    `changes.touches(Topic.X, ...)`."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._followed: list[TaskRunner] = []

    def follow(self, runner: TaskRunner) -> None:
        """Publish what `runner`'s jobs change (once per runner)."""
        if not any(r is runner for r in self._followed):
            self._followed.append(runner)
            runner.changes.connect(self.publish)

    def publish(self, changes: Changes) -> None:
        if not isinstance(changes, Changes):
            raise TypeError(f"not a Changes: {changes!r}")
        if changes:
            FOREGROUND.busy(REFRESH_BUSY_S)  # views re-query, reset and repaint now: workers give way
            self.changed.emit(changes)


@dataclass
class AppContext:
    store: Store
    user: CurrentUser
    runner: TaskRunner
    bus: ChangeBus
    sync: Any = None  # ui.sync_controller.SyncController once signed in (None when offline-only tests)
    settings: Any = None  # ui.settings.Settings
    demo: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bus.follow(self.runner)

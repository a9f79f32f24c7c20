"""What every area of the UI is handed: the store, the signed-in user, the task runner, the sync controller,
settings, and the change bus (after Anki: each finished operation names what it changed, and only the views
showing those things refresh)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.identity import CurrentUser
from app.store import Store
from ui.runner import TaskRunner


class ChangeBus(QObject):
    """`changed` carries a set of topics: "tasks", "plans", "inspections", "evidence", "documents",
    "conflicts", "catalogue", "sync"."""

    changed = Signal(object)

    def notify(self, *topics: str) -> None:
        self.changed.emit(set(topics))


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

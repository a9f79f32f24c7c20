"""The task-event wire shape: one accepted step of a task's history as the platform and the laptops exchange it
(inside a task's `events` list), as a task_events row, and as made from a `TaskEventRecord`.

One type for every place that writes or reads the shape — the platform's transition and admin steps, the
laptop's codec (`app.entities`), the bulk insert of a pull (`sync.bulk`) and the demo seeding — so a field is
added or renamed here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from app.rules.task_states import TaskEventRecord


@dataclass(frozen=True)
class TaskEventWire:
    id: str
    action: str
    from_status: str
    to_status: str
    actor: str
    at: datetime  # timezone-aware
    reason: str | None = None
    feedback: str | None = None

    FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "action", "from_status", "to_status", "actor", "at", "reason", "feedback",
    )

    @classmethod
    def of(cls, event_id: str, event: TaskEventRecord) -> TaskEventWire:
        """The wire form of a step the state machine (`app.rules.task_states.transition`) accepted."""
        return cls(event_id, event.action.value, event.from_status.value, event.to_status.value, event.actor,
                   event.at, event.reason, event.feedback)

    @classmethod
    def of_row(cls, row: Any) -> TaskEventWire:
        """From anything with the fields as attributes (a `TaskEvent` row)."""
        return cls(**{name: getattr(row, name) for name in cls.FIELDS})

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> TaskEventWire:
        """From wire data; a missing required field raises KeyError, a time without a timezone ValueError."""
        at = data["at"] if isinstance(data["at"], datetime) else datetime.fromisoformat(data["at"])
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("task event time without timezone")
        return cls(data["id"], data["action"], data["from_status"], data["to_status"], data["actor"], at,
                   data.get("reason"), data.get("feedback"))

    def wire(self) -> dict[str, Any]:
        """JSON-ready (the time as ISO 8601)."""
        return {**{name: getattr(self, name) for name in self.FIELDS}, "at": self.at.isoformat()}

    def row(self, task_id: str) -> dict[str, Any]:
        """The task_events columns of this event on `task_id`, marked as known to the platform."""
        return {**{name: getattr(self, name) for name in self.FIELDS}, "task_id": task_id, "synced": True}

"""The task-event wire shape is one type: made from an accepted step, sent, parsed, stored as a row and read
back unchanged; it names exactly the task_events columns; a bad event is refused, not half-stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.models import TaskEvent
from app.rules.task_states import transition
from app.task_events import TaskEventWire


def test_an_accepted_step_round_trips_through_the_wire_and_a_row() -> None:
    at = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    step = transition("pending", "accept", role="officer", actor="张三", at=at)
    event = TaskEventWire.of("e1", step)
    sent = event.wire()
    assert sent == {"id": "e1", "action": "accept", "from_status": "pending", "to_status": step.to_status.value,
                    "actor": "张三", "at": at.isoformat(), "reason": None, "feedback": None}
    back = TaskEventWire.parse(sent)
    assert back == event
    row = back.row("t1")
    assert row["task_id"] == "t1" and row["synced"] is True
    assert TaskEventWire.of_row(TaskEvent(**row)) == event


def test_the_shape_names_the_stored_columns() -> None:
    stored = {c.key for c in TaskEvent.__table__.columns} - {"task_id", "synced"}
    assert set(TaskEventWire.FIELDS) == stored


def test_a_bad_event_is_refused() -> None:
    good = TaskEventWire.of("e1", transition("pending", "accept", role="officer", actor="张三",
                                              at=datetime.now(UTC))).wire()
    with pytest.raises(ValueError):
        TaskEventWire.parse({**good, "at": "2026-03-02T09:30:00"})
    with pytest.raises(KeyError):
        TaskEventWire.parse({k: v for k, v in good.items() if k != "actor"})

"""The open conflicts (per field: the value before the edits, this laptop's and the platform's) with a readable
label of the record, for the conflicts dialog and the 同步 area. Deciding one is `sync.conflicts.resolve_conflict`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    entity_id: str
    field: str
    kind: str
    base: Any
    local: Any
    server: Any
    label: str  # "FYZH-2026-00012 关于…"


def load_conflicts(session: Session) -> list[ConflictView]:
    rows = session.scalars(
        select(m.Conflict).where(m.Conflict.status == "open").order_by(m.Conflict.created_at)
    )
    out: list[ConflictView] = []
    for c in rows:
        label = c.entity_id
        if c.entity == "task":
            task = session.get(m.Task, c.entity_id)
            if task is not None:
                label = f"{task.number} {task.title}"
        out.append(
            ConflictView(
                c.id,
                c.entity,
                c.entity_id,
                c.field,
                c.kind,
                c.base_value,
                c.local_value,
                c.server_value,
                label,
            )
        )
    return out

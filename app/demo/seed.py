"""Writes a demo dataset (wire records by entity name, as `build_dataset` returns) into a local store: one
write transaction, SQLAlchemy Core bulk inserts (executemany) of values decoded with `decode_field`, the task
lists (assignees, matters, events) as their own rows, the search index, and one audit event.

Records arrive with their platform version and are marked as already accepted by the platform (task events
`synced`), exactly as if they had been pulled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Date
from sqlalchemy.orm import Session

from app import audit
from app import models as m
from app.entities import SPECS, decode_field
from app.models.base import Base, UTCDateTime
from app.search import INDEXED_KINDS, bulk_index, row_text
from app.store import Store
from app.task_events import TaskEventWire

TASK_LISTS = ("assignee_ids", "matter_codes", "events")
CHILD_COUNTS = ("task_assignee", "task_matter", "task_event")


class _RowView:
    """Attribute access over a decoded row, so that `app.search.row_text` can index it without an ORM object."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        return self._values.get(name)


def entity_order() -> list[str]:
    """Entity names in foreign-key order (parents first)."""
    rank = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
    return sorted(SPECS, key=lambda e: rank[SPECS[e].model.__table__.name])


def _converted_keys(model: type[Base]) -> frozenset[str]:
    """Columns whose wire value `decode_field` changes (dates and times); others pass through unchanged."""
    return frozenset(c.key for c in model.__table__.columns if isinstance(c.type, UTCDateTime | Date))


def decode_rows(entity: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Column values of wire `rows` of `entity`, decoded with `decode_field`; unknown keys raise ValueError."""
    model = SPECS[entity].model
    columns = frozenset(model.__table__.columns.keys())
    convert = _converted_keys(model)
    extra = {"id"} if "id" not in columns else set()
    if model is m.Task:
        extra.update(TASK_LISTS)
    out = []
    for wire in rows:
        values: dict[str, Any] = {}
        for key, value in wire.items():
            if key in convert:
                values[key] = decode_field(model, key, value)
            elif key in columns:
                values[key] = value
            elif key not in extra:
                raise ValueError(f"{entity} {wire.get('id')}: unknown field {key!r}")
        out.append(values)
    return out


def _execute(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """executemany per distinct key set (Core fills column defaults for keys a group lacks)."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(frozenset(row), []).append(row)
    for group in groups.values():
        session.execute(model.__table__.insert(), group)


def task_children(tasks: Iterable[Mapping[str, Any]]) -> tuple[list[dict], list[dict], list[dict]]:
    """(assignee rows, matter rows, event rows) of wire tasks, with ids derived from the task id."""
    assignees, matters, events = [], [], []
    for task in tasks:
        tid = task["id"]
        for i, officer_id in enumerate(task.get("assignee_ids") or (), 1):
            assignees.append({"id": f"{tid}-a{i}", "task_id": tid, "officer_id": officer_id})
        for i, code in enumerate(task.get("matter_codes") or (), 1):
            matters.append({"id": f"{tid}-m{i}", "task_id": tid, "matter_code": code})
        for ev in task.get("events") or ():
            events.append(TaskEventWire.parse(ev).row(tid))
    return assignees, matters, events


def insert_dataset(session: Session, dataset: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, int]:
    """Insert every record of `dataset` and index tasks, targets and findings; returns row counts."""
    unknown = set(dataset) - set(SPECS)
    if unknown:
        raise ValueError(f"unknown entities in dataset: {sorted(unknown)}")
    counts: dict[str, int] = {}
    search_rows: list[tuple[str, str, str]] = []
    for entity in entity_order():
        wires = dataset.get(entity) or ()
        if not wires:
            continue
        model = SPECS[entity].model
        rows = decode_rows(entity, wires)
        _execute(session, model, rows)
        counts[entity] = len(rows)
        if entity == "task":
            for name, child_model, child_rows in zip(
                CHILD_COUNTS, (m.TaskAssignee, m.TaskMatter, m.TaskEvent), task_children(wires), strict=True
            ):
                if child_rows:
                    _execute(session, child_model, child_rows)
                counts[name] = len(child_rows)
        if entity in INDEXED_KINDS:
            search_rows.extend((entity, r["id"], row_text(entity, _RowView(r))) for r in rows)
    bulk_index(session, search_rows)
    counts["search_index"] = len(search_rows)
    return counts


def seed_store(store: Store, dataset: Mapping[str, Sequence[Mapping[str, Any]]], *, actor: str = "seed") -> dict[str, int]:
    """Write `dataset` into `store` in one transaction with one audit event (action "seed"); returns counts."""
    with store.write() as session:
        counts = insert_dataset(session, dataset)
        audit.append(session, actor=actor, action="seed", entity="dataset", entity_id="demo",
                     detail={"counts": counts})
    return counts

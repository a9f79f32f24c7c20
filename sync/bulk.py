"""Bulk insert of records that are new to this laptop (the bulk of a first pull) with Core `executemany`.

The values are decoded exactly as `app.entities.apply_wire` decodes them (`decode_field`, the version rule, a
task's assignees, matters and events), but written with one INSERT per table and shape instead of one ORM
object each. Core inserts bypass the ORM flush hooks, so the one such hook there is — the full-text index of
tasks, targets and findings (`app.search`) — is fed here explicitly with `search.bulk_index`. Records that
already exist locally, or that carry local work, always take the ORM path (`apply_wire`) instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, insert, text
from sqlalchemy.orm import Session

from app import models as m
from app import search
from app.entities import SPECS, decode_field
from app.models.base import UTCDateTime, new_id
from sync.protocol import Change

INDEXED = {"task": "task", "target": "target", "finding": "finding"}


def insert_new(session: Session, changes: Iterable[Change]) -> int:
    """Insert upserts of records absent from the local store; returns how many. Bad data raises."""
    by_entity: dict[str, list[Change]] = {}
    for change in changes:
        by_entity.setdefault(change.entity, []).append(change)
    count = 0
    for entity, group in by_entity.items():
        model: Any = SPECS[entity].model
        table = model.__table__
        pk = table.primary_key.columns.values()[0].key
        shapes: dict[frozenset[str], list[dict[str, Any]]] = {}
        children: dict[Any, list[dict[str, Any]]] = {}
        for change in group:
            row = _row(model, change, pk)
            shapes.setdefault(frozenset(row), []).append(row)
            if model is m.Task:
                _task_children(change, children)
        for rows in shapes.values():
            session.execute(insert(table), rows)
        for child_table, rows in children.items():
            if rows:
                session.execute(insert(child_table), rows)
        if entity in INDEXED:
            _index(session, INDEXED[entity], model, [r for rows in shapes.values() for r in rows], pk)
        count += len(group)
    return count


@cache
def _columns(model: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(plain columns, columns `decode_field` converts): for the plain ones it returns the value unchanged."""
    keys = frozenset(c.key for c in model.__table__.columns) - {"id", "version"}
    typed = frozenset(c.key for c in model.__table__.columns if isinstance(c.type, (UTCDateTime, Date)))
    return keys - typed, typed & keys


def _row(model: Any, change: Change, pk: str) -> dict[str, Any]:
    data = change.data
    if data is None:
        raise ValueError("upsert without data")
    plain, typed = _columns(model)
    row = {key: value for key, value in data.items() if key in plain}
    row.update((key, decode_field(model, key, data[key])) for key in typed if key in data)
    row[pk] = change.id
    columns = model.__table__.columns
    if "version" in columns:
        row["version"] = change.version
    return row


def _task_children(change: Change, children: dict[Any, list[dict[str, Any]]]) -> None:
    data = change.data or {}
    assignees = children.setdefault(m.TaskAssignee.__table__, [])
    for officer_id in sorted(set(data.get("assignee_ids") or [])):
        assignees.append({"id": new_id(), "task_id": change.id, "officer_id": officer_id})
    matters = children.setdefault(m.TaskMatter.__table__, [])
    for code in sorted(set(data.get("matter_codes") or [])):
        matters.append({"id": new_id(), "task_id": change.id, "matter_code": code})
    events = children.setdefault(m.TaskEvent.__table__, [])
    for ev in data.get("events") or []:
        events.append({
            "id": ev["id"], "task_id": change.id, "action": ev["action"], "from_status": ev["from_status"],
            "to_status": ev["to_status"], "actor": ev["actor"], "at": datetime.fromisoformat(ev["at"]),
            "reason": ev.get("reason"), "feedback": ev.get("feedback"), "synced": True,
        })


def _index(session: Session, kind: str, model: Any, rows: list[dict[str, Any]], pk: str) -> None:
    """Index new rows; an entry left behind for the same id (never expected) is replaced, not duplicated."""
    names = [c.key for c in model.__table__.columns]
    found = session.execute(
        text("SELECT ref_id FROM search_docs WHERE kind = :k AND ref_id IN (SELECT value FROM json_each(:ids))"),
        {"k": kind, "ids": json.dumps([r[pk] for r in rows])},
    )
    stale = {r[0] for r in found}
    fresh: list[tuple[str, str, str]] = []
    for row in rows:
        body = search.row_text(kind, SimpleNamespace(**{n: row.get(n) for n in names}))
        if row[pk] in stale:
            search.upsert(session, kind, row[pk], body)
        else:
            fresh.append((kind, row[pk], body))
    search.bulk_index(session, fresh)

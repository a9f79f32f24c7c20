"""Local-store helpers shared by pull, push and conflict resolution: what work is still pending per record,
open conflicts, reading and writing one field in wire form, and the feed-write transaction.

The feed-write transaction switches SQLite's foreign-key enforcement off for its own connection: the platform's
change feed is ordered by its commit sequence (one row per record, moved to the end when the record changes), so
a task may arrive a page before the grid it points to; the references are whole again once the feed is read.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.entities import SPECS, apply_task_lists, decode_field, encode_value
from app.models.base import Base
from app.store import Store

ACTIVE_STATES = ("pending", "sending")  # "sending" is only ever left behind by a crash: same as pending
LIST_FIELDS = ("assignee_ids", "matter_codes")


@dataclass
class Pending:
    """Unacknowledged local work on one record: the fields active rows change, and whether any are parked."""

    fields: set[str] = field(default_factory=set)
    transition: bool = False
    create: bool = False
    parked: bool = False


def pending_work(session: Session, *, include_parked: bool = False) -> dict[tuple[str, str], Pending]:
    states = (*ACTIVE_STATES, "parked") if include_parked else ACTIVE_STATES
    out: dict[tuple[str, str], Pending] = {}
    rows = session.execute(
        select(m.OutboxEntry.entity, m.OutboxEntry.entity_id, m.OutboxEntry.op, m.OutboxEntry.payload,
               m.OutboxEntry.state).where(m.OutboxEntry.state.in_(states))
    )
    for entity, entity_id, op, payload, st in rows:
        p = out.setdefault((entity, entity_id), Pending())
        if st == "parked":  # refused by the platform: shown to a person, protects the record, not its fields
            p.parked = True
        elif op == "update":
            p.fields.update((payload or {}).get("fields", {}))
        elif op == "transition":
            p.transition = True
            p.fields.update({"status", "feedback"})
        elif op in ("create", "append"):
            p.create = True
        elif op == "void":
            p.fields.update({"voided", "void_reason", "status"})
    return out


def open_conflicts(session: Session) -> dict[tuple[str, str], dict[str, m.Conflict]]:
    out: dict[tuple[str, str], dict[str, m.Conflict]] = {}
    for c in session.scalars(select(m.Conflict).where(m.Conflict.status == "open")):
        out.setdefault((c.entity, c.entity_id), {})[c.field] = c
    return out


def get_wire(obj: Base, key: str) -> Any:
    """A field of a local record in wire form (a task's assignee/matter lists sorted)."""
    if isinstance(obj, m.Task) and key == "assignee_ids":
        return sorted(a.officer_id for a in obj.assignees)
    if isinstance(obj, m.Task) and key == "matter_codes":
        return sorted(tm.matter_code for tm in obj.matters)
    return encode_value(getattr(obj, key))


def set_wire(session: Session, obj: Base, key: str, value: Any) -> None:
    """Set one field of a local record from its wire form."""
    if isinstance(obj, m.Task) and key in LIST_FIELDS:
        apply_task_lists(session, obj, {key: value})
        return
    setattr(obj, key, decode_field(type(obj), key, value))


def same(a: Any, b: Any) -> bool:
    """Wire values equal (lists compared as sorted when they hold plain strings)."""
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, str) for x in a + b):
        return sorted(a) == sorted(b)
    return bool(a == b)


def add_conflict(
    session: Session, known: dict[tuple[str, str], dict[str, m.Conflict]] | None, *, entity: str,
    entity_id: str, field_name: str, kind: str, base: Any, local: Any, server: Any, server_version: int,
) -> m.Conflict:
    """Record (or refresh) the open conflict of one field; at most one open conflict per record × field."""
    existing = None
    if known is not None:
        existing = known.get((entity, entity_id), {}).get(field_name)
    else:
        existing = session.scalars(
            select(m.Conflict).where(m.Conflict.entity == entity, m.Conflict.entity_id == entity_id,
                                     m.Conflict.field == field_name, m.Conflict.status == "open")
        ).first()
    if existing is not None:
        existing.server_value = server
        existing.server_version = max(existing.server_version, server_version)
        if kind == "server_wins" or existing.kind == kind:
            existing.local_value = local
        return existing
    c = m.Conflict(
        id=m.new_id(), entity=entity, entity_id=entity_id, field=field_name, kind=kind, base_value=base,
        local_value=local, server_value=server, server_version=server_version, status="open",
    )
    session.add(c)
    if known is not None:
        known.setdefault((entity, entity_id), {})[field_name] = c
    return c


def model_of(entity: str) -> type[Base]:
    return SPECS[entity].model


def feed_write(store: Store, *, durable: bool = True) -> AbstractContextManager[Session]:
    """The write transaction that applies the platform's feed: foreign keys unchecked; `durable=False` for a
    page that more pages follow (no WAL fsync at its commit; the pull's last page is durable and syncs them
    all — see Store.write)."""
    return store.write(foreign_keys=False, durable=durable)

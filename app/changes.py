"""Recording a local change: the domain row, its audit event and its outbox row, all in the caller's transaction.

Every service goes through here, so "nothing is lost" rests on one mechanism: the outbox row commits with the
change or not at all. Outbox rows are immutable once a push has been attempted (`attempts > 0`), so an edit made
while a push is in flight never rewrites a mutation the platform may already have applied; not-yet-sent
updates of the same record are coalesced into one mutation, keeping the earliest base value of each field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.entities import ENTITY_OF_MODEL, encode_value
from app.models import OutboxEntry
from app.models.base import Base


def record(
    session: Session,
    *,
    actor: str,
    entity: str,
    entity_id: str,
    op: str,
    data: dict[str, Any],
    base_version: int = 0,
    audit_detail: dict[str, Any] | None = None,
) -> OutboxEntry:
    """Queue one mutation for the platform and write its audit event."""
    audit.append(session, actor=actor, action=op, entity=entity, entity_id=entity_id, detail=audit_detail or data)
    entry = OutboxEntry(entity=entity, entity_id=entity_id, op=op, base_version=base_version, payload=data)
    session.add(entry)
    return entry


def record_create(session: Session, obj: Base, *, actor: str) -> OutboxEntry:
    """Add `obj` (a record made on this laptop) and queue its creation."""
    from app.entities import to_wire

    session.add(obj)
    session.flush()
    entity = ENTITY_OF_MODEL[type(obj)]
    return record(session, actor=actor, entity=entity, entity_id=obj.id, op="create", data=to_wire(obj))  # type: ignore[attr-defined]  # every synced model has a string id


def record_update(session: Session, obj: Base, changes: dict[str, Any], *, actor: str) -> OutboxEntry | None:
    """Set `changes` on `obj` and queue them as one per-field update (no-op fields are dropped)."""
    entity = ENTITY_OF_MODEL[type(obj)]
    entity_id: str = obj.id  # type: ignore[attr-defined]  # every synced model has a string id
    base: dict[str, Any] = {}
    fields: dict[str, Any] = {}
    for key, value in changes.items():
        old = getattr(obj, key)
        if old == value:
            continue
        base[key] = encode_value(old)
        fields[key] = encode_value(value)
        setattr(obj, key, value)
    if not fields:
        return None
    audit.append(
        session, actor=actor, action="update", entity=entity, entity_id=entity_id,
        detail={"fields": fields, "base": base},
    )
    pending = session.scalars(
        select(OutboxEntry)
        .where(OutboxEntry.entity == entity, OutboxEntry.entity_id == entity_id, OutboxEntry.op == "update",
               OutboxEntry.state == "pending", OutboxEntry.attempts == 0)
        .order_by(OutboxEntry.seq.desc())
        .limit(1)
    ).first()
    if pending is not None and _is_last_for_entity(session, pending):
        merged_fields = {**pending.payload["fields"], **fields}
        merged_base = {**base, **pending.payload["base"]}
        pending.payload = {"fields": merged_fields, "base": merged_base}
        return pending
    entry = OutboxEntry(
        entity=entity, entity_id=entity_id, op="update",
        base_version=getattr(obj, "version", 0), payload={"fields": fields, "base": base},
    )
    session.add(entry)
    return entry


def record_custom_update(
    session: Session, *, entity: str, entity_id: str, fields: dict[str, Any], base: dict[str, Any],
    base_version: int, actor: str, reason: str,
) -> OutboxEntry:
    """Queue an update with an explicit base (conflict resolutions: base is the platform's value)."""
    return record(
        session, actor=actor, entity=entity, entity_id=entity_id, op="update", base_version=base_version,
        data={"fields": fields, "base": base}, audit_detail={"fields": fields, "base": base, "reason": reason},
    )


def _is_last_for_entity(session: Session, entry: OutboxEntry) -> bool:
    """Coalescing must not reorder: only merge into the newest queued row of that record."""
    newest = session.scalar(
        select(OutboxEntry.seq)
        .where(OutboxEntry.entity == entry.entity, OutboxEntry.entity_id == entry.entity_id)
        .order_by(OutboxEntry.seq.desc())
        .limit(1)
    )
    return newest == entry.seq



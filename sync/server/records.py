"""Writing records and their change rows: the only place that touches `records` and `changes` together.

Every applied change increments the record's version and replaces its change row with a new one (a new commit
sequence number). A record that moves to another township (a task reassigned by the centre) also leaves a
"delete" change scoped to the old township, so that team's laptops drop it. `compact` drops old tombstones and
raises the horizon below which a cursor is refused (410).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.ownership import GLOBAL_ENTITIES
from sync.server.feed_watermark import mark_pending
from sync.server.storage import ChangeRow, Record, horizon, max_seq, set_meta

#: a township-scoped record without its own township_id takes the township of the record it points to
_PARENT_KEYS = (
    ("officer_id", "officer"),
    ("target_id", "target"),
    ("task_id", "task"),
    ("inspection_id", "inspection"),
    ("plan_id", "inspection_plan"),
    ("finding_id", "finding"),
)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def township_of(session: Session, entity: str, data: dict[str, Any]) -> str | None:
    """The township a record belongs to (None for global entities or when it cannot be found)."""
    if entity in GLOBAL_ENTITIES:
        return None
    if data.get("township_id"):
        return str(data["township_id"])
    for key, parent in _PARENT_KEYS:
        ref = data.get(key)
        if ref:
            rec = session.get(Record, (parent, str(ref)))
            if rec is not None and rec.township_id:
                return rec.township_id
    return None


def lookup_key(entity: str, data: dict[str, Any]) -> str | None:
    """Secondary key: documents by "body_id|number" (QR verification), evidence by its blob's SHA-256."""
    if entity == "document" and data.get("body_id") and data.get("number"):
        return document_key(str(data["body_id"]), str(data["number"]))
    if entity == "evidence" and isinstance(data.get("sha256"), str):
        return evidence_key(data["sha256"])
    if entity == "case" and data.get("body_id") and data.get("number"):
        return f"case|{data['body_id']}|{data['number']}"
    return None


def document_key(body_id: str, number: str) -> str:
    return f"{body_id}|{number}"


def evidence_key(sha256: str) -> str:
    return f"sha256|{sha256.lower()}"


def load(session: Session, entity: str, entity_id: str, *, for_update: bool = False) -> Record | None:
    query = select(Record).where(Record.entity == entity, Record.id == entity_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def _write_change(session: Session, record: Record, township_id: str | None, op: str) -> ChangeRow:
    key = township_id or ""
    session.execute(
        delete(ChangeRow).where(
            ChangeRow.entity == record.entity, ChangeRow.entity_id == record.id, ChangeRow.township_key == key
        )
    )
    row = ChangeRow(
        entity=record.entity,
        entity_id=record.id,
        township_id=township_id,
        township_key=key,
        op=op,
        version=record.version,
    )
    session.add(row)
    session.flush()
    mark_pending(session)  # numbered at commit (feed_watermark.publish_changes)
    return row


def create_record(
    session: Session,
    entity: str,
    entity_id: str,
    data: dict[str, Any],
    *,
    version: int = 1,
    township_id: str | None = None,
) -> Record:
    """Insert a new record (data gets "id") and its upsert change."""
    body = dict(data)
    body["id"] = entity_id
    record = Record(
        entity=entity,
        id=entity_id,
        township_id=township_id,
        version=max(1, int(version)),
        data=body,
        deleted=False,
        lookup_key=lookup_key(entity, body),
    )
    session.add(record)
    session.flush()
    _write_change(session, record, township_id, "upsert")
    return record


def save_record(session: Session, record: Record, data: dict[str, Any], *, stamp: bool = True) -> Record:
    """Store new data for an existing record: version + 1, a new change row; if its township changed, a
    tombstone for the old township first."""
    body = dict(data)
    body["id"] = record.id
    if stamp and "updated_at" in body:
        body["updated_at"] = now_iso()
    old_township = record.township_id
    new_township = None if record.entity in GLOBAL_ENTITIES else (body.get("township_id") or old_township)
    record.data = body
    record.version += 1
    record.township_id = new_township
    record.lookup_key = lookup_key(record.entity, body)
    record.deleted = False
    session.flush()
    if old_township != new_township:
        _write_change(session, record, old_township, "delete")
    _write_change(session, record, new_township, "upsert")
    return record


def delete_record(session: Session, record: Record) -> Record:
    """Mark a record deleted (the data is kept for audits) and publish a tombstone."""
    record.deleted = True
    record.version += 1
    session.flush()
    _write_change(session, record, record.township_id, "delete")
    return record


def compact(session: Session, keep_last: int) -> tuple[int, int]:
    """Drop tombstones older than the last `keep_last` sequence numbers. The horizon is raised to the highest
    dropped tombstone: a cursor at or past it has seen every dropped deletion, an older one gets 410. Nothing
    dropped → the horizon stays. Returns (tombstones dropped, horizon)."""
    if keep_last < 0:
        raise ValueError("keep_last must be ≥ 0")
    cutoff = max_seq(session) - keep_last
    where = (ChangeRow.op == "delete", ChangeRow.seq <= cutoff)
    dropped, top = session.execute(select(func.count(), func.max(ChangeRow.seq)).where(*where)).one()
    current = horizon(session)
    if not dropped:
        return 0, current
    session.execute(delete(ChangeRow).where(*where))
    new = max(current, int(top or 0))  # `dropped` > 0: rows were found, so max(seq) is set
    set_meta(session, "tombstone_horizon", str(new))
    return int(dropped), new

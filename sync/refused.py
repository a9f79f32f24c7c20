"""The two person-made decisions on a change the platform refused (a parked outbox row), from the 同步 area.

* `retry` queues it again under a new `mutation_id` (the platform answers a replayed id with its stored
  refusal, so a real retry must be a new mutation), attempts reset so later edits may coalesce into it;
* `discard` drops it and puts the record back as the platform last had it where that is known: an update's
  fields return to their base values (if nobody changed them since), a refused status step is removed from
  the task's history and the status returns to where it was. A refused creation stays on this laptop only.
Both write an audit event in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import audit
from app import models as m
from app.errors import DomainError
from app.models import new_id
from app.readmodels.sync_status import ENTITY_LABELS
from app.store import Store
from sync.local import get_wire, model_of, same, set_wire


def _parked(session: Session, seq: int) -> m.OutboxEntry:
    row = session.get(m.OutboxEntry, seq)
    if row is None or row.state != "parked":
        raise DomainError("该修改已不在“被拒绝”列表中，请刷新后再试", code="not_found")
    return row


def _audit(session: Session, row: m.OutboxEntry, action: str, *, actor: str, **detail: Any) -> None:
    audit.append(session, actor=actor, action=action, entity=row.entity, entity_id=row.entity_id, detail=detail)


def retry(store: Store, seq: int, *, actor: str) -> None:
    with store.write() as session:
        row = _parked(session, seq)
        old_id = row.mutation_id
        row.mutation_id = new_id()
        row.state = "pending"
        row.attempts = 0
        row.last_error = None
        _audit(session, row, "retry_rejected", actor=actor, seq=seq, previous_mutation_id=old_id,
               mutation_id=row.mutation_id)


def discard(store: Store, seq: int, *, actor: str) -> str:
    """Drop a refused change; returns what happened to the record, in Chinese."""
    with store.write() as session:
        row = _parked(session, seq)
        payload: dict[str, Any] = row.payload or {}
        obj = session.get(model_of(row.entity), row.entity_id) if row.entity in ENTITY_LABELS else None
        outcome = "已放弃该修改"
        if obj is not None and row.op == "update":
            fields, base = payload.get("fields") or {}, payload.get("base") or {}
            for name, new in fields.items():
                if name in base and same(get_wire(obj, name), new):
                    set_wire(session, obj, name, base[name])
            outcome = "已放弃该修改，记录已恢复为修改前的内容"
        elif isinstance(obj, m.Task) and row.op == "transition":
            event = session.get(m.TaskEvent, payload.get("event_id") or "")
            if event is not None and not event.synced:
                if obj.status == event.to_status:
                    obj.status = event.from_status
                session.delete(event)
            outcome = "已放弃该状态变更，任务状态已恢复"
        elif row.op in ("create", "append"):
            outcome = "已放弃上传，该记录只保留在本机"
        _audit(session, row, "discard_rejected", actor=actor, seq=seq, op=row.op, mutation_id=row.mutation_id,
               reason=row.last_error)
        session.delete(row)
        return outcome

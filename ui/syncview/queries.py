"""Qt-free reads and the two person-made decisions of the sync area.

Reads: outbox rows (pending or parked) with a readable label of the record they change, evidence uploads, and
open conflicts — each capped, with the true total alongside, so a long offline day never loads a whole table.

Decisions on a change the platform refused (parked):
* `retry` queues it again under a new `mutation_id` (the platform answers a replayed id with its stored
  refusal, so a real retry must be a new mutation), attempts reset so later edits may coalesce into it;
* `discard` drops it and puts the record back as the platform last had it where that is known: an update's
  fields return to their base values (if nobody changed them since), a refused status step is removed from
  the task's history and the status returns to where it was. A refused creation stays on this laptop only.
Both write an audit event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, timefmt
from app import models as m
from app.errors import DomainError
from app.models import new_id
from app.store import Store

LIMIT = 1000
ENTITY_LABELS = {
    "task": "任务",
    "evidence": "证据",
    "inspection": "检查记录",
    "inspection_plan": "检查计划",
    "finding": "检查发现",
    "document": "文书",
    "referral": "移送/抄告",
    "random_draw": "双随机抽取",
}
OP_LABELS = {"create": "新建", "append": "新建", "update": "修改", "transition": "状态变更", "void": "作废"}
ACTION_LABELS = {"accept": "签收", "start": "开始处理", "return": "退回", "report": "反馈"}


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    created_at: datetime
    entity: str
    record: str
    op: str
    attempts: int
    error: str


@dataclass(frozen=True)
class UploadRow:
    sha256: str
    name: str
    size: int
    offset: int
    state: str
    error: str


def _doc_title(doc_type: str) -> str:
    from app.documents.templates import load_template

    try:
        return load_template(doc_type).title
    except Exception:  # an unknown type from a newer laptop: its code is all there is
        return doc_type


def _record_label(session: Session, entity: str, entity_id: str, cache: dict[tuple[str, str], str]) -> str:
    key = (entity, entity_id)
    if key not in cache:
        label = entity_id[:8]
        if entity == "task":
            task = session.get(m.Task, entity_id)
            if task is not None:
                label = f"{task.number} {task.title}"
        elif entity == "evidence":
            ev = session.get(m.Evidence, entity_id)
            if ev is not None:
                label = ev.original_name
        elif entity in ("inspection", "inspection_plan"):
            row = session.get(m.Inspection, entity_id) if entity == "inspection" else session.get(
                m.InspectionPlan, entity_id)
            if row is not None:
                target = session.get(m.Target, row.target_id)
                when = row.started_at if isinstance(row, m.Inspection) else row.scheduled_at
                label = f"{target.name if target else ''} {timefmt.fmt(when, 'short')}".strip()
        elif entity == "document":
            doc = session.get(m.Document, entity_id)
            if doc is not None:
                label = doc.number or f"{_doc_title(doc.doc_type)}（草稿）"
        elif entity == "random_draw":
            draw = session.get(m.RandomDraw, entity_id)
            if draw is not None:
                label = draw.title
        elif entity == "finding":
            finding = session.get(m.Finding, entity_id)
            if finding is not None:
                label = finding.check_point
        cache[key] = label
    return cache[key]


def _op_text(row: m.OutboxEntry) -> str:
    text = OP_LABELS.get(row.op, row.op)
    if row.op == "transition":
        action = (row.payload or {}).get("action", "")
        text = f"{text}：{ACTION_LABELS.get(action, action)}"
    elif row.op == "update":
        fields = sorted(((row.payload or {}).get("fields") or {}).keys())
        if fields:
            text = f"{text}（{'、'.join(fields)}）"
    return text


def outbox(session: Session, states: tuple[str, ...], limit: int = LIMIT) -> tuple[list[OutboxRow], int]:
    total = session.scalar(
        select(func.count()).select_from(m.OutboxEntry).where(m.OutboxEntry.state.in_(states))
    )
    rows = session.scalars(
        select(m.OutboxEntry).where(m.OutboxEntry.state.in_(states)).order_by(m.OutboxEntry.seq).limit(limit)
    ).all()
    cache: dict[tuple[str, str], str] = {}
    out = [
        OutboxRow(
            r.seq,
            r.created_at,
            ENTITY_LABELS.get(r.entity, r.entity),
            _record_label(session, r.entity, r.entity_id, cache),
            _op_text(r),
            r.attempts,
            r.last_error or "",
        )
        for r in rows
    ]
    return out, int(total or 0)


def uploads(session: Session, limit: int = LIMIT) -> tuple[list[UploadRow], int]:
    states = ("pending", "uploading", "failed")
    total = session.scalar(select(func.count()).select_from(m.Upload).where(m.Upload.state.in_(states)))
    rows = session.scalars(
        select(m.Upload).where(m.Upload.state.in_(states)).order_by(m.Upload.state).limit(limit)
    ).all()
    names = dict(
        session.execute(
            select(m.Evidence.sha256, m.Evidence.original_name).where(
                m.Evidence.sha256.in_([u.sha256 for u in rows])
            )
        ).all()
    )
    return [
        UploadRow(u.sha256, names.get(u.sha256, u.sha256[:12]), u.size, u.offset, u.state, u.last_error or "")
        for u in rows
    ], int(total or 0)


def _parked(session: Session, seq: int) -> m.OutboxEntry:
    row = session.get(m.OutboxEntry, seq)
    if row is None or row.state != "parked":
        raise DomainError("该修改已不在“被拒绝”列表中，请刷新后再试", code="not_found")
    return row


def retry(store: Store, seq: int, *, actor: str) -> None:
    with store.write() as session:
        row = _parked(session, seq)
        old_id = row.mutation_id
        row.mutation_id = new_id()
        row.state = "pending"
        row.attempts = 0
        row.last_error = None
        audit.append(
            session,
            actor=actor,
            action="retry_rejected",
            entity=row.entity,
            entity_id=row.entity_id,
            detail={"seq": seq, "previous_mutation_id": old_id, "mutation_id": row.mutation_id},
        )


def discard(store: Store, seq: int, *, actor: str) -> str:
    """Drop a refused change; returns what happened to the record, in Chinese."""
    from sync.local import get_wire, model_of, same, set_wire

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
        audit.append(
            session,
            actor=actor,
            action="discard_rejected",
            entity=row.entity,
            entity_id=row.entity_id,
            detail={"seq": seq, "op": row.op, "mutation_id": row.mutation_id, "reason": row.last_error},
        )
        session.delete(row)
        return outcome

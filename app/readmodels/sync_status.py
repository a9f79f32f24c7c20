"""Qt-free reads of the sync area: outbox rows (pending or parked) with a readable label of the record they
change, and evidence uploads — each capped, with the true total alongside, so a long offline day never loads a
whole table. The two person-made decisions on a refused change (retry, discard) are writes and live in
`sync.refused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import models as m
from app import timefmt

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

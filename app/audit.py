"""The hash-chained audit log: append in the caller's transaction, verify the whole chain.

Each row's hash is SHA-256 over the previous row's hash and a canonical JSON of the row's own content, so
altering, inserting or removing any row breaks the link at that row and every later one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, utcnow

GENESIS = "0" * 64


def _canonical(ev: AuditEvent) -> bytes:
    body = {
        "seq": ev.seq,
        "at": ev.at.isoformat(),
        "actor": ev.actor,
        "action": ev.action,
        "entity": ev.entity,
        "entity_id": ev.entity_id,
        "detail": ev.detail,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, ev: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(ev)).hexdigest()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event. Must run inside a write transaction (BEGIN IMMEDIATE serialises the chain)."""
    last = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    prev_seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    ev = AuditEvent(
        seq=prev_seq + 1,
        at=(at or utcnow()).astimezone(UTC),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=_jsonable(detail or {}),
        prev_hash=prev_hash,
        hash="",
    )
    ev.hash = chain_hash(prev_hash, ev)
    session.add(ev)
    return ev


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in order; report the first row whose link or content does not match."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000):
        if ev.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"审计记录第 {expected_seq} 条缺失（下一条为第 {ev.seq} 条）")
        if ev.prev_hash != prev_hash:
            return ChainReport(checked, ev.seq, f"审计记录第 {ev.seq} 条的前序哈希与第 {ev.seq - 1} 条不符")
        if chain_hash(prev_hash, ev) != ev.hash:
            return ChainReport(checked, ev.seq, f"审计记录第 {ev.seq} 条的内容已被改动（哈希不符）")
        prev_hash = ev.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None, None)

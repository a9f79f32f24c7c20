"""The audit log: append in the caller's transaction, keyed with the device's secret, verified against the
platform's signed anchors.

Each row's `hash` is SHA-256 over the previous row's hash and the row's canonical content
(`app.rules.audit_chain`), so altering, inserting or removing a row breaks the link at that row. From the
chain's `keyed_from` seq on, each row also carries `mac` = HMAC-SHA256(device secret, seq|hash); the secret
lives in the OS keyring (`app.audit_keys`). As the hash chains every earlier row, the first keyed row also
vouches for the legacy rows before it. Receipts (`AuditReceipt`, signed by the platform, pinned key) anchor
heads outside the laptop: a row covered by an anchor cannot be removed, edited or re-hashed unnoticed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit_keys
from app.models import AuditEvent, AuditReceipt, SyncState, utcnow
from app.rules.audit_chain import GENESIS, ChainRow, canonical, compare_anchors, row_hash, row_mac, walk

if TYPE_CHECKING:
    from app.store import Store

__all__ = ["GENESIS", "ChainReport", "append", "chain_hash", "install_key", "verify_chain"]

log = logging.getLogger(__name__)

CHAIN_ID = "audit_chain_id"
KEYED_FROM = "audit_keyed_from"

#: database URL → (chain id, key or None): installed by `Store.open`, read by `append` and `verify_chain`
_KEYS: dict[str, tuple[str, audit_keys.ChainKey | None]] = {}


def _canonical(ev: AuditEvent) -> bytes:
    return canonical(ev.seq, ev.at.isoformat(), ev.actor, ev.action, ev.entity, ev.entity_id, ev.detail)


def chain_hash(prev_hash: str, ev: AuditEvent) -> str:
    return row_hash(prev_hash, _canonical(ev))


def _url(session: Session) -> str:
    bind: Any = session.get_bind()
    return str(getattr(bind, "url", None) or bind.engine.url)


def _state(session: Session, key: str) -> str | None:
    row = session.get(SyncState, key)
    return row.value if row is not None else None


def install_key(store: Store) -> audit_keys.ChainKey | None:
    """Load this store's chain key from the keyring, creating it (keyed from the next seq) on first use.
    Without a keyring the chain continues un-keyed and `verify` says so."""
    url = str(store.engine.url)
    with store.read() as session:
        chain_id = _state(session, CHAIN_ID)
        keyed_before = _state(session, KEYED_FROM) is not None
    key = None
    try:
        key = audit_keys.load_chain_key(chain_id) if chain_id else None
        for _ in range(3 if keyed_before and key is None else 0):  # a keyring busy with another process
            time.sleep(0.05)
            key = audit_keys.load_chain_key(chain_id) if chain_id else None
            if key is not None:
                break
        if key is None:
            if keyed_before:
                log.warning("the keyring has no key for this keyed audit chain: a new key is made")
            chain_id, key = _create_key(store)
    except audit_keys.KeyringUnavailable:
        log.warning("keyring unavailable: audit rows are chained but not keyed")
    if chain_id is None:
        return None
    _KEYS[url] = (chain_id, key)
    return key


def _create_key(store: Store) -> tuple[str, audit_keys.ChainKey]:
    """First use (or a keyring that lost the item): a new secret keyed from the next seq, made inside a write
    transaction so that two processes opening the store at once agree on it."""
    with store.write() as session:
        chain_id = _state(session, CHAIN_ID)
        if chain_id is None:
            chain_id = uuid.uuid4().hex
            session.add(SyncState(key=CHAIN_ID, value=chain_id))
        key = audit_keys.load_chain_key(chain_id)
        if key is None:
            last = session.scalar(select(func.max(AuditEvent.seq))) or 0
            key = audit_keys.new_chain_key(last + 1)
            audit_keys.save_chain_key(chain_id, key)
            session.merge(SyncState(key=KEYED_FROM, value=str(key.keyed_from)))
            log.info("audit chain keyed from seq %d", key.keyed_from)
    return chain_id, key


def chain_info(session: Session) -> tuple[str | None, audit_keys.ChainKey | None]:
    """(chain id, key) of the session's store; the key is re-read from the keyring (anchors move it)."""
    chain_id, key = _KEYS.get(_url(session), (_state(session, CHAIN_ID), None))
    if chain_id is not None:
        with contextlib.suppress(audit_keys.KeyringUnavailable):
            key = audit_keys.load_chain_key(chain_id) or key
    return chain_id, key


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
    key = _KEYS.get(_url(session), ("", None))[1]
    if key is not None and ev.seq >= key.keyed_from:
        ev.mac = row_mac(key.secret, ev.seq, ev.hash)
    session.add(ev)
    return ev


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str | None
    keyed_from: int | None = None  # rows from this seq carry a keyed MAC (None: never keyed)
    macs_checked: bool = False  # False when the keyring could not give the secret
    anchors: int = 0  # valid platform receipts checked against the chain
    anchored_seq: int = 0  # the newest seq a valid receipt covers
    anchor_problem: str | None = None
    notes: list[str] = field(default_factory=list)  # Chinese, informational

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.anchor_problem is None


def _rows(session: Session) -> Any:
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000):
        yield ChainRow(ev.seq, ev.at.isoformat(), ev.actor, ev.action, ev.entity, ev.entity_id, ev.detail,
                       ev.prev_hash, ev.hash, ev.mac)


def verify_chain(session: Session, *, check_anchors: bool = True) -> ChainReport:
    """Walk the chain (links, hashes, MACs from `keyed_from`), then compare it with every valid receipt and
    the anchored head kept in the keyring. Reports the first broken link and the first anchor mismatch."""
    from app.audit_anchor import valid_anchors

    chain_id, key = chain_info(session)
    notes: list[str] = []
    stored_from = _state(session, KEYED_FROM)
    keyed_from = key.keyed_from if key is not None else (int(stored_from) if stored_from else None)
    if key is None and keyed_from is not None:
        notes.append(f"系统钥匙串中没有本数据文件的审计密钥，第 {keyed_from} 条起的密钥签名未能校验")
    elif key is not None and stored_from and int(stored_from) != key.keyed_from:
        notes.append(f"数据文件记录的密钥起点（第 {stored_from} 条）与钥匙串中的（第 {key.keyed_from} 条）不一致")
    if key is not None:
        older = session.scalar(select(func.min(AuditEvent.seq)).where(
            AuditEvent.mac.is_not(None), AuditEvent.seq < key.keyed_from))
        if older is not None:
            notes.append(f"第 {older}–{key.keyed_from - 1} 条由此前的另一把密钥签名（钥匙串中的密钥已更换或丢失），"
                         "这些签名已无法校验，只能由平台回执核对")
    anchors, anchor_problem = valid_anchors(session, chain_id) if check_anchors else ([], None)
    if key is not None and key.anchored_seq and check_anchors:
        if not any(seq >= key.anchored_seq for seq, _h in anchors):
            anchor_problem = anchor_problem or (
                f"钥匙串记录平台已确认到第 {key.anchored_seq} 条，但数据文件中缺少对应的平台回执（回执被删除）")
        anchors.append((key.anchored_seq, key.anchored_hash))
    result = walk(_rows(session), secret=key.secret if key else None, keyed_from=keyed_from,
                  keep={seq for seq, _h in anchors})
    if result.problem is None and anchors and anchor_problem is None:
        anchor_problem = compare_anchors(result.hashes, result.last_seq, anchors)
    anchored = max((seq for seq, _h in anchors), default=0)
    return ChainReport(result.checked, result.broken_at, result.problem, keyed_from, key is not None,
                       len(anchors), anchored, anchor_problem, notes)


def receipts(session: Session) -> list[AuditReceipt]:
    return list(session.scalars(select(AuditReceipt).order_by(AuditReceipt.seq)))

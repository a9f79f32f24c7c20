"""Audit anchors (`POST /api/v1/audit/anchors`): a laptop sends its audit chain head (seq, hash) at each sync;
the platform stores it and answers a receipt signed with its own Ed25519 key.

The signing key is made on first use in the platform's data dir (`audit_signing_key.pem`, mode 0600) and
never leaves it; laptops pin its public key on first use. `check_chain` (the admin command `verify-chain`)
compares a laptop's chain — a copy of its DB, or the heads it exported — with every anchor stored for it.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Request
from sqlalchemy import Engine, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.rules.audit_chain import ChainRow, anchor_payload, compare_anchors, iso_from_sqlite, walk
from sync.protocol import API_PREFIX, AnchorReceipt, AnchorRequest, ErrorBody
from sync.server.auth import CallerDep
from sync.server.common import engine_of
from sync.server.storage import Base, read_session, write_session

router = APIRouter(prefix=f"{API_PREFIX}/audit", tags=["audit"])
KEY_FILE = "audit_signing_key.pem"


class AuditAnchor(Base):
    """One chain head a laptop reported, as signed."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain_id: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(40))
    regressed: Mapped[bool] = mapped_column(default=False)


def signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The platform's audit signing key, created (0600) on first use."""
    path = Path(data_dir) / KEY_FILE
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
                f.flush()
                os.fsync(f.fileno())
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    return loaded


def public_key_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _key(request: Request) -> Ed25519PrivateKey:
    state = request.app.state
    if getattr(state, "audit_key", None) is None:
        state.audit_key = signing_key(state.settings.data_dir)
    return state.audit_key


@router.post("/anchors", response_model=AnchorReceipt, summary="登记审计链头并返回平台签名回执",
             responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}})
def post_anchor(body: AnchorRequest, request: Request, caller: CallerDep) -> AnchorReceipt:
    key = _key(request)
    received_at = datetime.now(UTC).isoformat()
    with write_session(engine_of(request)) as session:
        top = session.execute(select(func.max(AuditAnchor.seq)).where(AuditAnchor.chain_id == body.chain_id)).scalar()
        same = session.scalar(select(AuditAnchor.hash).where(
            AuditAnchor.chain_id == body.chain_id, AuditAnchor.seq == body.seq).limit(1))
        regressed = (top is not None and body.seq < top) or (same is not None and same != body.hash)
        session.add(AuditAnchor(chain_id=body.chain_id, device_id=caller.device_id, username=caller.username,
                                seq=body.seq, hash=body.hash, received_at=received_at, regressed=regressed))
    payload = anchor_payload(chain_id=body.chain_id, device_id=caller.device_id, seq=body.seq, hash_=body.hash,
                             received_at=received_at)
    signature = base64.b64encode(key.sign(payload.encode())).decode()
    return AnchorReceipt(payload=payload, signature=signature,
                         public_key=base64.b64encode(public_key_bytes(key)).decode(), regressed=regressed)


# ---- checking a laptop's chain against the stored anchors -----------------------------------------------

@dataclass(frozen=True)
class ChainCheck:
    chain_id: str
    anchors: int
    checked: int  # rows walked (DB copy) or heads compared (export)
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def stored_anchors(engine: Engine, chain_id: str) -> list[AuditAnchor]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditAnchor).where(AuditAnchor.chain_id == chain_id)
                                    .order_by(AuditAnchor.seq, AuditAnchor.id)))


def _db_rows(conn: sqlite3.Connection) -> Any:
    for seq, at, actor, action, entity, entity_id, detail, prev_hash, hash_ in conn.execute(
            "select seq, at, actor, action, entity, entity_id, detail, prev_hash, hash from audit_events "
            "order by seq"):
        import json

        yield ChainRow(seq, iso_from_sqlite(at), actor, action, entity, entity_id,
                       json.loads(detail) if detail is not None else None, prev_hash, hash_)


def check_db_copy(engine: Engine, db_copy: Path, chain_id: str | None = None) -> ChainCheck:
    """Recompute the whole chain of a laptop DB copy and compare it with every anchor stored for it."""
    conn = sqlite3.connect(f"file:{Path(db_copy).as_posix()}?mode=ro", uri=True)
    try:
        if chain_id is None:
            row = conn.execute("select value from sync_state where key='audit_chain_id'").fetchone()
            chain_id = row[0] if row else ""
        anchors = stored_anchors(engine, chain_id or "")
        result = walk(_db_rows(conn), keep={a.seq for a in anchors})
    except sqlite3.DatabaseError as exc:
        return ChainCheck(chain_id or "", 0, 0, [f"无法读取数据文件副本：{exc}"])
    finally:
        conn.close()
    problems = [result.problem] if result.problem else []
    mismatch = compare_anchors(result.hashes, result.last_seq, [(a.seq, a.hash) for a in anchors])
    if mismatch and not problems:
        problems.append(mismatch)
    problems += _regressions(anchors)
    return ChainCheck(chain_id or "", len(anchors), result.checked, problems)


def check_heads(engine: Engine, chain_id: str, heads: list[tuple[int, str]]) -> ChainCheck:
    """Compare exported heads (seq, hash) of a laptop's chain with the stored anchors: every anchored seq up to
    the newest exported head must be exported with the anchored hash."""
    anchors = stored_anchors(engine, chain_id)
    exported = dict(heads)
    last = max(exported, default=0)
    problems: list[str] = []
    for a in anchors:
        if a.seq > last:
            problems.append(f"平台登记过第 {a.seq} 条（{a.received_at}），导出的审计链只到第 {last} 条")
        elif a.seq in exported and exported[a.seq] != a.hash:
            problems.append(f"第 {a.seq} 条的哈希与平台登记的不符（该条或更早的记录被改写）")
        elif a.seq not in exported:
            problems.append(f"导出的链头中缺少平台登记过的第 {a.seq} 条")
    return ChainCheck(chain_id, len(anchors), len(heads), problems + _regressions(anchors))


def _regressions(anchors: list[AuditAnchor]) -> list[str]:
    return [f"{a.received_at} 该设备报告的链头（第 {a.seq} 条）短于或不同于此前登记的链头（数据被回退或改写）"
            for a in anchors if a.regressed]

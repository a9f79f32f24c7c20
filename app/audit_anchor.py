"""Anchors of the audit chain: the platform's Ed25519-signed receipts of a chain head (seq, hash).

The signed payload is a canonical JSON text {"v": 1, "chain_id", "device_id", "seq", "hash", "received_at"}
(`app.rules.audit_chain.anchor_payload`, shared with the platform).
A receipt counts only when its signature verifies under the platform key pinned (first use) in the keyring
for that server URL, and its fields match what it is stored as. `sync.anchors` obtains receipts; `verify`
(through `app.audit.verify_chain`) checks the chain against them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit_keys
from app.models import AuditEvent, AuditReceipt
from app.rules.audit_chain import ANCHOR_PAYLOAD_VERSION

PAYLOAD_VERSION = ANCHOR_PAYLOAD_VERSION


def key_id(public_key: bytes) -> str:
    return hashlib.sha256(public_key).hexdigest()


def signature_ok(public_key: bytes, payload: str, signature_b64: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(base64.b64decode(signature_b64), payload.encode())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def parse_payload(payload: str) -> dict[str, Any] | None:
    try:
        body = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("v") != PAYLOAD_VERSION:
        return None
    if not isinstance(body.get("seq"), int) or not isinstance(body.get("hash"), str):
        return None
    return body


def chain_head(session: Session) -> tuple[int, str] | None:
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else None


def valid_anchors(session: Session, chain_id: str | None) -> tuple[list[tuple[int, str]], str | None]:
    """(seq, hash) of every receipt that verifies, and the first problem with one that does not."""
    anchors: list[tuple[int, str]] = []
    problem: str | None = None
    pins: dict[str, bytes | None] = {}
    for r in session.scalars(select(AuditReceipt).order_by(AuditReceipt.seq)):
        if r.server_url not in pins:
            try:
                pins[r.server_url] = audit_keys.pinned_platform_key(r.server_url)
            except audit_keys.KeyringUnavailable:
                pins[r.server_url] = None
        pinned = pins[r.server_url]
        body = parse_payload(r.payload)
        if pinned is None:
            problem = problem or f"第 {r.seq} 条的平台回执无法核对：钥匙串中没有该平台（{r.server_url}）的公钥"
        elif key_id(pinned) != r.key_id or not signature_ok(pinned, r.payload, r.signature):
            problem = problem or f"第 {r.seq} 条的平台回执签名无效（回执被伪造或改动）"
        elif body is None or body["seq"] != r.seq or body["hash"] != r.hash or body.get("chain_id") != chain_id:
            problem = problem or f"第 {r.seq} 条的平台回执内容与登记不符（回执被改动）"
        else:
            anchors.append((r.seq, r.hash))
    return anchors, problem


def store_receipt(session: Session, *, server_url: str, public_key: bytes, payload: str, signature: str) -> None:
    body = parse_payload(payload)
    assert body is not None
    session.add(AuditReceipt(
        server_url=server_url.rstrip("/"), chain_id=str(body.get("chain_id")), seq=body["seq"], hash=body["hash"],
        received_at=str(body.get("received_at")), key_id=key_id(public_key), payload=payload, signature=signature,
    ))

"""The audit chain's arithmetic, pure (no store, no keyring) so that the laptop and the platform compute it
the same way — the platform checks a laptop's chain against its anchors with these functions.

* `row_hash` — SHA-256 over the previous row's hash and a canonical JSON of the row's own content (unchanged
  since the first release: older rows verify as they always did).
* `row_mac` — HMAC-SHA256 with the device's secret over (seq, hash). Because the hash chains every earlier
  row, the MAC of row N vouches for rows 1..N; without the secret, a rewritten chain cannot carry valid MACs.
* `walk` — checks a sequence of rows: numbering, links, hashes, and (given the secret) MACs from `keyed_from`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainRow:
    seq: int
    at: str  # ISO 8601, aware UTC (what `datetime.isoformat()` gives for the stored time)
    actor: str
    action: str
    entity: str
    entity_id: str
    detail: Any
    prev_hash: str
    hash: str
    mac: str | None = None


def canonical(seq: int, at: str, actor: str, action: str, entity: str, entity_id: str, detail: Any) -> bytes:
    body = {"seq": seq, "at": at, "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
            "detail": detail}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def row_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + content).hexdigest()


def row_mac(secret: bytes, seq: int, hash_: str) -> str:
    return hmac.new(secret, f"lxt-audit-v1|{seq}|{hash_}".encode(), hashlib.sha256).hexdigest()


ANCHOR_PAYLOAD_VERSION = 1


def anchor_payload(*, chain_id: str, device_id: str, seq: int, hash_: str, received_at: str) -> str:
    """The exact text the platform signs for an anchor (canonical JSON)."""
    body = {"v": ANCHOR_PAYLOAD_VERSION, "chain_id": chain_id, "device_id": device_id, "seq": seq, "hash": hash_,
            "received_at": received_at}
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def iso_from_sqlite(raw: str) -> str:
    """The stored naive-UTC text of a timestamp → the aware ISO form the hash was computed over."""
    return datetime.fromisoformat(raw).replace(tzinfo=UTC).isoformat()


@dataclass(frozen=True)
class WalkResult:
    checked: int
    last_seq: int
    hashes: dict[int, str]  # seq → hash, for comparing with anchors
    problem: str | None = None  # Chinese, the first broken link
    broken_at: int | None = None
    kind: str | None = None  # missing / link / hash / mac


def walk(rows: Iterable[ChainRow], *, secret: bytes | None = None, keyed_from: int | None = None,
         keep: set[int] | None = None) -> WalkResult:
    """Check rows in seq order; stop at the first problem. MACs are checked from `keyed_from` when `secret`
    is given; a keyed row without a MAC is a problem (a downgrade). `keep`: the seqs whose hashes to return
    (all when None)."""
    prev, expected, checked = GENESIS, 1, 0
    hashes: dict[int, str] = {}
    for r in rows:
        if r.seq != expected:
            return WalkResult(checked, expected - 1, hashes,
                              f"审计记录第 {expected} 条缺失（下一条为第 {r.seq} 条）", expected, "missing")
        if r.prev_hash != prev:
            return WalkResult(checked, expected - 1, hashes,
                              f"审计记录第 {r.seq} 条的前序哈希与第 {r.seq - 1} 条不符", r.seq, "link")
        content = canonical(r.seq, r.at, r.actor, r.action, r.entity, r.entity_id, r.detail)
        if row_hash(prev, content) != r.hash:
            return WalkResult(checked, expected - 1, hashes,
                              f"审计记录第 {r.seq} 条的内容已被改动（哈希不符）", r.seq, "hash")
        if secret is not None and keyed_from is not None and r.seq >= keyed_from and (
                r.mac is None or not hmac.compare_digest(row_mac(secret, r.seq, r.hash), r.mac)):
            return WalkResult(checked, expected - 1, hashes,
                              f"审计记录第 {r.seq} 条的密钥签名不符（记录被改写或重算）", r.seq, "mac")
        if keep is None or r.seq in keep:
            hashes[r.seq] = r.hash
        prev = r.hash
        expected += 1
        checked += 1
    return WalkResult(checked, expected - 1, hashes)


def compare_anchors(hashes: dict[int, str], last_seq: int, anchors: Iterable[tuple[int, str]]) -> str | None:
    """The first anchored head the chain does not contain as anchored (Chinese), or None."""
    for seq, anchored in sorted(anchors):
        if seq > last_seq:
            return f"平台回执确认过第 {seq} 条审计记录，本机审计链只到第 {last_seq} 条（记录被删除）"
        if hashes.get(seq) != anchored:
            return f"第 {seq} 条审计记录与平台回执中的哈希不符（该条或更早的记录被改写）"
    return None

"""Audit anchoring, the sync phase: send this store's audit chain head (seq, hash) to the platform and keep
its signed receipt.

The platform's Ed25519 public key is pinned in the keyring on first use, per server URL (`app.audit_keys`);
a receipt under a different key is refused (`PlatformKeyChanged`) and nothing is stored. A receipt is stored
only when its signature verifies and it names exactly the head that was sent. A platform without the
endpoint (404) is skipped quietly: the chain stays verifiable locally, just not anchored.
"""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any

from sqlalchemy import func, select

from app import audit, audit_keys
from app.audit_anchor import chain_head, parse_payload, signature_ok, store_receipt
from app.models import AuditReceipt
from app.store import Store
from sync.protocol import AnchorReceipt, AnchorRequest
from sync.transport import ProtocolError, RequestRejected, SyncError, parse

log = logging.getLogger(__name__)


class PlatformKeyChanged(SyncError):
    default_code = "platform_key_changed"
    default_message = ("平台的审计签名公钥与本机首次连接该平台时记录的不一致，已拒绝该平台的审计回执。"
                       "这可能是连接到了假冒的平台，请联系管理员核实平台地址和密钥。")


class AnchorKeyringError(SyncError):
    default_code = "keyring"
    default_message = "无法访问系统钥匙串，审计链本次未能登记到平台。请检查系统的密码管理服务。"


def server_url_of(api: Any) -> str:
    return str(getattr(getattr(api, "transport", api), "base_url", "")).rstrip("/")


def anchor(store: Store, api: Any, *, device_id: str) -> int | None:
    """Anchor the current head; returns the anchored seq (None when there was nothing new to anchor)."""
    url = server_url_of(api)
    with store.read() as session:
        head = chain_head(session)
        chain_id, _key = audit.chain_info(session)
        done = session.scalar(select(func.max(AuditReceipt.seq)).where(AuditReceipt.server_url == url))
    if head is None or chain_id is None or (done is not None and done >= head[0]):
        return None
    seq, hash_ = head
    body = AnchorRequest(device_id=device_id, chain_id=chain_id, seq=seq, hash=hash_).model_dump()
    try:
        resp = api.request("POST", "/audit/anchors", json_body=body, idempotent=True)
    except RequestRejected as exc:
        if exc.status in (404, 405):
            log.info("platform has no audit anchor endpoint; chain not anchored")
            return None
        raise
    receipt = parse(resp, AnchorReceipt)
    try:
        public = base64.b64decode(receipt.public_key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProtocolError(code="bad_anchor_key") from exc
    if len(public) != 32 or not signature_ok(public, receipt.payload, receipt.signature):
        raise ProtocolError("平台的审计回执签名无效，已拒绝；本机审计链未受影响。", code="bad_anchor_signature")
    signed = parse_payload(receipt.payload)
    if signed is None or (signed.get("chain_id"), signed["seq"], signed["hash"]) != (chain_id, seq, hash_):
        raise ProtocolError("平台的审计回执与本机发送的链头不符，已拒绝。", code="bad_anchor_payload")
    try:
        pinned = audit_keys.pinned_platform_key(url)
        if pinned is None:
            audit_keys.pin_platform_key(url, public)  # trust on first use
            log.info("platform audit key pinned for %s", url)
        elif pinned != public:
            raise PlatformKeyChanged()
    except audit_keys.KeyringUnavailable as exc:
        raise AnchorKeyringError() from exc
    with store.write() as session:
        store_receipt(session, server_url=url, public_key=public, payload=receipt.payload,
                      signature=receipt.signature)
    try:
        audit_keys.record_anchor(chain_id, seq, hash_)
    except audit_keys.KeyringUnavailable as exc:
        raise AnchorKeyringError() from exc
    return seq

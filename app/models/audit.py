"""Append-only, hash-chained audit log rows (who did what to which record, when), and the platform's signed
receipts for anchored chain heads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))  # create / update / transition / void / issue …
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))  # HMAC with the device's keyring secret (None: legacy)


class AuditReceipt(Base):
    """The platform's Ed25519-signed receipt that it saw this chain's head (seq, hash) — an anchor."""

    __tablename__ = "audit_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_url: Mapped[str] = mapped_column(String(300))
    chain_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(64))  # SHA-256 of the platform's public key (hex)
    payload: Mapped[str] = mapped_column(Text)  # the exact signed text
    signature: Mapped[str] = mapped_column(Text)  # base64
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

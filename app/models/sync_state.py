"""Sync bookkeeping kept beside the data: outbox, key/value state (cursor, device id), conflicts, uploads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin, new_id, utcnow


class OutboxEntry(Base):
    """A local change waiting for the platform. Written in the same transaction as the change itself; removed
    only when the platform acknowledged it. `state`: pending / parked (rejected, shown to a person)."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    op: Mapped[str] = mapped_column(String(20))  # create / update / transition / append / void
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    base: Mapped[dict[str, Any]] = mapped_column(default=dict)  # field values before the edit (for merges)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncState(Base):
    """Key/value sync state: cursor, device id, last successful sync, signed-in user (never a token)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Conflict(IdMixin, Base):
    """A field the platform and this laptop both changed; `status` open until a person decides."""

    __tablename__ = "conflicts"

    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16), default="edit")  # edit (same field) / server_wins
    base_value: Mapped[Any] = mapped_column(default=None, type_=JSON)
    local_value: Mapped[Any] = mapped_column(default=None, type_=JSON)
    server_value: Mapped[Any] = mapped_column(default=None, type_=JSON)
    server_version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolution: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class Upload(Base):
    """Resumable upload state of one evidence blob."""

    __tablename__ = "uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    upload_id: Mapped[str | None] = mapped_column(String(64))
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending / uploading / done / failed
    receipt: Mapped[str | None] = mapped_column(Text)
    last_error: Mapped[str | None] = mapped_column(Text)

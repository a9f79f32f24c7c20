"""Standard enforcement documents (文书) and the number blocks (文号段) the platform allocates per device."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin, VersionedMixin


class Document(VersionedMixin, Base):
    """A document: draft → issued → served, or voided. Issued documents are immutable; their PDF hash is kept."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("body_id", "doc_type", "year", "seq"),)

    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    template_version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    body_kind: Mapped[str] = mapped_column(String(16))  # township / department
    body_id: Mapped[str] = mapped_column(String(64))
    body_legal_name: Mapped[str] = mapped_column(String(80))
    seal_name: Mapped[str] = mapped_column(String(80))
    number_prefix: Mapped[str] = mapped_column(String(20))
    catalogue_edition: Mapped[int | None] = mapped_column(Integer)  # edition the body was decided under
    jurisdiction_reason: Mapped[str | None] = mapped_column(String(16))  # empowered / dispatched / not_empowered
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(60), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    matter_code: Mapped[str | None] = mapped_column(String(40))
    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), index=True)
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_at: Mapped[datetime | None]
    issued_by: Mapped[str | None] = mapped_column(String(60))
    service: Mapped[dict[str, Any]] = mapped_column(default=dict)  # method, date, recipient, witness …
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(60), default="")


class NumberBlock(IdMixin, Base):
    """A range [start, end] of document numbers the platform gave this device for body × type × year."""

    __tablename__ = "number_blocks"

    body_id: Mapped[str] = mapped_column(String(64), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(64))

"""Transfers (移送) to district departments and notices (抄告) to regulating departments."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class Referral(VersionedMixin, Base):
    """`kind` is "transfer" (案件移送), "case_clue" or "notice" (抄告); `status`: open → sent → received →
    answered, each step recorded in `tracking`."""

    __tablename__ = "referrals"

    kind: Mapped[str] = mapped_column(String(16))
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"))
    to_department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"))
    matter_code: Mapped[str | None] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200), default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    reply_due: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[str] = mapped_column(String(60), default="")
    # plain ids, no foreign keys: cases point to referrals (a received transfer) and documents to cases, so
    # keys both ways would make a cycle the ORM cannot order
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)
    letter_id: Mapped[str | None] = mapped_column(String(64))  # its 案件移送函 (a document id)
    tracking: Mapped[list[Any]] = mapped_column(default=list)  # [{status, on, note, actor}], oldest first

"""Evidence metadata. The bytes live content-addressed under their SHA-256 in the evidence directory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class Evidence(VersionedMixin, Base):
    """One piece of evidence. Immutable; a void keeps the original and records the reason."""

    __tablename__ = "evidence"

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # photo / video / audio / document / signature
    original_name: Mapped[str] = mapped_column(Text)
    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    imported_by: Mapped[str] = mapped_column(String(60))
    imported_at: Mapped[datetime]
    exif_time: Mapped[datetime | None]
    gps_lat: Mapped[float | None]
    gps_lon: Mapped[float | None]
    caption: Mapped[str] = mapped_column(Text, default="")
    voided: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str | None] = mapped_column(Text)
    uploaded: Mapped[bool] = mapped_column(default=False)  # blob verified by the platform

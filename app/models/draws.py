"""Random draws (双随机一公开): pool snapshot, algorithm, seed, exclusions and result, for re-running."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class RandomDraw(VersionedMixin, Base):
    __tablename__ = "random_draws"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    item_codes: Mapped[list[Any]] = mapped_column(default=list)  # 抽查事项清单
    target_filter: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pool_snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)  # targets and inspectors as drawn from
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(40))
    seed: Mapped[str] = mapped_column(String(64))
    exclusions: Mapped[list[Any]] = mapped_column(default=list)
    result: Mapped[list[Any]] = mapped_column(default=list)  # [{target_id, officer_ids}]
    drawn_at: Mapped[datetime]
    drawn_by: Mapped[str] = mapped_column(String(60))
    published_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")

"""The matter catalogue (乡镇实施的行政执法事项目录): versioned rows and per-township empowerment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IdMixin, VersionedMixin, utcnow


class CatalogueVersion(Base):
    """One published edition of the catalogue; versions only grow."""

    __tablename__ = "catalogue_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    effective_date: Mapped[date]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")


class Matter(VersionedMixin, Base):
    """A catalogue row (事项). `code` is stable across versions; `catalogue_version` is the edition that last
    changed it. Check points (检查要点) drive the merged checklists."""

    __tablename__ = "matters"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(20), index=True)  # 领域
    owner_department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"))
    legal_basis: Mapped[str] = mapped_column(Text, default="")  # 法律依据 (the provision breached)
    penalty_basis: Mapped[str] = mapped_column(Text, default="")  # 处罚依据
    discretion: Mapped[list[Any]] = mapped_column(default=list)  # 裁量阶次与幅度: [{level, range, ...}]
    check_points: Mapped[list[Any]] = mapped_column(default=list)  # ["…", …]
    industries: Mapped[list[Any]] = mapped_column(default=list)  # target industries it usually applies to
    random_item: Mapped[bool] = mapped_column(Boolean, default=False)  # on the 双随机 item list
    major_penalty: Mapped[bool] = mapped_column(Boolean, default=False)  # may need a major penalty → transfer
    catalogue_version: Mapped[int] = mapped_column(Integer, default=1)
    since_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # first edition listing it
    effective_date: Mapped[date | None]


class MatterEmpowerment(IdMixin, Base):
    """Whether `matter_code` is empowered to `township_id` from catalogue `version` on. The row with the
    greatest version not above the catalogue version in question decides."""

    __tablename__ = "matter_empowerments"
    __table_args__ = (UniqueConstraint("township_id", "matter_code", "version"),)

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    matter_code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    empowered: Mapped[bool] = mapped_column(Boolean)

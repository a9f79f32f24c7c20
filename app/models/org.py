"""The organisation: townships (赋权/派驻), district departments, units, grids, officers and their interests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, VersionedMixin


class Township(VersionedMixin, Base):
    """A township or sub-district. `mode` is "empowered" (赋权) or "dispatched" (派驻)."""

    __tablename__ = "townships"

    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8), default="镇")  # 镇 / 街道 / 乡
    mode: Mapped[str] = mapped_column(String(16))
    legal_name: Mapped[str] = mapped_column(String(80))  # 杭州市富阳区新登镇人民政府
    seal_name: Mapped[str] = mapped_column(String(80))
    number_prefix: Mapped[str] = mapped_column(String(20))  # 新登镇综执
    team_name: Mapped[str] = mapped_column(String(80))  # 综合行政执法队 / 联合巡查执法队

    grids: Mapped[list[Grid]] = relationship(back_populates="township", order_by="Grid.code")


class Department(VersionedMixin, Base):
    """A district department in whose name non-empowered matters are enforced."""

    __tablename__ = "departments"

    name: Mapped[str] = mapped_column(String(40))  # 区综合行政执法局
    short_name: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(20))  # 领域: 市容环卫, 市场监管 …
    kind: Mapped[str] = mapped_column(String(16), default="specialised")  # bureau / specialised / internal
    legal_name: Mapped[str] = mapped_column(String(80))
    seal_name: Mapped[str] = mapped_column(String(80))
    number_prefix: Mapped[str] = mapped_column(String(20))


class Unit(VersionedMixin, Base):
    """A squad or station (执法中队, 市场监管所 …) of a department, working in a township."""

    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    township_id: Mapped[str | None] = mapped_column(ForeignKey("townships.id"))


class Grid(VersionedMixin, Base):
    """A patrol grid (网格) inside a township; `patrol_tier` is the current patrol frequency tier."""

    __tablename__ = "grids"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    patrol_tier: Mapped[int] = mapped_column(default=1)

    township: Mapped[Township] = relationship(back_populates="grids")


class Officer(VersionedMixin, Base):
    """A person of the team: leader, officer or clerk, with an enforcement certificate (执法证) or none."""

    __tablename__ = "officers"

    name: Mapped[str] = mapped_column(String(40))
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # leader / officer / clerk
    township_id: Mapped[str | None] = mapped_column(ForeignKey("townships.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"))
    certificate_no: Mapped[str | None] = mapped_column(String(40))
    cert_valid_until: Mapped[date | None]
    fields: Mapped[list[Any]] = mapped_column(default=list)  # 执法领域 covered by the certificate
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    interests: Mapped[list[OfficerInterest]] = relationship(
        back_populates="officer", cascade="all, delete-orphan"
    )


class OfficerInterest(VersionedMixin, Base):
    """A declared interest (利害关系) of an officer in a target: grounds for recusal (回避)."""

    __tablename__ = "officer_interests"
    __table_args__ = (UniqueConstraint("officer_id", "target_id"),)

    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("targets.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")

    officer: Mapped[Officer] = relationship(back_populates="interests")

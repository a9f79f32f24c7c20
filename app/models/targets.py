"""Inspection targets (检查对象): enterprises, individual businesses, premises and natural persons."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class Target(VersionedMixin, Base):
    __tablename__ = "targets"

    name: Mapped[str] = mapped_column(String(120), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)  # 统一社会信用代码
    kind: Mapped[str] = mapped_column(String(16))  # 企业 / 个体工商户 / 场所 / 自然人
    address: Mapped[str] = mapped_column(Text, default="")
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"), index=True)
    industry: Mapped[str] = mapped_column(String(40), default="")
    risk_grade: Mapped[str] = mapped_column(String(4), default="B")  # A (low) … D (high)
    legal_rep: Mapped[str | None] = mapped_column(String(40))
    contact_name: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(20))

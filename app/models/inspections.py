"""Inspection plans (综合查一次 / 双随机), inspections in the field and their findings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class InspectionPlan(VersionedMixin, Base):
    """A planned visit: one target, many matters, lead (牵头) and supporting (配合) departments, officers."""

    __tablename__ = "inspection_plans"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("targets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="joint")  # joint / random / patrol / special
    scheduled_at: Mapped[datetime] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=120)
    lead_department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    supporting_department_ids: Mapped[list[Any]] = mapped_column(default=list)
    matter_codes: Mapped[list[Any]] = mapped_column(default=list)
    officer_ids: Mapped[list[Any]] = mapped_column(default=list)
    task_ids: Mapped[list[Any]] = mapped_column(default=list)
    draw_id: Mapped[str | None] = mapped_column(ForeignKey("random_draws.id"))
    status: Mapped[str] = mapped_column(String(16), default="planned")  # planned / done / cancelled / merged
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60), default="")


class Inspection(VersionedMixin, Base):
    """An inspection record in the field; locked once `status` is "finalised"."""

    __tablename__ = "inspections"

    plan_id: Mapped[str | None] = mapped_column(ForeignKey("inspection_plans.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    target_id: Mapped[str | None] = mapped_column(ForeignKey("targets.id"), index=True)
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(Text, default="")
    officer_ids: Mapped[list[Any]] = mapped_column(default=list)
    certificates_shown: Mapped[bool] = mapped_column(default=False)
    recusal_told: Mapped[bool] = mapped_column(default=False)
    party: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {type, name, id_number|credit_code, …}
    onsite_person: Mapped[dict[str, Any]] = mapped_column(default=dict)
    witnesses: Mapped[list[Any]] = mapped_column(default=list)
    observations: Mapped[str] = mapped_column(Text, default="")
    signatures: Mapped[dict[str, Any]] = mapped_column(default=dict)  # role → evidence id or refusal
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft / finalised
    finalised_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(60), default="")


class Finding(VersionedMixin, Base):
    """One answered check item or free observation. Append-only once its inspection is finalised."""

    __tablename__ = "findings"
    __table_args__ = (
        # covering index for the grid analysis (统计): one range scan per township and period
        Index("ix_findings_township_found", "township_id", "found_at", "grid_id", "matter_code", "result"),
    )

    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"), index=True)
    target_id: Mapped[str | None] = mapped_column(ForeignKey("targets.id"), index=True)
    matter_code: Mapped[str | None] = mapped_column(String(40), index=True)
    check_point: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(16), default="")  # compliant / violation / not_applicable
    note: Mapped[str] = mapped_column(Text, default="")
    fact: Mapped[str] = mapped_column(Text, default="", server_default="")  # 违法事实: the officer's statement
    found_at: Mapped[datetime] = mapped_column(index=True)
    created_by: Mapped[str] = mapped_column(String(60), default="")

"""Instructions (指令/任务) from the command centre, their assignees, matters and status events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, IdMixin, VersionedMixin, utcnow


class Task(VersionedMixin, Base):
    """An instruction. Platform-owned fields: number, title, description, type, source, priority, deadline,
    township, grid, target, matters, assignees. Status moves only by events. Officer-owned text: `notes`,
    `feedback`."""

    __tablename__ = "tasks"

    number: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    task_type: Mapped[str] = mapped_column(String(20))  # 巡查 / 核查 / 整改督办 / 专项检查 / 复查
    source: Mapped[str] = mapped_column(String(20), index=True)  # 指挥中心 / 网格上报 / 投诉举报 / 部门抄告 / 双随机
    priority: Mapped[int] = mapped_column(Integer, default=3, index=True)  # 1 特急 2 紧急 3 一般 4 较低
    deadline: Mapped[datetime | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"), index=True)
    target_id: Mapped[str | None] = mapped_column(ForeignKey("targets.id"), index=True)
    dispatched_at: Mapped[datetime] = mapped_column(default=utcnow)
    notes: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")

    assignees: Mapped[list[TaskAssignee]] = relationship(cascade="all, delete-orphan")
    matters: Mapped[list[TaskMatter]] = relationship(cascade="all, delete-orphan")
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskEvent.at"
    )


class TaskAssignee(IdMixin, Base):
    __tablename__ = "task_assignees"
    __table_args__ = (UniqueConstraint("task_id", "officer_id"),)

    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officers.id"), index=True)


class TaskMatter(IdMixin, Base):
    __tablename__ = "task_matters"
    __table_args__ = (UniqueConstraint("task_id", "matter_code"),)

    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    matter_code: Mapped[str] = mapped_column(String(40), index=True)


class TaskEvent(IdMixin, Base):
    """One status transition with its actor and time. `synced` is False until the platform accepted it."""

    __tablename__ = "task_events"

    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    feedback: Mapped[str | None] = mapped_column(Text)
    synced: Mapped[bool] = mapped_column(default=False)

    task: Mapped[Task] = relationship(back_populates="events")

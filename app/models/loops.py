"""Records of the reform plan's loops (§2, §13, §14 and the complaint / urgent-response standards).

* `Intervention` (干预留痕): an intervention in a case or inspection by a leader or anyone outside the procedure.
  Append-only; a correction is a new row whose `corrects_id` names the one it corrects.
* `ResponseCheckin`: a response / departure / arrival check-in on an urgent instruction.
* `Complainant`: the protected identity behind a 投诉举报 task, kept apart from the task (platform-owned; the
  platform sends it only to roles that need it).
* `ComplaintReply`: the team's reply to the complainant (when, how, content).
* `NoticeReply`: the regulating department's reply to a 抄告 (entered on the platform).
* `GridTierChange`: one confirmed change of a grid's patrol frequency tier (from, to, who, when, why).

`case_id` is a nullable reference to a case (案件) where a record may belong to one (no foreign key yet).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class Intervention(VersionedMixin, Base):
    __tablename__ = "interventions"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)
    intervener_name: Mapped[str] = mapped_column(String(60))
    intervener_post: Mapped[str] = mapped_column(String(120), default="")  # 职务 / 单位
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(16))  # phone / visit / message / written / other
    request: Mapped[str] = mapped_column(Text)  # what was asked
    response: Mapped[str] = mapped_column(Text, default="")  # how the officer responded
    corrects_id: Mapped[str | None] = mapped_column(String(64), index=True)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class ResponseCheckin(VersionedMixin, Base):
    __tablename__ = "response_checkins"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))  # respond / depart / arrive
    at: Mapped[datetime]
    location: Mapped[str] = mapped_column(Text, default="")
    location_source: Mapped[str] = mapped_column(String(16), default="")  # typed / device / ""
    elapsed_seconds: Mapped[int] = mapped_column(Integer, default=0)  # from dispatch
    target_seconds: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class Complainant(VersionedMixin, Base):
    __tablename__ = "complainants"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    id_number: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(40), default="")  # 12345 / 来电 / 来信 / 网上 …
    received_at: Mapped[datetime | None]
    anonymous: Mapped[bool] = mapped_column(default=False)
    wants_reply: Mapped[bool] = mapped_column(default=True)


class ComplaintReply(VersionedMixin, Base):
    __tablename__ = "complaint_replies"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)
    replied_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(16))  # phone / visit / message / written / other
    content: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class NoticeReply(VersionedMixin, Base):
    __tablename__ = "notice_replies"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)
    replied_at: Mapped[datetime]
    replier: Mapped[str] = mapped_column(String(120), default="")  # department and person
    content: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, default="")  # measures taken to close the gap


class GridTierChange(VersionedMixin, Base):
    __tablename__ = "grid_tier_changes"

    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    grid_id: Mapped[str] = mapped_column(ForeignKey("grids.id"), index=True)
    from_tier: Mapped[int | None] = mapped_column(Integer)
    to_tier: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    changed_at: Mapped[datetime]
    changed_by: Mapped[str] = mapped_column(String(60), default="")

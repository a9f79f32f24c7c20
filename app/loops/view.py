"""What the task detail shows of the loops, read in one go (Qt-free): the urgent timers, the complaint (its
deadline, replies and — for roles allowed — the complainant), interventions with their corrections, and the
"finding → 抄告 → reply" chain of the task's target."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.identity import CurrentUser
from app.loops import complaints, interventions, notices, urgent
from app.loops.config import LoopsConfig, config
from app.rules.response import complaint_reply_due, reply_overdue

CST = timezone(timedelta(hours=8))


@dataclass
class ComplaintView:
    due: date
    overdue: bool
    replies: list[m.ComplaintReply]
    identity_visible: bool
    complainant: m.Complainant | None  # None unless the role may see it


@dataclass
class TaskLoops:
    task_id: str
    label: str
    urgent: urgent.UrgentState | None
    complaint: ComplaintView | None
    interventions: list[tuple[m.Intervention, list[m.Intervention]]] = field(default_factory=list)
    chain: list[notices.ChainLink] = field(default_factory=list)

    @property
    def response_late(self) -> bool:
        return bool(self.urgent and self.urgent.overdue)


def task_loops(session: Session, task_id: str, user: CurrentUser, now: datetime,
               cfg: LoopsConfig | None = None) -> TaskLoops:
    cfg = cfg or config()
    task = session.get(m.Task, task_id)
    if task is None:
        raise LookupError(task_id)
    today = now.astimezone(CST).date()
    view = TaskLoops(task.id, f"{task.number}「{task.title}」", urgent.state_of(session, task, now, cfg), None)
    if complaints.is_complaint(task):
        person = session.scalar(select(m.Complainant).where(m.Complainant.task_id == task.id))
        received = ((person.received_at if person and person.received_at else None) or task.dispatched_at)
        due = complaint_reply_due(received.astimezone(CST).date(), cfg.complaint_reply_working_days)
        replies = list(session.scalars(select(m.ComplaintReply).where(m.ComplaintReply.task_id == task.id)
                                       .order_by(m.ComplaintReply.replied_at)))
        visible = complaints.may_see_identity(user, cfg)
        view.complaint = ComplaintView(due, reply_overdue(due, bool(replies), today), replies, visible,
                                       person if visible else None)
    inspection_ids = list(session.scalars(select(m.Inspection.id).where(m.Inspection.task_id == task.id)))
    rows = list(session.scalars(select(m.Intervention).where(
        (m.Intervention.task_id == task.id) | m.Intervention.inspection_id.in_(inspection_ids)
    ).order_by(m.Intervention.occurred_at, m.Intervention.id)))
    view.interventions = interventions.effective(rows)
    if task.target_id:
        view.chain = notices.chain_for_target(session, task.target_id, today)
    return view

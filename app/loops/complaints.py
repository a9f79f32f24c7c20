"""投诉举报: complaint tasks (source 投诉举报) with the complainant's identity protected.

The identity lives in its own record (`Complainant`, sent by the platform only to roles that need it) and is
read only through `ComplaintService.complainant`, which refuses other roles (configurable list, default the
team leader). It never reaches a document: `redact_fields` removes it from values filled from the records and
`check_fields` refuses a draft or an issue whose fields still carry it (every document type goes through the
document service's guard). It is never logged. The reply to the complainant (when, how, content) is an
append-only record with a deadline of N working days from receipt (configuration, default 15 — unverified).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app import models as m
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.loops.config import LoopsConfig, config
from app.loops.interventions import CHANNELS
from app.rules.response import complaint_reply_due, reply_overdue
from app.store import Store

CST = timezone(timedelta(hours=8))
COMPLAINT_SOURCE = "投诉举报"
REDACTED = "（投诉举报人信息不予公开）"


@dataclass(frozen=True)
class ComplaintState:
    task_id: str
    received: date
    due: date
    replies: list[m.ComplaintReply]
    overdue: bool
    identity_visible: bool
    has_identity: bool


def is_complaint(task: m.Task | None) -> bool:
    return task is not None and task.source == COMPLAINT_SOURCE


def may_see_identity(user: CurrentUser, cfg: LoopsConfig | None = None) -> bool:
    cfg = cfg or config()
    return user.role.value in cfg.complainant_roles or user.role.value == "centre"


def _secrets(session: Session, task_id: str | None) -> list[str]:
    """The complainant's name, phone and ID number for `task_id` (values of at least 2 characters)."""
    if not task_id:
        return []
    out = []
    for c in session.scalars(select(m.Complainant).where(m.Complainant.task_id == task_id)):
        out += [v.strip() for v in (c.name, c.phone, c.id_number) if v and len(v.strip()) >= 2]
    return out


def document_task_id(session: Session, task_id: str | None, inspection_id: str | None) -> str | None:
    if task_id:
        return task_id
    inspection = session.get(m.Inspection, inspection_id) if inspection_id else None
    return inspection.task_id if inspection else None


def _walk(value: Any, fn: Any) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, fn) for k, v in value.items()}
    return value


def redact_fields(session: Session, task_id: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` with the complainant's identifying values replaced (documents filled from a complaint task)."""
    secrets = sorted(_secrets(session, task_id), key=len, reverse=True)
    if not secrets:
        return fields

    def scrub(text: str) -> str:
        for s in secrets:
            text = text.replace(s, REDACTED)
        return text

    return {k: _walk(v, scrub) for k, v in fields.items()}


def check_fields(session: Session, task_id: str | None, fields: dict[str, Any]) -> None:
    """Refuse document fields that carry the complainant's identity (a document goes to the party)."""
    secrets = _secrets(session, task_id)
    if not secrets:
        return
    found: list[str] = []

    def look(text: str) -> str:
        if any(s in text for s in secrets):
            found.append(text)
        return text

    for value in fields.values():
        _walk(value, look)
    if found:
        raise ValidationError(
            "文书内容中含有投诉举报人的身份信息（姓名、电话或证件号码），文书将送达当事人，请删除后再保存",
            code="complainant_disclosed",
        )


class ComplaintService:
    def __init__(self, store: Store, user: CurrentUser, cfg: LoopsConfig | None = None) -> None:
        self.store = store
        self.user = user
        self.cfg = cfg or config()

    def _task(self, session: Session, task_id: str) -> m.Task:
        task = session.get(m.Task, task_id)
        if task is None:
            raise DomainError("未找到该任务", code="not_found")
        if self.user.township_id and task.township_id != self.user.township_id:
            raise DomainError("该任务不属于本队", code="forbidden")
        if not is_complaint(task):
            raise DomainError("该任务不是投诉举报件", code="not_complaint")
        return task

    def complainant(self, task_id: str) -> m.Complainant | None:
        """The complainant of a complaint task, for roles allowed to see it (others get a DomainError)."""
        if not may_see_identity(self.user, self.cfg):
            raise DomainError("您的角色无权查看投诉举报人信息", code="identity_forbidden")
        with self.store.read() as session:
            self._task(session, task_id)
            return session.scalar(select(m.Complainant).where(m.Complainant.task_id == task_id))

    def state(self, task_id: str, today: date | None = None) -> ComplaintState:
        with self.store.read() as session:
            task = self._task(session, task_id)
            person = session.scalar(select(m.Complainant).where(m.Complainant.task_id == task_id))
            received_at = (person.received_at if person and person.received_at else None) or task.dispatched_at
            received = received_at.astimezone(CST).date()
            due = complaint_reply_due(received, self.cfg.complaint_reply_working_days)
            replies = list(session.scalars(
                select(m.ComplaintReply).where(m.ComplaintReply.task_id == task_id).order_by(m.ComplaintReply.replied_at)
            ))
            today = today or datetime.now(CST).date()
            return ComplaintState(task_id, received, due, replies, reply_overdue(due, bool(replies), today),
                                  may_see_identity(self.user, self.cfg), person is not None)

    def record_reply(self, task_id: str, *, replied_at: datetime, channel: str, content: str,
                     case_id: str | None = None) -> m.ComplaintReply:
        if channel not in CHANNELS:
            raise ValidationError(f"答复方式无效（可选：{'、'.join(CHANNELS.values())}）", code="bad_channel")
        if not content.strip():
            raise ValidationError("请填写答复内容", code="content_required")
        if replied_at.tzinfo is None:
            raise ValidationError("答复时间缺少时区", code="bad_time")
        if replied_at > datetime.now(UTC) + timedelta(minutes=5):
            raise ValidationError("答复时间不能晚于当前时间", code="future_time")
        with self.store.write() as session:
            task = self._task(session, task_id)
            row = m.ComplaintReply(
                id=m.new_id(), township_id=task.township_id, task_id=task.id, case_id=case_id,
                replied_at=replied_at, channel=channel, content=content.strip(), recorded_by=self.user.actor,
            )
            changes.record_create(session, row, actor=self.user.actor)
            return row


def overdue_complaints(session: Session, township_id: str | None, today: date,
                       cfg: LoopsConfig | None = None) -> list[str]:
    """Complaint tasks without a reply past their due day."""
    cfg = cfg or config()
    query = select(m.Task).where(m.Task.source == COMPLAINT_SOURCE)
    if township_id:
        query = query.where(m.Task.township_id == township_id)
    replied = set(session.scalars(select(m.ComplaintReply.task_id)))
    received = {c.task_id: c.received_at for c in session.scalars(select(m.Complainant)) if c.received_at}
    out = []
    for task in session.scalars(query):
        start = (received.get(task.id) or task.dispatched_at).astimezone(CST).date()
        if reply_overdue(complaint_reply_due(start, cfg.complaint_reply_working_days), task.id in replied, today):
            out.append(task.id)
    return out

"""Instruction use cases: status transitions, officer notes and feedback, officer assignment (leader only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import changes
from app.entities import apply_task_lists
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.models import Officer, Task, TaskEvent, new_id, utcnow
from app.rules.task_states import Role, TaskAction, TaskStatus, allowed_actions, transition
from app.store import Store

OFFICER_TEXT_FIELDS = ("notes", "feedback")


class TaskService:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store = store
        self.user = user

    # ---- reading -----------------------------------------------------------------------------------------

    def get(self, task_id: str) -> Task:
        with self.store.read() as session:
            task = session.scalar(
                select(Task)
                .options(selectinload(Task.events), selectinload(Task.assignees), selectinload(Task.matters))
                .where(Task.id == task_id)
            )
            if task is None:
                raise DomainError("未找到该任务，可能已被指挥中心撤回", code="not_found")
            return task

    def allowed_actions(self, task: Task) -> list[TaskAction]:
        if not self._in_scope(task):
            return []
        return allowed_actions(task.status, self.user.role)

    # ---- changing ----------------------------------------------------------------------------------------

    def apply(
        self,
        task_id: str,
        action: TaskAction | str,
        *,
        reason: str | None = None,
        feedback: str | None = None,
        at: datetime | None = None,
    ) -> TaskEvent:
        """Take one step of the state machine; refused steps raise a DomainError and change nothing."""
        with self.store.write() as session:
            task = self._load(session, task_id)
            record = transition(
                task.status, action, role=self.user.role, actor=self.user.actor, at=at or utcnow(),
                reason=reason, feedback=feedback,
            )
            event = TaskEvent(
                id=new_id(), task_id=task.id, action=record.action.value, from_status=record.from_status.value,
                to_status=record.to_status.value, actor=record.actor, at=record.at, reason=record.reason,
                feedback=record.feedback, synced=False,
            )
            session.add(event)
            task.status = record.to_status.value
            if record.action is TaskAction.REPORT and record.feedback:
                task.feedback = record.feedback
            changes.record(
                session, actor=self.user.actor, entity="task", entity_id=task.id, op="transition",
                base_version=task.version,
                data={
                    "event_id": event.id, "action": event.action, "actor": event.actor, "at": event.at.isoformat(),
                    "reason": event.reason, "feedback": event.feedback,
                },
                audit_detail={"action": event.action, "from": event.from_status, "to": event.to_status,
                              "reason": event.reason},
            )
            return event

    def edit_text(self, task_id: str, **fields: str) -> None:
        """Save officer-owned text (notes, feedback); merged per field with the platform on sync."""
        unknown = set(fields) - set(OFFICER_TEXT_FIELDS)
        if unknown:
            raise ValidationError(f"不能修改任务字段：{'、'.join(sorted(unknown))}", code="not_editable")
        with self.store.write() as session:
            task = self._load(session, task_id)
            if task.status in (TaskStatus.CLOSED, TaskStatus.RETURNED):
                raise DomainError(f"任务已{TaskStatus(task.status).label}，不能再修改", code="locked")
            changes.record_update(session, task, dict(fields), actor=self.user.actor)

    def assign(self, task_id: str, officer_ids: list[str]) -> None:
        """Assign officers of the team (leader only)."""
        if self.user.role is not Role.LEADER:
            raise DomainError("只有队长可以指派执法人员", code="forbidden")
        with self.store.write() as session:
            task = self._load(session, task_id)
            officers = session.scalars(select(Officer).where(Officer.id.in_(officer_ids))).all()
            if len(officers) != len(set(officer_ids)):
                raise ValidationError("所选人员中有未知人员，请刷新后重试", code="unknown_officer")
            foreign = [o.name for o in officers if o.township_id != task.township_id]
            if foreign:
                raise ValidationError(f"{'、'.join(foreign)}不属于本队，不能指派", code="foreign_officer")
            old = sorted(a.officer_id for a in task.assignees)
            new = sorted(set(officer_ids))
            if old == new:
                return
            apply_task_lists(session, task, {"assignee_ids": new})
            _queue_assignment(session, task, old, new, self.user.actor)

    # ---- helpers -----------------------------------------------------------------------------------------

    def _in_scope(self, task: Task) -> bool:
        return self.user.role is Role.CENTRE or task.township_id == self.user.township_id

    def _load(self, session: Session, task_id: str) -> Task:
        task = session.get(Task, task_id)
        if task is None:
            raise DomainError("未找到该任务，可能已被指挥中心撤回", code="not_found")
        if not self._in_scope(task):
            raise DomainError("该任务不属于本队", code="forbidden")
        return task


def _queue_assignment(session: Session, task: Task, old: list[str], new: list[str], actor: str) -> None:
    data: dict[str, Any] = {"fields": {"assignee_ids": new}, "base": {"assignee_ids": old}}
    changes.record(
        session, actor=actor, entity="task", entity_id=task.id, op="update", base_version=task.version, data=data,
    )

"""The instruction (指令 / 任务) state machine: statuses, actions, who may do what, and deadline marks.

One machine for both sides: the client checks a step before recording it offline, the reference server checks
it again when the event arrives, and sync reconciles a task's status by replaying its events through it.

    待签收 ──签收──▶ 已签收 ──开始处理──▶ 处理中 ──反馈──▶ 已反馈 ──办结──▶ 已办结 (terminal)
      │               │                    │  ◀──驳回(中心)──┘
      └────退回(队长, 须填原因)────────────┘──▶ 已退回 ──重新派发(中心)──▶ 待签收
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from app.errors import TransitionError, ValidationError


class TaskStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


class TaskAction(StrEnum):
    ACCEPT = "accept"
    START = "start"
    RETURN = "return"
    REPORT = "report"
    REJECT = "reject"
    CLOSE = "close"
    REASSIGN = "reassign"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


class Role(StrEnum):
    LEADER = "leader"
    OFFICER = "officer"
    CLERK = "clerk"
    CENTRE = "centre"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_STATUS_LABELS = {
    TaskStatus.PENDING: "待签收",
    TaskStatus.ACCEPTED: "已签收",
    TaskStatus.IN_PROGRESS: "处理中",
    TaskStatus.REPORTED: "已反馈",
    TaskStatus.CLOSED: "已办结",
    TaskStatus.RETURNED: "已退回",
}
_ACTION_LABELS = {
    TaskAction.ACCEPT: "签收",
    TaskAction.START: "开始处理",
    TaskAction.RETURN: "退回",
    TaskAction.REPORT: "反馈",
    TaskAction.REJECT: "驳回",
    TaskAction.CLOSE: "办结",
    TaskAction.REASSIGN: "重新派发",
}
_ROLE_LABELS = {
    Role.LEADER: "队长",
    Role.OFFICER: "执法队员",
    Role.CLERK: "内勤",
    Role.CENTRE: "指挥中心",
}

#: (from status, action) → to status, in the order a UI should offer the actions (forward step first).
TRANSITIONS: Mapping[tuple[TaskStatus, TaskAction], TaskStatus] = MappingProxyType(
    {
        (TaskStatus.PENDING, TaskAction.ACCEPT): TaskStatus.ACCEPTED,
        (TaskStatus.PENDING, TaskAction.RETURN): TaskStatus.RETURNED,
        (TaskStatus.ACCEPTED, TaskAction.START): TaskStatus.IN_PROGRESS,
        (TaskStatus.ACCEPTED, TaskAction.RETURN): TaskStatus.RETURNED,
        (TaskStatus.IN_PROGRESS, TaskAction.REPORT): TaskStatus.REPORTED,
        (TaskStatus.IN_PROGRESS, TaskAction.RETURN): TaskStatus.RETURNED,
        (TaskStatus.REPORTED, TaskAction.CLOSE): TaskStatus.CLOSED,
        (TaskStatus.REPORTED, TaskAction.REJECT): TaskStatus.IN_PROGRESS,
        (TaskStatus.RETURNED, TaskAction.REASSIGN): TaskStatus.PENDING,
    }
)

#: which roles may perform each action
ACTION_ROLES: Mapping[TaskAction, frozenset[Role]] = MappingProxyType(
    {
        TaskAction.ACCEPT: frozenset({Role.LEADER, Role.OFFICER}),
        TaskAction.START: frozenset({Role.LEADER, Role.OFFICER}),
        TaskAction.REPORT: frozenset({Role.LEADER, Role.OFFICER}),
        TaskAction.RETURN: frozenset({Role.LEADER}),
        TaskAction.REJECT: frozenset({Role.CENTRE}),
        TaskAction.CLOSE: frozenset({Role.CENTRE}),
        TaskAction.REASSIGN: frozenset({Role.CENTRE}),
    }
)

#: actions that need a non-blank reason, with the message shown when it is missing
REASON_REQUIRED: Mapping[TaskAction, str] = MappingProxyType(
    {TaskAction.RETURN: "退回必须填写原因", TaskAction.REJECT: "驳回必须填写原因"}
)

#: statuses in which the team still owes work (the only ones that can be overdue)
OPEN_STATUSES: frozenset[TaskStatus] = frozenset(
    {TaskStatus.PENDING, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS}
)
TERMINAL_STATUSES: frozenset[TaskStatus] = frozenset({TaskStatus.CLOSED})


def _role_phrase(roles: frozenset[Role]) -> str:
    ordered = [r for r in Role if r in roles]
    return "或".join(r.label for r in ordered)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _clean(text: str | None) -> str | None:
    return None if text is None or not text.strip() else text.strip()


def apply_action(
    status: TaskStatus | str,
    action: TaskAction | str,
    *,
    role: Role | str,
    reason: str | None = None,
    feedback: str | None = None,
) -> TaskStatus:
    """Return the status after `action`, or raise `TransitionError` (Chinese message) if it is not allowed."""
    try:
        status = TaskStatus(status)
        action = TaskAction(action)
        role = Role(role)
    except ValueError as exc:
        raise TransitionError(f"未知的任务状态、操作或角色：{exc}", code="unknown_value") from exc
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise TransitionError(
            f"任务当前为「{status.label}」，不能执行「{action.label}」", code="illegal_transition"
        )
    allowed = ACTION_ROLES[action]
    if role not in allowed:
        raise TransitionError(f"「{action.label}」只能由{_role_phrase(allowed)}执行", code="role_not_allowed")
    if action in REASON_REQUIRED and _blank(reason):
        raise TransitionError(REASON_REQUIRED[action], code="reason_required")
    if action is TaskAction.REPORT and _blank(feedback):
        raise TransitionError("反馈必须填写处置情况", code="feedback_required")
    return target


def allowed_actions(status: TaskStatus | str, role: Role | str) -> list[TaskAction]:
    """The actions `role` may take on a task in `status`, forward step first (what a UI offers)."""
    status, role = TaskStatus(status), Role(role)
    return [a for (s, a) in TRANSITIONS if s is status and role in ACTION_ROLES[a]]


@dataclass(frozen=True)
class TaskEventRecord:
    """One accepted step in a task's history (the unit that sync sends and replays)."""

    action: TaskAction
    from_status: TaskStatus
    to_status: TaskStatus
    actor: str
    at: datetime
    reason: str | None
    feedback: str | None = None


def transition(
    status: TaskStatus | str,
    action: TaskAction | str,
    *,
    role: Role | str,
    actor: str,
    at: datetime,
    reason: str | None = None,
    feedback: str | None = None,
) -> TaskEventRecord:
    """Check a step with `apply_action` and return the event to record. `at` must be timezone-aware."""
    if _blank(actor):
        raise TransitionError("必须记录操作人", code="actor_required")
    if at.tzinfo is None or at.utcoffset() is None:
        raise TransitionError("操作时间必须带时区", code="naive_time")
    to_status = apply_action(status, action, role=role, reason=reason, feedback=feedback)
    return TaskEventRecord(
        action=TaskAction(action),
        from_status=TaskStatus(status),
        to_status=to_status,
        actor=actor.strip(),
        at=at,
        reason=_clean(reason),
        feedback=_clean(feedback),
    )


def _check_comparable(deadline: datetime, now: datetime) -> None:
    if (deadline.tzinfo is None) != (now.tzinfo is None):
        raise ValidationError("期限与当前时间必须同时带时区或同时不带时区", code="mixed_timezones")


def is_overdue(deadline: datetime | None, status: TaskStatus | str, now: datetime) -> bool:
    """True when the task is still open and `now` is past its deadline (never once reported/closed/returned)."""
    if deadline is None or TaskStatus(status) not in OPEN_STATUSES:
        return False
    _check_comparable(deadline, now)
    return now > deadline


def due_today(deadline: datetime | None, status: TaskStatus | str, now: datetime) -> bool:
    """True when an open task's deadline falls on `now`'s local date and has not yet passed."""
    if deadline is None or TaskStatus(status) not in OPEN_STATUSES:
        return False
    _check_comparable(deadline, now)
    local_deadline = deadline.astimezone(now.tzinfo) if now.tzinfo is not None else deadline
    return local_deadline.date() == now.date() and not now > deadline

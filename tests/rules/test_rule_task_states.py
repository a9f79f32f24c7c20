"""Tests for the task (指令) state machine: transitions, roles, reasons, events, overdue marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.errors import TransitionError, ValidationError
from app.rules.task_states import (
    OPEN_STATUSES,
    TRANSITIONS,
    Role,
    TaskAction,
    TaskStatus,
    allowed_actions,
    apply_action,
    due_today,
    is_overdue,
    transition,
)

S, A, R = TaskStatus, TaskAction, Role
CST = timezone(timedelta(hours=8))

# (status, action, role, reason, feedback) → expected status
LEGAL = [
    (S.PENDING, A.ACCEPT, R.OFFICER, None, None, S.ACCEPTED),
    (S.PENDING, A.ACCEPT, R.LEADER, None, None, S.ACCEPTED),
    (S.ACCEPTED, A.START, R.OFFICER, None, None, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.REPORT, R.OFFICER, None, "已现场核查，责令整改", S.REPORTED),
    (S.IN_PROGRESS, A.REPORT, R.LEADER, None, "已处置", S.REPORTED),
    (S.REPORTED, A.CLOSE, R.CENTRE, None, None, S.CLOSED),
    (S.REPORTED, A.REJECT, R.CENTRE, "照片不清晰", None, S.IN_PROGRESS),
    (S.PENDING, A.RETURN, R.LEADER, "不属于本乡镇管辖", None, S.RETURNED),
    (S.ACCEPTED, A.RETURN, R.LEADER, "地址错误", None, S.RETURNED),
    (S.IN_PROGRESS, A.RETURN, R.LEADER, "需移送区级部门", None, S.RETURNED),
    (S.RETURNED, A.REASSIGN, R.CENTRE, None, None, S.PENDING),
]


@pytest.mark.parametrize(("status", "action", "role", "reason", "feedback", "expected"), LEGAL)
def test_legal_transitions(
    status: TaskStatus,
    action: TaskAction,
    role: Role,
    reason: str | None,
    feedback: str | None,
    expected: TaskStatus,
) -> None:
    assert apply_action(status, action, role=role, reason=reason, feedback=feedback) is expected


def test_table_covers_every_legal_pair() -> None:
    assert {(s, a) for s, a, *_ in LEGAL} == set(TRANSITIONS)


ILLEGAL_PAIRS = [(s, a) for s in TaskStatus for a in TaskAction if (s, a) not in TRANSITIONS]


@pytest.mark.parametrize(("status", "action"), ILLEGAL_PAIRS)
def test_illegal_transitions_name_status_and_action(status: TaskStatus, action: TaskAction) -> None:
    with pytest.raises(TransitionError) as info:
        apply_action(status, action, role=R.CENTRE, reason="原因", feedback="情况")
    assert info.value.code == "illegal_transition"
    assert str(info.value) == f"任务当前为「{status.label}」，不能执行「{action.label}」"


def test_closed_accept_message() -> None:
    with pytest.raises(TransitionError) as info:
        apply_action("closed", "accept", role="officer")
    assert str(info.value) == "任务当前为「已办结」，不能执行「签收」"


@pytest.mark.parametrize(
    ("status", "action", "role", "message"),
    [
        (S.PENDING, A.RETURN, R.OFFICER, "「退回」只能由队长执行"),
        (S.PENDING, A.ACCEPT, R.CLERK, "「签收」只能由队长或执法队员执行"),
        (S.PENDING, A.ACCEPT, R.CENTRE, "「签收」只能由队长或执法队员执行"),
        (S.ACCEPTED, A.START, R.CLERK, "「开始处理」只能由队长或执法队员执行"),
        (S.REPORTED, A.CLOSE, R.LEADER, "「办结」只能由指挥中心执行"),
        (S.REPORTED, A.REJECT, R.OFFICER, "「驳回」只能由指挥中心执行"),
        (S.RETURNED, A.REASSIGN, R.LEADER, "「重新派发」只能由指挥中心执行"),
    ],
)
def test_wrong_role(status: TaskStatus, action: TaskAction, role: Role, message: str) -> None:
    with pytest.raises(TransitionError) as info:
        apply_action(status, action, role=role, reason="原因", feedback="情况")
    assert str(info.value) == message
    assert info.value.code == "role_not_allowed"


@pytest.mark.parametrize(
    ("status", "action", "role", "reason", "feedback", "message", "code"),
    [
        (S.PENDING, A.RETURN, R.LEADER, None, None, "退回必须填写原因", "reason_required"),
        (S.IN_PROGRESS, A.RETURN, R.LEADER, "   ", None, "退回必须填写原因", "reason_required"),
        (S.REPORTED, A.REJECT, R.CENTRE, "", None, "驳回必须填写原因", "reason_required"),
        (S.IN_PROGRESS, A.REPORT, R.OFFICER, None, None, "反馈必须填写处置情况", "feedback_required"),
        (S.IN_PROGRESS, A.REPORT, R.OFFICER, None, " \n", "反馈必须填写处置情况", "feedback_required"),
    ],
)
def test_missing_text(
    status: TaskStatus,
    action: TaskAction,
    role: Role,
    reason: str | None,
    feedback: str | None,
    message: str,
    code: str,
) -> None:
    with pytest.raises(TransitionError) as info:
        apply_action(status, action, role=role, reason=reason, feedback=feedback)
    assert (str(info.value), info.value.code) == (message, code)


def test_unknown_value_is_a_transition_error() -> None:
    with pytest.raises(TransitionError) as info:
        apply_action("pending", "fly", role="officer")
    assert info.value.code == "unknown_value"


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (S.PENDING, R.LEADER, [A.ACCEPT, A.RETURN]),
        (S.PENDING, R.OFFICER, [A.ACCEPT]),
        (S.PENDING, R.CLERK, []),
        (S.PENDING, R.CENTRE, []),
        (S.ACCEPTED, R.LEADER, [A.START, A.RETURN]),
        (S.IN_PROGRESS, R.LEADER, [A.REPORT, A.RETURN]),
        (S.IN_PROGRESS, R.OFFICER, [A.REPORT]),
        (S.REPORTED, R.CENTRE, [A.CLOSE, A.REJECT]),
        (S.REPORTED, R.LEADER, []),
        (S.RETURNED, R.CENTRE, [A.REASSIGN]),
        (S.CLOSED, R.CENTRE, []),
        (S.CLOSED, R.LEADER, []),
    ],
)
def test_allowed_actions(status: TaskStatus, role: Role, expected: list[TaskAction]) -> None:
    assert allowed_actions(status, role) == expected


@pytest.mark.parametrize("status", list(TaskStatus))
@pytest.mark.parametrize("role", list(Role))
def test_allowed_actions_all_succeed(status: TaskStatus, role: Role) -> None:
    for action in allowed_actions(status, role):
        assert (
            apply_action(status, action, role=role, reason="原因", feedback="情况")
            is TRANSITIONS[(status, action)]
        )


def test_labels() -> None:
    assert [s.label for s in TaskStatus] == ["待签收", "已签收", "处理中", "已反馈", "已办结", "已退回"]
    assert [a.label for a in TaskAction] == ["签收", "开始处理", "退回", "反馈", "驳回", "办结", "重新派发"]
    assert [r.label for r in Role] == ["队长", "执法队员", "内勤", "指挥中心"]


AT = datetime(2026, 3, 2, 9, 30, tzinfo=CST)


def test_transition_record() -> None:
    event = transition("pending", "return", role="leader", actor=" 张队 ", at=AT, reason=" 非本辖区 ")
    assert event.action is A.RETURN
    assert (event.from_status, event.to_status) == (S.PENDING, S.RETURNED)
    assert (event.actor, event.at, event.reason, event.feedback) == ("张队", AT, "非本辖区", None)


@pytest.mark.parametrize(
    ("actor", "at", "code"),
    [
        ("", AT, "actor_required"),
        ("  ", AT, "actor_required"),
        ("李四", datetime(2026, 3, 2, 9, 30), "naive_time"),
    ],
)
def test_transition_requires_actor_and_aware_time(actor: str, at: datetime, code: str) -> None:
    with pytest.raises(TransitionError) as info:
        transition(S.PENDING, A.ACCEPT, role=R.OFFICER, actor=actor, at=at)
    assert info.value.code == code


def test_replaying_a_full_history() -> None:
    steps = [
        (A.ACCEPT, R.OFFICER, None, None),
        (A.START, R.OFFICER, None, None),
        (A.REPORT, R.OFFICER, None, "已整改"),
        (A.REJECT, R.CENTRE, "缺少整改后照片", None),
        (A.REPORT, R.LEADER, None, "补充照片"),
        (A.CLOSE, R.CENTRE, None, None),
    ]
    status = S.PENDING
    for action, role, reason, feedback in steps:
        status = transition(
            status, action, role=role, actor="x", at=AT, reason=reason, feedback=feedback
        ).to_status
    assert status is S.CLOSED
    assert allowed_actions(status, R.CENTRE) == []


DEADLINE = datetime(2026, 3, 2, 17, 0, tzinfo=CST)


@pytest.mark.parametrize(
    ("deadline", "status", "now", "overdue", "today"),
    [
        (None, S.PENDING, AT, False, False),
        (DEADLINE, S.PENDING, AT, False, True),
        (DEADLINE, S.IN_PROGRESS, DEADLINE, False, True),  # exactly at the deadline: not yet overdue
        (DEADLINE, S.IN_PROGRESS, DEADLINE + timedelta(seconds=1), True, False),
        (DEADLINE, S.ACCEPTED, DEADLINE + timedelta(days=3), True, False),
        (DEADLINE, S.REPORTED, DEADLINE + timedelta(days=3), False, False),
        (DEADLINE, S.CLOSED, DEADLINE + timedelta(days=3), False, False),
        (DEADLINE, S.RETURNED, DEADLINE + timedelta(days=3), False, False),
        (DEADLINE, S.REPORTED, AT, False, False),
        (DEADLINE, S.PENDING, AT - timedelta(days=1), False, False),  # due tomorrow
        # deadline 01:00 local on 3 March is 17:00 UTC on 2 March: local date decides
        (
            datetime(2026, 3, 2, 17, 0, tzinfo=UTC),
            S.PENDING,
            datetime(2026, 3, 2, 20, 0, tzinfo=CST),
            False,
            False,
        ),
        (
            datetime(2026, 3, 2, 17, 0, tzinfo=UTC),
            S.PENDING,
            datetime(2026, 3, 3, 0, 30, tzinfo=CST),
            False,
            True,
        ),
        (datetime(2026, 3, 2, 17), S.PENDING, datetime(2026, 3, 2, 8), False, True),  # both naive
    ],
)
def test_overdue_and_due_today(
    deadline: datetime | None, status: TaskStatus, now: datetime, overdue: bool, today: bool
) -> None:
    assert is_overdue(deadline, status, now) is overdue
    assert due_today(deadline, status, now) is today


def test_mixed_naive_and_aware_times_are_refused() -> None:
    with pytest.raises(ValidationError):
        is_overdue(datetime(2026, 3, 2, 17), S.PENDING, AT)


def test_open_statuses() -> None:
    assert frozenset({S.PENDING, S.ACCEPTED, S.IN_PROGRESS}) == OPEN_STATUSES

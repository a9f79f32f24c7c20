"""无计划不检查 and its exception: a 核查 or 投诉举报 task assigned to the officer is an inspection's basis."""

from __future__ import annotations

from app.rules.inspection_basis import NEEDS_PLAN, task_basis
from app.rules.task_states import Role


def _basis(**over: object) -> tuple[bool, str]:
    args: dict[str, object] = dict(task_type="核查", source="网格上报", status="accepted", assignee_ids=["o-1"],
                                   officer_id="o-1", role=Role.OFFICER)
    args.update(over)
    b = task_basis(**args)
    return b.ok, b.reason


def test_a_check_or_complaint_task_assigned_to_the_officer_is_the_basis() -> None:
    assert _basis() == (True, "")
    assert _basis(task_type="巡查", source="投诉举报", status="pending")[0]


def test_other_tasks_need_a_plan() -> None:
    assert _basis(task_type="巡查") == (False, NEEDS_PLAN)
    assert _basis(task_type="专项检查", source="双随机") == (False, NEEDS_PLAN)


def test_closed_unassigned_and_other_roles_are_refused() -> None:
    assert not _basis(status="reported")[0] and not _basis(status="closed")[0]
    ok, reason = _basis(assignee_ids=["o-2"])
    assert not ok and "未指派给您" in reason
    assert _basis(assignee_ids=[], officer_id=None, role=Role.LEADER) == (True, "")  # the leader, for the team
    assert not _basis(role=Role.CLERK)[0]

"""What an inspection may be based on: 无计划不检查 (no inspection without a plan), and the exception the field
works by — a complaint check. An inspection is based on

* an inspection plan (综合查一次 or 双随机, made by the team leader), or
* an instruction that is itself the plan for one visit: a 核查 task, or any task from 投诉举报 (a complaint must be
  checked on site promptly), still open (待签收 / 已签收 / 处理中), and assigned to the officer who starts it
  (a team leader may start it for the team).

Other instructions (巡查, 专项检查, 整改督办, 复查 …) need a plan first. Pure: the inspection service asks it, the
task detail asks it to offer the action, and the answer names the reason in Chinese.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.rules.task_states import OPEN_STATUSES, Role, TaskStatus

BASIS_TASK_TYPES = frozenset({"核查"})
BASIS_TASK_SOURCES = frozenset({"投诉举报"})
NEEDS_PLAN = "该任务不是核查或投诉举报任务，须由队长制定检查计划后再检查（无计划不检查）"


@dataclass(frozen=True)
class Basis:
    """`ok` — the task is the inspection's basis; otherwise `reason` says why not (Chinese)."""

    ok: bool
    reason: str = ""


def task_basis(
    *,
    task_type: str,
    source: str,
    status: str,
    assignee_ids: Collection[str],
    officer_id: str | None,
    role: Role | str,
) -> Basis:
    """May the signed-in person (`officer_id`, `role`) start an inspection from this task without a plan?"""
    if task_type not in BASIS_TASK_TYPES and source not in BASIS_TASK_SOURCES:
        return Basis(False, NEEDS_PLAN)
    try:
        open_ = TaskStatus(status) in OPEN_STATUSES
    except ValueError:
        open_ = False
    if not open_:
        return Basis(False, "该任务已上报或已办结，不能再据此开始检查")
    if Role(role) == Role.LEADER:
        return Basis(True)
    if Role(role) != Role.OFFICER or not officer_id:
        return Basis(False, "只有执法队员或队长可以开始现场检查")
    if officer_id not in assignee_ids:
        return Basis(False, "该任务未指派给您；请队长指派后再开始检查")
    return Basis(True)

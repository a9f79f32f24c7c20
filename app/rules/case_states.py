"""The case (案件) state machine: stages, steps, and the law each step must satisfy (pure; client and platform).

    立案 ─调查─▶ 调查 ─事先告知─▶ 告知 ─陈述申辩/听证申请─▶ 陈述申辩/听证 ─提交法制审核─▶ 法制审核 ─决定─▶ 决定
      ─送达─▶ 送达 ─执行─▶ 执行 ─结案─▶ 结案;   before 决定: ─移送─▶ 移送,  any open stage: ─终止(原因)─▶ 终止

Other steps keep the stage: 延长办案期限 (with approval), 先行登记保存 / 处理, 查封扣押 / 延长 / 解除, 听证通知,
举行听证, 书面放弃, 法制审核意见, 缴纳罚款. `step` checks one step against the case's facts and events and the
configuration in force, and returns the event to record; a refusal raises `TransitionError` whose Chinese
message names the article. The client checks before recording offline, the platform checks again on arrival.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.rules.case_checks import check_step, decision_blockers, filing_warnings, refuse
from app.rules.case_config import CaseConfig, in_force
from app.rules.case_history import CaseFacts, china_day, fold, parse_day
from app.rules.case_stages import (
    ACTION_LABELS,
    BEFORE_DECISION,
    ENDED,
    MAIN_LINE,
    OPEN,
    REASON_REQUIRED,
    RULES,
    STAGE_LABELS,
    CaseAction,
    CaseStage,
)

__all__ = [
    "ACTION_LABELS",
    "BEFORE_DECISION",
    "ENDED",
    "MAIN_LINE",
    "OPEN",
    "RULES",
    "STAGE_LABELS",
    "CaseAction",
    "CaseStage",
    "StepContext",
    "decision_blockers",
    "filing_warnings",
    "next_steps",
    "step",
]
S, A = CaseStage, CaseAction


@dataclass(frozen=True)
class StepContext:
    """Who takes the step, when it is recorded (`at`, aware) and its legal date (`on`, default: at's day)."""

    role: str
    username: str
    actor: str
    at: datetime
    officer_id: str | None = None
    on: date | None = None


def step(
    facts: CaseFacts,
    events: Iterable[Mapping[str, Any]],
    action: CaseAction | str,
    ctx: StepContext,
    *,
    editions: Iterable[CaseConfig] = (),
    reason: str | None = None,
    data: Mapping[str, Any] | None = None,
    event_id: str,
) -> dict[str, Any]:
    """Check one step and return its event in wire form; refusals raise `TransitionError` (Chinese, article)."""
    try:
        action = CaseAction(action)
    except ValueError:
        raise refuse(f"未知的案件操作「{action}」", "unknown_value") from None
    if not ctx.actor.strip():
        raise refuse("必须记录操作人", "actor_required")
    if ctx.at.tzinfo is None or ctx.at.utcoffset() is None:
        raise refuse("操作时间必须带时区", "naive_time")
    data = dict(data or {})
    history = fold(list(events))
    on = ctx.on or (parse_day(data["on"], "步骤") if data.get("on") else china_day(ctx.at))
    if on > china_day(ctx.at):
        raise refuse("步骤日期不能晚于记录时间", "future_date")
    config = in_force(list(editions), on)
    if action is A.FILE:
        if history.stage:
            raise refuse("案件已立案，不能重复立案", "already_filed")
        if on < facts.act_date:
            raise refuse("立案日期不能早于违法行为发生日期", "bad_date")
        return _event(event_id, action, "", S.FILED, ctx, on, reason, data)
    if not history.stage:
        raise refuse("《行政处罚法》第五十四条：案件尚未立案", "not_filed")
    stage = CaseStage(history.stage)
    allowed, target, refusal = RULES[action]
    if stage not in allowed:
        raise refuse(f"{refusal}（案件当前为「{stage.label}」阶段）", "illegal_transition")
    if history.filed_on is not None and on < (history.last_on or history.filed_on):
        raise refuse(f"步骤日期 {on} 不能早于上一步骤的日期 {history.last_on}", "bad_date")
    if action in REASON_REQUIRED and not (reason and reason.strip()):
        raise refuse(REASON_REQUIRED[action], "reason_required")
    data = check_step(action, stage, facts, history, config, ctx, on, reason, data, refusal)
    return _event(event_id, action, stage, target or stage, ctx, on, reason, data)


def _event(
    event_id: str,
    action: CaseAction,
    from_stage: CaseStage | str,
    to_stage: CaseStage,
    ctx: StepContext,
    on: date,
    reason: str | None,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    body = {k: v for k, v in data.items() if k != "on"}
    return {
        "id": event_id,
        "action": action.value,
        "from_status": str(from_stage),
        "to_status": to_stage.value,
        "actor": ctx.actor.strip(),
        "at": ctx.at.isoformat(),
        "on": on.isoformat(),
        "reason": reason.strip() if reason and reason.strip() else None,
        "data": body,
    }


def next_steps(
    facts: CaseFacts, events: Iterable[Mapping[str, Any]], on: date, editions: Iterable[CaseConfig] = ()
) -> list[tuple[CaseAction, str | None]]:
    """The steps the case's stage allows, each with why it would be refused today (None: it may be taken),
    main-line steps first — what the case view offers and calls "the next legal step"."""
    history = fold(list(events))
    if not history.stage:
        return [(A.FILE, None)]
    stage = CaseStage(history.stage)
    config = in_force(list(editions), on)
    out: list[tuple[CaseAction, str | None]] = []
    for action, (allowed, _target, _why) in RULES.items():
        if stage not in allowed:
            continue
        blocked: str | None = None
        if action is A.DECIDE:
            found = decision_blockers(facts, history, config, on)
            blocked = "；".join(found) or None
        elif action is A.SUBMIT_REVIEW:
            blocked = "；".join(decision_blockers(facts, history, config, on, for_review=True)) or None
        out.append((action, blocked))
    return out

"""Case stages and steps: their Chinese labels, where each step may be taken and what it leads to (pure).

The table `RULES` is the state machine's shape; `app.rules.case_checks` holds what the law requires of each
step's contents, and `app.rules.case_states.step` applies both.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class CaseStage(StrEnum):
    FILED = "filed"
    INVESTIGATING = "investigating"
    NOTIFIED = "notified"
    HEARING = "hearing"
    REVIEW = "review"
    DECIDED = "decided"
    SERVED = "served"
    EXECUTING = "executing"
    CLOSED = "closed"
    TRANSFERRED = "transferred"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    CaseStage.FILED: "立案",
    CaseStage.INVESTIGATING: "调查取证",
    CaseStage.NOTIFIED: "事先告知",
    CaseStage.HEARING: "陈述申辩/听证",
    CaseStage.REVIEW: "法制审核",
    CaseStage.DECIDED: "决定",
    CaseStage.SERVED: "送达",
    CaseStage.EXECUTING: "执行",
    CaseStage.CLOSED: "结案",
    CaseStage.TRANSFERRED: "移送",
    CaseStage.TERMINATED: "终止",
}
#: stages in procedural order (the case view's progress line)
MAIN_LINE = (
    CaseStage.FILED,
    CaseStage.INVESTIGATING,
    CaseStage.NOTIFIED,
    CaseStage.HEARING,
    CaseStage.REVIEW,
    CaseStage.DECIDED,
    CaseStage.SERVED,
    CaseStage.EXECUTING,
    CaseStage.CLOSED,
)
ENDED = frozenset({CaseStage.CLOSED, CaseStage.TRANSFERRED, CaseStage.TERMINATED})
BEFORE_DECISION = frozenset(
    {CaseStage.FILED, CaseStage.INVESTIGATING, CaseStage.NOTIFIED, CaseStage.HEARING, CaseStage.REVIEW}
)
OPEN = frozenset(CaseStage) - ENDED


class CaseAction(StrEnum):
    FILE = "file"
    INVESTIGATE = "investigate"
    NOTIFY = "notify"
    STATEMENT = "statement"
    REQUEST_HEARING = "request_hearing"
    NOTIFY_HEARING = "notify_hearing"
    HOLD_HEARING = "hold_hearing"
    WAIVE_HEARING = "waive_hearing"
    SUBMIT_REVIEW = "submit_review"
    REVIEW = "review"
    DECIDE = "decide"
    SERVE = "serve"
    EXECUTE = "execute"
    PAY = "pay"
    CLOSE = "close"
    TRANSFER = "transfer"
    TERMINATE = "terminate"
    EXTEND = "extend"
    PRESERVE = "preserve"
    PRESERVE_DECIDE = "preserve_decide"
    SEIZE = "seize"
    SEIZE_EXTEND = "seize_extend"
    SEIZE_RELEASE = "seize_release"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    CaseAction.FILE: "立案",
    CaseAction.INVESTIGATE: "开始调查取证",
    CaseAction.NOTIFY: "事先告知",
    CaseAction.STATEMENT: "记录陈述申辩",
    CaseAction.REQUEST_HEARING: "登记听证申请",
    CaseAction.NOTIFY_HEARING: "通知听证",
    CaseAction.HOLD_HEARING: "记录听证",
    CaseAction.WAIVE_HEARING: "书面放弃听证",
    CaseAction.SUBMIT_REVIEW: "提交法制审核",
    CaseAction.REVIEW: "法制审核意见",
    CaseAction.DECIDE: "作出处罚决定",
    CaseAction.SERVE: "送达决定书",
    CaseAction.EXECUTE: "进入执行",
    CaseAction.PAY: "登记缴纳罚款",
    CaseAction.CLOSE: "结案",
    CaseAction.TRANSFER: "移送",
    CaseAction.TERMINATE: "终止",
    CaseAction.EXTEND: "延长办案期限",
    CaseAction.PRESERVE: "先行登记保存",
    CaseAction.PRESERVE_DECIDE: "保存物品处理",
    CaseAction.SEIZE: "查封扣押",
    CaseAction.SEIZE_EXTEND: "延长查封扣押",
    CaseAction.SEIZE_RELEASE: "解除查封扣押",
}

S, A = CaseStage, CaseAction
_KEEP = None  # the step keeps the stage
#: action → (stages it may be taken in, the stage it leads to or _KEEP, why it is refused elsewhere)
RULES: Mapping[CaseAction, tuple[frozenset[CaseStage], CaseStage | None, str]] = MappingProxyType(
    {
        A.INVESTIGATE: (
            frozenset({S.FILED}),
            S.INVESTIGATING,
            "《行政处罚法》第五十四条：调查取证须在立案之后进行",
        ),
        A.NOTIFY: (
            frozenset({S.INVESTIGATING}),
            S.NOTIFIED,
            "《行政处罚法》第四十四条：事先告知须在调查终结后、作出决定前进行",
        ),
        A.STATEMENT: (
            frozenset({S.NOTIFIED, S.HEARING}),
            S.HEARING,
            "《行政处罚法》第四十五条：陈述申辩在事先告知之后、作出决定之前提出",
        ),
        A.REQUEST_HEARING: (
            frozenset({S.NOTIFIED, S.HEARING}),
            S.HEARING,
            "《行政处罚法》第六十四条：听证申请在事先告知之后提出",
        ),
        A.NOTIFY_HEARING: (frozenset({S.HEARING}), _KEEP, "《行政处罚法》第六十四条：当事人尚未申请听证"),
        A.HOLD_HEARING: (frozenset({S.HEARING}), _KEEP, "《行政处罚法》第六十四条：当事人尚未申请听证"),
        A.WAIVE_HEARING: (
            frozenset({S.NOTIFIED, S.HEARING}),
            _KEEP,
            "《行政处罚法》第六十四条：放弃听证须在事先告知之后、作出决定之前",
        ),
        A.SUBMIT_REVIEW: (
            frozenset({S.NOTIFIED, S.HEARING, S.REVIEW}),
            S.REVIEW,
            "《行政处罚法》第五十八条：法制审核在事先告知之后、作出决定之前进行",
        ),
        A.REVIEW: (frozenset({S.REVIEW}), _KEEP, "《行政处罚法》第五十八条：案件尚未提交法制审核"),
        A.DECIDE: (
            frozenset({S.NOTIFIED, S.HEARING, S.REVIEW}),
            S.DECIDED,
            "《行政处罚法》第四十四条：作出行政处罚决定之前，应当告知当事人拟作出的处罚内容及事实、理由、依据",
        ),
        A.SERVE: (frozenset({S.DECIDED}), S.SERVED, "《行政处罚法》第六十一条：尚未作出处罚决定，不能送达"),
        A.EXECUTE: (frozenset({S.SERVED}), S.EXECUTING, "《行政处罚法》第六十六条：处罚决定书送达后方可执行"),
        A.PAY: (
            frozenset({S.SERVED, S.EXECUTING}),
            S.EXECUTING,
            "《行政处罚法》第六十七条：处罚决定书送达后方可缴纳罚款",
        ),
        A.CLOSE: (
            frozenset({S.EXECUTING, S.TRANSFERRED, S.TERMINATED}),
            S.CLOSED,
            "结案须在处罚决定执行完毕、案件移送或终止之后",
        ),
        A.TRANSFER: (BEFORE_DECISION, S.TRANSFERRED, "已作出处罚决定的案件不能移送"),
        A.TERMINATE: (frozenset(OPEN), S.TERMINATED, "案件已办结，不能终止"),
        A.EXTEND: (BEFORE_DECISION, _KEEP, "《行政处罚法》第六十条：已作出决定的案件无需延长办案期限"),
        A.PRESERVE: (
            frozenset({S.FILED, S.INVESTIGATING}),
            _KEEP,
            "《行政处罚法》第五十六条：先行登记保存用于调查取证阶段",
        ),
        A.PRESERVE_DECIDE: (frozenset(OPEN), _KEEP, "《行政处罚法》第五十六条：没有待处理的先行登记保存"),
        A.SEIZE: (
            frozenset({S.FILED, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.REVIEW}),
            _KEEP,
            "《行政强制法》第二十四条：查封扣押须在作出处理决定之前",
        ),
        A.SEIZE_EXTEND: (frozenset(OPEN), _KEEP, "《行政强制法》第二十五条：没有进行中的查封扣押"),
        A.SEIZE_RELEASE: (frozenset(OPEN), _KEEP, "《行政强制法》第二十八条：没有进行中的查封扣押"),
    }
)
REASON_REQUIRED = {
    A.TRANSFER: "移送必须填写原因",
    A.TERMINATE: "终止案件必须填写原因",
    A.EXTEND: "延长办案期限必须填写理由",
}
REVIEW_OPINIONS = ("通过", "不通过", "补正")

"""A case's facts and its events, and the history folded from them (pure; shared by client and platform).

A case (案件) is stored as its facts (party type, date of the act, harm, complexity, officers) and an ordered
list of events in wire form — ``{"id", "action", "from_status", "to_status", "actor", "at", "on", "reason",
"data"}`` — where `at` is when the step was recorded and `on` the legal date of the step (the day a notice was
served, a hearing held …). Everything else — the stage, the clocks, whether a hearing is owed — is derived from
the events by `fold`; nothing is kept as a counter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from app.errors import ValidationError
from app.rules.case_config import Penalty
from app.rules.clocks import PartyType

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def china_day(at: datetime) -> date:
    return at.astimezone(CHINA_TZ).date()


def parse_day(value: Any, what: str) -> date:
    if isinstance(value, datetime):
        return china_day(value)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationError(f"{what}日期无效：{value}", code="bad_date") from None


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about the case itself (not its steps)."""

    party_type: PartyType
    act_date: date
    act_end_date: date | None = None  # a continuing act: the day it ended (第三十六条 counts from it)
    severe_harm: bool = False  # citizens' life, health or financial safety harmed with consequences
    complex_case: bool = False
    officer_ids: tuple[str, ...] = ()

    @property
    def act_reference(self) -> date:
        return self.act_end_date or self.act_date

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> CaseFacts:
        try:
            party = PartyType(str(data.get("party_type") or "person"))
        except ValueError:
            raise ValidationError("当事人类型无效", code="bad_party_type") from None
        if not data.get("act_date"):
            raise ValidationError("请填写违法行为发生日期", code="act_date_required")
        act = parse_day(data["act_date"], "违法行为发生")
        end = parse_day(data["act_end_date"], "违法行为终了") if data.get("act_end_date") else None
        if end is not None and end < act:
            raise ValidationError("违法行为终了日期不能早于发生日期", code="bad_date")
        officers = data.get("officer_ids") or []
        return cls(
            party,
            act,
            end,
            bool(data.get("severe_harm")),
            bool(data.get("complex_case")),
            tuple(str(o) for o in officers),
        )


@dataclass(frozen=True)
class Review:
    opinion: str  # 通过 / 不通过 / 补正
    text: str
    reviewer: str
    on: date


@dataclass
class Preservation:
    start: date
    until: date
    decided_on: date | None = None


@dataclass
class Seizure:
    start: date
    days: int
    extension_days: int = 0
    ended_on: date | None = None


@dataclass
class History:
    """The case as its events say it is now."""

    stage: str = ""
    filed_on: date | None = None
    last_on: date | None = None
    extensions: list[tuple[date, date]] = field(default_factory=list)  # (approved on, new due)
    notice_on: date | None = None
    notice_penalty: Penalty | None = None
    hearing_right: bool = False
    hearing_requested_on: date | None = None
    hearing_notified_on: date | None = None
    hearing_held_on: date | None = None
    waived_on: date | None = None
    statements: int = 0
    review_submitted_on: date | None = None
    reviews: list[Review] = field(default_factory=list)  # since the last submission
    decided_on: date | None = None
    decision_penalty: Penalty | None = None
    served_on: date | None = None
    paid_on: date | None = None
    preservations: list[Preservation] = field(default_factory=list)
    seizures: list[Seizure] = field(default_factory=list)
    ended_on: date | None = None  # 结案, 移送 or 终止

    @property
    def review_passed(self) -> bool:
        return bool(self.reviews) and self.reviews[-1].opinion == "通过"

    @property
    def open_preservation(self) -> Preservation | None:
        return next((p for p in self.preservations if p.decided_on is None), None)

    @property
    def open_seizure(self) -> Seizure | None:
        return next((s for s in self.seizures if s.ended_on is None), None)


def event_day(event: Mapping[str, Any]) -> date:
    if event.get("on"):
        return parse_day(event["on"], "步骤")
    return china_day(datetime.fromisoformat(str(event["at"])))


def fold(events: Iterable[Mapping[str, Any]]) -> History:
    """Replay accepted events (already checked by the state machine) into the case's history."""
    h = History()
    for event in events:
        apply_event(h, event)
    return h


def apply_event(h: History, event: Mapping[str, Any]) -> None:
    action = str(event["action"])
    on = event_day(event)
    data: Mapping[str, Any] = event.get("data") or {}
    h.stage = str(event["to_status"])
    h.last_on = on if h.last_on is None else max(h.last_on, on)
    if action == "file":
        h.filed_on = on
    elif action == "extend":
        h.extensions.append((on, parse_day(data["new_due"], "延长后期限")))
    elif action == "notify":
        h.notice_on = on
        h.notice_penalty = Penalty.from_wire(data)
        h.hearing_right = bool(data.get("hearing_right"))
    elif action == "statement":
        h.statements += 1
    elif action == "request_hearing":
        h.hearing_requested_on = on
        h.waived_on = None
    elif action == "notify_hearing":
        h.hearing_notified_on = on
    elif action == "hold_hearing":
        h.hearing_held_on = on
    elif action == "waive_hearing":
        h.waived_on = on
    elif action == "submit_review":
        h.review_submitted_on = on
        h.reviews = []
    elif action == "review":
        h.reviews.append(Review(str(data["opinion"]), str(data.get("text") or ""), str(event["actor"]), on))
    elif action == "decide":
        h.decided_on = on
        h.decision_penalty = Penalty.from_wire(data)
        seizure = h.open_seizure
        if seizure is not None:
            seizure.ended_on = on
    elif action == "serve":
        h.served_on = on
    elif action == "pay":
        h.paid_on = on
    elif action == "preserve":
        h.preservations.append(Preservation(on, parse_day(data["until"], "保存期限")))
    elif action == "preserve_decide":
        open_one = h.open_preservation
        if open_one is not None:
            open_one.decided_on = on
    elif action == "seize":
        h.seizures.append(Seizure(on, int(data["days"])))
    elif action == "seize_extend":
        seizure = h.open_seizure
        if seizure is not None:
            seizure.extension_days = int(data["days"])
    elif action == "seize_release":
        seizure = h.open_seizure
        if seizure is not None:
            seizure.ended_on = on
    elif action in ("close", "transfer", "terminate"):
        h.ended_on = h.ended_on or on

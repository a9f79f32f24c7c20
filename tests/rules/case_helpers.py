"""Building case histories step by step through the real state machine (shared by the case rule tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from app.rules.case_config import CaseConfig
from app.rules.case_history import CHINA_TZ, CaseFacts
from app.rules.case_states import StepContext, step
from app.rules.clocks import PartyType

ORG = CaseFacts(PartyType.ORGANISATION, date(2026, 1, 10), officer_ids=("o1", "o2"))
PERSON = CaseFacts(PartyType.PERSON, date(2026, 1, 10), officer_ids=("o1", "o2"))


def at_day(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=CHINA_TZ).astimezone(UTC)


class CaseBuilder:
    """Events accumulated by calling `step` exactly as the service and the platform do."""

    def __init__(self, facts: CaseFacts = ORG, editions: tuple[CaseConfig, ...] = ()) -> None:
        self.facts = facts
        self.editions = editions
        self.events: list[dict[str, Any]] = []

    def do(
        self, action: str, on: date, *, role: str = "leader", username: str = "lead", officer_id: str | None = None,
        reason: str | None = None, recorded: date | None = None, **data: Any,
    ) -> dict[str, Any]:
        ctx = StepContext(role=role, username=username, actor=f"{username}", at=at_day(recorded or on),
                          officer_id=officer_id, on=on)
        event = step(self.facts, self.events, action, ctx, editions=self.editions, reason=reason, data=data,
                     event_id=f"e{len(self.events)}")
        self.events.append(event)
        return event

    def to_notice(self, filed: date, notified: date, *, fine: str = "200000", hearing: bool = True) -> CaseBuilder:
        self.do("file", filed)
        self.do("investigate", filed)
        self.do("notify", notified, kinds=["罚款"], fine_amount=fine, hearing_right=hearing)
        return self

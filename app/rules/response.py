"""Response standards of the loops, as pure functions both the laptop and the platform apply.

* Urgent instructions (priority 1 特急 / 2 紧急): respond, leave and arrive within targets counted from dispatch
  (defaults from one county's published standard — DOMAIN §5: 1, 3 and 15 minutes; configuration).
* Complaints (投诉举报): a reply to the complainant within N working days of receipt (default 15, unverified —
  configuration). Working days skip Saturdays and Sundays only; public holidays and make-up days are not known
  here (callers needing them adjust the due date).
* 抄告 replies: due on the referral's `reply_due` day; overdue from the next day while no reply exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

URGENT_PRIORITIES = frozenset({1, 2})


class Stage(StrEnum):
    RESPOND = "respond"
    DEPART = "depart"
    ARRIVE = "arrive"

    @property
    def label(self) -> str:
        return {"respond": "响应", "depart": "出发", "arrive": "到达"}[self.value]


STAGES = (Stage.RESPOND, Stage.DEPART, Stage.ARRIVE)


@dataclass(frozen=True)
class UrgentTargets:
    """Seconds from dispatch by which each stage must be checked in."""

    respond: int = 60
    depart: int = 180
    arrive: int = 900

    def of(self, stage: Stage | str) -> int:
        return int(getattr(self, Stage(stage).value))


DEFAULT_URGENT = UrgentTargets()


def is_urgent(priority: int | None) -> bool:
    return priority in URGENT_PRIORITIES


@dataclass(frozen=True)
class StageTimer:
    stage: Stage
    target_seconds: int
    done_at: datetime | None
    elapsed_seconds: int  # at check-in, or so far when not yet done
    overdue: bool

    @property
    def label(self) -> str:
        return self.stage.label


def stage_timers(
    dispatched_at: datetime, checkins: Mapping[str, datetime], now: datetime, targets: UrgentTargets = DEFAULT_URGENT
) -> list[StageTimer]:
    """One timer per stage: the first check-in of each stage (or `now` while it is missing) against its target."""
    out = []
    for stage in STAGES:
        done = checkins.get(stage.value)
        end = done or now
        elapsed = max(0, int((end - dispatched_at).total_seconds()))
        target = targets.of(stage)
        out.append(StageTimer(stage, target, done, elapsed, elapsed > target))
    return out


def checkin_overdue(dispatched_at: datetime, at: datetime, stage: Stage | str,
                    targets: UrgentTargets = DEFAULT_URGENT) -> tuple[int, int, bool]:
    """(elapsed seconds, target seconds, overdue) of a check-in at `at`."""
    elapsed = max(0, int((at - dispatched_at).total_seconds()))
    target = targets.of(stage)
    return elapsed, target, elapsed > target


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days (Mon–Fri) after `start` (the start day itself is not counted)."""
    if days < 0:
        raise ValueError("days must be ≥ 0")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def complaint_reply_due(received: date, working_days: int = 15) -> date:
    return add_working_days(received, working_days)


def reply_overdue(due: date | None, replied: bool, today: date) -> bool:
    """A reply (to a complainant or a 抄告) is overdue after its due day while none exists."""
    return due is not None and not replied and today > due

"""Statutory clocks and thresholds (《行政处罚法》2021, 《行政强制法》).

Every number is a field of `LegalThresholds` (configuration, not a constant: localities differ, and some values
are unverified). Periods are counted in calendar days from the day after the starting event, so a 7-day
period starting on the 1st is due on the 8th. Working-day calendars (holidays, make-up working days, a period
ending on a holiday moving to the next working day) are out of scope: callers needing them adjust `due`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from app.errors import ThresholdError, ValidationError


class PartyType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return "公民" if self is PartyType.PERSON else "法人或其他组织"


@dataclass(frozen=True)
class LegalThresholds:
    summary_fine_person: Decimal = Decimal(200)  # 第五十一条 当场处罚
    summary_fine_organisation: Decimal = Decimal(3000)
    hearing_fine_person: Decimal = Decimal(5000)  # 第六十三条 较大数额 (one locality's values)
    hearing_fine_organisation: Decimal = Decimal(100000)
    preservation_days: int = 7  # 第五十六条 先行登记保存, decide within 7 days
    case_decision_days: int = 90  # 第六十条 decision within 90 days of filing
    limitation_years: int = 2  # 第三十六条
    limitation_years_severe: int = 5  # life, health or financial safety harmed
    coercive_days: int = 30  # 《行政强制法》第二十五条 查封扣押
    coercive_extension_days: int = 30
    hearing_request_days: int = 5  # 第六十四条
    payment_days: int = 15  # 第六十七条
    late_payment_rate_per_day: Decimal = Decimal("0.03")  # 第七十二条 加处罚款 3%/day
    correction_default_days: int = 15  # default 限期改正 period (unverified, local practice)
    notice_reply_days: int = 15  # 抄告 reply deadline (unverified, local practice)
    review_days: int = 60  # 行政复议
    lawsuit_months: int = 6  # 行政诉讼

    def summary_fine_limit(self, party_type: PartyType | str) -> Decimal:
        person = PartyType(party_type) is PartyType.PERSON
        return self.summary_fine_person if person else self.summary_fine_organisation

    def hearing_fine_threshold(self, party_type: PartyType | str) -> Decimal:
        person = PartyType(party_type) is PartyType.PERSON
        return self.hearing_fine_person if person else self.hearing_fine_organisation


DEFAULT_THRESHOLDS = LegalThresholds()


def to_amount(amount: Decimal | int | str) -> Decimal:
    """A fine amount in yuan as a finite, non-negative Decimal (floats are rejected: money is exact)."""
    if isinstance(amount, bool | float):
        raise ValidationError("罚款金额必须是精确数值（整数或小数文本）", code="invalid_amount")
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(f"罚款金额「{amount}」不是有效数字", code="invalid_amount") from exc
    if not value.is_finite():
        raise ValidationError(f"罚款金额「{amount}」不是有效数字", code="invalid_amount")
    if value < 0:
        raise ValidationError("罚款金额不能为负数", code="negative_amount")
    return value


def format_yuan(amount: Decimal) -> str:
    """350 → "350", 350.50 → "350.5"; never exponent notation."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def check_summary_fine(
    party_type: PartyType | str,
    amount_yuan: Decimal | int | str,
    thresholds: LegalThresholds = DEFAULT_THRESHOLDS,
) -> Decimal:
    """Refuse an on-the-spot (当场) fine above the limit for the party type; 0 (a warning, 警告) is accepted.
    Returns the amount as a Decimal."""
    party_type = PartyType(party_type)
    amount = to_amount(amount_yuan)
    limit = thresholds.summary_fine_limit(party_type)
    if amount > limit:
        raise ThresholdError(
            f"当场处罚对{party_type.label}罚款不得超过{format_yuan(limit)}元（《行政处罚法》第五十一条），"
            f"本次为 {format_yuan(amount)} 元",
            code="summary_fine_exceeded",
        )
    return amount


def needs_hearing(
    party_type: PartyType | str, amount: Decimal | int | str, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """A fine at or above the configured "large amount" (较大数额) gives the party a right to a hearing."""
    return to_amount(amount) >= thresholds.hearing_fine_threshold(PartyType(party_type))


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def add_years(day: date, years: int) -> date:
    """Same month and day `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last))


def days_after(start: date, days: int) -> date:
    return _day(start) + timedelta(days=days)


def preservation_deadline(notice_date: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> date:
    """Last day to decide on evidence registered for preservation (先行登记保存)."""
    return days_after(notice_date, thresholds.preservation_days)


def case_deadline(filed_date: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> date:
    """Last day for the decision of a case filed (立案) on `filed_date`."""
    return days_after(filed_date, thresholds.case_decision_days)


def coercive_deadline(
    start: date, extended: bool = False, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> date:
    """End of a sealing/seizure (查封扣押) period, with the approved extension when `extended`."""
    days = thresholds.coercive_days + (thresholds.coercive_extension_days if extended else 0)
    return days_after(start, days)


def hearing_request_deadline(served_date: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> date:
    return days_after(served_date, thresholds.hearing_request_days)


def payment_deadline(served_date: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> date:
    return days_after(served_date, thresholds.payment_days)


def limitation_expired(
    act_date: date, on: date, severe: bool = False, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """True when the act (for a continuing act: the day it ended) is older than the limitation period on `on`;
    the anniversary day itself is still within the period."""
    return _day(on) > limitation_deadline(act_date, severe, thresholds)


class ClockState(StrEnum):
    RUNNING = "running"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET = "met"

    @property
    def label(self) -> str:
        return {"running": "计时中", "due_today": "今日到期", "overdue": "已超期", "met": "已完成"}[
            self.value
        ]


@dataclass(frozen=True)
class Clock:
    """A statutory timer from `start` to its last day `due`; `basis` cites the provision.

    `done` is the day the duty the clock guards was met (a decision made, evidence handled …): the clock then
    reads "met", or "overdue" when it was met after `due`. A `waiting` clock is a period the body must let pass
    (the party's 5-day hearing request window): it reads "met" once `due` is past or `done` is set."""

    name: str
    start: date
    due: date
    basis: str = ""
    done: date | None = None
    waiting: bool = False

    def days_left(self, today: date) -> int:
        """Calendar days until `due` (0 on the due day, negative once overdue)."""
        return (self.due - _day(today)).days

    def state(self, today: date) -> ClockState:
        if self.waiting:
            if self.done is not None or self.days_left(today) < 0:
                return ClockState.MET
            return ClockState.DUE_TODAY if self.days_left(today) == 0 else ClockState.RUNNING
        if self.done is not None:
            return ClockState.OVERDUE if self.done > self.due else ClockState.MET
        left = self.days_left(today)
        if left < 0:
            return ClockState.OVERDUE
        return ClockState.DUE_TODAY if left == 0 else ClockState.RUNNING

    def needs_attention(self, today: date, within_days: int = 3) -> bool:
        """An open deadline (not a waiting period) that is overdue or due within `within_days`."""
        return not self.waiting and self.done is None and self.days_left(today) <= within_days


def preservation_clock(notice_date: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> Clock:
    return Clock(
        "证据先行登记保存处理期限",
        _day(notice_date),
        preservation_deadline(notice_date, thresholds),
        "《行政处罚法》第五十六条",
    )


def case_clock(filed_date: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> Clock:
    return Clock(
        "案件办理期限", _day(filed_date), case_deadline(filed_date, thresholds), "《行政处罚法》第六十条"
    )


def coercive_clock(
    start: date, extended: bool = False, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> Clock:
    return Clock(
        "查封扣押期限（已延长）" if extended else "查封扣押期限",
        _day(start),
        coercive_deadline(start, extended, thresholds),
        "《行政强制法》第二十五条",
    )


def limitation_deadline(
    act_date: date, severe: bool = False, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> date:
    """The last day an act (a continuing act: the day it ended) may still be discovered and punished
    (第三十六条: 2 years, 5 where citizens' life, health or financial safety was harmed)."""
    years = thresholds.limitation_years_severe if severe else thresholds.limitation_years
    return add_years(_day(act_date), years)


def check_preservation_period(
    start: date, end: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> None:
    """Refuse a preservation (先行登记保存) period that ends before it starts or runs past the days within which
    the body must decide (第五十六条)."""
    if end < start:
        raise ThresholdError("先行登记保存期限的截止日期不能早于起始日期", code="preservation_period")
    if (end - start).days > thresholds.preservation_days:
        raise ThresholdError(
            f"《行政处罚法》第五十六条：先行登记保存应当在{thresholds.preservation_days}日内作出处理决定，"
            f"保存期限不得超过{thresholds.preservation_days}日（本次为 {(end - start).days} 日）",
            code="preservation_period",
        )


def check_coercive_days(
    days: int, *, extension: bool = False, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> None:
    """Refuse a 查封扣押 period (or its one extension) longer than 《行政强制法》第二十五条 allows."""
    limit = thresholds.coercive_extension_days if extension else thresholds.coercive_days
    what = "延长查封、扣押的期限" if extension else "查封、扣押的期限"
    if days < 1:
        raise ThresholdError(f"{what}至少为 1 日", code="coercive_period")
    if days > limit:
        raise ThresholdError(
            f"《行政强制法》第二十五条：{what}不得超过{limit}日（本次为 {days} 日）", code="coercive_period"
        )


def late_payment_surcharge(
    fine: Decimal | int | str, due: date, on: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS
) -> Decimal:
    """加处罚款 (第七十二条) owed on `on` for a fine due on `due`: 3 % of the fine per day after `due`, never
    more than the fine itself; in yuan, rounded to the fen."""
    amount = to_amount(fine)
    days = max(0, (_day(on) - _day(due)).days)
    surcharge = (amount * thresholds.late_payment_rate_per_day * days).quantize(Decimal("0.01"))
    return min(surcharge, amount)

"""Tests for statutory thresholds and clocks, including boundary days."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.errors import ThresholdError, ValidationError
from app.rules.clocks import (
    DEFAULT_THRESHOLDS,
    Clock,
    ClockState,
    LegalThresholds,
    PartyType,
    add_years,
    case_clock,
    case_deadline,
    check_summary_fine,
    coercive_clock,
    coercive_deadline,
    format_yuan,
    hearing_request_deadline,
    limitation_expired,
    needs_hearing,
    payment_deadline,
    preservation_clock,
    preservation_deadline,
)

P, ORG = PartyType.PERSON, PartyType.ORGANISATION


@pytest.mark.parametrize(
    ("party", "amount", "expected"),
    [
        (P, 0, Decimal(0)),  # a warning (警告) carries no fine
        (P, 50, Decimal(50)),
        (P, 200, Decimal(200)),
        (P, Decimal("199.99"), Decimal("199.99")),
        (P, "200.00", Decimal(200)),
        (ORG, 200, Decimal(200)),
        (ORG, 3000, Decimal(3000)),
        ("organisation", 2999, Decimal(2999)),
    ],
)
def test_summary_fine_accepted(party: PartyType, amount: Decimal | int | str, expected: Decimal) -> None:
    assert check_summary_fine(party, amount) == expected


@pytest.mark.parametrize(
    ("party", "amount", "message"),
    [
        (P, 350, "当场处罚对公民罚款不得超过200元（《行政处罚法》第五十一条），本次为 350 元"),
        (
            P,
            Decimal("200.01"),
            "当场处罚对公民罚款不得超过200元（《行政处罚法》第五十一条），本次为 200.01 元",
        ),
        (ORG, 3001, "当场处罚对法人或其他组织罚款不得超过3000元（《行政处罚法》第五十一条），本次为 3001 元"),
        (
            ORG,
            Decimal("5000.50"),
            "当场处罚对法人或其他组织罚款不得超过3000元（《行政处罚法》第五十一条），本次为 5000.5 元",
        ),
    ],
)
def test_summary_fine_refused(party: PartyType, amount: Decimal | int, message: str) -> None:
    with pytest.raises(ThresholdError) as info:
        check_summary_fine(party, amount)
    assert str(info.value) == message
    assert info.value.code == "summary_fine_exceeded"


@pytest.mark.parametrize(
    "amount", [-1, Decimal("-0.01"), 1.5, True, "abc", Decimal("NaN"), Decimal("Infinity")]
)
def test_bad_amounts(amount: Any) -> None:
    with pytest.raises(ValidationError):
        check_summary_fine(P, amount)


def test_thresholds_are_configuration() -> None:
    local = replace(DEFAULT_THRESHOLDS, summary_fine_person=Decimal(100), hearing_fine_person=Decimal(2000))
    with pytest.raises(ThresholdError, match="不得超过100元"):
        check_summary_fine(P, 150, local)
    assert needs_hearing(P, 2000, local)
    assert not needs_hearing(P, 2000)


@pytest.mark.parametrize(
    ("party", "amount", "expected"),
    [
        (P, 4999, False),
        (P, 5000, True),
        (P, Decimal("4999.99"), False),
        (P, 20000, True),
        (ORG, 99999, False),
        (ORG, 100000, True),
        (ORG, 5000, False),
    ],
)
def test_needs_hearing(party: PartyType, amount: Decimal | int, expected: bool) -> None:
    assert needs_hearing(party, amount) is expected


@pytest.mark.parametrize(
    ("func", "start", "due"),
    [
        (preservation_deadline, date(2026, 3, 1), date(2026, 3, 8)),
        (preservation_deadline, date(2026, 2, 25), date(2026, 3, 4)),  # across a month end
        (preservation_deadline, date(2026, 12, 28), date(2027, 1, 4)),  # across a year end
        (case_deadline, date(2026, 1, 1), date(2026, 4, 1)),
        (case_deadline, date(2024, 1, 1), date(2024, 3, 31)),  # leap year
        (hearing_request_deadline, date(2026, 3, 2), date(2026, 3, 7)),
        (payment_deadline, date(2026, 3, 2), date(2026, 3, 17)),
    ],
)
def test_deadlines(func: Callable[[date], date], start: date, due: date) -> None:
    assert func(start) == due


@pytest.mark.parametrize(
    ("start", "extended", "due"),
    [
        (date(2026, 3, 1), False, date(2026, 3, 31)),
        (date(2026, 3, 1), True, date(2026, 4, 30)),
        (datetime(2026, 3, 1, 15, 30), False, date(2026, 3, 31)),  # a datetime counts by its date
    ],
)
def test_coercive_deadline(start: date, extended: bool, due: date) -> None:
    assert coercive_deadline(start, extended) == due


@pytest.mark.parametrize(
    ("act", "on", "severe", "expired"),
    [
        (date(2024, 3, 1), date(2026, 2, 28), False, False),
        (date(2024, 3, 1), date(2026, 3, 1), False, False),  # the anniversary itself: still within
        (date(2024, 3, 1), date(2026, 3, 2), False, True),
        (date(2024, 3, 1), date(2026, 3, 2), True, False),
        (date(2021, 3, 1), date(2026, 3, 1), True, False),
        (date(2021, 3, 1), date(2026, 3, 2), True, True),
        (date(2024, 2, 29), date(2026, 2, 28), False, False),  # 29 Feb → 28 Feb
        (date(2024, 2, 29), date(2026, 3, 1), False, True),
    ],
)
def test_limitation(act: date, on: date, severe: bool, expired: bool) -> None:
    assert limitation_expired(act, on, severe) is expired


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2026, 1, 31), 2, date(2028, 1, 31)),
    ],
)
def test_add_years(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected


CLOCK = Clock("证据先行登记保存处理期限", date(2026, 3, 1), date(2026, 3, 8))


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (date(2026, 3, 1), ClockState.RUNNING, 7),
        (date(2026, 3, 7), ClockState.RUNNING, 1),
        (date(2026, 3, 8), ClockState.DUE_TODAY, 0),
        (date(2026, 3, 9), ClockState.OVERDUE, -1),
        (date(2026, 4, 8), ClockState.OVERDUE, -31),
    ],
)
def test_clock_state(today: date, state: ClockState, left: int) -> None:
    assert CLOCK.state(today) is state
    assert CLOCK.state(today) == state.value
    assert CLOCK.days_left(today) == left


@pytest.mark.parametrize(
    ("clock", "due", "basis"),
    [
        (preservation_clock(date(2026, 3, 1)), date(2026, 3, 8), "第五十六条"),
        (case_clock(date(2026, 1, 1)), date(2026, 4, 1), "第六十条"),
        (coercive_clock(date(2026, 3, 1)), date(2026, 3, 31), "行政强制法"),
        (coercive_clock(date(2026, 3, 1), extended=True), date(2026, 4, 30), "行政强制法"),
    ],
)
def test_clock_factories(clock: Clock, due: date, basis: str) -> None:
    assert clock.due == due
    assert basis in clock.basis


def test_custom_periods() -> None:
    local = LegalThresholds(preservation_days=5, case_decision_days=60)
    assert preservation_deadline(date(2026, 3, 1), local) == date(2026, 3, 6)
    assert case_deadline(date(2026, 3, 1), local) == date(2026, 4, 30)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Decimal(350), "350"), (Decimal("350.50"), "350.5"), (Decimal("1E+3"), "1000"), (Decimal("0.00"), "0")],
)
def test_format_yuan(amount: Decimal, text: str) -> None:
    assert format_yuan(amount) == text

"""Case clocks at every statutory boundary, derived from events through the real state machine."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.errors import ThresholdError, TransitionError
from app.rules.case_clocks import case_clocks, decision_due, surcharge
from app.rules.case_config import Penalty, default_config, hearing_reasons, in_force, parse_config
from app.rules.case_history import CaseFacts, fold
from app.rules.case_states import filing_warnings
from app.rules.clocks import ClockState, PartyType, check_preservation_period, late_payment_surcharge
from tests.rules.case_helpers import ORG, CaseBuilder

D = date(2026, 3, 2)


def _clock(case: CaseBuilder, name: str):
    return next(c for c in case_clocks(case.facts, case.events, case.editions) if c.name.startswith(name))


@pytest.mark.parametrize(
    ("day", "state"),
    [(89, ClockState.RUNNING), (90, ClockState.DUE_TODAY), (91, ClockState.OVERDUE)],
)
def test_ninety_day_clock_boundary(day: int, state: ClockState) -> None:
    case = CaseBuilder()
    case.do("file", D)
    clock = _clock(case, "案件办理期限")
    assert clock.due == D + timedelta(days=90)
    assert clock.state(D + timedelta(days=day)) is state


@pytest.mark.parametrize(("decided_after", "state"), [(90, ClockState.MET), (91, ClockState.OVERDUE)])
def test_decision_on_day_90_is_in_time_on_day_91_late(decided_after: int, state: ClockState) -> None:
    case = CaseBuilder(CaseFacts(PartyType.PERSON, D - timedelta(days=5)))
    case.to_notice(D, D, fine="1000", hearing=False)
    decided = D + timedelta(days=decided_after)
    case.do("decide", decided, kinds=["罚款"], fine_amount="1000")
    assert _clock(case, "案件办理期限").state(decided + timedelta(days=10)) is state


def test_extension_needs_recorded_approval_and_moves_due() -> None:
    case = CaseBuilder()
    case.do("file", D)
    with pytest.raises(TransitionError, match="批准人"):
        case.do("extend", D + timedelta(days=80), reason="案情复杂", new_due=str(D + timedelta(days=120)))
    with pytest.raises(TransitionError, match="理由"):
        case.do("extend", D + timedelta(days=80), approver="局长王某", new_due=str(D + timedelta(days=120)))
    with pytest.raises(TransitionError, match="第六十条"):  # approved after the period ran out
        case.do("extend", D + timedelta(days=91), approver="王某", reason="复杂", new_due=str(D + timedelta(days=120)))
    case.do("extend", D + timedelta(days=90), approver="王某", reason="需鉴定", new_due=str(D + timedelta(days=120)))
    clock = _clock(case, "案件办理期限（已延长）")
    assert clock.due == D + timedelta(days=120)
    assert clock.state(D + timedelta(days=91)) is ClockState.RUNNING
    assert clock.state(D + timedelta(days=121)) is ClockState.OVERDUE
    assert decision_due(fold(case.events), default_config()) == D + timedelta(days=120)


@pytest.mark.parametrize(
    ("act", "severe", "expired"),
    [
        (date(2024, 3, 3), False, False),  # 2 years − 1 day
        (date(2024, 3, 2), False, False),  # exactly 2 years: the anniversary is still inside
        (date(2024, 3, 1), False, True),  # 2 years + 1 day
        (date(2021, 3, 1), True, True),  # 5 years + 1 day, harm to life/health/finance
        (date(2021, 3, 2), True, False),  # exactly 5 years
        (date(2023, 1, 1), True, False),  # 3 years old: outside 2, inside 5
    ],
)
def test_limitation_warning_at_filing_and_refusal_to_decide(act: date, severe: bool, expired: bool) -> None:
    facts = CaseFacts(PartyType.PERSON, act, severe_harm=severe)
    assert bool(filing_warnings(facts, D)) is expired
    case = CaseBuilder(facts)
    case.to_notice(D, D, fine="1000", hearing=False)
    later = D + timedelta(days=6)
    if expired:
        with pytest.raises(TransitionError, match="第三十六条"):
            case.do("decide", later, kinds=["罚款"], fine_amount="1000")
        assert case.events[-1]["action"] == "notify"  # nothing recorded
    else:
        case.do("decide", later, kinds=["罚款"], fine_amount="1000")


def test_continuing_act_counts_from_its_end() -> None:
    facts = CaseFacts(PartyType.PERSON, date(2023, 1, 1), act_end_date=date(2025, 6, 1))
    assert filing_warnings(facts, D) == []
    assert filing_warnings(CaseFacts(PartyType.PERSON, date(2023, 1, 1)), D)


@pytest.mark.parametrize(
    ("party", "fine", "hearing"),
    [
        (PartyType.PERSON, "4999", False), (PartyType.PERSON, "5000", True), (PartyType.PERSON, "5001", True),
        (PartyType.ORGANISATION, "99999", False), (PartyType.ORGANISATION, "100000", True),
        (PartyType.ORGANISATION, "100001", True),
    ],
)
def test_hearing_thresholds_one_yuan_either_side(party: PartyType, fine: str, hearing: bool) -> None:
    penalty = Penalty.from_wire({"kinds": ["罚款"], "fine_amount": fine})
    assert bool(hearing_reasons(default_config(), party, penalty)) is hearing
    case = CaseBuilder(CaseFacts(party, date(2026, 1, 1)))
    case.do("file", D)
    case.do("investigate", D)
    if hearing:
        with pytest.raises(TransitionError, match=r"第六十三条.*不适用"):
            case.do("notify", D, kinds=["罚款"], fine_amount=fine, hearing_right=False)
    case.do("notify", D, kinds=["罚款"], fine_amount=fine, hearing_right=hearing)


@pytest.mark.parametrize("kind", ["吊销许可证件", "责令停产停业", "降低资质等级", "限制从业"])
def test_heavy_penalty_kinds_carry_a_hearing_right_whatever_the_amount(kind: str) -> None:
    assert hearing_reasons(default_config(), PartyType.PERSON, Penalty((kind,)))


def test_large_confiscation_needs_hearing() -> None:
    cfg = default_config()
    assert not hearing_reasons(cfg, PartyType.PERSON, Penalty(("没收违法所得",), confiscation=Decimal(4999)))
    assert hearing_reasons(cfg, PartyType.PERSON, Penalty(("没收违法所得",), confiscation=Decimal(5000)))


@pytest.mark.parametrize(("day", "allowed"), [(5, False), (6, True)])
def test_five_day_window_before_decision(day: int, allowed: bool) -> None:
    case = CaseBuilder(CaseFacts(PartyType.PERSON, date(2026, 1, 1)))
    case.to_notice(D, D, fine="1000", hearing=False)
    on = D + timedelta(days=day)
    if allowed:
        case.do("decide", on, kinds=["罚款"], fine_amount="1000")
    else:
        with pytest.raises(TransitionError, match="《行政处罚法》第六十四条"):
            case.do("decide", on, kinds=["罚款"], fine_amount="1000")


def test_written_waiver_lifts_the_window() -> None:
    case = CaseBuilder(CaseFacts(PartyType.PERSON, date(2026, 1, 1)))
    case.to_notice(D, D, fine="1000", hearing=False)
    case.do("waive_hearing", D + timedelta(days=1), text="当事人书面表示放弃陈述申辩")
    case.do("decide", D + timedelta(days=1), kinds=["罚款"], fine_amount="1000")
    window = _clock(case, "陈述申辩")
    assert window.state(D + timedelta(days=1)) is ClockState.MET


@pytest.mark.parametrize(("days", "ok"), [(7, True), (8, False), (30, False)])
def test_preservation_period_bounded_to_seven_days(days: int, ok: bool) -> None:
    case = CaseBuilder()
    case.do("file", D)
    until = str(D + timedelta(days=days))
    if ok:
        case.do("preserve", D, approver="负责人李某", until=until)
        clock = _clock(case, "证据先行登记保存")
        assert clock.due == D + timedelta(days=7)
        assert clock.state(D + timedelta(days=7)) is ClockState.DUE_TODAY
        assert clock.state(D + timedelta(days=8)) is ClockState.OVERDUE
        case.do("preserve_decide", D + timedelta(days=7), measure="解除先行登记保存")
        assert _clock(case, "证据先行登记保存").state(D + timedelta(days=20)) is ClockState.MET
    else:
        with pytest.raises(TransitionError, match="第五十六条"):
            case.do("preserve", D, approver="负责人李某", until=until)
        with pytest.raises(ThresholdError):
            check_preservation_period(D, D + timedelta(days=days))


def test_seizure_thirty_plus_one_extension_of_thirty() -> None:
    case = CaseBuilder()
    case.do("file", D)
    with pytest.raises(TransitionError, match="行政强制法》第二十五条"):
        case.do("seize", D, approver="李某", days=31)
    with pytest.raises(TransitionError, match="批准人"):
        case.do("seize", D, days=30)
    case.do("seize", D, approver="李某", days=30)
    assert _clock(case, "查封扣押期限").due == D + timedelta(days=30)
    with pytest.raises(TransitionError, match="不得超过30日"):
        case.do("seize_extend", D + timedelta(days=29), approver="李某", days=31)
    with pytest.raises(TransitionError, match="届满"):
        case.do("seize_extend", D + timedelta(days=31), approver="李某", days=30)
    case.do("seize_extend", D + timedelta(days=30), approver="李某", days=30)
    clock = _clock(case, "查封扣押期限（已延长）")
    assert clock.due == D + timedelta(days=60)
    assert clock.state(D + timedelta(days=60)) is ClockState.DUE_TODAY
    assert clock.state(D + timedelta(days=61)) is ClockState.OVERDUE
    with pytest.raises(TransitionError, match="只能延长一次"):
        case.do("seize_extend", D + timedelta(days=40), approver="李某", days=1)
    case.do("seize_release", D + timedelta(days=45))
    assert _clock(case, "查封扣押期限").state(D + timedelta(days=90)) is ClockState.MET


def _served_case(fine: str = "1000") -> CaseBuilder:
    case = CaseBuilder(CaseFacts(PartyType.PERSON, date(2026, 1, 1)))
    case.to_notice(D, D, fine=fine, hearing=False)
    case.do("decide", D + timedelta(days=6), kinds=["罚款"], fine_amount=fine)
    case.do("serve", D + timedelta(days=7), method="直接送达")
    return case


@pytest.mark.parametrize(
    ("after_due", "owed"),
    [(0, "0"), (1, "30.00"), (10, "300.00"), (33, "990.00"), (34, "1000"), (100, "1000")],
)
def test_payment_fifteen_days_and_surcharge_capped_at_the_fine(after_due: int, owed: str) -> None:
    case = _served_case()
    clock = _clock(case, "罚款缴纳期限")
    served = D + timedelta(days=7)
    assert clock.due == served + timedelta(days=15)
    day = clock.due + timedelta(days=after_due)
    assert clock.state(day) is (ClockState.DUE_TODAY if after_due == 0 else ClockState.OVERDUE)
    assert surcharge(fold(case.events), default_config(), day) == Decimal(owed)
    assert late_payment_surcharge("1000", clock.due, day) == Decimal(owed)


def test_payment_stops_the_surcharge() -> None:
    case = _served_case()
    due = _clock(case, "罚款缴纳期限").due
    case.do("pay", due + timedelta(days=2), amount="1060")
    assert surcharge(fold(case.events), default_config(), due + timedelta(days=50)) == Decimal("60.00")
    assert _clock(case, "罚款缴纳期限").state(due + timedelta(days=50)) is ClockState.OVERDUE  # paid late


def test_an_edition_with_a_later_effective_date_applies_from_that_date_only() -> None:
    data = {"edition": 2, "effective_from": "2026-06-01", "hearing": {"fine_person": "3000", "penalty_kinds": []}}
    editions = (default_config(), parse_config(data))
    assert in_force(editions, date(2026, 5, 31)).edition == 1
    assert in_force(editions, date(2026, 6, 1)).edition == 2
    before = CaseBuilder(CaseFacts(PartyType.PERSON, date(2026, 1, 1)), editions)
    before.to_notice(date(2026, 5, 31), date(2026, 5, 31), fine="4000", hearing=False)  # 4000 < 5000 then
    after = CaseBuilder(CaseFacts(PartyType.PERSON, date(2026, 1, 1)), editions)
    after.do("file", date(2026, 6, 1))
    after.do("investigate", date(2026, 6, 1))
    with pytest.raises(TransitionError, match="3000"):
        after.do("notify", date(2026, 6, 1), kinds=["罚款"], fine_amount="4000", hearing_right=False)


def test_clocks_need_a_filing() -> None:
    assert case_clocks(ORG, []) == []

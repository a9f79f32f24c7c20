"""Every statutory clock of a case, derived from its facts and events (never stored as a counter).

Built on the primitives of `app.rules.clocks`; the periods come from the case configuration in force
(`app.rules.case_config`). One function, `case_clocks`, serves the case view, the inbox mark and the platform.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from app.rules.case_config import CaseConfig, in_force
from app.rules.case_history import CaseFacts, History, fold
from app.rules.clocks import (
    Clock,
    case_clock,
    case_deadline,
    coercive_deadline,
    days_after,
    hearing_request_deadline,
    late_payment_surcharge,
    limitation_deadline,
    limitation_expired,
    payment_deadline,
    preservation_deadline,
)


def decision_due(history: History, config: CaseConfig) -> date | None:
    """The last day for the decision: 90 days from 立案 (第六十条), or the latest approved extension."""
    if history.filed_on is None:
        return None
    due = case_deadline(history.filed_on, config.thresholds)
    for _approved_on, new_due in history.extensions:
        due = max(due, new_due)
    return due


def limitation_due(facts: CaseFacts, config: CaseConfig) -> date:
    return limitation_deadline(facts.act_reference, facts.severe_harm, config.thresholds)


def limitation_expired_at_filing(facts: CaseFacts, filed_on: date, config: CaseConfig) -> bool:
    """第三十六条: the act was no longer punishable when the case was filed (the day it was taken up)."""
    return limitation_expired(facts.act_reference, filed_on, facts.severe_harm, config.thresholds)


def hearing_window_due(history: History, config: CaseConfig) -> date | None:
    if history.notice_on is None:
        return None
    return hearing_request_deadline(history.notice_on, config.thresholds)


def payment_due(history: History, config: CaseConfig) -> date | None:
    if history.served_on is None or history.decision_penalty is None or history.decision_penalty.fine <= 0:
        return None
    return payment_deadline(history.served_on, config.thresholds)


def surcharge(history: History, config: CaseConfig, on: date) -> Decimal:
    """加处罚款 owed on `on` (or on the day paid), 0 when no fine is due yet."""
    due = payment_due(history, config)
    if due is None or history.decision_penalty is None:
        return Decimal(0)
    return late_payment_surcharge(
        history.decision_penalty.fine, due, history.paid_on or on, config.thresholds
    )


def case_clocks(
    facts: CaseFacts, events: Iterable[Mapping[str, Any]], editions: Iterable[CaseConfig] = ()
) -> list[Clock]:
    """The case's clocks in the order a clerk reads them; `done` set where the duty was met."""
    history = fold(events)
    if history.filed_on is None:
        return []
    config = in_force(list(editions), history.filed_on)
    t = config.thresholds
    ended = history.ended_on
    clocks: list[Clock] = [
        Clock(
            "追责时效",
            facts.act_reference,
            limitation_due(facts, config),
            "《行政处罚法》第三十六条" + ("（五年）" if facts.severe_harm else "（二年）"),
            done=history.filed_on,
        )
    ]
    due = decision_due(history, config)
    if due is not None:
        base = case_clock(history.filed_on, t)  # 90 days from 立案; an approved extension moves `due`
        name = f"{base.name}（已延长）" if history.extensions else base.name
        clocks.append(replace(base, name=name, due=due, done=history.decided_on or ended))
    for p in history.preservations:
        clocks.append(
            Clock(
                "证据先行登记保存处理期限",
                p.start,
                preservation_deadline(p.start, t),
                "《行政处罚法》第五十六条",
                done=p.decided_on or ended,
            )
        )
    for s in history.seizures:
        end = days_after(s.start, s.days + s.extension_days)
        name = "查封扣押期限（已延长）" if s.extension_days else "查封扣押期限"
        clocks.append(
            Clock(
                name,
                s.start,
                min(end, coercive_deadline(s.start, True, t)),
                "《行政强制法》第二十五条",
                done=s.ended_on or ended,
            )
        )
    window = hearing_window_due(history, config)
    if window is not None and history.notice_on is not None:
        clocks.append(
            Clock(
                "陈述申辩、听证申请期限",
                history.notice_on,
                window,
                "《行政处罚法》第六十四条",
                done=history.waived_on,
                waiting=True,
            )
        )
    if history.decided_on is not None:
        clocks.append(
            Clock(
                "决定书送达期限",
                history.decided_on,
                days_after(history.decided_on, config.service_days),
                "《行政处罚法》第六十一条",
                done=history.served_on or ended,
            )
        )
    pay = payment_due(history, config)
    if pay is not None and history.served_on is not None:
        clocks.append(
            Clock(
                "罚款缴纳期限",
                history.served_on,
                pay,
                "《行政处罚法》第六十七条",
                done=history.paid_on or ended,
            )
        )
    return clocks

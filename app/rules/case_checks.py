"""What the law requires of each case step's contents and timing (行政处罚法 2021, 行政强制法), as checks that
refuse with a Chinese message naming the article (pure; used by `app.rules.case_states.step`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from app.errors import DomainError, TransitionError
from app.rules.case_clocks import (
    decision_due,
    hearing_window_due,
    limitation_due,
    limitation_expired_at_filing,
)
from app.rules.case_config import CaseConfig, Penalty, hearing_reasons, in_force, review_reasons
from app.rules.case_history import CaseFacts, History, parse_day
from app.rules.case_stages import REVIEW_OPINIONS, CaseAction, CaseStage
from app.rules.clocks import check_coercive_days, check_preservation_period, days_after, format_yuan

S, A = CaseStage, CaseAction


def refuse(message: str, code: str = "case_rule") -> TransitionError:
    return TransitionError(message, code=code)


def _text(data: Mapping[str, Any], key: str, message: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise refuse(message, "field_required")
    return value.strip()


def decision_blockers(
    facts: CaseFacts, h: History, config: CaseConfig, on: date, *, for_review: bool = False
) -> list[str]:
    """Why a decision (or, with `for_review`, a submission to legality review) may not be made on `on`."""
    found: list[str] = []
    if h.filed_on is not None and limitation_expired_at_filing(facts, h.filed_on, config):
        found.append(
            f"《行政处罚法》第三十六条：违法行为已超过追责时效（{limitation_due(facts, config)} 届满），不得给予行政处罚"
        )
    window = hearing_window_due(h, config)
    if window is not None and on <= window and h.waived_on is None and h.hearing_requested_on is None:
        found.append(
            f"《行政处罚法》第六十四条：陈述申辩、听证申请期限未满（{window} 届满），不得作出决定；当事人书面放弃的除外"
        )
    if h.hearing_requested_on is not None and h.hearing_held_on is None and h.waived_on is None:
        found.append("《行政处罚法》第六十四条：当事人已申请听证，尚无听证笔录，不得作出决定")
    if not for_review:
        reasons = review_reasons(
            config,
            facts.party_type,
            h.notice_penalty,
            hearing_held=h.hearing_held_on is not None,
            complex_case=facts.complex_case,
        )
        if reasons and not h.review_passed:
            found.append(
                f"《行政处罚法》第五十八条：本案须经法制审核（{'、'.join(reasons)}），审核通过前不得作出决定"
            )
    return found


def filing_warnings(facts: CaseFacts, filed_on: date, editions: Iterable[CaseConfig] = ()) -> list[str]:
    """What a clerk must be told at 立案 (the case may still be filed): an act outside the limitation period."""
    config = in_force(list(editions), filed_on)
    if limitation_expired_at_filing(facts, filed_on, config):
        years = (
            config.thresholds.limitation_years_severe
            if facts.severe_harm
            else config.thresholds.limitation_years
        )
        return [
            f"《行政处罚法》第三十六条：违法行为（{facts.act_reference}{'终了' if facts.act_end_date else '发生'}）"
            f"已超过{years}年追责时效（{limitation_due(facts, config)} 届满），立案后不得作出行政处罚决定"
        ]
    return []


def check_step(  # one branch per step, kept together so the law reads in one place
    action: CaseAction,
    stage: CaseStage,
    facts: CaseFacts,
    history: History,
    config: CaseConfig,
    ctx: Any,
    on: date,
    reason: str | None,
    data: dict[str, Any],
    refusal: str,
) -> dict[str, Any]:
    """Check the contents of `action` taken in `stage`; returns the data to record (normalised)."""
    t = config.thresholds
    if action is A.NOTIFY:
        penalty = Penalty.from_wire(data)
        reasons = hearing_reasons(config, facts.party_type, penalty)
        if reasons and not data.get("hearing_right"):
            raise refuse(
                "《行政处罚法》第六十三条、第四十四条："
                + "；".join(reasons)
                + "，事先告知必须告知当事人有要求听证的权利，听证权利不能为「不适用」",
                "hearing_right_required",
            )
        data = {**data, **penalty.to_wire(), "hearing_right": bool(data.get("hearing_right"))}
    elif action is A.STATEMENT:
        _text(data, "text", "请记录当事人陈述、申辩的内容")
    elif action is A.REQUEST_HEARING:
        window = hearing_window_due(history, config)
        if not history.hearing_right:
            raise refuse(
                "《行政处罚法》第六十三条：本案拟作出的处罚不属于听证范围，事先告知未告知听证权利",
                "no_hearing_right",
            )
        if history.hearing_requested_on is not None:
            raise refuse("当事人已申请听证，不能重复登记", "duplicate_request")
        if window is not None and on > window:
            raise refuse(
                f"《行政处罚法》第六十四条：当事人应在告知后{t.hearing_request_days}日内提出听证申请（{window} 届满），已逾期",
                "hearing_request_late",
            )
    elif action in (A.NOTIFY_HEARING, A.HOLD_HEARING):
        if history.hearing_requested_on is None:
            raise refuse("《行政处罚法》第六十四条：当事人尚未申请听证", "no_hearing_request")
        if action is A.HOLD_HEARING:
            if history.hearing_notified_on is None:
                raise refuse(
                    "《行政处罚法》第六十四条：举行听证前应当通知当事人听证的时间、地点",
                    "hearing_not_notified",
                )
            earliest = days_after(history.hearing_notified_on, config.hearing_notice_days)
            if on < earliest:
                raise refuse(
                    f"《行政处罚法》第六十四条：应当在举行听证的{config.hearing_notice_days}日前通知当事人"
                    f"（最早 {earliest} 举行）",
                    "hearing_notice_short",
                )
            _text(data, "record", "请填写听证笔录（听证情况及当事人意见）")
    elif action is A.WAIVE_HEARING:
        _text(data, "text", "请填写当事人书面放弃陈述申辩、听证的内容（以书面材料为准）")
    elif action is A.SUBMIT_REVIEW:
        blockers = decision_blockers(facts, history, config, on, for_review=True)
        if blockers:
            raise refuse("；".join(blockers), "not_ready")
    elif action is A.REVIEW:
        if not config.may_review(ctx.role, ctx.username):
            raise refuse(
                f"《行政处罚法》第五十八条：法制审核由审核人（{config.reviewer_phrase()}）进行",
                "not_reviewer",
            )
        if ctx.officer_id and ctx.officer_id in facts.officer_ids:
            raise refuse(
                "《行政处罚法》第五十八条：本案承办人员不能担任本案的法制审核人员", "reviewer_conflict"
            )
        opinion = data.get("opinion")
        if opinion not in REVIEW_OPINIONS:
            raise refuse("审核意见只能是：通过、不通过、补正", "bad_opinion")
        if opinion != "通过":
            _text(data, "text", f"审核意见为「{opinion}」时必须写明理由和需要补正的内容")
    elif action is A.DECIDE:
        penalty = Penalty.from_wire(data)
        blockers = decision_blockers(facts, history, config, on)
        if blockers:
            raise refuse("；".join(blockers), "not_ready")
        notified = history.notice_penalty
        if notified is not None and (
            penalty.fine > notified.fine or set(penalty.kinds) - set(notified.kinds)
        ):
            raise refuse(
                "《行政处罚法》第四十五条：决定的处罚重于事先告知的处罚（告知："
                f"{notified.label()}），不得因当事人陈述、申辩而加重；如需加重，应重新告知",
                "heavier_penalty",
            )
        data = {**data, **penalty.to_wire()}
    elif action is A.SERVE:
        _text(data, "method", "请填写送达方式")
    elif action is A.PAY:
        if history.paid_on is not None:
            raise refuse("已登记缴纳罚款", "already_paid")
    elif action is A.CLOSE and stage is S.EXECUTING:
        decided = history.decision_penalty
        if (
            decided is not None
            and decided.fine > 0
            and history.paid_on is None
            and not (reason and reason.strip())
        ):
            raise refuse(
                f"罚款 {format_yuan(decided.fine)} 元尚未缴纳；未缴纳结案须写明原因（如已申请强制执行）",
                "reason_required",
            )
    elif action is A.EXTEND:
        _approval(data)
        new_due = parse_day(data.get("new_due"), "延长后期限")
        current = decision_due(history, config)
        if current is not None and new_due <= current:
            raise refuse(f"延长后的期限必须晚于现有期限 {current}", "bad_extension")
        if current is not None and on > current:
            raise refuse(
                f"《行政处罚法》第六十条：延长办案期限须在期限届满（{current}）前批准", "extension_late"
            )
        data = {**data, "new_due": new_due.isoformat()}
    elif action is A.PRESERVE:
        _approval(data)
        until = parse_day(data.get("until"), "保存期限")
        try:
            check_preservation_period(on, until, t)
        except DomainError as exc:
            raise refuse(exc.message, exc.code) from None
        data = {**data, "until": until.isoformat()}
    elif action is A.PRESERVE_DECIDE:
        if history.open_preservation is None:
            raise refuse(refusal, "nothing_open")
        _text(data, "measure", "请填写处理措施（记录、复制、鉴定、没收、解除保存等）")
    elif action is A.SEIZE:
        _approval(data)
        if history.open_seizure is not None:
            raise refuse("已有进行中的查封扣押，请先解除或作出决定", "seizure_open")
        days = _days(data)
        _coercive(days, False, t)
        data = {**data, "days": days}
    elif action is A.SEIZE_EXTEND:
        seizure = history.open_seizure
        if seizure is None:
            raise refuse(refusal, "nothing_open")
        _approval(data)
        if seizure.extension_days:
            raise refuse("《行政强制法》第二十五条：查封、扣押期限只能延长一次", "extended_once")
        current = days_after(seizure.start, seizure.days)
        if on > current:
            raise refuse(
                f"《行政强制法》第二十五条：延长须在查封扣押期限届满（{current}）前批准", "extension_late"
            )
        days = _days(data)
        _coercive(days, True, t)
        data = {**data, "days": days}
    elif action is A.SEIZE_RELEASE and history.open_seizure is None:
        raise refuse(refusal, "nothing_open")
    return data


def _approval(data: Mapping[str, Any]) -> None:
    _text(data, "approver", "须经行政机关负责人批准：请填写批准人")


def _days(data: Mapping[str, Any]) -> int:
    try:
        return int(data.get("days"))  # type: ignore[arg-type]  # anything int() refuses is caught below
    except (TypeError, ValueError):
        raise refuse("请填写期限天数", "field_required") from None


def _coercive(days: int, extension: bool, thresholds: Any) -> None:
    try:
        check_coercive_days(days, extension=extension, thresholds=thresholds)
    except DomainError as exc:
        raise refuse(exc.message, exc.code) from None

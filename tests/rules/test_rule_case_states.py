"""The case state machine: the full procedure, out-of-order steps refused with the article, roles, reviews."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.errors import TransitionError
from app.rules.case_config import parse_config
from app.rules.case_history import CaseFacts, fold
from app.rules.case_states import CaseAction, CaseStage, next_steps
from app.rules.clocks import PartyType
from tests.rules.case_helpers import ORG, CaseBuilder

D = date(2026, 3, 2)


def _to_hearing(case: CaseBuilder) -> CaseBuilder:
    case.to_notice(D, D + timedelta(days=1))
    case.do("request_hearing", D + timedelta(days=3))
    case.do("notify_hearing", D + timedelta(days=4))
    return case


def test_full_procedure_with_hearing_review_and_payment() -> None:
    case = _to_hearing(CaseBuilder())
    case.do("hold_hearing", D + timedelta(days=11), record="听证笔录：当事人对事实无异议，请求从轻")
    case.do("submit_review", D + timedelta(days=12))
    with pytest.raises(TransitionError, match="第五十八条"):
        case.do("decide", D + timedelta(days=12), kinds=["罚款"], fine_amount="200000")
    with pytest.raises(TransitionError, match="审核人"):
        case.do("review", D + timedelta(days=13), role="officer", username="someone", opinion="通过")
    case.do("review", D + timedelta(days=13), opinion="补正", text="补充营业执照复印件")
    with pytest.raises(TransitionError, match="第五十八条"):
        case.do("decide", D + timedelta(days=13), kinds=["罚款"], fine_amount="200000")
    case.do("submit_review", D + timedelta(days=14))
    case.do("review", D + timedelta(days=14), opinion="通过", text="事实清楚，证据确凿")
    with pytest.raises(TransitionError, match="第四十五条"):
        case.do("decide", D + timedelta(days=15), kinds=["罚款"], fine_amount="250000")
    case.do("decide", D + timedelta(days=15), kinds=["罚款"], fine_amount="150000")
    case.do("serve", D + timedelta(days=16), method="直接送达")
    case.do("execute", D + timedelta(days=16))
    with pytest.raises(TransitionError, match="尚未缴纳"):
        case.do("close", D + timedelta(days=17))
    case.do("pay", D + timedelta(days=20), amount="150000")
    case.do("close", D + timedelta(days=21))
    assert fold(case.events).stage == CaseStage.CLOSED
    assert [e["to_status"] for e in case.events][-1] == "closed"


@pytest.mark.parametrize(
    ("action", "article"),
    [
        ("notify", "第四十四条"),
        ("decide", "第四十四条"),
        ("serve", "第六十一条"),
        ("submit_review", "第五十八条"),
        ("request_hearing", "第六十四条"),
        ("pay", "第六十七条"),
        ("close", "结案"),
    ],
)
def test_out_of_order_steps_name_the_article(action: str, article: str) -> None:
    case = CaseBuilder()
    case.do("file", D)
    before = list(case.events)
    with pytest.raises(TransitionError, match=article) as err:
        case.do(action, D, kinds=["罚款"], fine_amount="100", method="直接送达")
    assert "立案" in err.value.message
    assert case.events == before


def test_decision_refused_while_a_requested_hearing_has_no_record() -> None:
    case = _to_hearing(CaseBuilder())
    with pytest.raises(TransitionError, match="尚无听证笔录") as err:
        case.do("decide", D + timedelta(days=30), kinds=["罚款"], fine_amount="200000")
    assert "《行政处罚法》第六十四条" in err.value.message


def test_hearing_needs_seven_days_notice() -> None:
    case = _to_hearing(CaseBuilder())
    with pytest.raises(TransitionError, match="7日前"):
        case.do("hold_hearing", D + timedelta(days=10), record="笔录")
    case.do("hold_hearing", D + timedelta(days=11), record="笔录")


def test_hearing_request_after_five_days_is_late() -> None:
    case = CaseBuilder().to_notice(D, D)
    with pytest.raises(TransitionError, match="已逾期"):
        case.do("request_hearing", D + timedelta(days=6))
    case.do("request_hearing", D + timedelta(days=5))


def test_hearing_request_refused_when_no_hearing_right_was_given() -> None:
    case = CaseBuilder(CaseFacts(PartyType.PERSON, date(2026, 1, 1))).to_notice(D, D, fine="100", hearing=False)
    with pytest.raises(TransitionError, match="不属于听证范围"):
        case.do("request_hearing", D + timedelta(days=1))


def test_case_officer_cannot_review_own_case() -> None:
    case = _to_hearing(CaseBuilder())
    case.do("hold_hearing", D + timedelta(days=11), record="笔录")
    case.do("submit_review", D + timedelta(days=12))
    with pytest.raises(TransitionError, match="承办人员"):
        case.do("review", D + timedelta(days=12), officer_id="o1", opinion="通过")


def test_reviewer_holder_is_configuration() -> None:
    edition = parse_config({"edition": 2, "effective_from": "2026-01-01",
                            "review": {"reviewer_roles": [], "reviewer_usernames": ["fzsh"]}})
    case = _to_hearing(CaseBuilder(ORG, (edition,)))
    case.do("hold_hearing", D + timedelta(days=11), record="笔录")
    case.do("submit_review", D + timedelta(days=12))
    with pytest.raises(TransitionError, match="fzsh"):
        case.do("review", D + timedelta(days=12), role="leader", username="lead", opinion="通过")
    case.do("review", D + timedelta(days=12), role="clerk", username="fzsh", opinion="通过")


def test_non_passing_opinion_needs_text() -> None:
    case = _to_hearing(CaseBuilder())
    case.do("hold_hearing", D + timedelta(days=11), record="笔录")
    case.do("submit_review", D + timedelta(days=12))
    with pytest.raises(TransitionError, match="理由"):
        case.do("review", D + timedelta(days=12), opinion="不通过")


def test_transfer_and_terminate_need_reasons_and_end_the_case() -> None:
    case = CaseBuilder()
    case.do("file", D)
    with pytest.raises(TransitionError, match="原因"):
        case.do("transfer", D)
    case.do("transfer", D, reason="需吊销许可证，超出乡镇赋权范围")
    assert fold(case.events).stage == CaseStage.TRANSFERRED
    with pytest.raises(TransitionError, match="移送"):
        case.do("investigate", D)
    case.do("close", D + timedelta(days=1))
    other = CaseBuilder()
    other.do("file", D)
    with pytest.raises(TransitionError, match="原因"):
        other.do("terminate", D)
    other.do("terminate", D, reason="当事人死亡")


def test_step_dates_cannot_run_backwards_or_into_the_future() -> None:
    case = CaseBuilder()
    case.do("file", D)
    with pytest.raises(TransitionError, match="不能早于"):
        case.do("investigate", D - timedelta(days=1))
    with pytest.raises(TransitionError, match="不能晚于"):
        case.do("investigate", D + timedelta(days=2), recorded=D + timedelta(days=1))
    with pytest.raises(TransitionError, match="重复立案"):
        case.do("file", D)


def test_next_steps_explain_what_blocks_the_decision() -> None:
    case = CaseBuilder().to_notice(D, D)
    steps = dict(next_steps(case.facts, case.events, D + timedelta(days=2)))
    assert CaseAction.DECIDE in steps and "第六十四条" in (steps[CaseAction.DECIDE] or "")
    assert steps[CaseAction.REQUEST_HEARING] is None
    assert next_steps(case.facts, [], D) == [(CaseAction.FILE, None)]

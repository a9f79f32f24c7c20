"""What a case requires before one of its documents is issued (签发), asked by the document service's issue path.

* 行政处罚事先告知书: the notice step is recorded with the intended penalty, and where 第六十三条 applies the
  document states the hearing right (听证权利「享有」, never 「不适用」);
* 行政处罚决定书: the decision step is recorded, the legality review passed where 第五十八条 requires one, and
  nothing of 第三十六条 / 第六十四条 stands in the way;
* no document but the 案件移送函 is issued for a case that has ended (结案, 移送, 终止);
* a 事先告知书 or 决定书 outside a case is refused (the general procedure starts with 立案, 第五十四条).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app import models as m
from app.cases.common import editions, facts_of
from app.rules.case_config import hearing_reasons, in_force, review_reasons
from app.rules.case_history import fold
from app.rules.case_states import ENDED, CaseStage, decision_blockers
from app.rules.numbering import doc_type_name

#: documents of the general procedure, issued only within a case
CASE_ONLY = frozenset({"penalty_notice", "penalty_decision"})


def issue_problems(session: Session, doc: m.Document, on: date) -> list[str]:
    """Chinese sentences naming what the case still lacks for `doc` to be issued on `on` (empty: fine)."""
    if doc.case_id is None:
        if doc.doc_type in CASE_ONLY:
            return [f"「{doc_type_name(doc.doc_type)}」须在案件中出具：普通程序须先立案（《行政处罚法》第五十四条），"
                    "请在“案件”中立案后起草"]
        return []
    case = session.get(m.Case, doc.case_id)
    if case is None:
        return ["未找到文书所属的案件，请先同步"]
    facts = facts_of(case)
    history = fold(case.events or [])
    config = in_force(editions(session), on)
    found: list[str] = []
    if CaseStage(case.status) in ENDED and doc.doc_type != "transfer_letter":
        found.append(f"案件已{CaseStage(case.status).label}，不能再签发本案文书")
    if doc.doc_type == "penalty_notice":
        penalty = history.notice_penalty
        if penalty is None:
            found.append(
                "请先在案件中登记事先告知（拟作出的处罚及听证权利），再签发事先告知书（《行政处罚法》第四十四条）"
            )
        else:
            reasons = hearing_reasons(config, facts.party_type, penalty)
            if reasons and (doc.fields or {}).get("hearing_right") != "享有":
                found.append(
                    "《行政处罚法》第六十三条："
                    + "；".join(reasons)
                    + "，事先告知书必须告知当事人有要求听证的权利，听证权利不能为「不适用」"
                )
    elif doc.doc_type == "penalty_decision":
        reasons = review_reasons(
            config,
            facts.party_type,
            history.notice_penalty,
            hearing_held=history.hearing_held_on is not None,
            complex_case=facts.complex_case,
        )
        if reasons and not history.review_passed:
            found.append(
                f"《行政处罚法》第五十八条：本案须经法制审核（{'、'.join(reasons)}），审核通过前不得签发行政处罚决定书"
            )
        if history.decided_on is None:
            found.extend(
                b
                for b in decision_blockers(facts, history, config, on)
                if b not in found and "第五十八条" not in b
            )
            found.append("请先在案件中记录处罚决定（决定内容、日期），再签发行政处罚决定书")
    return found

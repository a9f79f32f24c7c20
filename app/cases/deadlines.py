"""Case deadlines for lists: the clocks of open cases that need attention (overdue or due within a few days),
by case and by the instruction (任务) the case came from, for the case list and the 任务 inbox."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.cases.common import editions, facts_of
from app.rules.case_clocks import case_clocks
from app.rules.case_states import ENDED
from app.rules.clocks import Clock

ATTENTION_DAYS = 3


def attention_clocks(session: Session, today: date, *, township_id: str | None = None,
                     within_days: int = ATTENTION_DAYS) -> dict[str, list[Clock]]:
    """case id → its open deadlines that are overdue or due within `within_days`, most urgent first."""
    query = select(m.Case).where(m.Case.status.not_in([s.value for s in ENDED]))
    if township_id:
        query = query.where(m.Case.township_id == township_id)
    eds = editions(session)
    out: dict[str, list[Clock]] = {}
    for case in session.scalars(query):
        due = [c for c in case_clocks(facts_of(case), case.events or [], eds) if c.needs_attention(today, within_days)]
        if due:
            out[case.id] = sorted(due, key=lambda c: c.due)
    return out


def tasks_with_case_deadlines(session: Session, today: date, *, township_id: str | None = None) -> list[str]:
    """Ids of instructions whose case has a deadline needing attention (the inbox's 案件期限 filter)."""
    cases = attention_clocks(session, today, township_id=township_id)
    if not cases:
        return []
    rows = session.execute(select(m.Case.task_id).where(m.Case.id.in_(list(cases)), m.Case.task_id.is_not(None)))
    return sorted({r[0] for r in rows if r[0] is not None})

"""What the 案件 area lists: one row per case (number, 案由, party, stage, the most urgent deadline in words) and
the choices for filing a new one (violation findings not yet filed, catalogue matters)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app import models as m
from app.cases.deadlines import attention_clocks
from app.rules.case_states import ENDED, CaseStage
from app.store import Store


@dataclass(frozen=True)
class FindingChoice:
    id: str
    label: str
    matter_code: str | None


@dataclass(frozen=True)
class MatterChoice:
    code: str
    name: str


@dataclass(frozen=True)
class CaseRow:
    id: str
    number: str
    title: str
    party: str
    stage: str
    urgent: str  # the most urgent deadline needing attention, in words
    overdue: bool


def case_rows(store: Store, township_id: str | None, open_only: bool, today: date) -> list[CaseRow]:
    with store.read() as session:
        query = select(m.Case).order_by(m.Case.filed_on.desc(), m.Case.number.desc())
        if township_id:
            query = query.where(m.Case.township_id == township_id)
        if open_only:
            query = query.where(m.Case.status.not_in([s.value for s in ENDED]))
        cases = list(session.scalars(query))
        urgent = attention_clocks(session, today, township_id=township_id)
    rows = []
    for c in cases:
        clocks = urgent.get(c.id, [])
        first = clocks[0] if clocks else None
        words = f"{first.name} {first.due.isoformat()} {first.state(today).label}" if first else ""
        rows.append(CaseRow(c.id, c.number, c.title, c.party_name, CaseStage(c.status).label, words,
                            bool(first and first.days_left(today) < 0)))
    return rows


def case_choices(store: Store, township_id: str | None) -> tuple[list[FindingChoice], list[MatterChoice]]:
    with store.read() as session:
        filed = {r for r in session.scalars(select(m.Case.finding_id).where(m.Case.finding_id.is_not(None)))}
        query = select(m.Finding, m.Target.name).outerjoin(m.Target, m.Target.id == m.Finding.target_id).where(
            m.Finding.result == "violation")
        if township_id:
            query = query.where(m.Finding.township_id == township_id)
        findings = [FindingChoice(f.id, f"{name or ''}：{f.check_point}（{f.matter_code or ''}）", f.matter_code)
                    for f, name in session.execute(query.order_by(m.Finding.found_at.desc())) if f.id not in filed]
        matters = [MatterChoice(mt.code, mt.name) for mt in session.scalars(select(m.Matter).order_by(m.Matter.code))]
    return findings, matters

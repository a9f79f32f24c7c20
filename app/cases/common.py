"""What every case module reads the same way: the case's facts in the rules' terms (from its wire form, exactly
as the platform reads them) and the case-law configuration editions in this store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.entities import to_wire
from app.errors import DomainError
from app.rules.case_config import CaseConfig, parse_config
from app.rules.case_history import CaseFacts


def facts_of(case: m.Case) -> CaseFacts:
    return CaseFacts.from_wire(to_wire(case))


def editions(session: Session) -> list[CaseConfig]:
    """The editions the platform published (the shipped one is the fallback of `in_force`)."""
    out: list[CaseConfig] = []
    for row in session.scalars(select(m.CaseConfigEdition)):
        try:
            out.append(parse_config({**row.data, "edition": row.edition, "effective_from": row.effective_from}))
        except DomainError:
            continue  # a malformed edition is ignored, never half-applied
    return out

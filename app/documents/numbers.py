"""This laptop's document numbers: the next free number of its blocks for a counter, and what remains.

A number is "used" once any local document carries it — voided ones included, and documents other laptops
issued that sync brought down — so a printed number is never handed out twice. Blocks come from the platform
(`sync.numbers.ensure_blocks`); issuing itself never needs the network.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.rules.numbering import CASE_SERIES, NumberPool, doc_type_name
from app.rules.numbering import NumberBlock as RuleBlock


def used_numbers(session: Session, body_id: str, doc_type: str, year: int) -> set[int]:
    """Numbers of the counter any local record carries (documents, or cases for the case register)."""
    if doc_type == CASE_SERIES:
        return set(session.scalars(select(m.Case.seq).where(m.Case.body_id == body_id, m.Case.year == year)))
    return {
        n
        for n in session.scalars(
            select(m.Document.seq).where(
                m.Document.body_id == body_id,
                m.Document.doc_type == doc_type,
                m.Document.year == year,
                m.Document.seq.is_not(None),
            )
        )
        if n is not None
    }


def pool(session: Session, body_id: str, doc_type: str, year: int) -> NumberPool:
    blocks = [
        RuleBlock(b.body_id, b.doc_type, b.year, b.start, b.end)
        for b in session.scalars(
            select(m.NumberBlock).where(
                m.NumberBlock.body_id == body_id,
                m.NumberBlock.doc_type == doc_type,
                m.NumberBlock.year == year,
            )
        )
    ]
    return NumberPool(blocks, body_id=body_id, doc_type=doc_type, year=year)


def next_number(session: Session, body_id: str, doc_type: str, year: int) -> int:
    """The lowest unused number of this device's blocks; `NumberingError` (plain Chinese) when exhausted."""
    return pool(session, body_id, doc_type, year).next_number(used_numbers(session, body_id, doc_type, year))


def remaining(session: Session, body_id: str, doc_type: str, year: int) -> int:
    return pool(session, body_id, doc_type, year).remaining(used_numbers(session, body_id, doc_type, year))


@dataclass(frozen=True)
class CounterStatus:
    body_id: str
    prefix: str
    doc_type: str
    year: int
    remaining: int

    @property
    def label(self) -> str:
        """E.g. "新登镇综执责改 2026：18 个"."""
        from app.rules.numbering import DOC_TYPES

        code = DOC_TYPES[self.doc_type].code if self.doc_type in DOC_TYPES else doc_type_name(self.doc_type)
        return f"{self.prefix}{code} {self.year}：{self.remaining} 个"


def counter_status(session: Session) -> list[CounterStatus]:
    """Every counter this laptop holds blocks for, with the numbers still free, by body and type."""
    keys = session.execute(
        select(m.NumberBlock.body_id, m.NumberBlock.doc_type, m.NumberBlock.year)
        .group_by(m.NumberBlock.body_id, m.NumberBlock.doc_type, m.NumberBlock.year)
        .order_by(m.NumberBlock.body_id, m.NumberBlock.doc_type, m.NumberBlock.year.desc())
    ).all()
    prefixes: dict[str, str] = {}
    for row in [*session.scalars(select(m.Township)), *session.scalars(select(m.Department))]:
        prefixes[row.id] = row.number_prefix
    return [
        CounterStatus(
            body, prefixes.get(body, body), doc_type, year, remaining(session, body, doc_type, year)
        )
        for body, doc_type, year in keys
    ]



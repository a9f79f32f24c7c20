"""Cases (案件) from 立案 to 结案, and the platform's case-law configuration editions.

A case keeps its facts (party, act, matters, body, officers) as columns and its steps as an ordered JSON list of
events (the wire form of `app.rules.case_history`); its stage (`status`) and every clock are derived from the
events by the rules. Documents point to their case with `documents.case_id`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, VersionedMixin


class Case(VersionedMixin, Base):
    """`source`: finding / transfer / complaint. Number series per enforcing body × year (`seq`)."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("body_id", "year", "seq"),)

    number: Mapped[str] = mapped_column(String(60), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))  # 案由
    status: Mapped[str] = mapped_column(String(16), default="filed", index=True)
    township_id: Mapped[str] = mapped_column(ForeignKey("townships.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"), index=True)
    inspection_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"))
    source_note: Mapped[str] = mapped_column(Text, default="")  # complaint summary, sender of a transfer …
    matter_codes: Mapped[list[Any]] = mapped_column(default=list)
    body_kind: Mapped[str] = mapped_column(String(16))
    body_id: Mapped[str] = mapped_column(String(64), index=True)
    body_legal_name: Mapped[str] = mapped_column(String(80))
    number_prefix: Mapped[str] = mapped_column(String(20))
    body_reason: Mapped[str] = mapped_column(String(200), default="")  # why this body (赋权 / 派驻 / 未赋权)
    catalogue_edition: Mapped[int | None] = mapped_column(Integer)
    target_id: Mapped[str | None] = mapped_column(ForeignKey("targets.id"))
    party_name: Mapped[str] = mapped_column(String(120))
    party_type: Mapped[str] = mapped_column(String(16))  # person / organisation
    party_id_code: Mapped[str] = mapped_column(String(40), default="")
    party_legal_rep: Mapped[str] = mapped_column(String(60), default="")
    party_address: Mapped[str] = mapped_column(String(200), default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    act_date: Mapped[date]
    act_end_date: Mapped[date | None]
    severe_harm: Mapped[bool] = mapped_column(default=False)
    complex_case: Mapped[bool] = mapped_column(default=False)
    officer_ids: Mapped[list[Any]] = mapped_column(default=list)
    filed_on: Mapped[date]
    events: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(60), default="")


class CaseConfigEdition(VersionedMixin, Base):
    """One edition of the case-law configuration the platform publishes (`data` as in case_law.json)."""

    __tablename__ = "case_config"

    edition: Mapped[int] = mapped_column(Integer, unique=True)
    effective_from: Mapped[date]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

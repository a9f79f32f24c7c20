"""What the new-document dialog offers (Qt-free, read on the store worker): recent inspections by party name
and date with their matters (the violations first), the township's instructions, and the catalogue's matters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import models as m
from app import timefmt
from app.inspections.view import matter_codes_of


def document_choices(store: Any, township: str | None) -> tuple[list[Any], list[Any], list[Any]]:
    """Recent inspections (by party and date, with their matters: the violations first), the instructions of
    the township, and the matters, for the new-document dialog."""
    with store.read() as s:
        inspections = []
        for i in s.scalars(
            select(m.Inspection)
            .where(m.Inspection.township_id == township)
            .order_by(m.Inspection.started_at.desc(), m.Inspection.created_at.desc())
            .limit(100)
        ):
            inspections.append((i.id, inspection_label(s, i), inspection_matters(s, i)))
        tasks = [
            (t.id, f"{t.number} {t.title}")
            for t in s.scalars(
                select(m.Task)
                .where(m.Task.township_id == township)
                .order_by(m.Task.dispatched_at.desc())
                .limit(200)
            )
        ]
        matters = [(mt.code, mt.name) for mt in s.scalars(select(m.Matter).order_by(m.Matter.code))]
    return inspections, tasks, matters


def inspection_label(session: Any, insp: m.Inspection) -> str:
    """"杭州富阳新登味道餐饮有限公司 2026-03-01（新登镇城南路88号店门前）": the party, the day, the place."""
    party = str((insp.party or {}).get("name") or "")
    if not party and insp.target_id:
        target = session.get(m.Target, insp.target_id)
        party = target.name if target is not None else ""
    day = timefmt.fmt(insp.started_at, "date") if insp.started_at else "未填开始时间"
    place = f"（{insp.place}）" if insp.place else ""
    return f"{party or '当事人未填'} {day}{place}"


def inspection_matters(session: Any, insp: m.Inspection) -> list[str]:
    """The inspection's matters in the order a clerk wants them: those with a violation found, then the other
    findings', then the plan's or instruction's."""
    findings = session.scalars(select(m.Finding).where(m.Finding.inspection_id == insp.id)).all()
    violations = [f.matter_code for f in findings if f.result == "violation" and f.matter_code]
    others = [f.matter_code for f in findings if f.matter_code]
    planned, _lead = matter_codes_of(session, insp)
    return list(dict.fromkeys([*violations, *others, *planned]))

"""Field recording use cases (Qt-free): start an inspection from a plan or an instruction, save its fields,
check the team, answer the merged checklist. Signatures, evidence, finalisation and follow-ups are mixed in from
their own modules; `InspectionService` is the one class the UI and scripts use.

Every method that changes something is one `Store.write()` transaction: the domain row, its audit event and
its outbox row commit together (`app.changes`), or nothing does. Answers to a draft record are local draft
findings (the platform keeps findings append-only): they are queued for the platform when the record is
finalised, in the same transaction that locks it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, changes
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.inspections import party as parties
from app.inspections.checklist import flatten, item_key, load_checklist
from app.inspections.finalising import FinalisingMixin, ends_before_start
from app.inspections.signing import SigningMixin
from app.inspections.view import (
    OBSERVATION_POINT,
    RESULTS,
    InspectionRow,
    InspectionSnapshot,
    PlanRow,
    local_day,
    matter_codes_of,
    open_inspections,
    snapshot,
    startable_plans,
    team_check,
    township_officers,
)
from app.models import Finding, Inspection, InspectionPlan, Target, Task, new_id, utcnow
from app.rules.clocks import DEFAULT_THRESHOLDS, LegalThresholds
from app.rules.inspection_basis import Basis, task_basis
from app.rules.officers import TeamCheck
from app.store import Store

LOCKED_MESSAGE = "检查记录已定稿锁定，不能再修改（证据只能作废）"
TEXT_FIELDS = ("place", "observations")
BOOL_FIELDS = ("certificates_shown", "recusal_told")
TIME_FIELDS = ("started_at", "ended_at")


def _text(value: Any) -> str:
    return str(value or "")


def _aware_time(value: Any) -> datetime | None:
    if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
        raise ValidationError("时间必须带时区", code="naive_time")
    return value


def _officer_ids(value: Any) -> list[str]:
    return [str(o) for o in dict.fromkeys(value or [])]


PeopleCleaner = Callable[[Any, date | None], tuple[Any, dict[str, str]]]

#: plain fields → their cleaner (a value in, the value to store out)
_PLAIN: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(TEXT_FIELDS, _text), **dict.fromkeys(BOOL_FIELDS, bool),
    **dict.fromkeys(TIME_FIELDS, _aware_time), "officer_ids": _officer_ids,
}
#: the people on the record → (prefix of their problems' keys, cleaner giving (value, problems per field))
_PEOPLE: dict[str, tuple[str, PeopleCleaner]] = {
    "party": ("party", lambda v, day: parties.clean_party(dict(v or {}), today=day)),
    "onsite_person": ("onsite", lambda v, day: parties.clean_onsite(dict(v or {}), today=day)),
    "witnesses": ("witness", lambda v, day: parties.clean_witnesses(list(v or []), today=day)),
}
EDITABLE = frozenset({*_PLAIN, *_PEOPLE})


def clean_fields(values: dict[str, Any], day: date) -> tuple[dict[str, Any], dict[str, str]]:
    """(values to store, problems keyed "<prefix>.<field>") for editable fields; identifiers of people are
    checked against `day`. Keys that are not editable are dropped; a time without a zone is refused."""
    clean: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, value in values.items():
        if key in _PLAIN:
            clean[key] = _PLAIN[key](value)
        elif key in _PEOPLE:
            prefix, cleaner = _PEOPLE[key]
            clean[key], probs = cleaner(value, day)
            problems.update({f"{prefix}.{k}": v for k, v in probs.items()})
    return clean, problems


@dataclass
class SaveResult:
    """What a save committed: when, live problems per field ("party.id_number", "witness.0.phone" …) and,
    when the officers changed, the team check."""

    saved_at: datetime
    problems: dict[str, str] = field(default_factory=dict)
    team: TeamCheck | None = None
    changed: bool = True


def party_from_target(target: Target | None) -> dict[str, Any]:
    if target is None:
        return {"type": parties.ORGANISATION}
    if target.kind == "自然人":
        return {"type": parties.PERSON, "name": target.name, "address": target.address,
                "phone": target.contact_phone or ""}
    return {"type": parties.ORGANISATION, "name": target.name, "credit_code": target.credit_code or "",
            "legal_rep": target.legal_rep or "", "address": target.address, "phone": target.contact_phone or ""}


class InspectionService(SigningMixin, FinalisingMixin):
    def __init__(self, store: Store, user: CurrentUser, *, thresholds: LegalThresholds = DEFAULT_THRESHOLDS,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.user = user
        self.thresholds = thresholds
        self.clock = clock

    # ---- reading -----------------------------------------------------------------------------------------

    def load(self, inspection_id: str) -> InspectionSnapshot:
        with self.store.read() as session:
            return snapshot(session, inspection_id)

    def open_inspections(self) -> list[InspectionRow]:
        with self.store.read() as session:
            return open_inspections(session, self.user.township_id, local_day(self.clock()))

    def startable_plans(self) -> list[PlanRow]:
        with self.store.read() as session:
            return startable_plans(session, self.user.township_id, local_day(self.clock()))

    def officers(self) -> list[tuple[str, str, str | None]]:
        with self.store.read() as session:
            return township_officers(session, self.user.township_id)

    # ---- starting ----------------------------------------------------------------------------------------

    def start_from_plan(self, plan_id: str) -> str:
        """A new draft inspection for the plan (or the draft already started from it); returns its id."""
        with self.store.write() as session:
            plan = session.get(InspectionPlan, plan_id)
            if plan is None:
                raise DomainError("未找到该检查计划", code="not_found")
            self._check_township(plan.township_id)
            existing = session.scalar(select(Inspection.id).where(Inspection.plan_id == plan_id).limit(1))
            if existing:
                return existing
            if plan.status != "planned":
                raise DomainError("该检查计划已完成或已取消，不能开始检查", code="plan_closed")
            target = session.get(Target, plan.target_id)
            return self._create(session, plan_id=plan.id, task_id=(plan.task_ids or [None])[0],
                                target=target, township_id=plan.township_id, officer_ids=list(plan.officer_ids or []))

    def task_basis(self, task: Task) -> Basis:
        """May the signed-in person start an inspection from `task` without a plan (app.rules.inspection_basis)?"""
        return task_basis(task_type=task.task_type, source=task.source, status=task.status,
                          assignee_ids=[a.officer_id for a in task.assignees], officer_id=self.user.officer_id,
                          role=self.user.role)

    def start_from_task(self, task_id: str) -> str:
        """A new draft inspection for the instruction (or its open draft) — where the instruction is itself the
        basis (无计划不检查 met by a 核查 / 投诉举报 task assigned to the officer); officers are its assignees, the
        signed-in officer first."""
        with self.store.write() as session:
            task = session.get(Task, task_id)
            if task is None:
                raise DomainError("未找到该任务，可能已被指挥中心撤回", code="not_found")
            self._check_township(task.township_id)
            existing = session.scalar(
                select(Inspection.id).where(Inspection.task_id == task_id, Inspection.plan_id.is_(None),
                                            Inspection.status != "finalised").limit(1)
            )
            if existing:
                return existing
            basis = self.task_basis(task)
            if not basis.ok:
                raise DomainError(basis.reason, code="no_basis")
            target = session.get(Target, task.target_id) if task.target_id else None
            officers = [a.officer_id for a in task.assignees]
            if self.user.officer_id:
                officers = [self.user.officer_id, *(o for o in officers if o != self.user.officer_id)]
            return self._create(session, plan_id=None, task_id=task.id, target=target,
                                township_id=task.township_id, officer_ids=officers)

    def _create(self, session: Session, *, plan_id: str | None, task_id: str | None, target: Target | None,
                township_id: str, officer_ids: list[str]) -> str:
        insp = Inspection(
            id=new_id(), plan_id=plan_id, task_id=task_id, target_id=target.id if target else None,
            township_id=township_id, started_at=self.clock(), place=target.address if target else "",
            officer_ids=officer_ids, party=party_from_target(target), onsite_person={}, witnesses=[],
            signatures={}, status="draft", created_by=self.user.actor,
        )
        changes.record_create(session, insp, actor=self.user.actor)
        return insp.id

    def _check_township(self, township_id: str) -> None:
        if self.user.township_id and township_id != self.user.township_id:
            raise DomainError("不能操作其他乡镇的检查记录", code="forbidden")

    def _draft(self, session: Session, inspection_id: str, *, allow_final: bool = False) -> Inspection:
        insp = session.get(Inspection, inspection_id)
        if insp is None:
            raise DomainError("未找到该检查记录", code="not_found")
        self._check_township(insp.township_id)
        if insp.status == "finalised" and not allow_final:
            raise DomainError(LOCKED_MESSAGE, code="locked")
        return insp

    # ---- fields ------------------------------------------------------------------------------------------

    def save_fields(self, inspection_id: str, **values: Any) -> SaveResult:
        """Save any editable fields in one transaction (queued as one coalesced update for the platform).
        Identifiers are kept as typed; their problems come back in `SaveResult.problems`."""
        unknown = sorted(set(values) - EDITABLE)
        if unknown:
            raise ValidationError(f"检查记录没有可修改的字段：{'、'.join(unknown)}", code="unknown_field")
        with self.store.write() as session:
            insp = self._draft(session, inspection_id)
            day = local_day(values.get("started_at") or insp.started_at)
            clean, problems = clean_fields(values, day)
            entry = changes.record_update(session, insp, clean, actor=self.user.actor)
            start, end = insp.started_at, insp.ended_at
            if start and end and ends_before_start(start, end):
                problems["ended_at"] = "结束时间早于开始时间"
            team = None
            if "officer_ids" in clean or "started_at" in clean:
                _, team = team_check(session, list(insp.officer_ids or []), local_day(insp.started_at),
                                     insp.target_id)
        return SaveResult(self.clock(), problems, team, entry is not None)

    def set_officers(self, inspection_id: str, officer_ids: list[str]) -> TeamCheck:
        """Save the team; returns the two-certified-officers and recusal check (refusals and warnings)."""
        result = self.save_fields(inspection_id, officer_ids=officer_ids)
        assert result.team is not None
        return result.team

    def set_party(self, inspection_id: str, **party: Any) -> dict[str, str]:
        """The party: type "person" (name, sex, id_number, address, phone) or "organisation" (name,
        credit_code, legal_rep, address, phone). Returns live problems per field."""
        probs = self.save_fields(inspection_id, party=party).problems
        return {k.removeprefix("party."): v for k, v in probs.items()}

    def set_onsite_person(self, inspection_id: str, **person: Any) -> dict[str, str]:
        probs = self.save_fields(inspection_id, onsite_person=person).problems
        return {k.removeprefix("onsite."): v for k, v in probs.items()}

    def set_witnesses(self, inspection_id: str, witnesses: list[dict[str, Any]]) -> dict[str, str]:
        probs = self.save_fields(inspection_id, witnesses=witnesses).problems
        return {k.removeprefix("witness."): v for k, v in probs.items()}

    # ---- checklist ---------------------------------------------------------------------------------------

    def answer(self, inspection_id: str, item_key_: str, result: str, note: str | None = "",
               fact: str | None = None) -> str:
        """Record the conclusion of one checklist item (符合 / 不符合 / 不适用) with a note (None keeps the
        note as it is) and, for a violation, the 违法事实 — what the officer saw, in their own words, not the
        check point (None keeps it; required before finalising); returns the finding id. An answer can be
        changed until the record is finalised."""
        if result not in RESULTS:
            raise ValidationError("检查结论只能是符合、不符合或不适用", code="bad_result")
        with self.store.write() as session:
            insp = self._draft(session, inspection_id)
            finding = self._finding(session, insp, item_key_)
            values: dict[str, Any] = {"result": result}
            if note is not None:
                values["note"] = str(note)
            if fact is not None:
                values["fact"] = str(fact).strip()
            self._draft_update(session, finding, values)
            return finding.id

    def set_fact(self, inspection_id: str, item_key_: str, fact: str) -> str:
        """Change only the 违法事实 of an item (the officer's statement of what was found)."""
        with self.store.write() as session:
            insp = self._draft(session, inspection_id)
            finding = self._finding(session, insp, item_key_)
            self._draft_update(session, finding, {"fact": str(fact or "").strip()})
            return finding.id

    def set_note(self, inspection_id: str, item_key_: str, note: str) -> str:
        """Change only the note of an item (the result stays as it is, or unanswered)."""
        with self.store.write() as session:
            insp = self._draft(session, inspection_id)
            finding = self._finding(session, insp, item_key_)
            self._draft_update(session, finding, {"note": str(note or "")})
            return finding.id

    def add_observation(self, inspection_id: str, note: str, *, result: str = "violation",
                        matter_code: str | None = None, fact: str | None = None) -> str:
        """A free observation outside the checklist. After finalisation it is appended (and queued at once);
        before, it is a draft like the answers. The observation is the officer's own text, so a violation's
        违法事实 is `fact`, or the observation itself."""
        if not str(note or "").strip():
            raise ValidationError("请填写现场发现的内容", code="empty_observation")
        if result not in RESULTS:
            raise ValidationError("检查结论只能是符合、不符合或不适用", code="bad_result")
        with self.store.write() as session:
            insp = self._draft(session, inspection_id, allow_final=True)
            f = self._new_finding(session, insp, OBSERVATION_POINT, matter_code)
            f.result, f.note = result, str(note).strip()
            f.fact = str(fact).strip() if fact else (f.note if result == "violation" else "")
            if insp.status == "finalised":
                changes.record_create(session, f, actor=self.user.actor)
            else:
                session.add(f)
                session.flush()
                audit.append(session, actor=self.user.actor, action="draft_create", entity="finding",
                             entity_id=f.id, detail={"result": result, "note": f.note})
            return f.id

    def _finding(self, session: Session, insp: Inspection, key: str) -> Finding:
        if key.startswith("obs:"):
            found = session.get(Finding, key[4:])
            if found is None or found.inspection_id != insp.id:
                raise DomainError("未找到该现场发现", code="not_found")
            return found
        for f in session.scalars(select(Finding).where(Finding.inspection_id == insp.id)):
            if f.check_point != OBSERVATION_POINT and item_key(f.check_point) == key:
                return f
        codes, lead = matter_codes_of(session, insp)
        groups = load_checklist(session, insp.township_id, codes, lead, day=local_day(insp.started_at))
        item = next((i for i in flatten(groups) if i.key == key), None)
        if item is None:
            raise DomainError("检查清单中没有该检查项", code="unknown_item")
        f = self._new_finding(session, insp, item.text, item.matter_code)
        session.add(f)
        session.flush()
        audit.append(session, actor=self.user.actor, action="draft_create", entity="finding", entity_id=f.id,
                     detail={"check_point": item.text, "matter_code": item.matter_code})
        return f

    def _new_finding(self, session: Session, insp: Inspection, check_point: str, matter_code: str | None
                     ) -> Finding:
        target = session.get(Target, insp.target_id) if insp.target_id else None
        grid = target.grid_id if target else None
        return Finding(id=new_id(), inspection_id=insp.id, township_id=insp.township_id, grid_id=grid,
                       target_id=insp.target_id, matter_code=matter_code, check_point=check_point, result="",
                       note="", found_at=self.clock(), created_by=self.user.actor)

    def _draft_update(self, session: Session, finding: Finding, values: dict[str, Any]) -> None:
        changed = {k: v for k, v in values.items() if getattr(finding, k) != v}
        if not changed:
            return
        for k, v in changed.items():
            setattr(finding, k, v)
        audit.append(session, actor=self.user.actor, action="draft_update", entity="finding",
                     entity_id=finding.id, detail=changed)

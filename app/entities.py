"""The registry of synced entities: wire names, models, who owns which field, and the JSON codec.

One table drives the sync engine, the seeding of the demo district and the services; a field's ownership is
written down once, in `app.ownership`, which the reference platform enforces too. Wire data is a flat JSON object of column values (dates as ISO 8601 strings); tasks
also carry `assignee_ids`, `matter_codes` and `events`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date
from sqlalchemy.orm import Session

from app import models as m
from app import ownership as O
from app.models.base import Base, UTCDateTime, VersionedMixin
from app.task_events import TaskEventWire


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type[Base]
    scope: str  # "global": every team sees it; "township": only that township's team
    platform_fields: frozenset[str] = frozenset()  # server wins; a local edit is kept in a conflict row
    officer_fields: frozenset[str] = frozenset()  # merged per field; same-field edits flagged
    append_only: bool = False  # created on laptops, never edited afterwards (voids are their own op)
    local_create: bool = False  # laptops may create it


def _cols(model: type[Base], *exclude: str) -> frozenset[str]:
    return frozenset(c.key for c in model.__table__.columns if c.key not in {"id", "version", *exclude})


#: the model of each entity; who owns which of its fields comes from `app.ownership`
MODELS: dict[str, type[Base]] = {
    "township": m.Township, "department": m.Department, "unit": m.Unit, "grid": m.Grid, "officer": m.Officer,
    "officer_interest": m.OfficerInterest, "target": m.Target, "catalogue_version": m.CatalogueVersion,
    "matter": m.Matter, "matter_empowerment": m.MatterEmpowerment, "task": m.Task,
    "inspection_plan": m.InspectionPlan, "inspection": m.Inspection, "finding": m.Finding, "evidence": m.Evidence,
    "document": m.Document, "referral": m.Referral, "random_draw": m.RandomDraw, "intervention": m.Intervention,
    "response_checkin": m.ResponseCheckin, "complainant": m.Complainant, "complaint_reply": m.ComplaintReply,
    "notice_reply": m.NoticeReply, "grid_tier_change": m.GridTierChange, "case": m.Case,
    "case_config": m.CaseConfigEdition,
}


def _spec(name: str) -> EntitySpec:
    model = MODELS[name]
    platform: frozenset[str] = frozenset()
    officer: frozenset[str] = frozenset()
    if name in O.PLATFORM_ONLY:
        platform = _cols(model)
    elif name in O.OFFICER_EDITED:
        officer = _cols(model, *O.OFFICER_EDITED_EXCEPT)
    elif name == "task":
        platform, officer = O.TASK_PLATFORM_FIELDS, O.TASK_OFFICER_FIELDS
    elif name == "case":
        officer = O.CASE_OFFICER_FIELDS
    return EntitySpec(name, model, O.scope(name), platform, officer, append_only=name in O.APPEND_ONLY,
                      local_create=name in O.LOCAL_CREATE)


SPECS: dict[str, EntitySpec] = {name: _spec(name) for name in O.ENTITY_NAMES}

ENTITY_OF_MODEL: dict[type[Base], str] = {s.model: s.name for s in SPECS.values()}


def _pk(model: type[Base]) -> str:
    return model.__table__.primary_key.columns.values()[0].key


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_wire(obj: Base) -> dict[str, Any]:
    """All column values of `obj` as JSON-ready data, plus a task's nested lists."""
    data = {c.key: encode_value(getattr(obj, c.key)) for c in obj.__table__.columns}
    if isinstance(obj, VersionedMixin):
        data.pop("version", None)  # the sync version travels beside the data, not inside it
    if isinstance(obj, m.Task):
        data["assignee_ids"] = sorted(a.officer_id for a in obj.assignees)
        data["matter_codes"] = sorted(tm.matter_code for tm in obj.matters)
        data["events"] = [TaskEventWire.of_row(e).wire() for e in obj.events]
    return data


def decode_field(model: type[Base], key: str, value: Any) -> Any:
    """Turn a wire value back into the column's Python type; unknown keys raise KeyError."""
    col = model.__table__.columns[key]
    if value is None:
        return None
    if isinstance(col.type, UTCDateTime):
        dt = datetime.fromisoformat(value)
        if dt.tzinfo is None:
            raise ValueError(f"{key}: time without timezone")
        return dt
    if isinstance(col.type, Date):
        return date.fromisoformat(value)
    return value


def apply_wire(session: Session, entity: str, entity_id: str, version: int, data: dict[str, Any]) -> Base:
    """Create or overwrite the local row from platform data (every field). Callers decide what to keep."""
    spec = SPECS[entity]
    model = spec.model
    versioned = issubclass(model, VersionedMixin)
    pk = _pk(model)
    key_value = data.get(pk, entity_id) if not versioned else entity_id
    obj = session.get(model, key_value)
    if obj is None:
        obj = model()
        setattr(obj, pk, key_value)
        session.add(obj)
    if isinstance(obj, m.Case) and "events" in data:
        data = {**data, "events": merge_events(obj.events or [], data["events"] or [])}
    columns = model.__table__.columns
    for key, value in data.items():
        if key in columns and key != pk and not (versioned and key == "version"):
            setattr(obj, key, decode_field(model, key, value))
    if versioned:
        obj.version = version  # type: ignore[attr-defined]  # the platform's version of the record
    if isinstance(obj, m.Task):
        apply_task_lists(session, obj, data)
    return obj


def apply_task_lists(session: Session, task: m.Task, data: dict[str, Any]) -> None:
    if "assignee_ids" in data:
        want = set(data["assignee_ids"] or [])
        task.assignees = [a for a in task.assignees if a.officer_id in want]
        have = {a.officer_id for a in task.assignees}
        task.assignees.extend(m.TaskAssignee(officer_id=o) for o in sorted(want - have))
    if "matter_codes" in data:
        want = set(data["matter_codes"] or [])
        task.matters = [tm for tm in task.matters if tm.matter_code in want]
        have = {tm.matter_code for tm in task.matters}
        task.matters.extend(m.TaskMatter(matter_code=c) for c in sorted(want - have))
    if "events" in data:
        known = {e.id for e in task.events}
        for ev in data["events"] or []:
            if ev["id"] in known:
                existing = next(e for e in task.events if e.id == ev["id"])
                existing.synced = True
                continue
            task.events.append(m.TaskEvent(**TaskEventWire.parse(ev).row(task.id)))


def merge_events(local: list[Any], server: list[Any]) -> list[Any]:
    """A case's events: the platform's, in its order, then this laptop's not yet acknowledged (by event id)."""
    known = {e.get("id") for e in server if isinstance(e, dict)}
    return [*server, *(e for e in local if isinstance(e, dict) and e.get("id") not in known)]

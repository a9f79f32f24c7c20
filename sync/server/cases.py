"""The platform's side of cases (案件): the same rules as the laptops, applied again on arrival.

A case created on a laptop arrives with its 立案 event; every later step arrives as a `transition` mutation
carrying the event the laptop recorded. The platform replays each event through `app.rules.case_states.step`
with the caller's role and the case-law edition in force that day (its own `case_config` records), so a step the
law forbids is refused here too, with the same Chinese message naming the article. Accepted events are
appended; the stage is the last event's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.ownership import CASE_OFFICER_FIELDS
from app.rules.case_config import CaseConfig, default_config_data, parse_config
from app.rules.case_history import CaseFacts, parse_day
from app.rules.case_states import StepContext, step
from sync.server.common import Caller
from sync.server.records import create_record, load
from sync.server.storage import Record

DEFAULT_CONFIG_ID = "case-law-1"


class CaseRefused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def seed_default_config(session: Session) -> int:
    """Publish the shipped case-law edition once (laptops receive it like any global record)."""
    if load(session, "case_config", DEFAULT_CONFIG_ID) is not None:
        return 0
    data = default_config_data()
    body = {
        "edition": data["edition"],
        "effective_from": data["effective_from"],
        "data": data,
        "created_at": datetime.now().astimezone().isoformat(),
        "updated_at": datetime.now().astimezone().isoformat(),
    }
    create_record(session, "case_config", DEFAULT_CONFIG_ID, body, township_id=None)
    return 1


def editions(session: Session) -> list[CaseConfig]:
    out: list[CaseConfig] = []
    for record in session.scalars(
        select(Record).where(Record.entity == "case_config", Record.deleted.is_(False))
    ):
        data = record.data
        try:
            out.append(
                parse_config(
                    {
                        **(data.get("data") or {}),
                        "edition": data.get("edition"),
                        "effective_from": data.get("effective_from"),
                    }
                )
            )
        except DomainError:
            continue
    return out


def _replay_one(
    session: Session, caller: Caller, facts: CaseFacts, events: list[dict[str, Any]], event: Any
) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise CaseRefused("bad_request", "案件步骤必须是对象")
    missing = [k for k in ("id", "action", "actor", "at") if not isinstance(event.get(k), str)]
    if missing:
        raise CaseRefused("bad_request", f"案件步骤缺少 {'、'.join(missing)}")
    try:
        at = datetime.fromisoformat(event["at"])
        on = parse_day(event["on"], "步骤") if event.get("on") else None
        ctx = StepContext(
            role=caller.role,
            username=caller.username,
            actor=event["actor"],
            at=at,
            officer_id=caller.officer_id,
            on=on,
        )
        accepted = step(
            facts,
            events,
            event["action"],
            ctx,
            editions=editions(session),
            reason=event.get("reason"),
            data=event.get("data") or {},
            event_id=event["id"],
        )
    except DomainError as exc:
        raise CaseRefused(exc.code, exc.message) from None
    except ValueError:
        raise CaseRefused("bad_request", "案件步骤的时间格式无效（应为 ISO 8601）") from None
    return accepted


def check_create(session: Session, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    """A new case: facts valid, its events (the 立案) pass the rules, its number unused for the body."""
    try:
        facts = CaseFacts.from_wire(data)
    except DomainError as exc:
        raise CaseRefused(exc.code, exc.message) from None
    events = data.get("events")
    if not isinstance(events, list) or not events:
        raise CaseRefused("bad_request", "案件缺少立案步骤")
    accepted: list[dict[str, Any]] = []
    for event in events:
        accepted.append(_replay_one(session, caller, facts, accepted, event))
    for field in ("number", "body_id"):
        if not isinstance(data.get(field), str) or not data[field]:
            raise CaseRefused("bad_request", f"案件缺少 {field}")
    taken = session.scalars(
        select(Record).where(Record.lookup_key == case_key(data["body_id"], data["number"]))
    ).first()
    if taken is not None:
        raise CaseRefused("number_taken", f"案件编号「{data['number']}」已被使用")
    return {**data, "events": accepted, "status": accepted[-1]["to_status"]}


def transition(
    session: Session, caller: Caller, record: Record, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """The case data after the step in `payload["event"]`; None when that event is already recorded."""
    event = payload.get("event")
    events = list(record.data.get("events") or [])
    if isinstance(event, dict) and any(e.get("id") == event.get("id") for e in events if isinstance(e, dict)):
        return None
    try:
        facts = CaseFacts.from_wire(record.data)
    except DomainError as exc:
        raise CaseRefused(exc.code, exc.message) from None
    accepted = _replay_one(session, caller, facts, events, event)
    return {**record.data, "events": [*events, accepted], "status": accepted["to_status"]}


def check_update(fields: dict[str, Any]) -> None:
    extra = sorted(fields.keys() - CASE_OFFICER_FIELDS)
    if extra:
        raise CaseRefused(
            "append_only",
            f"案件的阶段、步骤、编号和执法主体只能通过办案步骤改变，不能修改字段 {'、'.join(extra)}",
        )


def case_key(body_id: str, number: str) -> str:
    return f"case|{body_id}|{number}"


def publish_config(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """Publish a new case-law edition (validated as the laptops will read it); editions are never rewritten, so
    its number must be above every published one. Laptops apply it from its `effective_from`, not from sync."""
    body = {k: v for k, v in data.items() if k != "_comment"}
    try:
        edition = parse_config(body)
    except DomainError as exc:
        raise CaseRefused(exc.code, exc.message) from None
    published = editions(session)
    top = max((e.edition for e in published), default=0)
    if edition.edition <= top:
        raise CaseRefused(
            "edition_exists", f"案件配置第 {edition.edition} 版不高于已发布的第 {top} 版，请使用新的版本号"
        )
    now = datetime.now().astimezone().isoformat()
    record = {
        "edition": edition.edition,
        "effective_from": edition.effective_from.isoformat(),
        "data": body,
        "created_at": now,
        "updated_at": now,
    }
    create_record(session, "case_config", f"case-law-{edition.edition}", record, township_id=None)
    return record

"""Applying pushed mutations: create / update (per-field merge) / transition (state machine) / void.

A pushed batch runs in one write transaction (`apply_batch`); each mutation's effect runs inside a SAVEPOINT so
a refusal undoes only that effect, and its result is stored under its `mutation_id` in the same transaction.
Records are locked row by row (`SELECT … FOR UPDATE`), so batches of different townships proceed together. A replayed mutation_id
returns `duplicate` (with the version stored) for an applied mutation, or the stored conflict/rejection as it
was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app import ownership as O
from app.errors import DomainError
from app.rules.task_states import TaskAction, transition
from app.task_events import TaskEventWire
from sync.protocol import Mutation, MutationResult
from sync.server import cases
from sync.server import loops as L
from sync.server import policy as P
from sync.server.common import Caller, log
from sync.server.records import create_record, evidence_key, load, save_record
from sync.server.storage import BlobAccess, MutationRow, Record, write_session


class Rejected(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _bad(reason: str) -> Rejected:
    return Rejected("bad_request", reason)


#: PostgreSQL SQLSTATEs after which the whole transaction is retried: deadlock, serialization failure
_RETRY_SQLSTATES = frozenset({"40P01", "40001"})
_ATTEMPTS = 4


def _retryable(exc: DBAPIError) -> bool:
    if isinstance(exc, IntegrityError):  # the same mutation_id or new record id committed concurrently
        return True
    return getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES


def apply_batch(
    engine: Engine, caller: Caller, device_id: str, mutations: Sequence[Mutation]
) -> list[MutationResult]:
    """Apply a batch in one write transaction: each mutation inside its own SAVEPOINT (a refusal undoes only
    that mutation), each result stored under its mutation_id in the same transaction (idempotent). A
    deadlock or a concurrent commit of the same id rolls the whole batch back and it is tried again; the
    results are then read back as duplicates."""
    for attempt in range(_ATTEMPTS):
        try:
            with write_session(engine) as session:
                return [_apply_one(session, caller, device_id, m) for m in mutations]
        except DBAPIError as exc:
            if not _retryable(exc) or attempt == _ATTEMPTS - 1:
                raise
            log.info("mutation batch retried after %s", type(exc.orig).__name__)
    raise AssertionError("unreachable")


def _apply_one(session: Session, caller: Caller, device_id: str, mutation: Mutation) -> MutationResult:
    stored = session.get(MutationRow, mutation.mutation_id)
    if stored is not None:
        return _replay(stored.result)
    try:
        with session.begin_nested():
            result = _apply(session, caller, mutation)
    except Rejected as exc:
        result = _rejected(mutation, exc.code, exc.reason)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # malformed data that slipped past the checks: park it for a person rather than answer 500 (which a
        # client would retry forever, blocking its queue)
        log.warning("mutation %s refused as malformed: %r", mutation.mutation_id, exc)
        result = _rejected(mutation, "bad_request", f"数据格式无效：{type(exc).__name__}")
    session.add(
        MutationRow(
            mutation_id=mutation.mutation_id,
            device_id=device_id,
            username=caller.username,
            entity=mutation.entity,
            entity_id=mutation.entity_id,
            result=result.model_dump(exclude_none=True),
        )
    )
    session.flush()
    return result


def _rejected(m: Mutation, code: str, reason: str) -> MutationResult:
    return MutationResult(mutation_id=m.mutation_id, status="rejected", code=code, reason=reason)


def _replay(stored: dict[str, Any]) -> MutationResult:
    result = MutationResult.model_validate(stored)
    if result.status in ("applied", "duplicate"):
        return MutationResult(mutation_id=result.mutation_id, status="duplicate", version=result.version)
    return result


def _apply(session: Session, caller: Caller, m: Mutation) -> MutationResult:
    if not isinstance(m.data, dict):
        raise _bad("data 必须是对象")
    if m.op == "create":
        return _create(session, caller, m)
    if m.op == "update":
        return _update(session, caller, m)
    if m.op == "transition":
        return _transition(session, caller, m)
    return _void(session, caller, m)


def _ok(m: Mutation, record: Record, status: str = "applied") -> MutationResult:
    return MutationResult(
        mutation_id=m.mutation_id,
        status=status,  # type: ignore[arg-type]  # pydantic checks it against the Literal
        version=record.version,
    )


def _visible(session: Session, caller: Caller, m: Mutation) -> Record:
    record = load(session, m.entity, m.entity_id, for_update=True)
    if record is None or record.deleted:
        raise Rejected("not_found", "记录不存在或已被删除")
    if not caller.sees(record.township_id):
        raise Rejected("forbidden", "无权操作其他乡镇的记录")
    return record


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in P.SERVER_MANAGED_KEYS}


# ---- create ----------------------------------------------------------------------------------------------


def _create(session: Session, caller: Caller, m: Mutation) -> MutationResult:
    if m.entity not in O.LOCAL_CREATE:
        raise _bad(f"终端不能创建此类记录（{m.entity}）")
    data = dict(m.data)
    if data.get("id") not in (None, m.entity_id):
        raise _bad("记录中的 id 与 entity_id 不一致")
    data["id"] = m.entity_id
    data.pop("version", None)
    township = data.get("township_id")
    if not isinstance(township, str) or not township:
        raise _bad("新建记录缺少 township_id")
    if not caller.is_centre and township != caller.township_id:
        raise Rejected("forbidden", "不能为其他乡镇创建记录")
    existing = load(session, m.entity, m.entity_id)
    if existing is not None:
        if caller.sees(existing.township_id) and _comparable(existing.data) == _comparable(data):
            return _ok(m, existing, "duplicate")
        raise Rejected("exists", "该编号的记录已存在且内容不同")
    sha = data.get("sha256")
    if (
        m.entity == "evidence"
        and isinstance(sha, str)
        and session.get(BlobAccess, (sha, township)) is not None
    ):
        data["uploaded"] = True
    if m.entity == "case":
        data = _case(lambda: cases.check_create(session, caller, data))
    try:
        L.check_create(session, m.entity, data, township)
        record = create_record(session, m.entity, m.entity_id, data, township_id=township)
        L.after_create(session, m.entity, data, township)
    except L.LoopRefused as exc:
        raise Rejected(exc.code, exc.reason) from None
    return _ok(m, record)


# ---- update ----------------------------------------------------------------------------------------------


def _update(session: Session, caller: Caller, m: Mutation) -> MutationResult:
    fields, base = m.data.get("fields"), m.data.get("base", {})
    if not isinstance(fields, dict) or not fields:
        raise _bad("更新缺少 fields")
    if not isinstance(base, dict):
        raise _bad("更新的 base 必须是对象")
    fields = {k: v for k, v in fields.items() if k != "updated_at"}  # the platform stamps its own time
    if m.entity in O.PLATFORM_ONLY:
        raise Rejected("platform_owned", "该记录由指挥平台维护，终端不能修改")
    record = _visible(session, caller, m)
    if not fields:
        return _ok(m, record)
    if m.entity == "task":
        _check_task_fields(session, caller, record, fields)
    if fields.keys() & {"id", "version", "created_at"}:
        raise _bad("不能修改记录编号、版本或创建时间")
    if "township_id" in fields:
        raise Rejected("forbidden", "不能把记录改到其他乡镇")
    if m.entity == "case":
        _case(lambda: cases.check_update(fields))
    if m.entity == "document":
        _check_document_update(record, fields)
    elif m.entity == "referral":
        _check_referral_update(record, fields)
    elif m.entity in O.APPEND_ONLY:
        raise Rejected("append_only", "该类记录只能追加，不能修改（如需作废请使用作废）")
    elif m.entity == "inspection" and record.data.get("status") == "finalised":
        raise Rejected("locked", "检查记录已定稿，不能再修改")
    return _merge(session, m, record, fields, base)


def _check_task_fields(session: Session, caller: Caller, record: Record, fields: dict[str, Any]) -> None:
    if fields.keys() & O.TASK_STATE_FIELDS:
        raise _bad("任务状态只能通过流转操作（签收、退回、反馈等）修改")
    platform = sorted(fields.keys() & (O.TASK_PLATFORM_FIELDS - O.TASK_LEADER_FIELDS))
    if platform:
        raise Rejected("platform_owned", f"字段 {'、'.join(platform)} 由指挥中心维护，终端不能修改")
    unknown = sorted(fields.keys() - O.TASK_OFFICER_FIELDS - O.TASK_LEADER_FIELDS)
    if unknown:
        raise _bad(f"任务没有可修改的字段 {'、'.join(unknown)}")
    if "assignee_ids" in fields:
        if caller.role not in ("leader", "centre"):
            raise Rejected("forbidden", "只有队长可以指派任务人员")
        ids = fields["assignee_ids"]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _bad("assignee_ids 必须是执法人员编号列表")
        for officer_id in ids:
            officer = load(session, "officer", officer_id)
            if officer is None or officer.deleted or officer.township_id != record.township_id:
                raise _bad(f"执法人员 {officer_id} 不属于该任务所在乡镇")
        fields["assignee_ids"] = sorted(set(ids))


def _check_referral_update(record: Record, fields: dict[str, Any]) -> None:
    """A transfer's tracking moves forward one step at a time, its history only grows; its letter and case are
    linked once."""
    extra = sorted(fields.keys() - P.REFERRAL_TRACK_FIELDS)
    if extra:
        raise Rejected("append_only", f"移送记录只能登记跟踪进度，不能修改字段 {'、'.join(extra)}")
    current = record.data.get("status") or "open"
    wanted = fields.get("status", current)
    if wanted != current and (current, wanted) not in P.REFERRAL_STEPS:
        raise Rejected("append_only", f"移送进度不能从「{current}」改为「{wanted}」")
    if "tracking" in fields:
        old, new = list(record.data.get("tracking") or []), fields["tracking"]
        if not isinstance(new, list) or new[: len(old)] != old:
            raise Rejected("append_only", "移送跟踪记录只能追加，不能修改已登记的进度")
    for key in ("letter_id", "case_id"):
        if key in fields and record.data.get(key) not in (None, fields[key]):
            raise Rejected("append_only", "移送记录已关联移送函或案件，不能更改")


DRAFT_EDITABLE = frozenset({"fields", "template_version", "updated_at"})


def _check_document_update(record: Record, fields: dict[str, Any]) -> None:
    current = record.data.get("status") or "draft"
    if current == "voided":
        raise Rejected("locked", "文书已作废，不能修改")
    wanted = fields.get("status", current)
    if wanted == current == "draft":  # a draft's values are the clerk's to edit until it is issued
        allowed = DRAFT_EDITABLE | frozenset(k for k, v in fields.items() if record.data.get(k) == v)
    elif wanted == current:  # no step: only values the document already has (a harmless re-send)
        allowed = frozenset(k for k, v in fields.items() if record.data.get(k) == v)
    elif (current, wanted) in P.DOCUMENT_STEPS:
        allowed = P.DOCUMENT_ISSUE_FIELDS if wanted == "issued" else P.DOCUMENT_SERVE_FIELDS
    else:
        raise Rejected("append_only", f"文书状态不能从「{current}」改为「{wanted}」")
    extra = sorted(fields.keys() - allowed)
    if extra:
        raise Rejected("append_only", f"文书只能按 草稿→签发→送达 推进，不能修改字段 {'、'.join(extra)}")


def _merge(
    session: Session, m: Mutation, record: Record, fields: dict[str, Any], base: dict[str, Any]
) -> MutationResult:
    """Per field: apply when the server still holds `base` (or already holds the new value); otherwise keep
    the server's value and report the field as a conflict."""
    data = dict(record.data)
    applied: list[str] = []
    server: dict[str, Any] = {}
    yours: dict[str, Any] = {}
    changed = False
    for name, value in fields.items():
        current = data.get(name)
        if current == value:
            applied.append(name)
        elif current == base.get(name):
            data[name] = value
            applied.append(name)
            changed = True
        else:
            server[name] = current
            yours[name] = value
    if changed:
        save_record(session, record, data)
    if server:
        return MutationResult(
            mutation_id=m.mutation_id,
            status="conflict",
            version=record.version,
            server=server,
            yours=yours,
            applied_fields=applied,
        )
    return _ok(m, record)


# ---- transition ------------------------------------------------------------------------------------------


def _case(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except cases.CaseRefused as exc:
        raise Rejected(exc.code, exc.reason) from None


def _case_transition(session: Session, caller: Caller, m: Mutation) -> MutationResult:
    record = _visible(session, caller, m)
    data = _case(lambda: cases.transition(session, caller, record, m.data))
    if data is None:
        return _ok(m, record, "duplicate")
    save_record(session, record, data)
    return _ok(m, record)


def _transition(session: Session, caller: Caller, m: Mutation) -> MutationResult:
    if m.entity == "case":
        return _case_transition(session, caller, m)
    if m.entity != "task":
        raise _bad("只有任务可以执行流转操作")
    missing = [k for k in ("action", "actor", "at", "event_id") if not isinstance(m.data.get(k), str)]
    if missing:
        raise _bad(f"流转操作缺少 {'、'.join(missing)}")
    if any(m.data.get(k) is not None and not isinstance(m.data[k], str) for k in ("reason", "feedback")):
        raise _bad("reason 和 feedback 必须是文字")
    record = _visible(session, caller, m)
    events = list(record.data.get("events") or [])
    if any(e.get("id") == m.data["event_id"] for e in events if isinstance(e, dict)):
        return _ok(m, record, "duplicate")
    try:
        at = datetime.fromisoformat(m.data["at"])
    except ValueError:
        raise _bad("操作时间格式无效（应为 ISO 8601）") from None
    try:
        event = transition(
            record.data.get("status") or "pending",
            m.data["action"],
            role=caller.role,
            actor=m.data["actor"],
            at=at,
            reason=m.data.get("reason"),
            feedback=m.data.get("feedback"),
        )
    except DomainError as exc:
        raise Rejected(exc.code, exc.message) from None
    events.append(TaskEventWire.of(m.data["event_id"], event).wire())
    data = dict(record.data)
    data["events"] = events
    data["status"] = event.to_status.value
    if event.action is TaskAction.REPORT:
        data["feedback"] = event.feedback or ""
    save_record(session, record, data)
    return _ok(m, record)


# ---- void ------------------------------------------------------------------------------------------------


def _void(session: Session, caller: Caller, m: Mutation) -> MutationResult:
    if m.entity not in P.VOIDABLE:
        raise _bad("只有证据和文书可以作废")
    reason = m.data.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise Rejected("reason_required", "作废必须填写原因")
    record = _visible(session, caller, m)
    data = dict(record.data)
    if m.entity == "evidence":
        if data.get("voided"):
            return _ok(m, record)
        data["voided"] = True
    else:
        if data.get("status") == "voided":
            return _ok(m, record)
        data["status"] = "voided"
    data["void_reason"] = reason.strip()
    save_record(session, record, data)
    return _ok(m, record)


def mark_evidence_uploaded(session: Session, township_id: str | None, sha256: str) -> int:
    """Set `uploaded` on the team's live evidence records of a verified blob; returns how many changed."""
    query = (
        select(Record)
        .where(Record.entity == "evidence", Record.lookup_key == evidence_key(sha256), Record.deleted.is_(False))
        .order_by(Record.id)
        .with_for_update()
    )
    if township_id:
        query = query.where(Record.township_id == township_id)
    count = 0
    for record in session.scalars(query):
        if not record.data.get("uploaded"):
            save_record(session, record, {**record.data, "uploaded": True})
            count += 1
    return count

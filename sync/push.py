"""Push: send the outbox to the platform in device order and apply the per-mutation results.

Each batch (≤ `protocol.MAX_BATCH` rows, sequence order) first has its rows' `attempts` incremented and
committed — from then on `app.changes` never coalesces a later edit into them, because the platform may already
hold them. The batch is sent with the same `mutation_id`s every time, so a resend after a cut link or a crash is
answered `duplicate` and nothing is applied twice. Results are applied in one transaction per batch:

* applied / duplicate → the outbox row is deleted, the record takes the platform's version, a transition's
  task event is marked synced;
* conflict → the fields that merged are acknowledged like an applied mutation; each conflicting field becomes a
  `Conflict` row. Officer-owned fields keep the local value until a person decides (kind "edit");
  platform-owned fields take the server's value and the conflict keeps the local one (kind "server_wins");
* rejected → the row is parked with the platform's reason for a person to see; it never blocks later rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import models as m
from app.entities import SPECS
from app.store import Store
from sync.local import ACTIVE_STATES, LIST_FIELDS, add_conflict, get_wire, set_wire
from sync.protocol import MAX_BATCH, Mutation, MutationBatch, MutationResult, MutationResults
from sync.transport import ProtocolError

Progress = Callable[[str, int, int], None]
OP_ALIASES = {"append": "create"}


@dataclass
class PushResult:
    pushed: int = 0
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0


def push(
    store: Store, api: Any, *, device_id: str, township_id: str | None = None, batch_size: int = MAX_BATCH,
    progress: Progress | None = None, result: PushResult | None = None,
) -> PushResult:
    """Send every pending outbox row (including rows a crash left half-sent) and apply the results.

    `township_id` (the signed-in team's) is added to created records whose local model has no such column
    (evidence): the platform files every created record under a township. Counts accumulate in `result`
    (when given) as batches are acknowledged, so a caller still sees them if a later batch fails."""
    result = result if result is not None else PushResult()
    batch_size = max(1, min(batch_size, MAX_BATCH))
    with store.read() as session:
        total = session.scalar(
            select(func.count()).select_from(m.OutboxEntry).where(m.OutboxEntry.state.in_(ACTIVE_STATES))
        ) or 0
    after = 0
    while True:
        api.check_cancel()
        seqs, mutations = _claim_batch(store, after, batch_size, township_id)
        if not seqs:
            break
        after = seqs[-1]
        if mutations:
            body = MutationBatch(device_id=device_id, mutations=mutations).model_dump(mode="json")
            results = api.call("POST", "/sync/mutations", MutationResults, json_body=body, idempotent=True)
            by_id = _index_results(results, mutations)
            with store.write() as session, session.no_autoflush:
                rows, _loaded = _preload(session, mutations)
                for mutation in mutations:
                    _apply_result(session, rows.get(mutation.mutation_id), mutation, by_id[mutation.mutation_id],
                                  result)
        result.pushed += len(mutations)
        if progress:
            progress("push", result.pushed, max(total, result.pushed))
    return result


def _claim_batch(
    store: Store, after: int, size: int, township_id: str | None = None
) -> tuple[list[int], list[Mutation]]:
    """The next rows after `after`: attempts += 1 committed before anything is sent. Rows that cannot form
    a valid mutation are parked at once."""
    seqs: list[int] = []
    mutations: list[Mutation] = []
    with store.write() as session:
        rows = session.scalars(
            select(m.OutboxEntry)
            .where(m.OutboxEntry.state.in_(ACTIVE_STATES), m.OutboxEntry.seq > after)
            .order_by(m.OutboxEntry.seq)
            .limit(size)
        ).all()
        for row in rows:
            seqs.append(row.seq)
            op = OP_ALIASES.get(row.op, row.op)
            data = row.payload
            if op == "create" and township_id and isinstance(data, dict) and not data.get("township_id"):
                data = {**data, "township_id": township_id}
            try:
                mutation = Mutation(
                    mutation_id=row.mutation_id, device_seq=row.seq, entity=row.entity,  # type: ignore[arg-type]  # outbox strings; pydantic checks the Literals
                    entity_id=row.entity_id, op=op, base_version=row.base_version, data=data,  # type: ignore[arg-type]  # outbox strings; pydantic checks the Literals
                )
            except PydanticValidationError:
                row.state = "parked"
                row.last_error = "本机记录格式不符合同步协议，未能提交。请联系管理员。"
                continue
            row.attempts += 1
            row.state = "pending"
            mutations.append(mutation)
    return seqs, mutations


def _index_results(results: MutationResults, sent: list[Mutation]) -> dict[str, MutationResult]:
    by_id = {r.mutation_id: r for r in results.results}
    if any(x.mutation_id not in by_id for x in sent):
        raise ProtocolError(code="results_incomplete")
    return by_id


def _preload(session: Session, mutations: list[Mutation]) -> tuple[dict[str, m.OutboxEntry], list[Any]]:
    """The batch's outbox rows by mutation id, and the records they touch (held by the caller, so that the
    session's weak identity map keeps them)."""
    loaded: list[Any] = []
    ids: dict[str, set[str]] = {}
    for mutation in mutations:
        ids.setdefault(mutation.entity, set()).add(mutation.entity_id)
    for entity, keys in ids.items():
        model: Any = SPECS[entity].model
        pk = model.__table__.primary_key.columns.values()[0]
        loaded.extend(session.scalars(select(model).where(pk.in_(sorted(keys)))).all())
    rows = session.scalars(
        select(m.OutboxEntry).where(m.OutboxEntry.mutation_id.in_([x.mutation_id for x in mutations]))
    )
    return {row.mutation_id: row for row in rows}, loaded


def _apply_result(
    session: Session, row: m.OutboxEntry | None, mutation: Mutation, res: MutationResult, out: PushResult
) -> None:
    if row is None:
        return
    if res.status == "rejected":
        out.rejected += 1
        row.state = "parked"
        reason = res.reason or "平台拒绝了这项修改"
        row.last_error = f"{reason}（{res.code}）" if res.code else reason
        if mutation.entity == "case" and mutation.op == "transition":
            _withdraw_case_step(session, mutation)
        return
    if res.status == "applied":
        out.applied += 1
    elif res.status == "duplicate":
        out.duplicates += 1
    _acknowledge(session, mutation, res.version)
    if res.status == "conflict":
        out.conflicts += 1
        _record_conflicts(session, mutation, res)
    session.delete(row)


def _acknowledge(session: Session, mutation: Mutation, version: int | None) -> None:
    spec = SPECS.get(mutation.entity)
    if spec is None:
        return
    obj = session.get(spec.model, mutation.entity_id)
    if obj is None:
        return
    if version and "version" in spec.model.__table__.columns and mutation.entity not in (
        "catalogue_version", "matter_empowerment"
    ):
        obj.version = max(obj.version or 0, version)  # type: ignore[attr-defined]  # checked above: the table has a version column
    if mutation.op == "transition" and isinstance(mutation.data.get("event_id"), str):
        event = session.get(m.TaskEvent, mutation.data["event_id"])
        if event is not None:
            event.synced = True


def _withdraw_case_step(session: Session, mutation: Mutation) -> None:
    """A case step the platform refused leaves the case's events (the case shows its lawful stage again); the
    parked outbox row keeps the step and the platform's reason for a person to see."""
    case = session.get(m.Case, mutation.entity_id)
    event = mutation.data.get("event")
    if case is None or not isinstance(event, dict):
        return
    kept = [e for e in case.events or [] if e.get("id") != event.get("id")]
    if len(kept) != len(case.events or []):
        case.events = kept
        case.status = kept[-1]["to_status"] if kept else case.status


def _record_conflicts(session: Session, mutation: Mutation, res: MutationResult) -> None:
    spec = SPECS[mutation.entity]
    obj = session.get(spec.model, mutation.entity_id)
    fields = mutation.data.get("fields") or {}
    base = mutation.data.get("base") or {}
    for name, server_value in (res.server or {}).items():
        local = (res.yours or {}).get(name, fields.get(name))
        kind = "server_wins" if name in spec.platform_fields else "edit"
        if obj is not None and (name in spec.model.__table__.columns or name in LIST_FIELDS):
            local = get_wire(obj, name)  # what the record shows now (a later edit may be queued behind)
            if kind == "server_wins":
                set_wire(session, obj, name, server_value)
        add_conflict(
            session, None, entity=mutation.entity, entity_id=mutation.entity_id, field_name=name, kind=kind,
            base=base.get(name), local=local, server=server_value, server_version=res.version or 0,
        )

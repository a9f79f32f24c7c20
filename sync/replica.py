"""Replica check after a pull: compare this laptop's checksums with the platform's and repair what differs.

The platform publishes, at its visible head, a checksum per scope (township × entity) of the records the
caller's feed holds (`GET /sync/checksums`, see sync.server.checksums); scopes add up to one sum per entity.
When the head equals this laptop's cursor the sums must agree with `app.replica.local_sums`. An entity that
differs — a record removed, or its version changed, outside the app — is re-fetched whole (`GET /sync/scope`,
paged by id) and applied like feed pages (`pull.apply_page`, which keeps pending local work), then local records
of that entity the platform did not send and that carry no local work are removed (`pull.sweep`). Outbox rows
are never touched. The outcome is stored (`app.replica.CHECK_KEY`) for `verify` and the diagnostics.

What (id, version) sums cannot see: a record's fields edited in place with its version kept. Those are the
audit chain's business (`verify`), not the replica check's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app import replica
from app.rules.checksum import CHECKSUM_MOD
from app.store import Store
from sync import state
from sync.local import feed_write, open_conflicts, pending_work
from sync.protocol import ENTITY_NAMES, MAX_PAGE, Checksums, ScopePage
from sync.pull import apply_page, sweep
from sync.transport import ProtocolError


@dataclass
class ReplicaCheck:
    at: str
    cursor: int
    status: str = "ok"  # ok / repaired / differs / skipped
    entities: int = 0
    repaired: dict[str, int] = field(default_factory=dict)  # entity → records re-fetched
    differs: dict[str, str] = field(default_factory=dict)  # entity → why it still differs (Chinese)
    seconds: float = 0.0


def due(store: Store, interval: timedelta) -> bool:
    """A check is due when none succeeded yet or the last one is older than `interval` (both sides sum every
    record: ~1.6 s at 100k tasks on a loaded 2-core machine, too much for every incremental pull)."""
    with store.read() as session:
        last = replica.last_check(session)
    if not last or last.get("status") not in ("ok", "repaired"):
        return True
    try:
        return datetime.now(UTC) - datetime.fromisoformat(last["at"]) >= interval
    except (KeyError, ValueError, TypeError):
        return True


def check(store: Store, api: Any, *, repair: bool = True, limit: int = MAX_PAGE) -> ReplicaCheck:
    """Compare at the current cursor; re-fetch differing entities when `repair`. Network errors propagate."""
    started = datetime.now(UTC)
    with store.read() as session:
        cursor = state.cursor(session)
    remote: Checksums = api.call("GET", "/sync/checksums", Checksums, params={"cursor": cursor})
    result = ReplicaCheck(at=started.isoformat(timespec="seconds"), cursor=cursor)
    if remote.cursor != cursor:  # the platform moved on since this pull: the sums are not comparable now
        result.status = "skipped"
        return _save(store, result, started)
    platform = _by_entity(remote)
    local = _local(store)
    result.entities = len(ENTITY_NAMES)
    for entity in ENTITY_NAMES:
        if _same(entity, local.get(entity), platform.get(entity)):
            continue
        if not repair:
            result.differs[entity] = _why(local.get(entity), platform.get(entity))
            continue
        api.check_cancel()
        fetched = _refetch(store, api, entity, limit)
        again = _local(store, [entity]).get(entity)
        if _same(entity, again, platform.get(entity)):
            result.repaired[entity] = fetched
        else:
            result.differs[entity] = _why(again, platform.get(entity)) + "（本机有尚未上传的修改，上传后会一致）"
    result.status = "differs" if result.differs else ("repaired" if result.repaired else "ok")
    return _save(store, result, started)


def _by_entity(remote: Checksums) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for scope, s in remote.scopes.items():
        entity = scope.rsplit("/", 1)[-1]
        acc = out.setdefault(entity, {"count": 0, "checksum": 0, "ids": 0})
        acc["count"] += s.count
        acc["checksum"] = (acc["checksum"] + s.checksum) % CHECKSUM_MOD
        acc["ids"] = (acc["ids"] + s.ids) % CHECKSUM_MOD
    return out


def _local(store: Store, entities: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Local sums without the records the platform cannot have: unacknowledged creates, kept deletions."""
    with store.read() as session:
        exclude = {key for key, p in pending_work(session, include_parked=True).items() if p.create}
        exclude |= {key for key, fields in open_conflicts(session).items()
                    if any(c.kind == "deleted" for c in fields.values())}
        return replica.local_sums(session, entities, exclude)


def _same(entity: str, local: dict[str, int] | None, platform: dict[str, int] | None) -> bool:
    empty = {"count": 0, "checksum": 0, "ids": 0}
    a, b = local or empty, platform or empty
    key = "checksum" if replica.versioned(entity) else "ids"
    return a["count"] == b["count"] and a[key] == b[key]


def _why(local: dict[str, int] | None, platform: dict[str, int] | None) -> str:
    n_local = (local or {}).get("count", 0)
    n_platform = (platform or {}).get("count", 0)
    return f"本机 {n_local} 条，平台 {n_platform} 条" + ("，版本不同" if n_local == n_platform else "")


def _refetch(store: Store, api: Any, entity: str, limit: int) -> int:
    """Apply every current record of `entity` from the platform, then drop local ones it did not send."""
    seen: set[tuple[str, str]] = set()
    after, n = "", 0
    while True:
        page: ScopePage = api.call("GET", "/sync/scope", ScopePage,
                                   params={"entity": entity, "after": after, "limit": limit})
        if any(c.entity != entity or c.op != "upsert" for c in page.changes):
            raise ProtocolError(code="scope_mismatch")
        with feed_write(store) as session:
            apply_page(session, page.changes, seen)
        n += len(page.changes)
        if page.next_after is None or not page.changes:
            break
        after = page.next_after
    with feed_write(store) as session:
        sweep(session, seen, [entity])
    return n


def _save(store: Store, result: ReplicaCheck, started: datetime) -> ReplicaCheck:
    result.seconds = round((datetime.now(UTC) - started).total_seconds(), 3)
    with store.write() as session:
        state.put(session, replica.CHECK_KEY, json.dumps(asdict(result), ensure_ascii=False))
    return result

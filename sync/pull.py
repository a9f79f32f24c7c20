"""Pull: read the platform's change feed from the stored cursor and apply it, page by page.

Each page is validated as a whole (`protocol.ChangesPage`) and then applied together with its `next_cursor` in
one write transaction, so a crash between pages loses nothing and re-applying a page is harmless (changes are
full records, applied idempotently). Local work still waiting for the platform is kept:

* officer-owned fields that a pending update changes (or that have an open same-field conflict) keep the local
  value; a task with pending transitions keeps its local status (the platform's events are still merged in);
* platform-owned fields: the server wins; if a pending local update had changed one (a leader's assignment) to
  a different value, a `server_wins` conflict keeps the local value for a person to see;
* a delete removes the local record unless it has pending or parked work or an open conflict (then the record
  stays and a `deleted` conflict is recorded).

A `410 cursor_expired` starts a full resync from cursor 0 (flagged in `sync_state`, so a crash restarts it);
once the feed is read to the end, local records the platform no longer has and that carry no pending work are
removed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from app import models as m
from app.dbcommon import dbapi
from app.entities import SPECS, apply_wire
from app.foreground import FOREGROUND
from app.store import Store
from sync import state
from sync.bulk import insert_new
from sync.local import (
    Pending,
    add_conflict,
    feed_write,
    get_wire,
    open_conflicts,
    pending_work,
    same,
)
from sync.protocol import MAX_CURSOR, MAX_PAGE, Change, ChangesPage
from sync.transport import CursorExpired, ProtocolError

FULL_RESYNC = "full_resync"
Progress = Callable[[str, int, int], None]


@dataclass
class PullResult:
    pulled: int = 0
    pages: int = 0
    full_resync: bool = False
    removed: int = 0
    entities: set[str] = field(default_factory=set)  # what the applied pages (and a sweep) changed


def pull(
    store: Store, api: Any, *, limit: int = MAX_PAGE, progress: Progress | None = None,
    result: PullResult | None = None,
) -> PullResult:
    """Apply every change after the stored cursor (a full resync after a 410); counts accumulate in `result`."""
    result = result if result is not None else PullResult()
    with store.read() as session:
        resync = state.get(session, FULL_RESYNC) == "1"
        cursor = state.cursor(session)
    if not resync:
        try:
            _pull_pages(store, api, cursor, limit, progress, result, None)
            return result
        except CursorExpired:
            pass
    return _full_resync(store, api, limit, progress, result)


def _full_resync(store: Store, api: Any, limit: int, progress: Progress | None, result: PullResult) -> PullResult:
    result.full_resync = True
    with store.write() as session:
        state.put(session, FULL_RESYNC, "1")
        state.set_cursor(session, 0)
    seen: set[tuple[str, str]] = set()
    _pull_pages(store, api, 0, limit, progress, result, seen)
    with feed_write(store) as session:
        result.removed = sweep(session, seen)
        state.delete(session, FULL_RESYNC)
    if result.removed:
        result.entities.update(SPECS)  # a sweep may remove a record of any entity
    return result


def _pull_pages(
    store: Store, api: Any, cursor: int, limit: int, progress: Progress | None, result: PullResult,
    seen: set[tuple[str, str]] | None,
) -> None:
    """Fetch page N+1 on a helper thread while page N is applied; a page is applied only after its
    predecessor committed, so an error (or a cancel) leaves the cursor at the last applied page."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lxt-pull") as pool:
        ahead = pool.submit(_fetch, api, cursor, limit)
        while True:
            page = ahead.result()
            check_cursor(page, cursor)
            if page.has_more:
                ahead = pool.submit(_fetch, api, page.next_cursor, limit)
            api.check_cancel()
            FOREGROUND.give_way()
            with feed_write(store, durable=not page.has_more) as session:
                apply_page(session, page.changes, seen)
                state.set_cursor(session, page.next_cursor)
            result.pulled += len(page.changes)
            result.entities.update(c.entity for c in page.changes)
            result.pages += 1
            cursor = page.next_cursor
            if progress:
                progress("pull", result.pulled, 0 if page.has_more else result.pulled)
            if not page.has_more:
                return


def check_cursor(page: ChangesPage, cursor: int) -> None:
    """Refuse a page whose cursor cannot be true: backwards, stuck while "more" is promised, beyond the head the
    platform advertises, or beyond any 64-bit sequence. The stored cursor is then left as it was."""
    if page.next_cursor < cursor or (page.has_more and page.next_cursor == cursor):
        raise ProtocolError(code="cursor_backwards")
    if page.next_cursor > MAX_CURSOR or (page.head is not None and page.next_cursor > page.head):
        raise ProtocolError("平台返回的同步位置超出了平台自身的最新位置，已拒绝；本机同步位置保持不变。",
                            code="cursor_beyond_head")


def _fetch(api: Any, cursor: int, limit: int) -> ChangesPage:
    api.check_cancel()
    page: ChangesPage = api.call("GET", "/sync/changes", ChangesPage, params={"cursor": cursor, "limit": limit})
    return page


def apply_page(session: Session, changes: list[Change], seen: set[tuple[str, str]] | None = None) -> None:
    """Apply validated changes inside the caller's transaction; bad record data raises ProtocolError."""
    latest: dict[tuple[str, str], Change] = {}
    for change in changes:  # a later change of the same record supersedes an earlier one
        latest.pop((change.entity, change.id), None)
        latest[(change.entity, change.id)] = change
    pending = pending_work(session, include_parked=True)
    conflicts = open_conflicts(session)
    try:
        with session.no_autoflush:
            local = _preload(session, latest.values())  # held: the identity map keeps weak references only
            fresh = [c for key, c in latest.items()
                     if c.op == "upsert" and key not in local and key not in pending and key not in conflicts]
            insert_new(session, fresh)
            for key, change in latest.items():
                FOREGROUND.give_way()  # between records: the GUI's refresh is not kept waiting (app.foreground)
                if change.op == "delete":
                    _delete(session, local.get(key), change, pending.get(key), conflicts)
                    continue
                if seen is not None:
                    seen.add(key)
                if key in local or key in pending or key in conflicts:
                    _upsert(session, local.get(key), change, pending.get(key), conflicts)
        session.flush()
    except (KeyError, ValueError, TypeError, AttributeError, SQLAlchemyError) as exc:
        raise ProtocolError(code="bad_record") from exc


def _preload(session: Session, changes: Any) -> dict[tuple[str, str], Any]:
    """The page's records that exist locally, loaded with one query per entity."""
    ids: dict[str, list[str]] = {}
    for change in changes:
        ids.setdefault(change.entity, []).append(change.id)
    found: dict[tuple[str, str], Any] = {}
    for entity, wanted in ids.items():
        model: Any = SPECS[entity].model
        pk = model.__table__.primary_key.columns.values()[0]
        keys = existing_ids(session, model.__table__.name, pk.name, wanted)
        if not keys:  # the usual case of a first pull: no ORM query to compile at all
            continue
        query = select(model).where(pk.in_(keys))
        if model is m.Task:
            query = query.options(
                selectinload(m.Task.assignees), selectinload(m.Task.matters), selectinload(m.Task.events)
            )
        for obj in session.scalars(query):
            found[(entity, str(getattr(obj, pk.key)))] = obj
    return found


def existing_ids(session: Session, table: str, column: str, ids: list[str]) -> list[str]:
    """Which of `ids` are in `table` — one statement with one JSON parameter, whatever the number of ids
    (an `IN` of 2000 bind parameters costs more to compile than to run)."""
    sql = f'SELECT "{column}" FROM "{table}" WHERE "{column}" IN (SELECT value FROM json_each(?))'
    cur = dbapi(session).cursor()
    try:
        return [row[0] for row in cur.execute(sql, (json.dumps(ids),))]
    finally:
        cur.close()


def _upsert(
    session: Session, obj: Any, change: Change, pend: Pending | None, conflicts: dict[tuple[str, str], Any]
) -> None:
    if change.data is None:
        raise ValueError("upsert without data")
    data = dict(change.data)
    spec = SPECS[change.entity]
    key = (change.entity, change.id)
    if obj is not None:
        keep: set[str] = set()
        if pend is not None:
            for name in pend.fields:
                if name in spec.platform_fields:
                    if name in data and not same(get_wire(obj, name), data[name]):
                        add_conflict(
                            session, conflicts, entity=change.entity, entity_id=change.id, field_name=name,
                            kind="server_wins", base=None, local=get_wire(obj, name), server=data[name],
                            server_version=change.version,
                        )
                else:
                    keep.add(name)
        for name, conflict in conflicts.get(key, {}).items():
            if conflict.kind != "edit":
                continue
            keep.add(name)
            if name in data and not same(conflict.server_value, data[name]):
                conflict.server_value = data[name]
                conflict.server_version = max(conflict.server_version, change.version)
        for name in keep:
            data.pop(name, None)
    apply_wire(session, change.entity, change.id, change.version, data)


def _delete(
    session: Session, obj: Any, change: Change, pend: Pending | None, conflicts: dict[tuple[str, str], Any]
) -> None:
    if obj is None:
        return
    if pend is not None or conflicts.get((change.entity, change.id)):
        add_conflict(
            session, conflicts, entity=change.entity, entity_id=change.id, field_name="*", kind="deleted",
            base=None, local=None, server=None, server_version=change.version,
        )
        return
    session.delete(obj)


def sweep(session: Session, seen: set[tuple[str, str]], entities: list[str] | None = None) -> int:
    """After a full resync (or a re-fetch of some `entities`, sync.replica): remove local records the platform
    no longer sent and that carry no local work."""
    pending = pending_work(session, include_parked=True)
    conflicts = open_conflicts(session)
    removed = 0
    for name in entities or list(SPECS):
        model: Any = SPECS[name].model
        pk = model.__table__.primary_key.columns.values()[0]
        unseen = [k for k in session.scalars(select(pk)) if (name, str(k)) not in seen]
        for start in range(0, len(unseen), 500):
            for obj in session.scalars(select(model).where(pk.in_(unseen[start:start + 500]))).all():
                removed += _sweep_one(session, name, str(getattr(obj, pk.key)), obj, pending, conflicts)
    return removed


def _sweep_one(session: Session, name: str, entity_id: str, obj: Any, pending: dict[Any, Pending],
               conflicts: dict[Any, Any]) -> int:
    key = (name, entity_id)
    pend = pending.get(key)
    if pend is None and key not in conflicts:
        session.delete(obj)
        return 1
    if pend is not None and not pend.create and getattr(obj, "version", None):
        add_conflict(  # the platform had it and dropped it while this laptop still has work on it
            session, conflicts, entity=name, entity_id=entity_id, field_name="*", kind="deleted",
            base=None, local=None, server=None, server_version=0,
        )
    return 0

"""Bulk insert of records that are new to this laptop (the bulk of a first pull) at `executemany` speed.

The values are checked as `app.entities.apply_wire` checks them (`decode_field`'s time and date rules, the
version rule, a task's assignees, matters and events) and go straight to their stored form — wire times and
dates by `_wire_to_stored`, everything else by each column type's own SQLAlchemy bind processor (looked up once
per column) — and written with one DB-API `executemany` per table and shape of row: no ORM objects, no per-row
statement compilation. Columns a row does not carry get their
Python-side default, as a Core insert would give them.

Core inserts bypass the ORM flush hooks, so the one such hook there is — the full-text index of tasks, targets
and findings (`app.search`) — is fed by queueing the new ids (`search.enqueue`); `search.drain` indexes them
after the pull in transactions of its own. Records that already exist locally, or that carry local work,
always take the ORM path (`apply_wire`) instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Date, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app import models as m
from app import search
from app.dbcommon import dbapi
from app.entities import SPECS
from app.foreground import FOREGROUND
from app.models.base import UTCDateTime, VersionedMixin, new_id
from app.task_events import TaskEventWire
from sync.protocol import Change

INDEXED = {"task": "task", "target": "target", "finding": "finding"}


def insert_new(session: Session, changes: Iterable[Change]) -> int:
    """Insert upserts of records absent from the local store; returns how many. Bad data raises."""
    by_entity: dict[str, list[Change]] = {}
    for change in changes:
        by_entity.setdefault(change.entity, []).append(change)
    conn = session.connection()
    dialect = conn.dialect
    cur = dbapi(session).cursor()
    queued: list[tuple[str, str]] = []
    try:
        count = 0
        for entity, group in by_entity.items():
            model: Any = SPECS[entity].model
            table = model.__table__
            pk = table.primary_key.columns.values()[0].key
            rows = []
            for change in group:
                FOREGROUND.give_way()  # a save's refresh of the views is not kept waiting (app.foreground)
                rows.append(_row(model, change, pk))
            executemany(cur, dialect, table, rows, stored=_split(model)[1])
            if model is m.Task:
                children: dict[Any, list[dict[str, Any]]] = {}
                for change in group:
                    _task_children(change, children)
                for child_table, child_rows in children.items():
                    executemany(cur, dialect, child_table, child_rows)
            if entity in INDEXED:
                queued.extend((INDEXED[entity], r[pk]) for r in rows)
            count += len(group)
    finally:
        cur.close()
    search.enqueue(session, queued)
    return count


@dataclass(frozen=True)
class _Column:
    name: str
    bind: Callable[[Any], Any] | None
    default: Callable[[], Any] | None


@cache
def _columns_of(table: Table, dialect_name: str, dialect: Dialect) -> dict[str, _Column]:
    out: dict[str, _Column] = {}
    for col in table.columns:
        default: Callable[[], Any] | None = None
        spec: Any = col.default
        if spec is not None and not col.primary_key:
            if spec.is_callable:  # SQLAlchemy wraps a zero-argument default as fn(context)
                default = partial(spec.arg, None)
            elif spec.is_scalar:
                default = partial(_constant, spec.arg)
        out[col.key] = _Column(col.name, col.type._cached_bind_processor(dialect), default)
    return out


def _constant(value: Any) -> Any:
    return value


def executemany(cur: Any, dialect: Dialect, table: Table, rows: list[dict[str, Any]],
                stored: frozenset[str] = frozenset()) -> None:
    """INSERT `rows` (column key → Python value, or the stored value for the keys in `stored`) with one
    `executemany` per shape of row."""
    if not rows:
        return
    cols = _columns_of(table, dialect.name, dialect)
    shapes: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(frozenset(row), []).append(row)
    for keys, group in shapes.items():
        given = [cols[k] for k in sorted(keys)]
        defaulted = [c for k, c in cols.items() if k not in keys and c.default is not None]
        names = ", ".join(f'"{c.name}"' for c in given + defaulted)
        marks = ", ".join("?" * (len(given) + len(defaulted)))
        given_keys = sorted(keys)
        getter = itemgetter(*given_keys)
        binds = [(i, c.bind) for i, (k, c) in enumerate(zip(given_keys, given, strict=True))
                 if k not in stored and c.bind is not None]
        if len(given_keys) == 1:
            params: list[Any] = [[getter(row)] for row in group]
        elif binds or defaulted:
            params = [list(getter(row)) for row in group]
        else:  # every value already in its stored form: the tuples go to SQLite as they are
            params = [getter(row) for row in group]
        if binds or defaulted:
            for values in params:
                for i, bind in binds:
                    if values[i] is not None:
                        values[i] = bind(values[i])
                for c in defaulted:
                    v = c.default()  # type: ignore[misc]  # `defaulted` keeps only columns whose default is set
                    values.append(v if c.bind is None or v is None else c.bind(v))
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
        dbapi: Any = dialect.loaded_dbapi  # sqlcipher3 (or sqlite3): its own exception classes
        try:
            cur.executemany(sql, params)
        except dbapi.OperationalError as exc:  # disk full, busy …: the store's own error path
            raise OperationalError(sql, None, exc) from exc
        except dbapi.Error as exc:  # a constraint the platform's data broke: bad data, like a ValueError
            raise ValueError(f"{table.name}: {exc}") from exc


@cache
def _split(model: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(plain columns, time and date columns): the plain ones are stored as the wire has them."""
    pk = model.__table__.primary_key.columns.values()[0].key
    own = {pk, "version"} if issubclass(model, VersionedMixin) else {pk}  # set by `_row` itself
    keys = frozenset(c.key for c in model.__table__.columns) - own
    typed = frozenset(c.key for c in model.__table__.columns if isinstance(c.type, (UTCDateTime, Date)))
    return keys - typed, typed & keys


@cache
def _typed_of(model: Any) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """The time and date columns of `model` with their wire → stored conversion."""
    return tuple((key, _wire_to_stored(model, key)) for key in sorted(_split(model)[1]))


@cache
def _wire_to_stored(model: Any, key: str) -> Callable[[Any], Any]:
    """Wire text → the stored form of a time or date column, with the checks of `decode_field` (an aware
    time; a valid date) and the text SQLAlchemy's SQLite types store ("YYYY-MM-DD HH:MM:SS.ffffff", naive
    UTC; "YYYY-MM-DD"). tests/sync/test_bulk.py compares it with the ORM path."""
    if isinstance(model.__table__.columns[key].type, UTCDateTime):
        return _stored_time
    return _stored_date


def _canonical(value: str) -> bool:
    """The separators of "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" in their places (the digits are fromisoformat's)."""
    return (value[4] == value[7] == "-" and value[10] == "T" and value[13] == value[16] == ":"
            and value[19] == ".")


def _stored_time(value: Any) -> str | None:
    if value is None:
        return None
    dt = datetime.fromisoformat(value)  # the check, whatever the shape
    if len(value) == 32 and value.endswith("+00:00") and _canonical(value):
        return value[:10] + " " + value[11:26]  # already UTC with microseconds: the stored text is a slice
    if dt.tzinfo is None:
        raise ValueError("time without timezone")
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _stored_date(value: Any) -> str | None:
    return None if value is None else date.fromisoformat(value).isoformat()


def _row(model: Any, change: Change, pk: str) -> dict[str, Any]:
    data = change.data
    if data is None:
        raise ValueError("upsert without data")
    plain = _split(model)[0]
    row = {key: value for key, value in data.items() if key in plain}
    for key, to_stored in _typed_of(model):
        if key in data:
            row[key] = to_stored(data[key])
    if issubclass(model, VersionedMixin):  # the sync version travels beside the data
        row[pk] = change.id
        row["version"] = change.version
    else:  # as apply_wire: the record's own key (a catalogue edition's is its "version" column)
        row[pk] = data.get(pk, change.id)
    return row


def _task_children(change: Change, children: dict[Any, list[dict[str, Any]]]) -> None:
    data = change.data or {}
    assignees = children.setdefault(m.TaskAssignee.__table__, [])
    for officer_id in sorted(set(data.get("assignee_ids") or [])):
        assignees.append({"id": new_id(), "task_id": change.id, "officer_id": officer_id})
    matters = children.setdefault(m.TaskMatter.__table__, [])
    for code in sorted(set(data.get("matter_codes") or [])):
        matters.append({"id": new_id(), "task_id": change.id, "matter_code": code})
    events = children.setdefault(m.TaskEvent.__table__, [])
    for ev in data.get("events") or []:
        events.append(TaskEventWire.parse(ev).row(change.id))

"""The bulk insert of a first pull (sync.bulk, raw executemany) stores exactly what the ORM path stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.entities import SPECS, apply_wire, to_wire
from app.models.base import VersionedMixin
from app.paths import DataPaths
from app.store import Store
from sync.bulk import insert_new
from sync.local import feed_write
from sync.protocol import Change
from sync.transport import ProtocolError
from tests.sync.helpers import Laptop

CHILD_TABLES = ("task_assignees", "task_matters")  # their own row ids are made locally (new_id) either way


def _changes(lap: Laptop) -> list[Change]:
    out: list[Change] = []
    with lap.store.read() as s:
        for name, spec in SPECS.items():
            model: Any = spec.model
            pk = model.__table__.primary_key.columns.values()[0]
            for obj in s.scalars(select(model)):
                version = obj.version if isinstance(obj, VersionedMixin) else 1
                out.append(Change(entity=name, id=str(getattr(obj, pk.key)), version=max(1, version or 1),
                                  op="upsert", data=to_wire(obj)))
    return out


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = [spec.model.__table__.name for spec in SPECS.values()] + ["task_events", *CHILD_TABLES]
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.read() as s:
        for name in tables:
            rows = s.execute(text(f'SELECT * FROM "{name}"'))
            keys = list(rows.keys())
            drop = {keys.index("id")} if name in CHILD_TABLES else set()
            out[name] = sorted(tuple(v for i, v in enumerate(r) if i not in drop) for r in rows)
    return out


def test_bulk_rows_equal_orm_rows(offline_laptop: Laptop, tmp_path: Path) -> None:
    changes = _changes(offline_laptop)
    assert len(changes) > 100
    bulk = Store.open(DataPaths(tmp_path / "bulk"))
    orm = Store.open(DataPaths(tmp_path / "orm"))
    try:
        with feed_write(bulk) as s:
            assert insert_new(s, changes) == len(changes)
        with feed_write(orm) as s:
            for c in changes:
                apply_wire(s, c.entity, c.id, c.version, dict(c.data or {}))
        got, want = _dump(bulk), _dump(orm)
        assert got.keys() == want.keys()
        for name in want:
            assert got[name] == want[name], name
        assert sum(len(v) for v in want.values()) >= len(changes)
    finally:
        bulk.close()
        orm.close()


@pytest.mark.parametrize("bad", [{"deadline": "明天下午"}, {"deadline": "2026-03-10T17:00:00"}, {"number": None}])
def test_bad_wire_values_raise_and_leave_nothing(offline_laptop: Laptop, tmp_path: Path, bad: dict[str, Any]) -> None:
    task = next(c for c in _changes(offline_laptop) if c.entity == "task")
    broken = task.model_copy(update={"data": {**(task.data or {}), **bad}})
    store = Store.open(DataPaths(tmp_path / "s"))
    try:
        with pytest.raises((ValueError, ProtocolError)), feed_write(store) as s:
            insert_new(s, [broken])
        with store.read() as s:
            assert s.execute(text("SELECT count(*) FROM tasks")).scalar_one() == 0
    finally:
        store.close()


@pytest.mark.parametrize("wire", [
    "2026-12-03T12:31:50.641882+00:00",  # the platform's own form: stored by slicing
    "2026-12-03T12:31:50+00:00",  # no fraction
    "2026-12-03T20:31:50.641882+08:00",  # another offset
    "2026-12-03 12:31:50.641882+00:00",  # another separator
    "2026-W49-4T12:31:50.641882+00:00",  # an ISO week date of the same length as the platform's form
    "2026-12-31T23:59:59.999999-01:00",  # crosses into the next year in UTC
])
def test_stored_time_equals_the_orm_form(wire: str) -> None:
    from sqlalchemy.dialects import sqlite

    from app.entities import decode_field
    from app.models import Task
    from sync.bulk import _stored_time

    bind = Task.__table__.c.deadline.type._cached_bind_processor(sqlite.dialect())  # what the ORM path stores
    assert _stored_time(wire) == bind(decode_field(Task, "deadline", wire))


def test_stored_time_refuses_what_decode_field_refuses() -> None:
    from sync.bulk import _stored_time

    for bad in ("2026-12-03T12:31:50.641882", "2026-13-03T12:31:50.641882+00:00", "2026-12-03T12:31:50.64188x+00:00"):
        with pytest.raises(ValueError):
            _stored_time(bad)


def test_only_feed_pages_that_more_pages_follow_skip_the_fsync(tmp_path: Path) -> None:
    store = Store.open(DataPaths(tmp_path / "s"))

    def synchronous(s: Any) -> int:
        return int(s.execute(text("PRAGMA synchronous")).scalar_one())

    try:
        with feed_write(store, durable=False) as s:
            assert synchronous(s) == 1  # NORMAL: no WAL fsync at this commit
            s.execute(text("INSERT INTO sync_state(key, value) VALUES ('probe', '1')"))
        for _ in range(3):  # whichever pooled connection comes next is back to FULL
            with feed_write(store) as s:
                assert synchronous(s) == 2
            with store.write() as s:
                assert synchronous(s) == 2
            with store.read() as s:
                assert synchronous(s) == 2
                assert s.execute(text("SELECT value FROM sync_state WHERE key = 'probe'")).scalar_one() == "1"
    finally:
        store.close()

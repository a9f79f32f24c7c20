"""A store written by the previous release (schema revision 0001, kept as a fixture file) opens in this one:
a backup is taken first, the migrations run, and every row is intact and searchable."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from app import audit, search
from app.db.migrate import current_revision, head_revision
from app.db.probe import has_plain_header
from app.models import Base, OutboxEntry, Target, Task, TaskEvent
from app.paths import DataPaths
from app.store import Store
from tests.support.rawdb import raw_connect

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.0-rev0001.db"


def _counts(db: Path) -> dict[str, int]:
    con = raw_connect(db)
    try:
        names = [r[0] for r in con.execute("select name from sqlite_master where type='table' and name not like "
                                           "'sqlite_%' and name not like 'search_%' and name != 'alembic_version'")]
        return {n: con.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def test_previous_release_store_upgrades_intact(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir(parents=True)
    shutil.copy(FIXTURE, paths.db)
    before = _counts(paths.db)
    assert before["tasks"] == 120 and before["audit_events"] == 3

    store = Store.open(paths)  # encrypts the plaintext file first, then migrates the encrypted store
    try:
        assert not has_plain_header(paths.db) and not has_plain_header(store.backup_path)
        assert current_revision(store.engine) == head_revision()
        assert store.backup_path is not None
        assert _counts(store.backup_path) == before  # the backup is the old file, whole
        after = _counts(paths.db)
        kept = {k: v for k, v in after.items() if k in before and k != "sync_state"}
        assert kept == {k: v for k, v in before.items() if k != "sync_state"}  # the migration lost nothing
        assert after["sync_state"] >= before["sync_state"]  # + the audit chain's id and keyed start
        assert all(after[k] == 0 for k in after.keys() - before.keys())  # tables added by later releases
        with store.read() as s:
            assert audit.verify_chain(s).ok
            for mapper in Base.registry.mappers:  # every row of every table opens through today's models
                rows = s.scalars(select(mapper.class_)).all()
                assert len(rows) == after[mapper.local_table.name]
            assert s.scalar(select(func.count()).select_from(TaskEvent)) == before["task_events"]
            assert s.scalars(select(OutboxEntry)).one().payload["fields"]["notes"] == "旧版本写入的备注0"
            some_task = s.scalars(select(Task).order_by(Task.id).limit(1)).one()
            word = some_task.title[2:4]
            assert some_task.id in search.search_ids(s, "task", word)
            target = s.scalars(select(Target).limit(1)).one()
            assert target.id in search.search_ids(s, "target", target.name[-4:])
    finally:
        store.close()
    con = raw_connect(store.backup_path)
    assert con.execute("select version_num from alembic_version").fetchone()[0] == "0001"
    con.close()

"""Alembic at start-up: first revision → head keeps every row; a backup is taken; newer schemas are refused."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import search
from app.db.engine import make_engine
from app.db.migrate import HEAD_REVISION, current_revision, head_revision, upgrade
from app.errors import StoreError
from app.models import Target, Task, Township
from app.paths import DataPaths
from app.store import Store
from tests.support.rawdb import raw_connect


def _fill_first_revision(paths: DataPaths) -> None:
    paths.ensure()
    engine = make_engine(paths.db)
    upgrade(engine, None, None, target="0001")
    assert current_revision(engine) == "0001"
    with Session(engine) as s, s.begin():
        s.add(Township(id="xd", name="新登镇", mode="empowered", legal_name="杭州市富阳区新登镇人民政府",
                       seal_name="新登镇人民政府", number_prefix="新登镇综执", team_name="综合行政执法队"))
        s.flush()
        s.add(Target(id="tg1", name="富阳区新登镇老王餐饮店", kind="个体工商户", township_id="xd",
                     address="新登镇城南路1号"))
        for i in range(50):
            s.add(Task(id=f"t{i}", number=f"FYZH-2026-{i:06d}", title=f"关于餐饮油烟扰民投诉的核查指令{i}",
                       task_type="核查", source="投诉举报", township_id="xd", target_id="tg1",
                       deadline=datetime(2026, 12, 1, tzinfo=UTC)))
    engine.dispose()


def test_first_revision_to_head_keeps_every_row(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "d")
    _fill_first_revision(paths)
    store = Store.open(paths)
    try:
        assert current_revision(store.engine) == head_revision()
        assert store.backup_path is not None and store.backup_path.exists()
        with store.read() as s:
            tasks = s.scalars(select(Task).order_by(Task.id)).all()
            assert len(tasks) == 50
            assert {t.title for t in tasks} == {f"关于餐饮油烟扰民投诉的核查指令{i}" for i in range(50)}
            assert s.get(Target, "tg1").name == "富阳区新登镇老王餐饮店"
            assert len(search.search_ids(s, "task", "油烟")) == 50  # 0002 indexed the existing rows
            assert search.search_ids(s, "target", "餐饮") == ["tg1"]
        backup = raw_connect(store.backup_path)
        assert backup.execute("select count(*) from tasks").fetchone()[0] == 50
        assert backup.execute("select version_num from alembic_version").fetchone()[0] == "0001"
        backup.close()
    finally:
        store.close()


def test_fresh_store_needs_no_backup(tmp_path: Path) -> None:
    store = Store.open(DataPaths(tmp_path / "fresh"))
    assert store.backup_path is None
    assert current_revision(store.engine) == head_revision()
    store.close()
    again = Store.open(DataPaths(tmp_path / "fresh"))  # already at head: no migration, no backup
    assert again.backup_path is None
    again.close()


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "newer")
    Store.open(paths).close()
    con = raw_connect(paths.db)
    con.execute("update alembic_version set version_num='9999_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = hashlib.sha256(paths.db.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "newer_schema"
    assert "更新版本" in err.value.message
    assert hashlib.sha256(paths.db.read_bytes()).hexdigest() == before
    assert not list(paths.backups.glob("*.db"))


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """Autogenerate against a store migrated to head finds nothing to do (no model change without a migration)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.models import Base

    store = Store.open(DataPaths(tmp_path / "cmp"))
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        store.close()
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("search_"))]
    assert diff == []


def test_head_constant_matches_the_scripts() -> None:
    """`HEAD_REVISION` is what lets a start skip Alembic: it must be the scripts' head (update it with each
    new migration)."""
    assert head_revision() == HEAD_REVISION


def test_an_up_to_date_store_opens_without_importing_alembic(tmp_path: Path, file_keyring: None) -> None:
    Store.open(DataPaths(tmp_path / "d")).close()  # first open: migrates (imports Alembic)
    code = (
        "import sys; from pathlib import Path; from app.paths import DataPaths; from app.store import Store; "
        f"s = Store.open(DataPaths(Path({str(tmp_path / 'd')!r}))); s.close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    store = Store.open(DataPaths(tmp_path / "d"))
    try:
        assert current_revision(store.engine) == HEAD_REVISION and store.backup_path is None
    finally:
        store.close()

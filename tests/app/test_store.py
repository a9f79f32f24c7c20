"""The SQLite store: pragmas, BEGIN IMMEDIATE writers, rollback on error, clear errors for bad data dirs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from app.errors import StoreError
from app.models import Township
from app.paths import DataPaths, resolve_data_dir
from app.store import Store


def _township(i: str = "t1") -> Township:
    return Township(
        id=i, name="新登镇", mode="empowered", legal_name="杭州市富阳区新登镇人民政府", seal_name="新登镇人民政府",
        number_prefix="新登镇综执", team_name="综合行政执法队",
    )


def test_pragmas(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_write_commits_and_exception_rolls_back(store: Store) -> None:
    with store.write() as s:
        s.add(_township("a"))
    with pytest.raises(RuntimeError), store.write() as s:
        s.add(_township("b"))
        s.flush()
        raise RuntimeError("boom")
    with store.read() as s:
        assert s.scalars(select(Township.id)).all() == ["a"]


def test_write_begins_immediate(store: Store) -> None:
    """A second writer waits for the first (no SQLITE_BUSY half-way through a transaction)."""
    order: list[str] = []
    first_in = threading.Event()

    def writer_one() -> None:
        with store.write() as s:
            s.add(_township("one"))
            s.flush()
            first_in.set()
            threading.Event().wait(0.3)
            order.append("one")

    t = threading.Thread(target=writer_one)
    t.start()
    first_in.wait(5)
    with store.write() as s:
        order.append("two")
        s.add(_township("two"))
    t.join()
    assert order == ["one", "two"]
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Township)) == 2


def test_foreign_keys_enforced(store: Store) -> None:
    from app.models import Grid

    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Grid(id="g", township_id="missing", code="1", name="x"))
    with store.read() as s:
        assert s.execute(text("select count(*) from grids")).scalar() == 0


def test_unwritable_data_dir_gives_chinese_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        blocker = tmp_path / "file"
        blocker.write_text("not a dir")
        paths = DataPaths(blocker / "data")
    else:  # pragma: no cover - non-root runs
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        paths = DataPaths(ro / "data")
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert "无法创建数据目录" in err.value.message


def test_data_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_data_dir(tmp_path / "x").root == (tmp_path / "x").resolve()
    monkeypatch.setenv("LXT_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(None).root == (tmp_path / "env").resolve()


def test_feed_write_skips_foreign_keys_for_that_transaction_only(store: Store) -> None:
    """The platform's feed may deliver a grid before its township; ordinary writes still check references."""
    from app.models import Grid

    with store.write(foreign_keys=False) as s:
        s.add(Grid(id="g", township_id="arrives-later", code="1", name="第1网格"))
    with pytest.raises(IntegrityError), store.write() as s:
        s.add(Grid(id="g2", township_id="missing", code="2", name="第2网格"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with store.read() as s:
        assert s.execute(text("select id from grids")).scalars().all() == ["g"]

"""The GUI start-up path over a damaged store: the Chinese message offers 从最新备份恢复; accepting restores the
newest backup (damaged file kept aside) and the store opens; declining leaves everything as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from app.db.migrate import backup_database, head_revision
from app.paths import DataPaths
from app.store import Store
from tests.support.factories import basic_district
from ui.main import open_store


@pytest.fixture
def damaged(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    store = Store.open(paths)
    basic_district(store)
    store.close()
    backup_database(paths.db, paths.backups, head_revision())
    paths.db.write_bytes(b"not a database" * 300)
    for side in ("-wal", "-shm"):
        paths.db.with_name(paths.db.name + side).unlink(missing_ok=True)
    return paths


def _answer(monkeypatch: pytest.MonkeyPatch, button_text: str, seen: list[str]) -> None:
    def exec_(box: QMessageBox) -> int:
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: seen.append(str(a[2])))


def test_accepting_the_offer_restores_and_opens(qapp: Any, damaged: DataPaths,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    _answer(monkeypatch, "从最新备份恢复", seen)
    store = open_store(damaged)
    assert store is not None
    store.close()
    assert "无法打开" in seen[0] and "备份" in seen[0]
    assert list(damaged.root.glob("lianxuntong.db.damaged-*"))


def test_declining_leaves_the_file(qapp: Any, damaged: DataPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    _answer(monkeypatch, "退出", seen)
    before = damaged.db.read_bytes()
    assert open_store(damaged) is None
    assert damaged.db.read_bytes() == before and not list(damaged.root.glob("lianxuntong.db.damaged-*"))

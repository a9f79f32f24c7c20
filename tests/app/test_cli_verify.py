"""`python -m lianxuntong verify` exits non-zero and names the damage when an audit row or an evidence byte changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.evidence_store import import_file
from app.paths import DataPaths
from app.services.tasks import TaskService
from app.store import Store
from tests.support.factories import OFFICER, basic_district
from tests.support.rawdb import raw_connect

ROOT = Path(__file__).resolve().parents[2]


def _verify(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lianxuntong", "verify", "--data-dir", str(data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def data_dir(tmp_path: Path, file_keyring: None) -> Path:
    paths = DataPaths(tmp_path / "data")
    store = Store.open(paths)
    basic_district(store)
    svc = TaskService(store, OFFICER)
    svc.apply("t0", "accept")
    svc.apply("t0", "start")
    svc.edit_text("t1", notes="现场核查中")
    f = tmp_path / "照片.jpg"
    f.write_bytes(b"\xff\xd8\xff" + b"evidence" * 500)
    import_file(store, f, actor=OFFICER.actor)
    store.close()
    return paths.root


def test_clean_store_verifies(data_dir: Path) -> None:
    res = _verify(data_dir)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "完好" in res.stdout


def test_altered_audit_row_is_named(data_dir: Path) -> None:
    con = raw_connect(data_dir / "lianxuntong.db")
    con.execute("update audit_events set actor='篡改者' where seq=2")
    con.commit()
    con.close()
    res = _verify(data_dir)
    assert res.returncode == 1
    assert "第 2 条" in res.stdout


def test_altered_evidence_byte_is_named(data_dir: Path) -> None:
    blob = next(p for p in (data_dir / "evidence").rglob("*") if p.is_file())
    data = bytearray(blob.read_bytes())
    data[100] ^= 0x01
    blob.write_bytes(bytes(data))
    res = _verify(data_dir)
    assert res.returncode == 4  # evidence damage
    assert blob.name in res.stdout and "已被改动" in res.stdout
    assert "原文件名「照片.jpg」" in res.stdout

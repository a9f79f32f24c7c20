"""`verify` checks everything: a damaged page (integrity_check), a dangling reference (foreign_key_check),
evidence named by its inspection, checklist item and original file name, orphan blobs reported, `--json`
machine-readable with the documented exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.evidence_store import blob_path
from app.inspections import InspectionService
from app.paths import DataPaths
from app.store import Store
from app.verify import EXIT_DATABASE, EXIT_EVIDENCE, run_verify
from tests.inspection.district import OFFICER, seed_district
from tests.support.rawdb import raw_connect

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def recorded(tmp_path: Path, file_keyring: None) -> tuple[DataPaths, str, str]:
    """A store with an inspection, a photo filed under a checklist item; returns (paths, sha, item text).
    The keyring is the file backend under the test's home, shared with the `python -m lianxuntong verify` child."""
    paths = DataPaths(tmp_path / "data")
    store = Store.open(paths)
    try:
        seed_district(store)
        svc = InspectionService(store, OFFICER)
        iid = svc.start_from_plan("p1")
        item = svc.load(iid).items[0]
        photo = tmp_path / "门头照片.jpg"
        photo.write_bytes(b"\xff\xd8\xff" + b"shopfront" * 300)
        eid, _dup = svc.import_evidence(iid, photo, item_key=item.key)
        with store.read() as s:
            from app.models import Evidence

            sha = s.get(Evidence, eid).sha256
        text = item.check_point if hasattr(item, "check_point") else str(item.key)
    finally:
        store.close()
    return paths, sha, text


def _run(paths: DataPaths) -> tuple[int, dict]:
    res = subprocess.run([sys.executable, "-m", "lianxuntong", "verify", "--json", "--data-dir", str(paths.root)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    return res.returncode, json.loads(res.stdout)


def test_intact_store_json(recorded: tuple[DataPaths, str, str]) -> None:
    code, data = _run(recorded[0])
    assert code == 0 and data["ok"] and data["exit_code"] == 0
    assert data["blobs"] == 1 and data["audit_rows"] > 0 and data["keyed_from"] == 1 and data["orphans"] == []


def test_damaged_evidence_is_named_by_its_record(recorded: tuple[DataPaths, str, str]) -> None:
    paths, sha, _text = recorded
    blob_path(paths.evidence, sha).write_bytes(b"replaced")
    store = Store.open(paths)
    try:
        result = run_verify(store)
    finally:
        store.close()
    assert result.exit_code == EXIT_EVIDENCE
    [problem] = result.problems
    assert "原文件名「门头照片.jpg」" in problem.message and "检查记录「" in problem.message
    assert "检查项「" in problem.message and sha in problem.message
    rec = problem.detail["records"][0]
    assert rec["original_name"] == "门头照片.jpg" and rec["checklist_item"]
    redacted = result.to_json(redact=True)  # the diagnostics bundle's form: no record names
    assert "门头照片" not in redacted and sha in redacted and rec["evidence_id"] in redacted


def test_dangling_reference_and_orphan_are_reported(recorded: tuple[DataPaths, str, str]) -> None:
    paths = recorded[0]
    con = raw_connect(paths.db)
    con.execute("update evidence set finding_id='no-such-finding'")
    con.commit()
    con.close()
    orphan = blob_path(paths.evidence, "c" * 64)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"nobody refers to me")
    code, data = _run(paths)
    assert code == EXIT_DATABASE
    assert any(p["kind"] == "foreign_key" and "findings" in p["message"] for p in data["problems"])
    assert data["orphans"] == ["c" * 64]


def test_a_damaged_page_is_found(recorded: tuple[DataPaths, str, str]) -> None:
    paths = recorded[0]
    con = raw_connect(paths.db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = int(con.execute("PRAGMA page_size").fetchone()[0])
    root = int(con.execute("select rootpage from sqlite_master where name='checklist_items' or name='findings' "
                           "order by name limit 1").fetchone()[0])
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    with paths.db.open("r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\x0d" + b"\xff" * 40)  # a leaf header with nonsense cell counts and offsets
    code, data = _run(paths)
    assert code & EXIT_DATABASE, data
    assert any(p["kind"] == "database" for p in data["problems"])

"""Evidence import: streaming hash + atomic content-addressed copy, EXIF, dedup, size limit, verify."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.errors import DomainError
from app.evidence_store import Cancelled, blob_path, import_file, read_blob, sweep_incoming, verify_blobs
from app.models import Evidence, OutboxEntry, Upload
from app.store import Store


def _photo(path: Path, when: str = "2026:11:20 09:30:00") -> Path:
    img = Image.new("RGB", (64, 48), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0132] = when  # DateTime
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = when  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 3.0, 36.0)
    gps[3], gps[4] = "E", (119.0, 57.0, 0.0)
    img.save(path, exif=exif)
    return path


def test_import_photo_records_metadata_and_blob(store: Store, tmp_path: Path) -> None:
    src = _photo(tmp_path / "现场照片1.jpg")
    res = import_file(store, src, actor="李队员（xd.officer）")
    ev = res.evidence
    assert not res.duplicate
    assert ev.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert ev.kind == "photo" and ev.media_type == "image/jpeg" and ev.original_name == "现场照片1.jpg"
    assert ev.exif_time == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)  # 09:30 Beijing time
    assert ev.gps_lat == pytest.approx(30.06) and ev.gps_lon == pytest.approx(119.95)
    assert read_blob(store.paths.evidence, ev.sha256) == src.read_bytes()
    with store.read() as s:
        assert s.get(Upload, ev.sha256).state == "pending"
        assert s.scalars(select(OutboxEntry.entity)).all() == ["evidence"]


def test_same_content_twice_is_one_blob_and_recognised(store: Store, tmp_path: Path) -> None:
    a = tmp_path / "a.pdf"
    a.write_bytes(b"%PDF-1.4 same bytes" * 1000)
    b = tmp_path / "copy-of-a.pdf"
    b.write_bytes(a.read_bytes())
    first = import_file(store, a, actor="x", task_id=None)
    again = import_file(store, b, actor="x")
    assert again.duplicate and again.evidence.id == first.evidence.id
    blobs = [p for p in store.paths.evidence.rglob("*") if p.is_file()]
    assert len(blobs) == 1
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == 1


def test_size_limit_gives_clear_message_and_records_nothing(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "录像.mp4"
    big.write_bytes(b"0" * 2048)
    with pytest.raises(DomainError) as err:
        import_file(store, big, actor="x", max_bytes=1024)
    assert err.value.code == "too_large" and "上限" in err.value.message
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == 0


def test_cancel_leaves_no_blob_and_no_row(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "video.mp4"
    src.write_bytes(b"x" * (3 * 1024 * 1024))
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        import_file(store, src, actor="x", cancel=cancel, progress=lambda done, total: cancel.set())
    assert not [p for p in store.paths.evidence.rglob("*") if p.is_file()]
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)) == 0


def test_verify_reports_changed_and_missing_blobs(store: Store, tmp_path: Path) -> None:
    files = []
    for i in range(3):
        f = tmp_path / f"doc{i}.txt"
        f.write_text(f"询问笔录 {i}")
        files.append(import_file(store, f, actor="x").evidence.sha256)
    assert verify_blobs(store) == (3, [])
    victim = blob_path(store.paths.evidence, files[1])
    victim.write_bytes(victim.read_bytes()[:-1] + b"!")  # one byte
    blob_path(store.paths.evidence, files[2]).unlink()
    checked, problems = verify_blobs(store)
    assert checked == 3
    assert {(p.sha256, p.problem) for p in problems} == {(files[1], "mismatch"), (files[2], "missing")}


def test_sweep_removes_half_written_temp_files(store: Store) -> None:
    store.paths.evidence.mkdir(parents=True, exist_ok=True)
    (store.paths.evidence / ".incoming-abc").write_bytes(b"half")
    assert sweep_incoming(store) == 1

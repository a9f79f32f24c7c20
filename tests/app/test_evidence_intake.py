"""Evidence import trusts nothing, tested with real files: a FIFO, a device, a socket and a directory are
refused without blocking; links are refused, or followed only inside the chosen folder; non-UTF-8 names are
kept losslessly; a file that shrinks or is touched during the copy is refused; a 30 GB sparse file is
cancelled mid-copy; a failing row leaves no blob. After every refusal the evidence dir holds nothing new."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import changes, evidence_hygiene, evidence_intake
from app.errors import DomainError, StoreError
from app.evidence_hygiene import find_orphans
from app.evidence_intake import raw_name, record_name, stage_source
from app.evidence_store import CHUNK, Cancelled, blob_path, import_file, open_sealed, read_blob
from app.inspections.evidence import collect_media_files, prepare_blob
from app.models import Evidence
from app.store import Store

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX special files")


def _evidence_files(store: Store) -> list[Path]:
    root = store.paths.evidence
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _rows(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(Evidence)) or 0)


def _refused(store: Store, src: Path, code: str, **kw: object) -> str:
    """Import in a thread (a blocking open would hang the test, not fail it) and expect a refusal."""
    box: dict[str, BaseException] = {}

    def run() -> None:
        try:
            import_file(store, src, actor="x", **kw)
        except BaseException as exc:
            box["exc"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "the import blocked"
    exc = box.get("exc")
    assert isinstance(exc, DomainError | StoreError), exc
    assert exc.code == code, (exc.code, exc.message)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message) and "Error" not in exc.message
    assert _evidence_files(store) == [] and _rows(store) == 0
    return exc.message


@posix_only
def test_fifo_is_refused_without_blocking(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "video.mp4"
    os.mkfifo(fifo)
    assert "管道" in _refused(store, fifo, "not_regular")


@posix_only
def test_device_socket_and_directory_are_refused(store: Store, tmp_path: Path) -> None:
    assert "设备" in _refused(store, Path("/dev/zero"), "not_regular")
    sock_path = tmp_path / "s.jpg"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        _refused(store, sock_path, "not_regular")
    folder = tmp_path / "folder.jpg"
    folder.mkdir()
    assert "文件夹" in _refused(store, folder, "not_regular")


@posix_only
def test_a_link_given_directly_is_refused(store: Store, tmp_path: Path) -> None:
    link = tmp_path / "passwd.jpg"
    link.symlink_to("/etc/passwd")
    assert "符号链接" in _refused(store, link, "symlink")


@posix_only
def test_folder_import_follows_links_inside_and_refuses_links_out(store: Store, tmp_path: Path) -> None:
    card = tmp_path / "card"
    (card / "DCIM").mkdir(parents=True)
    real = card / "DCIM" / "IMG_0001.jpg"
    real.write_bytes(b"\xff\xd8inside")
    (card / "alias.jpg").symlink_to(real)
    (card / "shadow.jpg").symlink_to("/etc/passwd")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(b"secret")
    (card / "linked-dir").symlink_to(outside, target_is_directory=True)
    found = collect_media_files(card)
    assert [p.name for p in found] == ["IMG_0001.jpg", "alias.jpg", "shadow.jpg"]  # linked folder not entered
    inside = prepare_blob(card / "alias.jpg", store.paths.evidence, folder=card)
    assert inside.staged is not None and open_sealed(inside.staged.tmp).read() == b"\xff\xd8inside"
    evidence_intake.discard(inside.staged)
    with pytest.raises(DomainError) as err:
        prepare_blob(card / "shadow.jpg", store.paths.evidence, folder=card)
    assert err.value.code == "symlink_outside" and "以外" in err.value.message
    assert _evidence_files(store) == []


@posix_only
def test_non_utf8_name_is_kept_losslessly(store: Store, tmp_path: Path) -> None:
    raw = "现场".encode() + b"-\xff\xfe-" + "照片.jpg".encode("gb18030")
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), raw)))
    path.write_bytes(b"\xff\xd8 photo bytes")
    ev = import_file(store, path, actor="x").evidence
    assert ev.original_name.startswith("现场-\\xff\\xfe-")
    assert raw_name(ev.original_name) == raw
    with store.read() as s:
        assert raw_name(s.get(Evidence, ev.id).original_name) == raw
    assert blob_path(store.paths.evidence, ev.sha256).exists()


@posix_only
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_record_name_round_trips_any_bytes(raw: bytes) -> None:
    stored = record_name(os.fsdecode(raw))
    stored.encode("utf-8")  # always storable
    assert raw_name(stored) == raw


def test_plain_names_are_unchanged() -> None:
    assert record_name("现场照片 1.jpg") == "现场照片 1.jpg"


def test_a_file_that_shrinks_during_the_copy_is_refused(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "clip.mp4"
    src.write_bytes(os.urandom(3 * CHUNK))

    def shrink(done: int, _total: int) -> None:
        if done == CHUNK:
            os.truncate(src, CHUNK + 10)

    with pytest.raises(DomainError) as err:
        import_file(store, src, actor="x", progress=shrink)
    assert err.value.code == "source_changed" and "变化" in err.value.message
    assert _evidence_files(store) == [] and _rows(store) == 0


def test_a_file_touched_during_the_copy_is_refused(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "clip.mp4"
    src.write_bytes(os.urandom(2 * CHUNK))
    st0 = src.stat()

    def touch(done: int, _total: int) -> None:
        if done == CHUNK:
            os.utime(src, ns=(st0.st_atime_ns, st0.st_mtime_ns + 5_000_000_000))

    with pytest.raises(DomainError) as err:
        import_file(store, src, actor="x", progress=touch)
    assert err.value.code == "source_changed"
    assert _evidence_files(store) == []


def test_30_gb_sparse_file_is_cancelled_mid_copy(store: Store, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "night-recording.mp4"
    with big.open("wb") as f:
        f.truncate(30 * 1024**3)
    # the free-space check would (rightly) refuse 30 GB on a test machine: pretend there is room
    monkeypatch.setattr(evidence_intake.shutil, "disk_usage", lambda _p: SimpleNamespace(free=64 * 1024**3))
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done >= 8 * CHUNK:
            cancel.set()

    with pytest.raises(Cancelled):
        import_file(store, big, actor="x", max_bytes=40 * 1024**3, progress=progress, cancel=cancel)
    assert seen and seen[-1] == 8 * CHUNK and seen[0] == CHUNK
    assert _evidence_files(store) == [] and _rows(store) == 0


def test_over_the_limit_or_without_room_nothing_is_written(store: Store, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "a.jpg"
    src.write_bytes(b"x" * 5000)
    _refused(store, src, "too_large", max_bytes=1000)
    monkeypatch.setattr(evidence_intake.shutil, "disk_usage", lambda _p: SimpleNamespace(free=10))
    assert "磁盘" in _refused(store, src, "disk_full")


def test_a_failing_row_leaves_no_blob(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "a.jpg"
    src.write_bytes(b"\xff\xd8 fine photo")

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk went away")

    monkeypatch.setattr(changes, "record_create", boom)
    with pytest.raises(RuntimeError):
        import_file(store, src, actor="x")
    assert _evidence_files(store) == [] and _rows(store) == 0


def test_start_up_places_a_staged_blob_whose_row_committed(store: Store, tmp_path: Path) -> None:
    """A crash after the commit and before the move: the next start-up moves the staged blob into place."""
    src = tmp_path / "a.jpg"
    src.write_bytes(b"\xff\xd8 committed")
    blob = prepare_blob(src, store.paths.evidence)
    from app.inspections.evidence import record_blob

    with store.write() as s:
        record_blob(s, blob, actor="x", inspection_id=None)
    assert blob.staged is not None and blob.staged.tmp.exists()
    store.close()
    again = Store.open(store.paths)
    try:
        assert read_blob(again.paths.evidence, blob.sha256) == b"\xff\xd8 committed"
        assert list(again.paths.evidence.glob(".incoming-*")) == []
    finally:
        again.close()


def test_unreferenced_blobs_are_collected_only_when_old(store: Store) -> None:
    root = store.paths.evidence
    old, young = "a" * 64, "b" * 64
    for sha in (old, young):
        p = blob_path(root, sha)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"orphan")
    os.utime(blob_path(root, old), (1_000_000_000, 1_000_000_000))
    assert [p.name for p in find_orphans(store)] == [old, young]
    store.close()
    (store.paths.root / "cache" / evidence_hygiene.MARKER).unlink()  # the tree is walked every few hours
    again = Store.open(store.paths)
    try:
        assert [p.name for p in find_orphans(again)] == [young]
    finally:
        again.close()


def test_stage_source_refuses_before_writing(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        stage_source(tmp_path / "missing.jpg", store.paths.evidence, max_bytes=10)
    assert "找不到" in err.value.message

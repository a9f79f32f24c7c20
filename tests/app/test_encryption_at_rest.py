"""Encryption at rest, on real files: the DB (with its WAL and backups), every evidence blob, staged import and
thumbnail hold none of a list of known plaintexts; the store opens only with its key, and a wrong key or a
missing keyring item gives the Chinese message and changes nothing; a plaintext store and evidence folder from
an earlier release are encrypted at start-up, and a kill -9 at any moment of that migration loses nothing."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from PIL import Image
from sqlalchemy import func, select

from app.crypto import keys
from app.crypto.migrate import PLAINTEXT_OLD
from app.db.probe import HEADER, has_plain_header
from app.demo.dataset import build_dataset
from app.demo.seed import seed_store
from app.errors import StoreError
from app.evidence_store import blob_path, import_file, open_blob, read_sealed, verify_blobs
from app.models import Complainant, Evidence, Target, Task
from app.paths import DataPaths
from app.search import search_ids
from app.store import Store
from tests.support.rawdb import raw_connect

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "330183198807164417"
COMPLAINANT = "欧阳明珠"
PHONE = "13905710123"


def _jpeg(path: Path, seed: int) -> Path:
    img = Image.new("RGB", (64, 48), (seed % 255, 80, 160))
    img.save(path, "JPEG")
    return path


def _all_files(paths: DataPaths) -> list[Path]:
    return [p for p in paths.root.rglob("*") if p.is_file() and p.name != "keys.json"]


def _seeded(root: Path) -> tuple[Store, list[str]]:
    """A store with the demo district, a complainant with an ID number and phone, and two photos."""
    store = Store.open(DataPaths(root))
    seed_store(store, build_dataset(tasks=40))
    with store.write() as s:
        task = s.scalars(select(Task).limit(1)).one()
        s.add(Complainant(id="c-1", township_id=task.township_id, task_id=task.id, name=COMPLAINANT, phone=PHONE,
                          id_number=ID_NUMBER, address="富春街道北环路 9 号", version=1))
        targets = s.scalars(select(Target).order_by(Target.id).limit(3)).all()
        known = [COMPLAINANT, ID_NUMBER, PHONE] + [t.name for t in targets] + [t.legal_rep for t in targets
                                                                                  if t.legal_rep]
    for i in range(2):
        import_file(store, _jpeg(root.parent / f"门头{i}.jpg", i), actor="o-1")
    from app.db.migrate import backup_database

    backup_database(store.paths.db, store.paths.backups, "head")  # as a migration would take one
    return store, known


def _leaks(paths: DataPaths, known: list[str]) -> list[str]:
    # whole signatures, not 3-byte prefixes: \xff\xd8\xff turns up by chance in a few MB of ciphertext
    needles = [k.encode() for k in known] + [b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\x89PNG\r\n\x1a\n", HEADER]
    found = []
    for path in _all_files(paths):
        data = path.read_bytes()
        found += [f"{path.relative_to(paths.root)}: {n!r}" for n in needles if n in data]
    return found


def test_no_known_plaintext_in_any_file(tmp_path: Path) -> None:
    store, known = _seeded(tmp_path / "data")
    try:
        from ui.evidence.thumbnails import make_thumbnail, thumbnail_path

        with store.read() as s:
            shas = list(s.scalars(select(Evidence.sha256)))
        for sha in shas:
            make_thumbnail(blob_path(store.paths.evidence, sha), thumbnail_path(store.paths.thumbnails, sha))
        with store.read() as s:  # still searchable (FTS5 inside the encrypted file)
            some = s.scalars(select(Target).limit(1)).one()
            assert some.id in search_ids(s, "target", some.name[-4:])
        assert _leaks(store.paths, known) == []  # WAL still open: the live files
    finally:
        store.close()
    assert _leaks(store.paths, known) == []  # checkpointed
    assert list(store.paths.thumbnails.glob("*.png")) and list(store.paths.backups.glob("*.db"))
    assert all(p.read_bytes()[:8] == b"LXTEVID1" for p in store.paths.evidence.rglob("*") if p.is_file())


def test_opens_only_with_its_key_and_a_wrong_or_missing_key_changes_nothing(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path / "data")
    paths = store.paths
    store.close()
    for side in ("-wal", "-shm"):
        assert not paths.db.with_name(paths.db.name + side).exists()
    before = {p: p.read_bytes() for p in paths.root.rglob("*") if p.is_file()}
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite sees no database
        sqlite3.connect(paths.db).execute("select count(*) from sqlite_master").fetchone()
    obj = keys.read_keyfile(paths)
    assert obj is not None
    item = f"store|{obj['store_id']}|{obj['generation']}"
    good = keyring.get_password(keys.SERVICE, item)
    import base64

    keyring.set_password(keys.SERVICE, item, base64.b64encode(os.urandom(32)).decode())  # a wrong key
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "wrong_key" and "不符" in err.value.message and "未作任何改动" in err.value.message
    keyring.delete_password(keys.SERVICE, item)  # no key at all
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "key_missing" and "恢复口令" in err.value.message
    after = {p: p.read_bytes() for p in paths.root.rglob("*") if p.is_file()}
    assert after == before  # byte-identical, nothing created
    assert good is not None
    keyring.set_password(keys.SERVICE, item, good)
    Store.open(paths).close()


def test_a_garbage_file_is_told_apart_from_a_wrong_key(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path / "data")
    paths = store.paths
    store.close()
    paths.db.write_bytes(os.urandom(8192))  # the right key, but the file is noise
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "damaged" and "备份" in err.value.message


def test_tampered_blob_is_found_by_verify(tmp_path: Path) -> None:
    store, _ = _seeded(tmp_path / "data")
    try:
        with store.read() as s:
            sha = s.scalars(select(Evidence.sha256)).first()
        path = blob_path(store.paths.evidence, sha)
        data = bytearray(path.read_bytes())
        data[40] ^= 1
        path.write_bytes(bytes(data))
        checked, problems = verify_blobs(store)
        assert checked == 2 and [p.sha256 for p in problems] == [sha] and problems[0].problem == "mismatch"
    finally:
        store.close()


def test_seekable_reader_serves_ranges(tmp_path: Path) -> None:
    store = Store.open(DataPaths(tmp_path / "data"))
    try:
        src = tmp_path / "clip.bin"
        payload = os.urandom(300_000)
        src.write_bytes(payload)
        ev = import_file(store, src, actor="o-1").evidence
        assert ev.sha256 == hashlib.sha256(payload).hexdigest()
        with open_blob(store.paths.evidence, ev.sha256) as f:
            for at in (0, 65_535, 65_536, 200_001, 299_990):
                f.seek(at)
                assert f.read(1000) == payload[at:at + 1000]
    finally:
        store.close()


# ---- migration of a plaintext data directory --------------------------------------------------------------

def _plaintext_dir(root: Path, photos: int = 60) -> tuple[DataPaths, dict[str, int], dict[str, bytes]]:
    """The earlier release's store (plaintext fixture) with plaintext blobs at their content addresses."""
    paths = DataPaths(root)
    paths.root.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "release-0.0-rev0001.db", paths.db)
    blobs: dict[str, bytes] = {}
    for i in range(photos):
        buf = io.BytesIO()
        Image.new("RGB", (320, 240), (i, 2 * i % 255, 7)).save(buf, "JPEG")
        data = buf.getvalue() + os.urandom(200_000)  # a few hundred KB each, like photos
        sha = hashlib.sha256(data).hexdigest()
        dest = blob_path(paths.evidence, sha)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        blobs[sha] = data
    paths.documents.mkdir(parents=True)
    (paths.documents / "doc-1.pdf").write_bytes(b"%PDF-1.7 issued by release 0.0")
    thumbs = paths.thumbnails
    thumbs.mkdir(parents=True)
    (thumbs / "x.png").write_bytes(b"\x89PNG plaintext thumbnail")
    con = raw_connect(paths.db)
    counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in ("tasks", "targets", "audit_events")}
    con.close()
    return paths, counts, blobs


def _check_migrated(paths: DataPaths, counts: dict[str, int], blobs: dict[str, bytes]) -> None:
    store = Store.open(paths)
    try:
        with store.read() as s:
            got = {"tasks": s.scalar(select(func.count()).select_from(Task)),
                   "targets": s.scalar(select(func.count()).select_from(Target))}
        assert got == {k: counts[k] for k in got}
        for sha, data in blobs.items():
            with open_blob(paths.evidence, sha) as f:
                assert f.read() == data
        assert read_sealed(paths.documents / "doc-1.pdf") == b"%PDF-1.7 issued by release 0.0"
    finally:
        store.close()
    assert not has_plain_header(paths.db)
    assert not (paths.root / PLAINTEXT_OLD).exists()
    assert not list(paths.root.glob(".lianxuntong.db.encrypting*"))
    assert not list(paths.evidence.rglob(".sealing-*"))
    assert not (paths.thumbnails / "x.png").exists()
    for p in paths.root.rglob("*"):
        if p.is_file() and p.name != "keys.json":
            head = p.read_bytes()[:16]
            assert head != HEADER and not head.startswith((b"\xff\xd8", b"%PDF")), p


def test_plaintext_store_and_evidence_are_encrypted_at_start_up(tmp_path: Path) -> None:
    paths, counts, blobs = _plaintext_dir(tmp_path / "data", photos=5)
    _check_migrated(paths, counts, blobs)
    backups = list(paths.backups.glob("*.db"))
    assert backups and all(not has_plain_header(b) for b in backups)  # the pre-migration backup too


CHILD = """
import sys
from pathlib import Path
from app.paths import DataPaths
from app.store import Store
print("ready", flush=True)
Store.open(DataPaths(Path(sys.argv[1]))).close()
print("done", flush=True)
"""


def _in_phase(paths: DataPaths, phase: int) -> bool:
    """Phase 0: the DB export is under way; phase 1: evidence is being sealed."""
    if phase == 0:
        return (paths.root / ".lianxuntong.db.encrypting").exists()
    return any(paths.evidence.glob("*/*/.sealing-*"))


def _kill_trials(tmp_path: Path, trials: int, seed: int) -> dict[str, int]:
    """Each attempt waits until the child is inside a phase of the migration (its temp file exists), lets it
    run a random moment longer, then kills it with SIGKILL; the next attempt restarts it on the same folder."""
    rng = random.Random(seed)
    outcomes = {"killed": 0, "finished": 0}
    for trial in range(trials):
        paths, counts, blobs = _plaintext_dir(tmp_path / f"trial{trial}")
        for attempt in range(4):
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(paths.root)], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            phase = attempt % 2
            while child.poll() is None and not _in_phase(paths, phase):
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.3))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                outcomes["killed"] += 1
                outcomes[f"killed in phase {phase}"] = outcomes.get(f"killed in phase {phase}", 0) + 1
            else:
                outcomes["finished"] += 1
            child.wait(timeout=120)
        _check_migrated(paths, counts, blobs)  # the restart finishes the job; nothing is lost
    print(f"kill -9 trials: {outcomes}")
    return outcomes


def test_kill_9_during_the_migration_loses_nothing(tmp_path: Path, file_keyring: None) -> None:
    outcomes = _kill_trials(tmp_path, 1, seed=14)
    assert outcomes["killed"] + outcomes["finished"] == 4, outcomes


@pytest.mark.slow
def test_kill_9_during_the_migration_loses_nothing_6_trials(tmp_path: Path, file_keyring: None) -> None:
    outcomes = _kill_trials(tmp_path, 6, seed=1407)
    assert outcomes["killed"] + outcomes["finished"] == 24, outcomes


def test_the_self_test_check_passes_on_an_encrypted_store_and_names_a_plaintext_photo(tmp_path: Path) -> None:
    from app.crypto.check import check_encrypted

    store, _known = _seeded(tmp_path / "data")
    try:
        summary = check_encrypted(store)
        assert "SQLCipher" in summary and "证据文件 2 个已加密" in summary
        plain = store.paths.evidence / "ab" / ("ab" + "0" * 62)
        plain.parent.mkdir(parents=True, exist_ok=True)
        plain.write_bytes(b"\xff\xd8\xff\xe0 plain photo")  # a file someone dropped in unencrypted
        with pytest.raises(RuntimeError, match="证据文件未加密"):
            check_encrypted(store)
    finally:
        store.close()

"""Unlocking a data directory at start-up, and encrypting one that is still plaintext (crash-safe).

`prepare` runs first in `Store.open`: it unlocks the data key (or makes one for a new store), registers it for the
evidence code, and — once per data directory from an earlier release — encrypts what is still plaintext:

1. **The DB.** The plaintext file is checked read-only first (damaged or newer-schema files are refused and left
   byte-identical), checkpointed, exported with `sqlcipher_export` into `.lianxuntong.db.encrypting`, and the copy
   is verified (quick_check, the same row count in every table, the same schema revision) and fsynced. Then a hard
   link `lianxuntong.db.plaintext-old` keeps the plaintext reachable while the encrypted copy is renamed over the
   store (atomic); only then is the old inode overwritten and unlinked. A kill at any point leaves either the
   plaintext store (the next start redoes the export) or the verified encrypted one (the next start finishes the
   overwrite) — never neither.
2. **Backups** are encrypted the same way, each one renamed over itself.
3. **Evidence and documents.** Each plaintext blob (and issued document PDF) is sealed into `.sealing-<sha>` beside it, the sealed copy is decrypted and
   hashed against the plaintext's hash, fsynced and renamed over the blob. Plaintext thumbnails are deleted (they
   are made again, encrypted). The key file records when the DB and the evidence are done.

The plaintext's data blocks are overwritten before unlinking; on SSDs and copy-on-write file systems that is best
effort, which docs/encryption.md says.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from app.crypto import blobs
from app.crypto import keys as keymod
from app.crypto.keys import StoreKeys
from app.db.engine import cipher_dbapi, connect_raw
from app.errors import StoreError
from app.paths import DataPaths

log = logging.getLogger(__name__)

ENCRYPTING = ".lianxuntong.db.encrypting"
PLAINTEXT_OLD = "lianxuntong.db.plaintext-old"
SEALING = ".sealing-"
SIDES = ("-wal", "-shm", "-journal")


def prepare(paths: DataPaths, passphrase: str | None = None) -> StoreKeys:
    """Unlock (or create) the store's keys, register them, and finish encrypting anything still plaintext."""
    from app.db.probe import has_plain_header

    obj = None if keymod.is_wiped(paths) else keymod.read_keyfile(paths)
    found = keymod.unlock(paths, passphrase, keyfile=obj)
    if found is None:
        _refuse_unusable(paths)
        found = keymod.create(paths, passphrase)
        obj = keymod.read_keyfile(paths)
    keymod.register(paths, found)
    done = (obj or {}).get("encrypted", {})
    _finish_interrupted(paths, found)
    if has_plain_header(paths.db):
        encrypt_db(paths, found)
    if not done.get("db"):
        encrypt_backups(paths, found)
        keymod.mark(paths, "db")
    if not done.get("evidence"):
        encrypt_evidence(paths, found)
        keymod.mark(paths, "evidence")
    return found


def _refuse_unusable(paths: DataPaths) -> None:
    """Before a key is made for a directory without one: a DB file that is neither plaintext nor empty is
    either garbage or encrypted data whose key file is gone; a plaintext one must pass the plain checks."""
    from app.db.opening import check_plaintext, damaged_error
    from app.db.probe import has_plain_header

    try:
        size = paths.db.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    if not has_plain_header(paths.db):
        raise damaged_error(paths, "header", what="不是联巡通的数据库文件（或是加密的数据文件而密钥文件 keys.json 缺失）")
    check_plaintext(paths)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _finish_interrupted(paths: DataPaths, found: StoreKeys) -> None:
    from app.db.probe import has_plain_header

    root = paths.root
    tmp = root / ENCRYPTING
    old = root / PLAINTEXT_OLD
    if old.exists():
        if not paths.db.exists():  # (only if something else removed it) the plaintext goes back
            os.replace(old, paths.db)
        elif _same_file(old, paths.db) or has_plain_header(paths.db):
            old.unlink()  # the swap had not happened: `old` is a second name of the live plaintext
        else:
            _shred(old)
    for p in (tmp, *(tmp.with_name(tmp.name + s) for s in SIDES)):
        p.unlink(missing_ok=True)


def _shred(path: Path) -> None:
    """Overwrite a file's bytes (best effort), then unlink it."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as f:
            left = size
            while left > 0:
                n = min(left, 1024 * 1024)
                f.write(b"\x00" * n)
                left -= n
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        log.warning("could not overwrite a plaintext file before removing it")
    path.unlink(missing_ok=True)


def _export(plain: Path, dest: Path, key: bytes) -> None:
    """Write an encrypted copy of the plaintext DB `plain` to `dest` and verify it; raises on any difference."""
    for p in (dest, *(dest.with_name(dest.name + s) for s in SIDES)):
        p.unlink(missing_ok=True)
    dbapi: Any = cipher_dbapi()
    con = dbapi.connect(str(plain), isolation_level=None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        user_version = con.execute("PRAGMA user_version").fetchone()[0]
        con.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.hex()}'\"", (str(dest),))
        con.execute("SELECT sqlcipher_export('enc')")
        con.execute(f"PRAGMA enc.user_version = {int(user_version)}")
        tables = [r[0] for r in con.execute(
            "SELECT name FROM main.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        for name in tables:
            a = con.execute(f'SELECT count(*) FROM main."{name}"').fetchone()[0]
            b = con.execute(f'SELECT count(*) FROM enc."{name}"').fetchone()[0]
            if a != b:
                raise StoreError(f"加密迁移校验失败（表 {name} 行数不符），原数据未作改动。请联系技术支持。",
                                 code="encrypt_failed")
        con.execute("DETACH DATABASE enc")
    finally:
        con.close()
    check = connect_raw(dest, key)
    try:
        if [r[0] for r in check.execute("PRAGMA quick_check")] != ["ok"]:
            raise StoreError("加密迁移校验失败（加密副本未通过完整性检查），原数据未作改动。", code="encrypt_failed")
    finally:
        check.close()
    with dest.open("rb+") as f:
        os.fsync(f.fileno())


def encrypt_db(paths: DataPaths, found: StoreKeys) -> None:
    """Encrypt the plaintext store in place (see the module docstring for the crash-safe order)."""
    from app.db.opening import check_plaintext

    check_plaintext(paths)
    root = paths.root
    tmp, old = root / ENCRYPTING, root / PLAINTEXT_OLD
    log.info("encrypting the plaintext store")
    _export(paths.db, tmp, found.db_key)
    old.unlink(missing_ok=True)
    os.link(paths.db, old)
    os.replace(tmp, paths.db)
    keymod.fsync_dir(root)
    for side in SIDES:
        paths.db.with_name(paths.db.name + side).unlink(missing_ok=True)
    _shred(old)
    log.info("the store is encrypted; the plaintext file was overwritten and removed")


def encrypt_backups(paths: DataPaths, found: StoreKeys) -> int:
    """Encrypt backups from before encryption (each renamed over itself once verified)."""
    from app.db.probe import has_plain_header
    from app.db.restore import backups

    n = 0
    for backup in backups(paths.backups):
        if not has_plain_header(backup):
            continue
        tmp = backup.with_name(f".{backup.name}.encrypting")
        try:
            _export(backup, tmp, found.db_key)
        except Exception:  # a damaged old backup stays as it is; it is not usable anyway
            log.warning("a plaintext backup could not be encrypted; it is removed")
            tmp.unlink(missing_ok=True)
            _shred(backup)
            continue
        stat = backup.stat()
        os.link(backup, backup.with_name(backup.name + ".plaintext-old"))
        os.replace(tmp, backup)
        os.utime(backup, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # "newest backup" keeps its meaning
        _shred(backup.with_name(backup.name + ".plaintext-old"))
        n += 1
    for stale in paths.backups.glob("*.plaintext-old") if paths.backups.is_dir() else ():
        _shred(stale)
    return n


def encrypt_evidence(paths: DataPaths, found: StoreKeys) -> int:
    """Seal every plaintext blob (and staged import) under the evidence root; drop plaintext thumbnails."""
    from app.evidence_hygiene import STAGED_RE, blobs_on_disk

    root = paths.evidence
    n = 0
    if root.is_dir():
        for leftover in root.rglob(f"{SEALING}*"):
            leftover.unlink(missing_ok=True)
        staged = [p for p in root.iterdir() if STAGED_RE.match(p.name)]
        for blob in [*blobs_on_disk(root), *staged]:
            if blobs.is_sealed(blob):
                continue
            seal_in_place(blob, found.blob_key)
            n += 1
    if paths.documents.is_dir():  # issued documents' PDFs are kept like blobs
        for leftover in paths.documents.glob(f"{SEALING}*"):
            leftover.unlink(missing_ok=True)
        for pdf in paths.documents.glob("*.pdf"):
            if not blobs.is_sealed(pdf):
                seal_in_place(pdf, found.blob_key)
                n += 1
    shutil.rmtree(paths.thumbnails, ignore_errors=True)
    if n:
        log.info("%d evidence file(s) encrypted", n)
    return n


def seal_in_place(blob: Path, blob_key: bytes) -> None:
    """Encrypt one plaintext file and rename the verified sealed copy over it."""
    tmp = blob.with_name(SEALING + blob.name)
    digest = hashlib.sha256()
    with blob.open("rb") as src, tmp.open("wb") as out:
        writer = blobs.BlobWriter(out, blob_key)
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
            writer.write(chunk)
        writer.close()
        out.flush()
        os.fsync(out.fileno())
    check = hashlib.sha256()
    with blobs.BlobReader(tmp, blob_key) as reader:
        while chunk := reader.read(1024 * 1024):
            check.update(chunk)
    if check.digest() != digest.digest():
        tmp.unlink(missing_ok=True)
        raise StoreError("证据文件加密校验失败，原文件未作改动。请联系技术支持。", code="encrypt_failed")
    os.replace(tmp, blob)


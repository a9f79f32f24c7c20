"""The store's data key: random per store, wrapped by a key in the OS keyring and by a recovery passphrase.

`<data dir>/keys.json` (the key file) holds no secret in the clear::

    {"format": 1, "store_id": "<uuid>", "generation": 3,
     "slots": {"device":   {"nonce": b64, "ct": b64},
               "recovery": {"kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": b64, "nonce": b64, "ct": b64}},
     "encrypted": {"db": true, "evidence": true}}

* The **data key** (32 random bytes) never leaves memory unwrapped. The SQLCipher key of the DB and the key of the
  evidence blobs are derived from it with HKDF (different `info`), so one secret serves both.
* The **device slot** is AES-256-GCM(wrapping key, data key, aad=store id). The wrapping key lives in the keyring
  (service "lianxuntong-store", item `store|<store id>|<generation>`), reached through the same keyring helpers as
  the audit secrets (`app.audit_keys`). Rotation writes a new item under the next generation, then the key file,
  then deletes the old item: a crash at any point leaves a key file whose item exists.
* The **recovery slot** wraps the same data key under scrypt(passphrase); it opens the store when the keyring is
  unavailable or lost, and is set at first sign-in.

There is no silent fallback: without the keyring item and without the passphrase the store does not open, and
the `StoreError` (code `keyring_unavailable`, `key_missing`, `wrong_key`, `wrong_passphrase`, `wiped`) says so in
Chinese. `register` makes the unlocked keys known to the evidence code by data directory (as `app.audit` keys
its chain secret by database URL), so that a blob path alone finds its key.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app import audit_keys
from app.audit_keys import KeyringUnavailable
from app.errors import StoreError
from app.paths import DataPaths

log = logging.getLogger(__name__)

SERVICE = "lianxuntong-store"
FORMAT = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ~0.1 s and 32 MiB on a laptop
MIN_PASSPHRASE = 8
WIPED_MARKER = "device-wiped.json"  # left in the data dir after a wipe: what the app says at the next start

KEYRING_UNAVAILABLE = ("无法访问系统钥匙串（密码管理服务），本机数据已加密，没有密钥无法打开。"
                       "请检查系统的密码管理服务后重新打开联巡通，或输入首次登录时设置的恢复口令打开数据。")
KEY_MISSING = ("系统钥匙串中没有本机数据的密钥（可能已被删除，或换了系统账户）。数据已加密，没有密钥无法打开。"
               "请输入首次登录时设置的恢复口令打开数据；数据文件未作任何改动。")
WRONG_KEY = ("系统钥匙串中的密钥与本机数据不符，无法解密。数据文件未作任何改动。"
             "请输入首次登录时设置的恢复口令打开数据，或联系技术支持。")
WRONG_PASSPHRASE = "恢复口令不正确，无法解密本机数据。数据文件未作任何改动，请重新输入。"
NO_RECOVERY = "本机数据没有设置恢复口令，无法用口令打开。请恢复系统钥匙串，或联系技术支持。"
KEYFILE_MISSING = ("数据文件已加密，但数据目录中找不到密钥文件 keys.json（可能被删除或移动）。"
                   "没有它数据无法解密；请找回该文件放回数据目录，或联系技术支持。数据文件未作任何改动。")
KEYFILE_DAMAGED = "数据目录中的密钥文件 keys.json 已损坏，无法读取。数据文件未作任何改动，请联系技术支持。"
WIPED = ("此设备已被平台注销，本机数据已按管理员的要求擦除，无法再打开。"
         "如需继续使用，请联系管理员重新登记设备后重新登录并同步。")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)


@dataclass(frozen=True)
class StoreKeys:
    """The unlocked data key of one store and what is derived from it."""

    store_id: str
    data_key: bytes = field(repr=False)

    @cached_property
    def db_key(self) -> bytes:
        return _derive(self.data_key, b"lianxuntong sqlcipher v1")

    @cached_property
    def blob_key(self) -> bytes:
        return _derive(self.data_key, b"lianxuntong evidence v1")

    def __repr__(self) -> str:  # never print key material
        return f"StoreKeys(store_id={self.store_id!r})"


# ---- the key file ----------------------------------------------------------------------------------------

def keyfile_path(paths: DataPaths) -> Path:
    return paths.root / "keys.json"


def read_keyfile(paths: DataPaths) -> dict[str, Any] | None:
    path = keyfile_path(paths)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"无法读取密钥文件 {path}：{exc.strerror or exc}", code="keyfile") from exc
    try:
        obj = json.loads(raw)
        if not isinstance(obj, dict) or obj.get("format") != FORMAT or not isinstance(obj.get("slots"), dict):
            raise ValueError("unknown key file")
        str(obj["store_id"])
        return obj
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(KEYFILE_DAMAGED, code="keyfile_damaged") from exc


def write_keyfile(paths: DataPaths, obj: dict[str, Any]) -> None:
    """Atomically replace the key file (temp file, fsync, rename, fsync of the directory)."""
    path = keyfile_path(paths)
    tmp = path.with_name(f".keys-{uuid.uuid4().hex}.json")
    with tmp.open("wb") as f:
        f.write(json.dumps(obj, indent=1, sort_keys=True).encode("utf-8"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; a no-op elsewhere)."""
    if os.name == "posix":
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def mark(paths: DataPaths, what: str, done: bool = True) -> None:
    """Record in the key file that the DB or the evidence folder is now encrypted (`migrate` reads it)."""
    obj = read_keyfile(paths)
    if obj is None:
        return
    obj.setdefault("encrypted", {})[what] = done
    write_keyfile(paths, obj)


def has_recovery(paths: DataPaths) -> bool:
    obj = read_keyfile(paths)
    return bool(obj and "recovery" in obj["slots"])


# ---- wrapping --------------------------------------------------------------------------------------------

def _wrap(kek: bytes, data_key: bytes, store_id: str) -> dict[str, str]:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "ct": _b64(AESGCM(kek).encrypt(nonce, data_key, store_id.encode()))}


def _unwrap(kek: bytes, slot: dict[str, Any], store_id: str) -> bytes:
    return AESGCM(kek).decrypt(_unb64(slot["nonce"]), _unb64(slot["ct"]), store_id.encode())


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _recovery_slot(passphrase: str, data_key: bytes, store_id: str) -> dict[str, Any]:
    salt = os.urandom(16)
    slot: dict[str, Any] = {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)}
    slot.update(_wrap(_scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P), data_key, store_id))
    return slot


def _item(store_id: str, generation: int) -> str:
    return f"store|{store_id}|{generation}"


def _keyring_error(exc: KeyringUnavailable) -> StoreError:
    return StoreError(KEYRING_UNAVAILABLE, code="keyring_unavailable")


def check_passphrase(passphrase: str) -> str | None:
    """A Chinese reason why `passphrase` is not good enough as a recovery passphrase, or None."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"恢复口令至少需要 {MIN_PASSPHRASE} 个字符。"
    if len(set(passphrase)) < 4:
        return "恢复口令过于简单，请混用不同的字符。"
    return None


# ---- create / unlock / rotate / recovery -----------------------------------------------------------------

def create(paths: DataPaths, passphrase: str | None = None) -> StoreKeys:
    """Make a new data key for a store that has none yet; wrap it by a new keyring item (and the passphrase,
    when given). Without a keyring only a passphrase can protect the key; without either nothing is created."""
    keys = StoreKeys(str(uuid.uuid4()), secrets.token_bytes(32))
    slots: dict[str, Any] = {}
    generation = 1
    try:
        kek = secrets.token_bytes(32)
        audit_keys.set_secret(_item(keys.store_id, generation), _b64(kek), SERVICE)
        slots["device"] = _wrap(kek, keys.data_key, keys.store_id)
    except KeyringUnavailable as exc:
        if passphrase is None:
            raise _keyring_error(exc) from exc
        log.warning("keyring unavailable: the new store's key is wrapped by the recovery passphrase only")
    if passphrase is not None:
        slots["recovery"] = _recovery_slot(passphrase, keys.data_key, keys.store_id)
    write_keyfile(paths, {"format": FORMAT, "store_id": keys.store_id, "generation": generation, "slots": slots,
                          "encrypted": {}})
    return keys


def unlock(paths: DataPaths, passphrase: str | None = None, *, keyfile: dict[str, Any] | None = None
           ) -> StoreKeys | None:
    """The store's keys (None when there is no key file yet). With `passphrase` the recovery slot is used,
    otherwise the keyring item. Raises StoreError with the Chinese reason when the key cannot be had.
    `keyfile`: the key file as the caller just read it."""
    if (paths.root / WIPED_MARKER).exists():
        remove_data(paths)  # whatever a running app still held open at the wipe
        raise StoreError(WIPED, code="wiped")
    obj = keyfile if keyfile is not None else read_keyfile(paths)
    if obj is None:
        return None
    store_id = str(obj["store_id"])
    slots = obj["slots"]
    try:
        if passphrase is not None:
            slot = slots.get("recovery")
            if slot is None:
                raise StoreError(NO_RECOVERY, code="no_recovery")
            try:
                kek = _scrypt(passphrase, _unb64(slot["salt"]), int(slot["n"]), int(slot["r"]), int(slot["p"]))
                return StoreKeys(store_id, _unwrap(kek, slot, store_id))
            except InvalidTag as exc:
                raise StoreError(WRONG_PASSPHRASE, code="wrong_passphrase") from exc
        slot = slots.get("device")
        try:
            raw = audit_keys.get_secret(_item(store_id, int(obj.get("generation", 1))), SERVICE) if slot else None
        except KeyringUnavailable as exc:
            raise _keyring_error(exc) from exc
        if raw is None:
            raise StoreError(KEY_MISSING, code="key_missing")
        try:
            return StoreKeys(store_id, _unwrap(_unb64(raw), slot, store_id))
        except (InvalidTag, ValueError) as exc:
            raise StoreError(WRONG_KEY, code="wrong_key") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(KEYFILE_DAMAGED, code="keyfile_damaged") from exc


def set_recovery(paths: DataPaths, keys: StoreKeys, passphrase: str) -> None:
    """Add (or replace) the recovery slot: the data key wrapped under scrypt(passphrase)."""
    reason = check_passphrase(passphrase)
    if reason:
        raise StoreError(reason, code="weak_passphrase")
    obj = read_keyfile(paths)
    if obj is None or obj["store_id"] != keys.store_id:
        raise StoreError(KEYFILE_MISSING, code="keyfile_missing")
    obj["slots"]["recovery"] = _recovery_slot(passphrase, keys.data_key, keys.store_id)
    write_keyfile(paths, obj)


def rotate(paths: DataPaths, keys: StoreKeys) -> int:
    """Replace the keyring's wrapping key: new item (next generation), then the key file, then the old item is
    deleted. Also how a store opened by its recovery passphrase gets a keyring item again. Returns the new
    generation."""
    obj = read_keyfile(paths)
    if obj is None or obj["store_id"] != keys.store_id:
        raise StoreError(KEYFILE_MISSING, code="keyfile_missing")
    old = int(obj.get("generation", 1))
    new = old + 1
    kek = secrets.token_bytes(32)
    try:
        audit_keys.set_secret(_item(keys.store_id, new), _b64(kek), SERVICE)
    except KeyringUnavailable as exc:
        raise _keyring_error(exc) from exc
    obj["generation"] = new
    obj["slots"]["device"] = _wrap(kek, keys.data_key, keys.store_id)
    write_keyfile(paths, obj)
    try:
        audit_keys.delete_secret(_item(keys.store_id, old), SERVICE)
    except KeyringUnavailable:
        log.warning("the previous keyring item of the store key could not be deleted")
    return new


# ---- wipe ------------------------------------------------------------------------------------------------

def wipe(paths: DataPaths, *, reason: str = "") -> None:
    """Destroy this device's copy of the data: the keyring item, the key file (overwritten, then deleted) — after
    which the encrypted DB, backups and blobs are noise — and then those files too. A marker says why."""
    unregister(paths)
    try:
        obj = read_keyfile(paths)
    except StoreError:
        obj = None
    if obj is not None:
        try:
            audit_keys.delete_secret(_item(str(obj["store_id"]), int(obj.get("generation", 1))), SERVICE)
        except KeyringUnavailable:
            log.warning("wipe: the keyring item could not be deleted (the key file is destroyed all the same)")
    path = keyfile_path(paths)
    if path.exists():
        _overwrite(path)
        path.unlink()
    (paths.root / WIPED_MARKER).write_text(json.dumps({"reason": reason}), encoding="utf-8")
    remove_data(paths)


def remove_data(paths: DataPaths) -> None:
    """Remove the (now unreadable) encrypted files of a wiped store, best effort: a file still held open (the
    store of a running app on Windows) is removed at the next start, before the "wiped" message."""
    import shutil

    for side in ("", "-wal", "-shm"):
        try:
            paths.db.with_name(paths.db.name + side).unlink(missing_ok=True)
        except OSError:
            log.warning("wipe: a DB file is still in use; it is removed at the next start")
    for folder in (paths.backups, paths.evidence, paths.thumbnails, paths.documents):
        shutil.rmtree(folder, ignore_errors=True)


def _overwrite(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.write(os.urandom(size))
        f.flush()
        os.fsync(f.fileno())


def is_wiped(paths: DataPaths) -> bool:
    return (paths.root / WIPED_MARKER).exists()


# ---- which blob key serves a path -----------------------------------------------------------------------

_REGISTERED: dict[Path, StoreKeys] = {}


def register(paths: DataPaths, keys: StoreKeys) -> None:
    _REGISTERED[Path(os.path.abspath(paths.root))] = keys


def unregister(paths: DataPaths) -> None:
    _REGISTERED.pop(Path(os.path.abspath(paths.root)), None)


def keys_for(path: Path) -> StoreKeys:
    """The keys of the open store whose data directory holds `path` (an evidence root, a blob, a thumbnail)."""
    here = Path(os.path.abspath(path))
    for candidate in (here, *here.parents):
        found = _REGISTERED.get(candidate)
        if found is not None:
            return found
    raise StoreError("本机数据尚未解锁（数据文件未打开），无法读写证据文件。", code="locked_store")


def db_key_for(path: Path) -> bytes | None:
    """The SQLCipher key for a DB file (the store or a backup) of an unlocked store; None when none is unlocked
    (then only a plaintext file — a legacy store being migrated — can be read)."""
    try:
        return keys_for(path).db_key
    except StoreError:
        return None

"""Look at a store file before opening it for real — without writing a byte.

`probe` reads the header and `alembic_version` through a read-only connection (`mode=ro`, and `immutable=1`
when no WAL file exists, which also ignores other programs' locks), so that a file that is not a database, a
corrupt file or a file from a newer release is recognised before any pragma that writes (journal_mode=WAL)
runs. `Store.open` refuses those with a Chinese message and keeps the file byte-identical.

With encryption at rest the file has no plain header: `probe(path, key)` looks through SQLCipher with the store's
key instead (the key itself was authenticated when it was unwrapped, so a file it cannot read is damaged or not
ours — not a wrong key). A file that still starts with the plain header is reported as `plaintext` (a store from
before encryption, which `app.crypto.migrate` encrypts) once it has passed the plain checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.db.engine import connect_raw, dbapi_for

HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Probe:
    state: str  # missing / ok / plaintext / not_database / corrupt
    revision: str | None = None
    detail: str = ""


def has_plain_header(db_path: Path) -> bool:
    try:
        with Path(db_path).open("rb") as f:
            return f.read(len(HEADER)) == HEADER
    except OSError:
        return False


def probe(db_path: Path, key: bytes | None = None) -> Probe:
    """What the file at `db_path` is; with `key`, an encrypted store is expected (a plain one is `plaintext`)."""
    path = Path(db_path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return Probe("missing")
    if size == 0:
        return Probe("missing")  # SQLite treats an empty file as a new database
    try:
        with path.open("rb") as f:
            header = f.read(len(HEADER))
    except OSError as exc:
        return Probe("corrupt", detail=exc.strerror or str(exc))
    plain = header == HEADER
    if key is not None and plain:
        found = probe(path)
        return Probe("plaintext", found.revision, found.detail) if found.state == "ok" else found
    if key is None and not plain:
        return Probe("not_database", detail="header")
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "mode=ro&immutable=1"
    sqlite: Any = dbapi_for(key)
    try:
        con = connect_raw(f"{path.resolve().as_uri()}?{flags}", key, uri=True, timeout=1.0)
    except sqlite.Error as exc:  # cannot even look (permissions …): let the real open report it
        return Probe("ok", None, detail=str(exc))
    try:
        names = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        revision = None
        if "alembic_version" in names:
            row = con.execute("select version_num from alembic_version").fetchone()
            revision = row[0] if row else None
        return Probe("ok", revision)
    except sqlite.OperationalError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            return Probe("corrupt" if plain else "not_database", detail=str(exc))
        return Probe("ok", None, detail=str(exc))  # locked, unreadable dir …: the real open reports it
    except sqlite.DatabaseError as exc:
        if key is not None and "not a database" in str(exc):  # SQLCipher: not decryptable with this key
            return Probe("not_database", detail=str(exc))
        return Probe("corrupt", detail=str(exc))
    finally:
        con.close()


def quick_check(db_path: Path, key: bytes | None = None) -> bool:
    """A backup is usable when SQLite's quick_check passes on it (read-only, through SQLCipher with `key`)."""
    sqlite: Any = dbapi_for(key)
    try:
        con = connect_raw(f"{Path(db_path).resolve().as_uri()}?mode=ro&immutable=1", key, uri=True)
    except sqlite.Error:
        return False
    try:
        return [r[0] for r in con.execute("PRAGMA quick_check")] == ["ok"]
    except sqlite.DatabaseError:
        return False
    finally:
        con.close()

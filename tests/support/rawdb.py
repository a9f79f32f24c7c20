"""A raw DB-API connection to an encrypted store file for tests that tamper with it or inspect it directly:
keyed with the store's data key, found through the unlocked store (or unlocked from the data dir's key file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from app.crypto import keys
from app.db.engine import connect_raw
from app.db.probe import has_plain_header
from app.errors import StoreError
from app.paths import DataPaths


def db_key(path: Path | str) -> bytes:
    path = Path(path)
    try:
        return keys.keys_for(path).db_key
    except StoreError:
        for root in (path.parent, path.parent.parent):
            found = keys.unlock(DataPaths(root)) if (root / "keys.json").exists() else None
            if found is not None:
                return found.db_key
        raise


def raw_connect(path: Path | str, key: bytes | None = None, **kwargs: Any) -> Any:
    """Like `sqlite3.connect(path)` for a store file (or a backup, or a copy when `key` is given); a file that
    is still plaintext (a fixture from an earlier release) opens as plain SQLite."""
    if key is None and has_plain_header(Path(path)):
        return sqlite3.connect(path, **kwargs)
    return connect_raw(path, key or db_key(path), **kwargs)


def plain_copy(db: Path, dest: Path) -> Path:
    """A decrypted copy of an encrypted store file (what an administrator inspects with the key in hand)."""
    con = raw_connect(db)
    try:
        con.execute("ATTACH DATABASE ? AS plain KEY ''", (str(dest),))
        con.execute("SELECT sqlcipher_export('plain')")
        con.execute("DETACH DATABASE plain")
    finally:
        con.close()
    return dest


def plain_pdf(stored: Path, dest: Path) -> Path:
    """A decrypted copy of a stored (encrypted) document PDF, as an exported or printed file would be."""
    from app.evidence_store import read_sealed

    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(read_sealed(stored))
    return dest

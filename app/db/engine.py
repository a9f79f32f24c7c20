"""SQLite engine: SQLCipher encryption, WAL, foreign keys, busy_timeout, and BEGIN IMMEDIATE for every write.

A store is opened through SQLCipher (the `sqlcipher3` driver, SQLCipher statically linked) with the raw 256-bit
key derived from the store's data key (`app.crypto.keys`): `PRAGMA key = "x'…'"` is the first statement on every
connection, so no page is read before the key is set and no passphrase KDF runs at connect time. `connect_raw`
gives the same keyed DB-API connection to the code that needs one outside SQLAlchemy (probe, backup, migration).
Only `key=None` (used for in-memory databases and for reading a legacy plaintext store once) opens plain SQLite.

pysqlite's own transaction handling is switched off (isolation_level=None) so that SQLAlchemy's `begin` event
can issue the BEGIN itself: `BEGIN IMMEDIATE` for sessions opened by `Store.write()`, a plain deferred `BEGIN`
for readers (which never block writers in WAL mode).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import Engine, create_engine

from app.dbcommon import configure_sqlite

BUSY_TIMEOUT_MS = 5_000  # a foreign lock stalls a write at most this long, then a Chinese message


def cipher_dbapi() -> ModuleType:
    import sqlcipher3.dbapi2 as dbapi

    return dbapi


def dbapi_for(key: bytes | None) -> ModuleType:
    return sqlite3 if key is None else cipher_dbapi()


def connect_raw(target: Path | str, key: bytes | None, *, uri: bool = False, timeout: float = BUSY_TIMEOUT_MS / 1000,
                **kwargs: Any) -> Any:
    """A DB-API connection to `target`, keyed when `key` is given (the key is set before anything is read)."""
    con = dbapi_for(key).connect(str(target), uri=uri, timeout=timeout, **kwargs)
    if key is not None:
        try:
            con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error to report, not stderr's
            con.execute(key_pragma(key))
        except BaseException:
            con.close()
            raise
    return con


def key_pragma(key: bytes, schema: str = "") -> str:
    if len(key) != 32:
        raise ValueError("a SQLCipher raw key has 32 bytes")
    return f"PRAGMA {schema + '.' if schema else ''}key = \"x'{key.hex()}'\""


def make_engine(db_path: Path | str, *, key: bytes | None = None, echo: bool = False) -> Engine:
    memory = str(db_path) == ":memory:"
    url = "sqlite://" if memory else f"sqlite:///{db_path}"
    if key is None or memory:
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
    else:
        from app.crypto.keys import WIPED_MARKER

        wiped = Path(db_path).with_name(WIPED_MARKER)

        def creator() -> Any:
            if wiped.exists():  # revoked and wiped: a late reader must not create a new file
                raise cipher_dbapi().OperationalError("this device was wiped")
            return connect_raw(db_path, key, check_same_thread=False)

        engine = create_engine(url, echo=echo, module=cipher_dbapi(), creator=creator)

    configure_sqlite(engine, busy_timeout_ms=BUSY_TIMEOUT_MS, synchronous="FULL", foreign_keys=True)
    return engine

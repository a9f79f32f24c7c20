"""SQLite engine: WAL, foreign keys, busy_timeout, and BEGIN IMMEDIATE for every write transaction.

pysqlite's own transaction handling is switched off (isolation_level=None) so that SQLAlchemy's `begin` event
can issue the BEGIN itself: `BEGIN IMMEDIATE` for sessions opened by `Store.write()`, a plain deferred `BEGIN`
for readers (which never block writers in WAL mode).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5_000  # a foreign lock stalls a write at most this long, then a Chinese message


def make_engine(db_path: Path | str, *, echo: bool = False) -> Engine:
    url = "sqlite://" if str(db_path) == ":memory:" else f"sqlite:///{db_path}"
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _rec: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine

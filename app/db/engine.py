"""SQLite engine: WAL, foreign keys, busy_timeout, and BEGIN IMMEDIATE for every write transaction.

pysqlite's own transaction handling is switched off (isolation_level=None) so that SQLAlchemy's `begin` event
can issue the BEGIN itself: `BEGIN IMMEDIATE` for sessions opened by `Store.write()`, a plain deferred `BEGIN`
for readers (which never block writers in WAL mode).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine

from app.dbcommon import configure_sqlite

BUSY_TIMEOUT_MS = 5_000  # a foreign lock stalls a write at most this long, then a Chinese message


def make_engine(db_path: Path | str, *, echo: bool = False) -> Engine:
    url = "sqlite://" if str(db_path) == ":memory:" else f"sqlite:///{db_path}"
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    configure_sqlite(engine, busy_timeout_ms=BUSY_TIMEOUT_MS, synchronous="FULL", foreign_keys=True)
    return engine

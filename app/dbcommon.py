"""What the laptop's store and the platform's database share: the UTC datetime column type, `utcnow`, `dbapi` (a
session's DB-API connection for executemany-speed bulk work), and the SQLite connection set-up (pysqlite's own transaction handling off, WAL, busy timeout, synchronous, and the
BEGIN mode each transaction asks for with the `sqlite_begin` execution option).

Pure SQLAlchemy, outside `app.db` on purpose (the platform never imports the client's store or its database
package): `app.models.base` and `app.db.engine` use it for the laptop, `sync.server.storage` for the platform
(which may also run on PostgreSQL, where only the column type applies).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import DateTime, Engine, TypeDecorator, event
from sqlalchemy.orm import Session


def utcnow() -> datetime:
    return datetime.now(UTC)


def dbapi(session: Session) -> Any:
    """The DB-API connection under `session`'s current transaction (sqlite3/sqlcipher3 or psycopg): for bulk
    statements at executemany speed, inside the same transaction as the session's ORM work."""
    conn = session.connection().connection.driver_connection
    if conn is None:  # only a connection already closed has none; a session's current one never is
        raise RuntimeError("the session's connection has no DB-API connection")
    return conn


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; always returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store timezone-aware times only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def configure_sqlite(
    engine: Engine, *, busy_timeout_ms: int, synchronous: Literal["FULL", "NORMAL"], foreign_keys: bool,
    wal: bool = True, default_begin: Literal["DEFERRED", "IMMEDIATE"] = "DEFERRED",
) -> None:
    """Set every new connection of `engine` up and let SQLAlchemy emit the BEGIN itself (which also makes
    SAVEPOINTs work): `BEGIN <sqlite_begin>` when a transaction names a mode, else `default_begin`."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")
        if foreign_keys:
            cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", default_begin)
        conn.exec_driver_sql(f"BEGIN {mode}")

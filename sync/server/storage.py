"""The platform's own database: SQLAlchemy models, the engine helper and transaction helpers.

Tables: `users`, `sessions` (one per device login; only SHA-256 of tokens), `records` (a generic document
store keyed by (entity, id)), `changes` (the commit sequence: one upsert row per record and visible township,
tombstones as "delete" rows), `feed_counter` (the last feed sequence handed out), `mutations` (results by
mutation_id, forever), `uploads` (with the lease that keeps two chunks of one upload apart across workers),
`blobs` (keys relative to the blob store), `blob_access`, `number_blocks`, `rate_limits` (failed sign-ins per
account and per address) and `meta` (key/value: tombstone horizon, receipt HMAC secret …).

Writers run concurrently. A change row is written with `seq` NULL; `write_session` numbers the transaction's
rows in one short serialised step just before COMMIT (`sync.server.feed_watermark.publish_changes`), so feed
sequence numbers become visible in commit order and a puller never skips a late commit. SQLite runs in WAL mode
with write transactions begun with `BEGIN IMMEDIATE` behind a process-wide and a cross-process (flock) gate, so
writers queue in order instead of polling the busy handler (`sqlite_gate`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    func,
    select,
    text,
)
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.dbcommon import UTCDateTime, configure_sqlite, utcnow

INIT_LOCK_KEY = 0x6C78_7401  # PostgreSQL advisory lock held while a process creates or upgrades the schema ("lxt")


class Base(DeclarativeBase):
    __table__: ClassVar[Table]  # every model maps one Table (SQLAlchemy types it as any FromClause)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, Any: JSON}


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(16))  # leader / officer / clerk / centre
    township_id: Mapped[str | None] = mapped_column(String(64))
    officer_id: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeviceSession(Base):
    """One login of one user on one device; tokens are stored as SHA-256 hex digests only."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires: Mapped[datetime]
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_expires: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    rotated: Mapped[bool] = mapped_column(
        Boolean, default=False
    )  # revoked because its refresh token was used
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_sessions_refresh_expires", "refresh_expires"),)


class Record(Base):
    """A synced record as wire data (`data` includes "id"); `township_id` NULL = visible to every team."""

    __tablename__ = "records"

    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    township_id: Mapped[str | None] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    lookup_key: Mapped[str | None] = mapped_column(String(200), index=True)  # documents: "body_id|number"
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ChangeRow(Base):
    """The server commit sequence. At most one row per (entity, entity_id, township_id): a newer change of the
    record replaces the row with a new `seq`. A record that moved to another township leaves a "delete" row
    scoped to the old one. `seq` is NULL only inside the writing transaction: it is assigned from
    `feed_counter` at commit (never reused, commit order)."""

    __tablename__ = "changes"
    __table_args__ = (
        UniqueConstraint("entity", "entity_id", "township_key"),
        Index("ix_changes_township_seq", "township_key", "seq"),
        Index("ix_changes_seq", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    township_id: Mapped[str | None] = mapped_column(String(64))
    township_key: Mapped[str] = mapped_column(
        String(64)
    )  # township_id or "" (NULLs are never equal in UNIQUE)
    op: Mapped[str] = mapped_column(String(8))  # upsert / delete
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedCounter(Base):
    """One row (id 1): the highest feed sequence number ever assigned. Its row lock is the serialised step."""

    __tablename__ = "feed_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class MutationRow(Base):
    __tablename__ = "mutations"

    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Upload(Base):
    __tablename__ = "uploads"

    upload_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    township_id: Mapped[str | None] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    temp_path: Mapped[str] = mapped_column(Text)  # file name inside the upload directory
    evidence_id: Mapped[str | None] = mapped_column(String(64))
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    touched_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # last chunk (abandoned-upload sweep)
    lease_token: Mapped[str | None] = mapped_column(String(32))  # the request writing a chunk now
    lease_until: Mapped[datetime | None]


class Blob(Base):
    """A verified file, content-addressed under its SHA-256."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(Text)  # key inside the blob store (relative, e.g. "ab/ab12…")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlobAccess(Base):
    """Which team uploaded (and may download) a blob; "" stands for the centre."""

    __tablename__ = "blob_access"

    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), primary_key=True)
    township_key: Mapped[str] = mapped_column(String(64), primary_key=True)


class NumberBlockRow(Base):
    __tablename__ = "number_blocks"
    __table_args__ = (Index("ix_number_blocks_counter", "body_id", "doc_type", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    body_id: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str] = mapped_column(String(64))
    township_id: Mapped[str | None] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateLimit(Base):
    """Failed sign-ins of one key ("user:<name>" or "addr:<ip>") in the window that began at `window_start`."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)


class Meta(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---- engine ----------------------------------------------------------------------------------------------


def make_engine(url: str, *, busy_timeout_ms: int = 10_000) -> Engine:
    """An engine for `url`. SQLite: WAL, busy_timeout, and pysqlite's own BEGIN handling off so that
    SQLAlchemy emits `BEGIN IMMEDIATE` (or the mode in the `sqlite_begin` execution option) itself, which
    also makes SAVEPOINTs work."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000})
    configure_sqlite(engine, busy_timeout_ms=busy_timeout_ms, synchronous="NORMAL", foreign_keys=False,
                     wal=":memory:" not in url and url not in ("sqlite://", "sqlite:///"), default_begin="IMMEDIATE")
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def init_db(engine: Engine) -> None:
    """Create missing tables, the feed counter and the receipt HMAC secret (idempotent; several workers may
    start at once)."""
    from sync.server.legacy import upgrade_legacy_schema

    with _init_lock(engine):
        upgrade_legacy_schema(engine)
        Base.metadata.create_all(engine)
        with write_session(engine) as session:
            if session.get(FeedCounter, 1) is None:
                top = session.scalar(select(func.max(ChangeRow.seq))) or 0
                session.add(FeedCounter(id=1, value=int(top)))
            if session.get(Meta, "receipt_secret") is None:
                session.add(Meta(key="receipt_secret", value=secrets.token_hex(32)))


@contextmanager
def _init_lock(engine: Engine) -> Iterator[None]:
    """Serialise schema creation between processes starting together (gunicorn workers): a session-level
    advisory lock on PostgreSQL, the write gate's file lock on SQLite."""
    if engine.dialect.name != "postgresql":
        from sync.server.sqlite_gate import write_gate

        with write_gate(engine):
            yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": INIT_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": INIT_LOCK_KEY})
            conn.commit()


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction (committed on success, rolled back on error). Change rows written in it get
    their feed sequence numbers in the serialised step just before COMMIT."""
    from sync.server.feed_watermark import publish_changes
    from sync.server.sqlite_gate import write_gate

    with write_gate(engine), Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
        publish_changes(session)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """One read-only transaction (SQLite: a deferred BEGIN, so readers never wait for the writer in WAL)."""
    bind = engine.execution_options(sqlite_begin="DEFERRED") if is_sqlite(engine) else engine
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


def affected(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched (`Session.execute` types its result as a plain `Result`)."""
    return cast("CursorResult[Any]", result).rowcount or 0


def get_meta(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(Meta, key)
    return default if row is None else row.value


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value


def receipt_secret(session: Session) -> bytes:
    value = get_meta(session, "receipt_secret")
    if value is None:
        raise RuntimeError("database not initialised (no receipt secret)")
    return bytes.fromhex(value)


def horizon(session: Session) -> int:
    return int(get_meta(session, "tombstone_horizon", "0") or 0)


def max_seq(session: Session) -> int:
    """The highest feed sequence number assigned so far (committed: rows are numbered at commit)."""
    return int(session.scalar(select(FeedCounter.value).where(FeedCounter.id == 1)) or 0)

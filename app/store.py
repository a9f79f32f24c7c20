"""The local store: one SQLite file (plus content-addressed evidence) opened, migrated and handed out as
short read or write sessions.

The Store is the one writer of its file. `Store.write()` first takes the store's writer lock (`WriterLock`: one
write transaction at a time in this process, granted in the order asked for) and then begins with BEGIN
IMMEDIATE; every service does its domain change, its audit event and its outbox row inside one such transaction.
The UI's store worker, the sync engine on the network pool and the search indexer therefore queue here, in
Python, and never on SQLite's busy timeout: a user's save during a long pull waits for the page being applied
(a fraction of a second), not for the pull. SQLite's own lock (and its busy timeout) only guards against another
process. A write inside a write on the same thread is a programming error and raises at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import topics
from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.db.opening import check_before_open, damaged_error, locked_error
from app.errors import StoreError
from app.paths import DataPaths

WRITE_WAIT_S = 30.0  # a write that cannot have the writer lock this long fails with the "busy" message


class WriterLock:
    """A first-come, first-served lock for write transactions (a ticket lock). Not re-entrant: asking again on
    the thread that holds it raises RuntimeError instead of waiting for itself."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._next_ticket = 0
        self._serving = 0
        self._owner: int | None = None
        self._abandoned: set[int] = set()

    def acquire(self, timeout: float = WRITE_WAIT_S) -> bool:
        """Wait for this caller's turn; False (and the turn given up) if it does not come within `timeout`."""
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                raise RuntimeError("Store.write() inside Store.write() on the same thread")
            ticket = self._next_ticket
            self._next_ticket += 1
            if not self._cond.wait_for(lambda: self._serving == ticket, timeout):
                self._abandoned.add(ticket)
                return False
            self._owner = me
            return True

    def release(self) -> None:
        with self._cond:
            self._owner = None
            self._advance()

    def _advance(self) -> None:
        self._serving += 1
        while self._serving in self._abandoned:  # skip the turns of callers that gave up waiting
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._cond.notify_all()


@dataclass
class Store:
    paths: DataPaths
    engine: Engine
    backup_path: Path | None = None
    _reader: sessionmaker[Session] = field(init=False)
    _writer: sessionmaker[Session] = field(init=False)
    writer_lock: WriterLock = field(init=False, default_factory=WriterLock)

    def __post_init__(self) -> None:
        topics.watch(self.engine)  # what each write touches, for the change topics (app.topics.track)
        self._reader = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            bind=self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )

    @classmethod
    def open(cls, paths: DataPaths, *, migrate: bool = True, passphrase: str | None = None) -> Store:
        """Open (creating if needed), decrypt and migrate the store under `paths`. The data key comes from the
        keyring, or from the recovery `passphrase` (`app.crypto.keys`); a plaintext store is encrypted first."""
        from app.crypto.migrate import prepare

        try:
            paths.ensure()
        except OSError as exc:
            raise StoreError(f"无法创建数据目录 {paths.root}：{exc.strerror or exc}", code="data_dir") from exc
        keys = prepare(paths, passphrase)  # no key, no store: there is no plaintext fallback
        check_before_open(paths, keys.db_key)  # nothing below runs on a file that is not ours to write
        engine = make_engine(paths.db, key=keys.db_key)
        backup = None
        try:
            if migrate:
                backup = upgrade(engine, paths.db, paths.backups)
        except StoreError:
            engine.dispose()
            raise
        except OperationalError as exc:
            engine.dispose()
            raise _open_error(paths, exc) from exc
        except DatabaseError as exc:
            engine.dispose()
            raise damaged_error(paths, str(exc.orig)) from exc
        store = cls(paths=paths, engine=engine, backup_path=backup)
        from app.search import install_index_hooks

        install_index_hooks(store)
        if migrate:
            try:
                store.install_audit_key()
            except StoreError as exc:
                store.close()
                raise (locked_error(paths) if exc.code == "busy" else exc) from exc
            except DatabaseError as exc:
                store.close()
                raise damaged_error(paths, str(exc.orig)) from exc
            store.startup_hygiene()
        return store

    def install_audit_key(self) -> None:
        """Load (or create, on first use) the keyring secret that keys this store's audit chain."""
        from app import audit

        audit.install_key(self)

    def startup_hygiene(self) -> None:
        """Sweep what a crash left in the evidence directory (`app.evidence_hygiene`); never fails an open."""
        from app import evidence_hygiene

        try:
            evidence_hygiene.run(self)
        except (OSError, OperationalError):
            import logging

            logging.getLogger(__name__).warning("start-up evidence hygiene skipped", exc_info=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self, *, foreign_keys: bool = True, durable: bool = True) -> Iterator[Session]:
        """A write transaction: the writer lock (in turn), then BEGIN IMMEDIATE; committed on normal exit,
        rolled back on any exception.

        A full disk or a read-only data dir surfaces as StoreError with a Chinese message; nothing is committed.
        `foreign_keys=False` is for applying the platform's change feed, which may deliver a record before one it
        refers to: the checks are off on that connection for this one transaction only. `durable=False` (feed
        pages only, with `foreign_keys=False`) commits without the WAL fsync (`synchronous=NORMAL`): a kill -9
        still loses nothing, a power cut may roll back such a page together with its cursor (it is fetched
        again), and the next durable commit on the store syncs it with everything before it.
        """
        if not self.writer_lock.acquire():
            raise _busy_error()
        try:
            with self._write_session(foreign_keys, durable) as session:
                try:
                    with session.begin():
                        session.connection()  # take SQLite's write lock now, before the caller reads anything
                        yield session
                except OperationalError as exc:
                    raise _store_error(exc) from exc
        finally:
            self.writer_lock.release()

    @contextmanager
    def _write_session(self, foreign_keys: bool, durable: bool = True) -> Iterator[Session]:
        if foreign_keys:
            if not durable:
                raise ValueError("durable=False is for feed pages only (foreign_keys=False)")
            with self._writer() as session:
                yield session
            return
        with self.engine.connect() as conn:
            raw: Any = conn.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction, so before BEGIN
            synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
            if not durable:
                raw.execute("PRAGMA synchronous=NORMAL")
            try:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with self._writer(bind=conn) as session:
                    yield session
            finally:
                if conn.in_transaction():
                    conn.rollback()
                raw.execute("PRAGMA foreign_keys=ON")
                raw.execute(f"PRAGMA synchronous={int(synchronous)}")

    def close(self) -> None:
        self.engine.dispose()


def _open_error(paths: DataPaths, exc: OperationalError) -> StoreError:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return locked_error(paths)
    if "malformed" in text or "not a database" in text:
        return damaged_error(paths, str(exc.orig))
    return StoreError(f"无法打开数据文件 {paths.db}：{exc.orig}", code="open_failed")


def _store_error(exc: OperationalError) -> StoreError:
    text = str(exc.orig).lower()
    if "full" in text:
        return StoreError("磁盘空间已满，本次修改未能保存。请清理磁盘后重试，已输入的内容仍保留在界面上。", code="disk_full")
    if "readonly" in text or "read-only" in text:
        return StoreError("数据目录不可写，本次修改未能保存。请检查数据目录权限。", code="read_only")
    if "locked" in text or "busy" in text:
        return _busy_error()
    return StoreError(f"保存失败：{exc.orig}", code="write_failed")


def _busy_error() -> StoreError:
    return StoreError("数据库正忙（可能被其他程序占用），本次修改未能保存，请稍后重试。已输入的内容仍保留在界面上。",
                      code="busy")


def listen_flush(store: Store, fn: Callable[..., Any]) -> None:
    """Register an `after_flush` hook on every session the store hands out."""
    event.listen(store._reader, "after_flush", fn)
    event.listen(store._writer, "after_flush", fn)

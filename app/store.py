"""The local store: one SQLite file (plus content-addressed evidence) opened, migrated and handed out as
short read or write sessions.

`Store.write()` begins with BEGIN IMMEDIATE so that two writers never deadlock half-way through; every service
does its domain change, its audit event and its outbox row inside one such transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import make_engine
from app.db.migrate import upgrade
from app.db.opening import check_before_open, damaged_error, locked_error
from app.errors import StoreError
from app.paths import DataPaths


@dataclass
class Store:
    paths: DataPaths
    engine: Engine
    backup_path: Path | None = None
    _reader: sessionmaker[Session] = field(init=False)
    _writer: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
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
    def write(self, *, foreign_keys: bool = True) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE), committed on normal exit, rolled back on any exception.

        A full disk or a read-only data dir surfaces as StoreError with a Chinese message; nothing is committed.
        `foreign_keys=False` is for applying the platform's change feed, which may deliver a record before one it
        refers to: the checks are off on that connection for this one transaction only.
        """
        with self._write_session(foreign_keys) as session:
            try:
                with session.begin():
                    session.connection()  # take the write lock now, before the caller reads anything
                    yield session
            except OperationalError as exc:
                raise _store_error(exc) from exc

    @contextmanager
    def _write_session(self, foreign_keys: bool) -> Iterator[Session]:
        if foreign_keys:
            with self._writer() as session:
                yield session
            return
        with self.engine.connect() as conn:
            raw: Any = conn.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction, so before BEGIN
            try:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with self._writer(bind=conn) as session:
                    yield session
            finally:
                if conn.in_transaction():
                    conn.rollback()
                raw.execute("PRAGMA foreign_keys=ON")

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
        return StoreError("数据库正忙（可能被其他程序占用），本次修改未能保存，请稍后重试。已输入的内容仍保留在界面上。",
                          code="busy")
    return StoreError(f"保存失败：{exc.orig}", code="write_failed")


def listen_flush(store: Store, fn: object) -> None:
    """Register an `after_flush` hook on every session the store hands out."""
    event.listen(store._reader, "after_flush", fn)
    event.listen(store._writer, "after_flush", fn)

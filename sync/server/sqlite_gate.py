"""The write gate of a SQLite platform database: writers queue instead of polling SQLite's busy handler.

SQLite allows one writer at a time. Its busy handler makes a waiting writer sleep and retry, which is unfair
under load (a writer can lose every race until its busy timeout ends in a 503). So before `BEGIN IMMEDIATE`
a writer takes a process-wide lock and, for a database file, an exclusive `flock` on `<db>.writelock` that
every worker process shares: waiting writers block in the kernel and are woken as soon as the writer before
them commits. PostgreSQL needs no gate (row locks and the feed's serialised numbering step suffice).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Engine

try:  # POSIX only; elsewhere SQLite's busy timeout alone orders writers
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # no module: callers test for None

_gates: dict[str, _Gate] = {}
_gates_lock = threading.Lock()


class _Gate:
    """One database file's gate in this process: an RLock (re-entrant for nested write sessions of one
    thread) and, while the outermost holder has it, an exclusive flock on the lock file."""

    def __init__(self, lock_path: str | None) -> None:
        self.lock = threading.RLock()
        self.lock_path = lock_path if fcntl is not None else None
        self.depth = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.lock:
            fd: int | None = None
            if self.depth == 0 and self.lock_path is not None:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if fd is not None:
                    os.close(fd)  # closing the descriptor releases the flock


def _db_file(engine: Engine) -> str | None:
    database: Any = engine.url.database
    if not database or database == ":memory:" or str(database).startswith("file::memory:"):
        return None
    return os.path.abspath(str(database))


def _gate_for(engine: Engine) -> _Gate:
    path = _db_file(engine)
    key = path or f"memory:{id(engine)}"
    with _gates_lock:
        gate = _gates.get(key)
        if gate is None:
            gate = _gates[key] = _Gate(None if path is None else path + ".writelock")
        return gate


def write_gate(engine: Engine) -> Any:
    """Context manager held around one write transaction: the gate for SQLite, nothing for other databases."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    return _gate_for(engine).held()

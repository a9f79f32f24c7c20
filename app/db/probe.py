"""Look at a store file before opening it for real — without writing a byte.

`probe` reads the header and `alembic_version` through a read-only connection (`mode=ro`, and `immutable=1`
when no WAL file exists, which also ignores other programs' locks), so that a file that is not a database, a
corrupt file or a file from a newer release is recognised before any pragma that writes (journal_mode=WAL)
runs. `Store.open` refuses those with a Chinese message and keeps the file byte-identical.
(With encryption at rest the header check belongs to the driver that can read the file.)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Probe:
    state: str  # missing / ok / not_database / corrupt
    revision: str | None = None
    detail: str = ""


def probe(db_path: Path) -> Probe:
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
    if header != HEADER:
        return Probe("not_database", detail="header")
    wal = path.with_name(path.name + "-wal")
    flags = "mode=ro" if wal.exists() and wal.stat().st_size > 0 else "mode=ro&immutable=1"
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=1.0)
    except sqlite3.Error as exc:  # cannot even look (permissions …): let the real open report it
        return Probe("ok", None, detail=str(exc))
    try:
        names = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
        revision = None
        if "alembic_version" in names:
            row = con.execute("select version_num from alembic_version").fetchone()
            revision = row[0] if row else None
        return Probe("ok", revision)
    except sqlite3.OperationalError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            return Probe("corrupt", detail=str(exc))
        return Probe("ok", None, detail=str(exc))  # locked, unreadable dir …: the real open reports it
    except sqlite3.DatabaseError as exc:
        return Probe("corrupt", detail=str(exc))
    finally:
        con.close()


def quick_check(db_path: Path) -> bool:
    """A backup is usable when SQLite's quick_check passes on it (read-only)."""
    try:
        con = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        return [r[0] for r in con.execute("PRAGMA quick_check")] == ["ok"]
    except sqlite3.DatabaseError:
        return False
    finally:
        con.close()

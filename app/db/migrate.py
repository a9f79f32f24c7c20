"""Start-up migration: refuse a DB from a newer schema, back the file up, then upgrade to head.

Follows Vorta/Electrum: the store is migrated before any window opens; a copy of the file is taken with
SQLite's online-backup API first; a file written by a newer release is left untouched with a clear message.

Start-up fast path: the store's revision is read with plain SQL from `alembic_version` and compared with
`HEAD_REVISION`, the code's head kept as a constant (tests/app/test_migrations.py checks it against the
scripts). When they agree — every start but the first after an upgrade — Alembic is neither imported nor
are its scripts parsed (that cost 115–142 ms per start).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from app.db.engine import connect_raw
from app.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: the newest migration's revision id: update it with every new migration (a test fails until you do)
HEAD_REVISION = "0009"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def _scripts() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The head according to the migration scripts (parses them; `HEAD_REVISION` is the cheap answer)."""
    head = _scripts().get_current_head()
    assert head is not None
    return str(head)


def current_revision(engine: Engine) -> str | None:
    """The store's revision, read with plain SQL (None for a new, empty store)."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except OperationalError as exc:
            if "no such table" in str(exc.orig):  # nothing migrated yet
                return None
            raise
    if len(rows) > 1:
        raise StoreError("数据文件的结构版本记录异常（存在多个版本号），无法打开。数据文件未作任何改动。",
                         code="schema_branches")
    return str(rows[0]) if rows else None


def known_revisions() -> set[str]:
    return {s.revision for s in _scripts().walk_revisions()}


def newer_schema_error(revision: str) -> StoreError:
    return StoreError(
        f"此数据文件由更新版本的联巡通写入（数据结构版本 {revision}），当前版本无法打开。"
        "请安装最新版本后再打开；数据文件未作任何改动。",
        code="newer_schema",
    )


def backup_database(db_path: Path, backup_dir: Path, revision: str | None, key: bytes | None = None) -> Path:
    """Copy the live DB (WAL included) to the backup dir with SQLite's online-backup API — encrypted with the
    same key as the store (the unlocked store's key unless `key` is given)."""
    from app.crypto.keys import db_key_for

    key = key if key is not None else db_key_for(db_path)
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = backup_dir / f"lianxuntong-{revision or 'empty'}-{stamp}.db"
    src = connect_raw(db_path, key)
    try:
        dst = connect_raw(dest, key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def upgrade(engine: Engine, db_path: Path | None, backup_dir: Path | None, target: str = "head") -> Path | None:
    """Bring the store to `target`. Returns the backup path when one was taken."""
    current = current_revision(engine)
    if current == HEAD_REVISION and target == "head":
        return None  # the fast path: no Alembic import, no script parse
    if current is not None and current not in known_revisions():
        raise newer_schema_error(current)
    if current == head_revision() and target == "head":
        return None
    backup: Path | None = None
    if current is not None and db_path is not None and backup_dir is not None:
        backup = backup_database(db_path, backup_dir, current)
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return backup

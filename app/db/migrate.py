"""Start-up migration: refuse a DB from a newer schema, back the file up, then upgrade to head.

Follows Vorta/Electrum: the store is migrated before any window opens; a copy of the file is taken with
SQLite's online-backup API first; a file written by a newer release is left untouched with a clear message.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.errors import StoreError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def newer_schema_error(revision: str) -> StoreError:
    return StoreError(
        f"此数据文件由更新版本的联巡通写入（数据结构版本 {revision}），当前版本无法打开。"
        "请安装最新版本后再打开；数据文件未作任何改动。",
        code="newer_schema",
    )


def backup_database(db_path: Path, backup_dir: Path, revision: str | None) -> Path:
    """Copy the live DB (WAL included) to the backup dir with SQLite's online-backup API."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = backup_dir / f"lianxuntong-{revision or 'empty'}-{stamp}.db"
    src = sqlite3.connect(db_path)
    try:
        dst = sqlite3.connect(dest)
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
    if current is not None and current not in known_revisions():
        raise newer_schema_error(current)
    if current == head_revision() and target == "head":
        return None
    backup: Path | None = None
    if current is not None and db_path is not None and backup_dir is not None:
        backup = backup_database(db_path, backup_dir, current)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return backup

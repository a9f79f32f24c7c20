"""Restoring the newest backup after a damaged store file: the damaged file (and its WAL) is moved aside under
a new name, the newest backup that passes SQLite's quick_check is *copied* into place (a backup is never moved
or overwritten), fsynced, and the store then opens as usual (migrating the copy when it is older)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.db.probe import quick_check
from app.errors import StoreError
from app.paths import DataPaths


@dataclass(frozen=True)
class Restored:
    backup: Path
    damaged_aside: Path | None


def backups(backup_dir: Path) -> list[Path]:
    """Backups, newest first."""
    if not backup_dir.is_dir():
        return []
    found = [p for p in backup_dir.glob("lianxuntong-*.db") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def newest_usable_backup(backup_dir: Path) -> Path | None:
    """The newest backup that passes quick_check (read with the unlocked store's key)."""
    from app.crypto.keys import db_key_for

    key = db_key_for(backup_dir)
    return next((p for p in backups(backup_dir) if quick_check(p, key)), None)


def restore_newest_backup(paths: DataPaths) -> Restored:
    from app.crypto import keys

    if keys.db_key_for(paths.backups) is None:  # the CLI restores without opening the store: unlock first
        found = keys.unlock(paths)
        if found is not None:
            keys.register(paths, found)
    backup = newest_usable_backup(paths.backups)
    if backup is None:
        raise StoreError("没有可用的备份（备份目录为空或备份也已损坏），无法自动恢复。请联系技术支持。",
                         code="no_backup")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside: Path | None = None
    try:
        if paths.db.exists():
            aside = paths.db.with_name(f"{paths.db.name}.damaged-{stamp}")
            os.replace(paths.db, aside)
            for suffix in ("-wal", "-shm"):
                side = paths.db.with_name(paths.db.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
        tmp = paths.db.with_name(f".{paths.db.name}.restoring-{stamp}")
        shutil.copyfile(backup, tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, paths.db)
    except OSError as exc:
        raise StoreError(f"恢复备份失败：{exc.strerror or exc}。损坏的文件已保留，请联系技术支持。",
                         code="restore_failed") from exc
    return Restored(backup, aside)

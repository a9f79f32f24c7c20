"""What `Store.open` says when a store file cannot be opened: not a database or corrupt (with the offer to
restore the newest backup: `StoreError.code == "damaged"`), written by a newer release (left byte-identical),
or locked by another program (after the busy timeout)."""

from __future__ import annotations

from datetime import datetime

from app.db.migrate import HEAD_REVISION, known_revisions, newer_schema_error
from app.db.probe import probe
from app.db.restore import newest_usable_backup
from app.errors import StoreError
from app.paths import DataPaths

DAMAGED_WHAT = {"not_database": "不是联巡通的数据库文件", "corrupt": "文件内容已损坏"}


def check_before_open(paths: DataPaths, key: bytes | None = None) -> None:
    """Probe the file read-only (through SQLCipher with `key`); refuse a damaged or newer-schema file before
    anything writes to it."""
    found = probe(paths.db, key)
    if found.state in DAMAGED_WHAT:
        raise damaged_error(paths, found.detail, what=DAMAGED_WHAT[found.state])
    # the head itself is known without parsing the scripts (the start-up fast path imports no Alembic)
    if found.revision not in (None, HEAD_REVISION) and found.revision not in known_revisions():
        raise newer_schema_error(found.revision)


def check_plaintext(paths: DataPaths) -> None:
    """The same refusals for a plaintext store from before encryption, before it is encrypted."""
    check_before_open(paths, None)


def damaged_error(paths: DataPaths, detail: str = "", *, what: str = "文件内容已损坏") -> StoreError:
    backup = newest_usable_backup(paths.backups)
    if backup is not None:
        when = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        offer = (f"可以从最新的备份（{when}）恢复：损坏的文件会另存保留，备份本身不会被改动。"
                 "恢复后，备份之后录入的内容需要重新录入或从平台重新同步。")
    else:
        offer = "没有找到可用的备份，请联系技术支持；请勿删除该文件。"
    return StoreError(f"数据文件 {paths.db} 无法打开：{what}。{offer}", code="damaged")


def locked_error(paths: DataPaths) -> StoreError:
    return StoreError(
        f"数据文件 {paths.db} 正被其他程序占用（可能是另一个联巡通窗口，或备份、同步盘软件），等待后仍无法使用。"
        "请关闭该程序后重新打开联巡通；数据未作任何改动。",
        code="locked",
    )

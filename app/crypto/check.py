"""Is this store really encrypted at rest? The frozen build's self-test asks (`ui/selftest.py`): the store file
has no plain SQLite header and plain SQLite cannot read it, every evidence file is sealed, and the open
connection is SQLCipher's."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from app.crypto.blobs import is_sealed
from app.db.probe import has_plain_header

if TYPE_CHECKING:
    from app.store import Store


def check_encrypted(store: Store) -> str:
    """A one-line Chinese summary when all holds; RuntimeError naming what does not."""
    db = store.paths.db
    if has_plain_header(db):
        raise RuntimeError("数据库文件未加密（存在明文 SQLite 文件头）")
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        con.execute("select count(*) from sqlite_master").fetchone()
        raise RuntimeError("数据库文件可被不带密钥的 SQLite 读取")
    except sqlite3.DatabaseError:
        pass
    finally:
        con.close()
    blobs = [p for p in store.paths.evidence.rglob("*") if p.is_file()]
    plain = [p.name[:12] for p in blobs if not is_sealed(p)]
    if not blobs or plain:
        raise RuntimeError(f"证据文件未加密：{', '.join(plain) or '没有证据文件'}")
    with store.engine.connect() as conn:
        version = conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    if not version:
        raise RuntimeError("数据库连接未经 SQLCipher 打开")
    return f"SQLCipher {version}，数据库已加密，证据文件 {len(blobs)} 个已加密"

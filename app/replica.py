"""The laptop's side of the replica checksums: its own sums per entity, and the stored result of the last
comparison with the platform (written by `sync.replica` after a sync, read by `verify` and the diagnostics).

Records the platform cannot have yet — created here and not acknowledged, or kept here after the platform
deleted them (an open "deleted" conflict) — are left out of the sums; every other record counts with the
version it was last pulled at, exactly what the feed delivered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.entities import SPECS
from app.models.base import VersionedMixin
from app.rules.checksum import CHECKSUM_MOD, record_hash

CHECK_KEY = "replica_check"  # sync_state key of the last comparison (JSON)


def versioned(entity: str) -> bool:
    """Whether this laptop keeps the sync version of `entity`'s records (else the `ids` sum is compared)."""
    return issubclass(SPECS[entity].model, VersionedMixin)


def local_sums(
    session: Session, entities: Iterable[str] | None = None, exclude: set[tuple[str, str]] | None = None
) -> dict[str, dict[str, int]]:
    """{entity: {count, checksum, ids}} over the local store (`exclude`: (entity, id) left out)."""
    exclude = exclude or set()
    out: dict[str, dict[str, int]] = {}
    for entity in entities or SPECS:
        model: Any = SPECS[entity].model
        pk = model.__table__.primary_key.columns.values()[0]
        has_version = versioned(entity)
        cols = [pk, model.version] if has_version else [pk]
        n = c = i = 0
        for row in session.execute(select(*cols)):
            key = str(row[0])
            if (entity, key) in exclude:
                continue
            n += 1
            c += record_hash(entity, key, row[1] if has_version else None)
            i += record_hash(entity, key, None)
        out[entity] = {"count": n, "checksum": c % CHECKSUM_MOD, "ids": i % CHECKSUM_MOD}
    return out


def last_check(session: Session) -> dict[str, Any] | None:
    row = session.get(m.SyncState, CHECK_KEY)
    if row is None:
        return None
    try:
        value = json.loads(row.value)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def describe(check: dict[str, Any] | None) -> list[str]:
    """Chinese lines for a person: the last comparison's outcome."""
    if not check:
        return ["副本校验：尚无记录（同步一次后会与平台核对）"]
    at, status = check.get("at", "?"), check.get("status")
    if status == "skipped":
        return [f"副本校验（{at}）：平台数据在核对时已更新，下次同步时再核对"]
    lines = []
    repaired = check.get("repaired", {})
    differs = check.get("differs", {})
    head = f"副本校验（{at}，游标 {check.get('cursor')}）：{check.get('entities', 0)} 类数据"
    if not repaired and not differs:
        lines.append(head + "，与平台一致")
    else:
        lines.append(head + f"，{len(repaired)} 类经重新获取已修复，{len(differs)} 类仍不一致")
    for entity, n in sorted(repaired.items()):
        lines.append(f"  已修复 {entity}：重新获取 {n} 条记录")
    for entity, why in sorted(differs.items()):
        lines.append(f"  不一致 {entity}：{why}")
    return lines

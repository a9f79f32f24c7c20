"""Replica checksums (as PowerSync's bucket checksums): what a caller's feed holds, per scope, at a cursor.

A scope is one township key ("" = the global records) × one entity. Its records are the feed's current upserts
— the `changes` rows with op "upsert" in that township key up to the visible head — and its checksum is the sum
mod 2^64 of `app.rules.checksum.record_hash(entity, id, version)` (plus the same sum without versions, for records a
laptop keeps without one, and the count). A laptop that applied the feed up to the same cursor holds exactly
those records at those versions, so its own sums must agree; where they do not, it re-fetches the entity with
`scope_rows` (every current record of the entity visible to it, ordered by id, paged by id).
"""

from __future__ import annotations

from sqlalchemy import Text, and_, cast, select
from sqlalchemy.orm import Session

from app.rules.checksum import CHECKSUM_MOD, record_hash
from sync.server.feed import encode_rows
from sync.server.feed_watermark import visible_head
from sync.server.storage import ChangeRow, Record


def checksums(session: Session, scopes: tuple[str, ...] | None) -> tuple[int, dict[str, dict[str, int]]]:
    """(visible head, {"township_key/entity": {count, checksum, ids}}) over `scopes` (None = all)."""
    head = visible_head(session)
    query = select(ChangeRow.township_key, ChangeRow.entity, ChangeRow.entity_id, ChangeRow.version).where(
        ChangeRow.op == "upsert", ChangeRow.seq <= head
    )
    if scopes is not None:
        query = query.where(ChangeRow.township_key.in_(scopes))
    sums: dict[str, list[int]] = {}
    for key, entity, entity_id, version in session.execute(query):
        acc = sums.setdefault(f"{key}/{entity}", [0, 0, 0])
        acc[0] += 1
        acc[1] += record_hash(entity, entity_id, version)
        acc[2] += record_hash(entity, entity_id, None)
    return head, {
        scope: {"count": n, "checksum": c % CHECKSUM_MOD, "ids": i % CHECKSUM_MOD}
        for scope, (n, c, i) in sorted(sums.items())
    }


def scope_rows(session: Session, scopes: tuple[str, ...] | None, entity: str, after: str, limit: int) -> bytes:
    """One `ScopePage` body: up to `limit` current records of `entity` with id > `after`, ordered by id."""
    head = visible_head(session)
    query = (
        select(ChangeRow.seq, ChangeRow.entity, ChangeRow.entity_id, ChangeRow.op, ChangeRow.version,
               cast(Record.data, Text))
        .join(Record, and_(Record.entity == ChangeRow.entity, Record.id == ChangeRow.entity_id))
        .where(ChangeRow.entity == entity, ChangeRow.entity_id > after, ChangeRow.op == "upsert",
               ChangeRow.seq <= head)
        .order_by(ChangeRow.entity_id)
        .limit(limit + 1)
    )
    if scopes is not None:
        query = query.where(ChangeRow.township_key.in_(scopes))
    rows = [tuple(r) for r in session.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    next_after = rows[-1][2] if more else None
    return encode_rows(rows, {"next_after": next_after, "cursor": head})  # type: ignore[arg-type]  # the feed's row shape (seq, entity, id, op, version, data)

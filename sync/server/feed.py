"""The change feed's read path: one page of changes after a cursor, built as response bytes.

A team sees two scopes of the feed — the global one (`township_key = ''`, records every team sees) and its own
township's; the centre sees every scope. Each scope is read as its own ordered range on the index
`ix_changes_township_seq (township_key, seq)` with the LIMIT inside the range, and the (at most two) ranges are
merged in Python. A page therefore costs O(limit) index steps whatever the length of the feed, where the former
`township_key IN ('', t) ORDER BY seq LIMIT n` had the database collect and sort every remaining row of both
scopes for every page (quadratic over a full pull). The query plans are in docs/sync-performance.md.

Stored record JSON is passed through as text (`CAST(data AS TEXT)`): the platform wrote it itself through
`sync.server.records` (which always puts "id" into it), so it is not decoded, re-validated and re-encoded per
request; the page envelope around it is written by hand. Pages are gzip-compressed when the client accepts it.

The feed never shows a sequence number above `storage.visible_head(session)` — the "visible up to" watermark
that the write path defines (today the highest committed sequence).
"""

from __future__ import annotations

import gzip
import heapq
import json
from typing import Any

from sqlalchemy import Select, Text, and_, cast, select
from sqlalchemy.orm import Session

from sync.server.feed_watermark import visible_head
from sync.server.storage import ChangeRow, Record

GZIP_OVER = 1024  # bytes; smaller bodies are sent as they are
GZIP_LEVEL = 1  # measured: level 1 shrinks a page ~8× at a fraction of level 6's CPU (docs/sync-performance.md)

_Row = tuple[int, str, str, str, int, str | None]


def scope_query(
    scope: str | None, cursor: int, head: int, limit: int, hidden: tuple[str, ...] = ()
) -> Select[*tuple[Any, ...]]:
    """Up to `limit` changes of one scope (`None` = every scope, for the centre) with cursor < seq ≤ head,
    in sequence order: (seq, entity, entity_id, op, version, stored data as JSON text)."""
    query = (
        select(
            ChangeRow.seq, ChangeRow.entity, ChangeRow.entity_id, ChangeRow.op, ChangeRow.version,
            cast(Record.data, Text),
        )
        .join(Record, and_(Record.entity == ChangeRow.entity, Record.id == ChangeRow.entity_id))
        .where(ChangeRow.seq > cursor, ChangeRow.seq <= head)
        .order_by(ChangeRow.seq)
        .limit(limit)
    )
    if scope is not None:
        query = query.where(ChangeRow.township_key == scope)
    if hidden:  # entities this caller may not receive (complainants' identities: policy.IDENTITY_ROLES)
        query = query.where(ChangeRow.entity.notin_(hidden))
    return query


def scope_range(
    session: Session, scope: str | None, cursor: int, head: int, limit: int, hidden: tuple[str, ...] = ()
) -> list[_Row]:
    """The rows of `scope_query`."""
    return [tuple(r) for r in session.execute(scope_query(scope, cursor, head, limit, hidden))]


def page_rows(
    session: Session, scopes: tuple[str, ...] | None, cursor: int, limit: int, hidden: tuple[str, ...] = ()
) -> tuple[list[_Row], bool]:
    """The first `limit` changes after `cursor` over `scopes` (None = all), leaving out `hidden` entities,
    and whether more follow."""
    head = visible_head(session)
    if scopes is None:
        ranges = [scope_range(session, None, cursor, head, limit + 1, hidden)]
    else:
        ranges = [scope_range(session, s, cursor, head, limit + 1, hidden) for s in dict.fromkeys(scopes)]
    merged = list(heapq.merge(*ranges)) if len(ranges) > 1 else ranges[0]
    return merged[:limit], len(merged) > limit


def encode_page(rows: list[_Row], cursor: int, has_more: bool, head: int) -> bytes:
    """The `ChangesPage` JSON of `rows`, with each record's stored JSON inserted verbatim; `head` is the feed's
    advertised head (a client refuses a next_cursor beyond it)."""
    next_cursor = rows[-1][0] if rows else cursor
    return encode_rows(rows, {"next_cursor": int(next_cursor), "has_more": has_more, "head": int(head)})


def encode_rows(rows: list[_Row], tail: dict[str, Any]) -> bytes:
    """`{"changes": [...], **tail}` as JSON bytes; each upsert's stored record JSON goes in as it is."""
    dumps = json.dumps
    parts = [
        f'{{"entity":{dumps(entity)},"id":{dumps(entity_id)},"version":{int(version)},"op":{dumps(op)},'
        f'"data":{data if op == "upsert" and data is not None else "null"}}}'
        for _seq, entity, entity_id, op, version, data in rows
    ]
    rest = "".join(f",{dumps(k)}:{dumps(v)}" for k, v in tail.items())
    return f'{{"changes":[{",".join(parts)}]{rest}}}'.encode()


def maybe_gzip(body: bytes, accept_encoding: str) -> tuple[bytes, dict[str, str]]:
    """(body, extra headers): gzip when the client accepts it and the body is worth it."""
    headers = {"Vary": "Accept-Encoding"}
    if len(body) > GZIP_OVER and "gzip" in accept_encoding.lower():
        headers["Content-Encoding"] = "gzip"
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0), headers
    return body, headers


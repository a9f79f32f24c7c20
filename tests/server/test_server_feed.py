"""The feed's read path (sync.server.feed): one index range per scope, stored JSON passed through, gzip."""

from __future__ import annotations

import gzip
import json
from typing import Any

from server_helpers import XD, login
from sqlalchemy import text
from starlette.testclient import TestClient

from sync.protocol import ChangesPage
from sync.server.feed import encode_page, maybe_gzip, page_rows, scope_query, scope_range
from sync.server.feed_watermark import visible_head
from sync.server.storage import read_session


def test_a_page_is_the_ordered_merge_of_the_two_scopes(engine: Any) -> None:
    with read_session(engine) as session:
        head = visible_head(session)
        glob = scope_range(session, "", 0, head, 10_000)
        own = scope_range(session, XD, 0, head, 10_000)
        rows, more = page_rows(session, ("", XD), 0, 10_000)
        assert not more and rows == sorted(glob + own)
        first, more = page_rows(session, ("", XD), 0, 5)
        assert more and first == rows[:5]
        rest, _ = page_rows(session, ("", XD), first[-1][0], 10_000)
        assert first + rest == rows


def test_the_body_is_a_valid_page_with_the_stored_record_verbatim(engine: Any) -> None:
    with read_session(engine) as session:
        rows, more = page_rows(session, ("", XD), 0, 50)
        stored = dict(session.execute(text("SELECT entity || '/' || id, data FROM records")).all())
    page = ChangesPage.model_validate_json(encode_page(rows, 0, more, rows[-1][0]))
    assert len(page.changes) == len(rows) and page.has_more == more and page.next_cursor == rows[-1][0]
    for change in page.changes:
        raw = stored[f"{change.entity}/{change.id}"]
        expected = json.loads(raw) if isinstance(raw, str) else raw
        assert change.data == expected and change.data["id"] == change.id
    assert page.head == rows[-1][0]
    empty = json.loads(encode_page([], 7, False, 9))
    assert empty == {"changes": [], "next_cursor": 7, "has_more": False, "head": 9}


def test_pages_are_gzipped_when_the_client_accepts_it(client: TestClient) -> None:
    headers = login(client, "centre.admin")
    zipped = client.get("/api/v1/sync/changes", headers={**headers, "Accept-Encoding": "gzip"})
    plain = client.get("/api/v1/sync/changes", headers={**headers, "Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert int(zipped.headers["content-length"]) < len(plain.content) / 2
    assert zipped.json() == plain.json()
    body, hdrs = maybe_gzip(plain.content, "gzip, deflate")
    assert gzip.decompress(body) == plain.content and hdrs["Content-Encoding"] == "gzip"
    assert maybe_gzip(b"{}", "gzip") == (b"{}", {"Vary": "Accept-Encoding"})


def test_each_scope_is_one_index_range_without_a_sort(engine: Any) -> None:
    """The plan walks ix_changes_township_seq for one township_key and stops at the LIMIT: no temp b-tree."""
    if engine.dialect.name != "sqlite":
        return
    with read_session(engine) as session:
        stmt = _compiled(session, XD)
        plan = " | ".join(r[3] for r in session.execute(text(f"EXPLAIN QUERY PLAN {stmt}")))
    assert "ix_changes_township_seq" in plan, plan
    assert "TEMP B-TREE" not in plan, plan



def _compiled(session: Any, scope: str) -> str:
    query = scope_query(scope, 0, 10**9, 100)
    return str(query.compile(session.bind, compile_kwargs={"literal_binds": True}))


def test_checksums_cover_the_callers_scopes_and_match_the_feed(client: TestClient) -> None:
    from server_helpers import YH, pull_all

    from app.rules.checksum import CHECKSUM_MOD, record_hash
    from sync.protocol import Checksums, ScopePage

    headers = login(client, "yinhu.leader")
    state, cursor = pull_all(client, headers)
    sums = Checksums.model_validate(client.get("/api/v1/sync/checksums", headers=headers).json())
    assert sums.cursor >= cursor and {k.split("/")[0] for k in sums.scopes} == {"", YH}
    by_entity: dict[str, list[int]] = {}
    for (entity, rid), change in state.items():
        acc = by_entity.setdefault(entity, [0, 0])
        acc[0] += 1
        acc[1] = (acc[1] + record_hash(entity, rid, change["version"])) % CHECKSUM_MOD
    for entity, (n, checksum) in by_entity.items():
        scopes = [s for k, s in sums.scopes.items() if k.endswith(f"/{entity}")]
        assert sum(s.count for s in scopes) == n
        assert sum(s.checksum for s in scopes) % CHECKSUM_MOD == checksum
    ids, after = [], ""
    while True:  # the scope endpoint pages one entity by id: the same records as the feed
        page = ScopePage.model_validate(client.get("/api/v1/sync/scope", headers=headers,
                                                   params={"entity": "matter", "after": after, "limit": 1}).json())
        ids += [c.id for c in page.changes]
        if page.next_after is None:
            break
        after = page.next_after
    assert ids == sorted(i for (e, i) in state if e == "matter") and len(ids) > 1

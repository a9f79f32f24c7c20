"""Number-block prefetch (enough unused 文号 per counter on this device, never overlapping another device's) and
team isolation through the client: team A's token neither reads nor writes team B's data."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from app import changes
from app.models import Document, NumberBlock, OutboxEntry, Target, Task, Township
from sync.numbers import current_year, default_keys, ensure_blocks, free_numbers
from sync.protocol import UploadCreate, UploadState
from sync.server.storage import Record, read_session
from sync.transport import ForbiddenError, RequestRejected
from tests.sync.helpers import Laptop, synced


def _blocks(lap: Laptop) -> list[tuple[str, str, int, int, int]]:
    with lap.store.read() as s:
        return sorted((b.body_id, b.doc_type, b.year, b.start, b.end) for b in s.scalars(select(NumberBlock)))


def test_prefetch_keeps_enough_numbers_and_devices_never_overlap(laptop_factory: Callable[..., Laptop]) -> None:
    one = laptop_factory("clerk-1", "xindeng.clerk")
    two = laptop_factory("clerk-2", "xindeng.clerk")
    rep = synced(one.sync(prefetch_numbers=True))
    with one.store.read() as s:
        keys = default_keys(s, one.user, current_year())
        assert (one.user.township_id, "correction_order", current_year()) in keys  # an empowered township: its own name
        assert len({k[0] for k in keys}) >= 2  # and departments for the matters it may not enforce itself
    assert rep.blocks_fetched >= len(keys)
    year = current_year()
    with one.store.read() as s:
        assert all(free_numbers(s, body, doc, year) >= 20 for body, doc, _y in keys)
    assert synced(one.sync(prefetch_numbers=True)).blocks_fetched == 0

    body, doc_type = keys[0][0], keys[0][1]
    with one.store.write() as s:
        twp = s.get(Township, one.user.township_id)
        assert twp is not None
        for n in range(1, 41):
            s.add(Document(doc_type=doc_type, body_kind="township", body_id=body, body_legal_name=twp.legal_name,
                           seal_name=twp.seal_name, number_prefix=twp.number_prefix, year=year, seq=n,
                           status="issued", township_id=twp.id))
    assert ensure_blocks(one.store, one.auth, [(body, doc_type, year)], 20, device_id=one.auth.device_id or "") == 1
    with one.store.read() as s:
        assert free_numbers(s, body, doc_type, year) >= 20

    synced(two.sync(prefetch_numbers=True))
    mine = [b for b in _blocks(one) if b[:2] == (body, doc_type)]
    theirs = [b for b in _blocks(two) if b[:2] == (body, doc_type)]
    taken = [n for b in mine + theirs for n in range(b[3], b[4] + 1)]
    assert len(taken) == len(set(taken))


def test_team_a_cannot_read_or_write_team_b(laptop_factory: Callable[..., Laptop], server: Any) -> None:
    a = laptop_factory("a", "xindeng.leader")
    b = laptop_factory("b", "yinhu.leader")
    synced(a.sync())
    synced(b.sync())
    a_twp, b_twp = a.user.township_id, b.user.township_id
    with a.store.read() as s:
        assert set(s.scalars(select(Task.township_id).distinct())) == {a_twp}
        assert set(s.scalars(select(Target.township_id).distinct())) == {a_twp}
    task_b = b.open_task_ids()[0]

    with a.store.write() as s:  # a crafted change of team B's instruction, queued on team A's laptop
        changes.record_custom_update(s, entity="task", entity_id=task_b, fields={"notes": "越权修改"},
                                     base={"notes": ""}, base_version=1, actor=a.user.actor, reason="test")
    rep = a.sync()
    assert rep.rejected == 1
    with a.store.read() as s:
        row = s.scalars(select(OutboxEntry)).one()
    assert row.state == "parked" and row.last_error
    with read_session(server.engine) as s:
        rec = s.get(Record, ("task", task_b))
        assert rec is not None and rec.data["notes"] != "越权修改"

    with pytest.raises(ForbiddenError):
        ensure_blocks(a.store, a.auth, [(b_twp, "correction_order", 2026)], 5, device_id=a.auth.device_id or "")

    content = "银湖街道现场照片".encode() * 100
    sha = hashlib.sha256(content).hexdigest()
    created = b.auth.call("POST", "/uploads", UploadState,
                          json_body=UploadCreate(sha256=sha, size=len(content)).model_dump())
    assert created.upload_id
    import base64

    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    done = b.auth.request("PATCH", f"/uploads/{created.upload_id}", data=content,
                          headers={"Upload-Offset": "0", "Upload-Checksum": f"sha256 {digest}",
                                   "Content-Type": "application/offset+octet-stream"})
    assert done.status_code == 200
    with pytest.raises(RequestRejected) as err:
        a.auth.request("GET", f"/blobs/{sha}")
    assert err.value.status == 404
    with pytest.raises(RequestRejected):
        a.auth.request("HEAD", f"/uploads/{created.upload_id}")
    again = a.auth.call("POST", "/uploads", UploadState,
                        json_body=UploadCreate(sha256=sha, size=len(content)).model_dump())
    assert not again.complete  # knowing a hash does not give team A team B's file

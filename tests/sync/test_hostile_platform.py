"""A hostile platform (the scripted fake on 127.0.0.1): a body labelled gzip that is not gzip, absurd cursors
(10^30, beyond the advertised head, negative) and garbled answers to POST /uploads. The engine never raises,
the report is not ok with Chinese messages, and the store (its data and its cursor) is left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.evidence_store import import_file
from app.models import OutboxEntry, Upload
from sync import state
from sync.engine import SyncEngine
from sync.pull import pull
from sync.transport import ProtocolError, Transport
from tests.support.rawdb import plain_copy
from tests.sync.fakeserver import FakePlatform, answer, fake_platform
from tests.sync.helpers import Laptop, store_fingerprint


@pytest.fixture
def fake() -> Iterator[FakePlatform]:
    with fake_platform() as f:
        yield f


def _transport(fake: FakePlatform) -> Transport:
    return Transport(fake.url, retries=1, backoff=0.001)


def _cursor(lap: Laptop) -> int:
    with lap.store.read() as s:
        return state.cursor(s)


def _data_dump(lap: Laptop) -> list[str]:
    """Every row of every table except the engine's own run bookkeeping (last report)."""
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # SQLCipher's driver has no iterdump: dump a decrypted copy
        conn = sqlite3.connect(plain_copy(lap.root / "lianxuntong.db", Path(tmp) / "plain.db"))
        try:
            return [line for line in conn.iterdump() if "'last_report'" not in line]
        finally:
            conn.close()


def _engine(lap: Laptop, fake: FakePlatform) -> SyncEngine:
    return SyncEngine(lap.store, _transport(fake), user=lap.user, prefetch_numbers=False)


def test_gzip_label_on_a_plain_body_is_reported_not_raised(fake: FakePlatform, offline_laptop: Laptop) -> None:
    lap = offline_laptop
    before, cursor = _data_dump(lap), _cursor(lap)
    fake.script("/sync/mutations", answer(200, b"this is not gzip", {"Content-Encoding": "gzip"}))
    fake.script("/sync/changes", answer(200, b"\x1f\x8b broken gzip", {"Content-Encoding": "gzip"}))
    report = _engine(lap, fake).sync_once()
    assert not report.ok
    assert "pull:bad_encoding" in report.error_codes
    assert all("平台" in e or "同步" in e for e in report.errors)
    assert _cursor(lap) == cursor and _data_dump(lap) == before


@pytest.mark.parametrize("page", [
    {"changes": [], "next_cursor": 10**30, "has_more": False},
    {"changes": [], "next_cursor": 10**30, "has_more": False, "head": 10**30},
    {"changes": [], "next_cursor": -5, "has_more": False},
    {"changes": [], "next_cursor": "SELF+5", "has_more": False, "head": "SELF+1"},
    {"changes": [], "next_cursor": "SELF+1", "has_more": True, "head": "SELF"},
])
def test_absurd_cursor_is_refused_and_the_stored_one_kept(
    fake: FakePlatform, offline_laptop: Laptop, page: dict[str, Any]
) -> None:
    lap = offline_laptop
    cursor = _cursor(lap)
    assert cursor > 0
    body = {k: (cursor + int(v[5:] or 0) if isinstance(v, str) and v.startswith("SELF") else v)
            for k, v in page.items()}
    before = store_fingerprint(lap.root)
    fake.script("/sync/changes", answer(200, body))
    with pytest.raises(ProtocolError) as err:
        pull(lap.store, _transport(fake))
    assert err.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)
    assert store_fingerprint(lap.root) == before and _cursor(lap) == cursor
    report = _engine(lap, fake).sync_once()  # the engine reports it and still keeps the cursor
    assert not report.ok and any(c.startswith("pull:") for c in report.error_codes)
    assert _cursor(lap) == cursor


GARBLED_UPLOADS = [
    answer(200, b"<html>proxy error</html>"),
    answer(201, {"upload_id": None, "offset": 0, "size": 1, "complete": False}),
    answer(200, {"offset": 0, "size": 10, "complete": True, "receipt": {"sha256": "0" * 64, "size": 10,
                                                                         "received_at": "x", "signature": "y"}}),
    answer(200, b"\x1f\x8b\x00", {"Content-Encoding": "gzip"}),
]


@pytest.mark.parametrize("garbled", GARBLED_UPLOADS)
def test_garbled_upload_answers_count_as_failed(
    fake: FakePlatform, offline_laptop: Laptop, tmp_path: Path, garbled: Any
) -> None:
    lap = offline_laptop
    src = tmp_path / "photo.jpg"
    src.write_bytes(b"\xff\xd8" + b"x" * 5000)
    ev = import_file(lap.store, src, actor=lap.user.actor, task_id=lap.task_ids()[0]).evidence
    with lap.store.read() as s:
        mids = list(s.scalars(select(OutboxEntry.mutation_id)))
    fake.script("/sync/mutations", answer(200, {"results": [
        {"mutation_id": x, "status": "applied", "version": 1} for x in mids]}))
    fake.script("/uploads", garbled)
    fake.script("/sync/changes", answer(200, {"changes": [], "next_cursor": _cursor(lap), "has_more": False,
                                              "head": _cursor(lap)}))
    report = _engine(lap, fake).sync_once()
    assert not report.ok
    assert report.uploads_failed == 1 and report.uploads_done == 0
    assert "upload:failed" in report.error_codes
    assert any("证据上传失败" in e for e in report.errors)
    with lap.store.read() as s:
        row = s.get(Upload, ev.sha256)
    assert row is not None and row.state != "done" and row.last_error  # kept for the next sync

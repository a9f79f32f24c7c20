"""Evidence uploads over real HTTP: a link cut half-way resumes from the platform's offset re-sending at most one
chunk, an app restart resumes too, the platform verifies the whole file, and a missing blob never blocks."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.evidence_store import blob_path, import_file
from app.models import Evidence, OutboxEntry, Upload
from sync.push import push
from sync.server.security import verify_receipt
from sync.server.storage import Blob, read_session, receipt_secret
from sync.transport import Cancelled
from sync.uploads import CHUNK_SIZE, ReadAhead, Uploader
from tests.sync.helpers import Laptop, synced
from tests.sync.proxy import CuttingProxy

MB = 1024 * 1024


def make_file(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        left = size
        while left:
            n = min(left, 8 * MB)
            fh.write(os.urandom(n))
            left -= n
    return path


@pytest.fixture
def proxy(server: Any) -> Iterator[CuttingProxy]:
    with CuttingProxy(server.port) as p:
        yield p


def _import(lap: Laptop, tmp_path: Path, size: int, name: str = "执法记录仪.mp4") -> Evidence:
    src = make_file(tmp_path / name, size)
    tid = lap.task_ids()[0]
    ev = import_file(lap.store, src, actor=lap.user.actor, task_id=tid).evidence
    res = push(lap.store, lap.auth, device_id=lap.auth.device_id or "", township_id=lap.user.township_id)
    assert res.applied == 1 and res.rejected == 0
    return ev


def _check_platform_holds(server: Any, lap: Laptop, ev: Evidence) -> None:
    with read_session(server.engine) as s:
        blob = s.get(Blob, ev.sha256)
        assert blob is not None and blob.size == ev.size
        secret = receipt_secret(s)
    h = hashlib.sha256()
    with server.app.state.blobs.path(blob.path).open("rb") as fh:
        while piece := fh.read(8 * MB):
            h.update(piece)
    assert h.hexdigest() == ev.sha256
    with lap.store.read() as s:
        up = s.get(Upload, ev.sha256)
        local = s.get(Evidence, ev.id)
    assert up is not None and up.state == "done" and up.offset == ev.size and up.receipt
    receipt = json.loads(up.receipt)
    assert verify_receipt(secret, receipt["sha256"], receipt["size"], receipt["received_at"], receipt["signature"])
    assert local is not None and local.uploaded


def run_cut_upload(server: Any, proxy: CuttingProxy, lap: Laptop, tmp_path: Path, size: int) -> dict[str, int]:
    ev = _import(lap, tmp_path, size)
    proxy.reset_counters()
    proxy.cut(size // 2, "up")
    uploader = Uploader(lap.store, lap.auth)
    result = uploader.run()
    assert proxy.cuts_done == 1 and result.done == 1 and result.resumes == 1
    _check_platform_holds(server, lap, ev)
    resent = result.bytes_sent - size
    assert 0 <= resent <= CHUNK_SIZE
    assert proxy.up_bytes - size <= CHUNK_SIZE + 64 * 1024  # + request headers and JSON
    return {"size": size, "resent": resent, "wire_up": proxy.up_bytes}


def test_upload_cut_at_half_resumes(server: Any, proxy: CuttingProxy, laptop_factory: Callable[..., Laptop],
                                    tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer", url=proxy.url)
    synced(lap.sync())
    run_cut_upload(server, proxy, lap, tmp_path, 20 * MB + 12345)


@pytest.mark.slow
def test_upload_200mb_cut_at_half_resumes(server: Any, proxy: CuttingProxy, laptop_factory: Callable[..., Laptop],
                                          tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer", url=proxy.url, timeout=(5, 120))
    synced(lap.sync())
    run_cut_upload(server, proxy, lap, tmp_path, 200 * MB)


def test_upload_resumes_after_restart(server: Any, laptop_factory: Callable[..., Laptop], tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    size = 9 * MB + 7
    ev = _import(lap, tmp_path, size)
    cancel = threading.Event()

    def stop_at_half(phase: str, done: int, total: int) -> None:
        if phase == "upload" and done >= size // 2:
            cancel.set()

    lap.transport.cancel = cancel
    first = Uploader(lap.store, lap.auth, chunk_size=MB, progress=stop_at_half)
    with pytest.raises(Cancelled):
        first.run()
    with lap.store.read() as s:
        saved = s.get(Upload, ev.sha256)
    assert saved is not None and saved.upload_id and size // 2 <= saved.offset < size

    lap.close()  # "restart the app": a new store, transport and auth client over the same data dir
    again = laptop_factory("a", username=None)
    from sync.auth import AuthClient

    resumed = AuthClient.resume(again.transport, again.store)
    assert resumed is not None
    second = Uploader(again.store, resumed, chunk_size=MB).run()
    assert second.done == 1 and second.bytes_sent == size - saved.offset
    _check_platform_holds(server, again, ev)


def test_missing_blob_fails_clearly_and_blocks_nothing(laptop_factory: Callable[..., Laptop], server: Any,
                                                       tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    tid = lap.task_ids()[0]
    lost = import_file(lap.store, make_file(tmp_path / "lost.jpg", 1000), actor=lap.user.actor, task_id=tid).evidence
    kept = import_file(lap.store, make_file(tmp_path / "kept.jpg", 2000), actor=lap.user.actor, task_id=tid).evidence
    blob_path(lap.store.paths.evidence, lost.sha256).unlink()
    rep = synced(lap.sync())
    assert rep.applied == 2 and rep.uploads_done == 1 and rep.uploads_failed == 1
    with lap.store.read() as s:
        failed = s.get(Upload, lost.sha256)
        assert s.scalars(select(OutboxEntry)).all() == []
    assert failed is not None and failed.state == "failed" and failed.last_error
    assert "缺失" in failed.last_error
    _check_platform_holds(server, lap, kept)
    rep = synced(lap.sync())  # a failed upload is not retried blindly, and is not an error of the run
    assert rep.uploads_failed == 0 and rep.uploads_done == 0


def test_already_uploaded_blob_is_not_sent_again(laptop_factory: Callable[..., Laptop], server: Any,
                                                 tmp_path: Path) -> None:
    a = laptop_factory("a", "xindeng.officer")
    b = laptop_factory("b", "xindeng.leader")
    src = make_file(tmp_path / "same.jpg", 300_000)
    for lap in (a, b):
        synced(lap.sync())
        import_file(lap.store, src, actor=lap.user.actor, task_id=lap.task_ids()[0])
    assert synced(a.sync()).upload_bytes == 300_000
    rep = synced(b.sync())
    assert rep.uploads_done == 1 and rep.upload_bytes == 0


def test_refused_file_fails_alone(server_factory: Callable[..., Any], tmp_path: Path) -> None:
    srv = server_factory(max_upload_size=100_000)
    lap = Laptop(tmp_path / "a", srv.url, retries=1, backoff=0.01).login("xindeng.officer")
    try:
        synced(lap.sync())
        tid = lap.task_ids()[0]
        big = import_file(lap.store, make_file(tmp_path / "big.mp4", 150_000), actor=lap.user.actor, task_id=tid)
        small = import_file(lap.store, make_file(tmp_path / "small.jpg", 50_000), actor=lap.user.actor, task_id=tid)
        rep = synced(lap.sync())
        assert (rep.uploads_done, rep.uploads_failed) == (1, 1)
        with lap.store.read() as s:
            refused = s.get(Upload, big.evidence.sha256)
            done = s.get(Upload, small.evidence.sha256)
        assert refused is not None and refused.state == "failed" and refused.last_error
        assert refused.last_error.startswith("平台拒收该证据文件") and "过大" in refused.last_error
        assert done is not None and done.state == "done"
    finally:
        lap.close()


def test_read_ahead_serves_each_chunk_and_reads_again_after_a_jump() -> None:
    data = os.urandom(10_000)
    with ThreadPoolExecutor(max_workers=1) as pool:
        chunks = ReadAhead(io.BytesIO(data), pool, 4096, len(data))
        seen = [chunks.chunk_at(at) for at in (0, 4096, 8192)]
        assert [(c.at, len(c.data)) for c in seen] == [(0, 4096), (4096, 4096), (8192, 10_000 - 8192)]
        back = chunks.chunk_at(1000)  # a resume from an offset the read-ahead did not guess
        assert back.data == data[1000:5096]
    for c in [*seen, back]:
        assert c.data == data[c.at:c.at + len(c.data)]
        assert base64.b64decode(c.digest) == hashlib.sha256(c.data).digest()


class _Damaging:
    """The laptop's API client, flipping one byte in the body of the PATCHes numbered in `damage` (1-based)."""

    def __init__(self, api: Any, damage: set[int]) -> None:
        self.api, self.damage, self.patches = api, damage, 0

    def request(self, method: str, path: str, **kw: Any) -> Any:
        if method == "PATCH":
            self.patches += 1
            if self.patches in self.damage:
                body = bytearray(kw["data"])
                body[0] ^= 0xFF
                kw["data"] = bytes(body)
        return self.api.request(method, path, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.api, name)


def test_chunk_damaged_on_the_wire_is_sent_again(server: Any, laptop_factory: Callable[..., Laptop],
                                                 tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    size = 3 * MB + 5
    ev = _import(lap, tmp_path, size)
    api = _Damaging(lap.auth, {2})
    result = Uploader(lap.store, api, chunk_size=MB).run()
    assert result.done == 1 and result.failed == 0 and api.patches == 5
    assert result.bytes_sent == size + MB  # the damaged second chunk went twice
    _check_platform_holds(server, lap, ev)


def test_chunk_damaged_again_and_again_pauses_the_upload(server: Any, laptop_factory: Callable[..., Laptop],
                                                         tmp_path: Path) -> None:
    lap = laptop_factory("a", "xindeng.officer")
    synced(lap.sync())
    ev = _import(lap, tmp_path, 2 * MB)
    result = Uploader(lap.store, _Damaging(lap.auth, {1, 2, 3, 4}), chunk_size=MB).run()
    assert (result.done, result.failed) == (0, 1)
    assert len(result.errors) == 1 and "分块校验和多次不符" in result.errors[0]
    with lap.store.read() as s:
        up = s.get(Upload, ev.sha256)
    assert up is not None and up.state != "done" and up.upload_id  # kept for the next sync to go on
    assert Uploader(lap.store, lap.auth, chunk_size=MB).run().done == 1
    _check_platform_holds(server, lap, ev)

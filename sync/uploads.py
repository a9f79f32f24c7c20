"""Resumable evidence uploads (tus-style): create, ask the offset, PATCH checksummed chunks, keep the receipt.

`Upload` rows are made when evidence is imported. For each unfinished one the uploader creates the platform's
upload (the platform may answer "already have it" with a receipt), then PATCHes chunks (default 16 MiB) from the
platform's offset, each with `Upload-Checksum: sha256 <base64>`. `upload_id` is persisted when the upload is
created; the acknowledged offset is not committed per chunk (only when a run stops short, for the sync view),
because a cut link or an app restart resumes from the offset the platform reports (HEAD): at most the one
chunk that was in flight is sent again. On completion the signed receipt is stored and the
local evidence rows are marked `uploaded`. A blob missing on this laptop, or a file the platform refuses (too
large …), marks that upload "failed" with a Chinese explanation; it never holds up records or other uploads.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select, update

from app import models as m
from app.crypto.blobs import BlobCorrupt, sealed_size
from app.evidence_store import blob_path, open_sealed
from app.store import Store
from sync.protocol import CHECKSUM_HEADER, CHECKSUM_MISMATCH_STATUS, OFFSET_HEADER, UploadCreate, UploadState
from sync.transport import ForbiddenError, NetworkError, ProtocolError, RequestRejected, ServerError, parse

log = logging.getLogger(__name__)

#: bytes per PATCH, chosen by measurement (benchmarks/bench_sync.py, 200 MB over loopback; the platform
#: writes and fsyncs each chunk): 4 MiB 0.64×, 8 MiB 0.80×, 16 MiB 0.96× one raw request's throughput
#: (docs/sync-performance.md). 16 MiB is also the platform's default `max_chunk_size`; a cut re-sends ≤ 16 MiB.
CHUNK_SIZE = 16 * 1024 * 1024
MISSING_PREFIX = "本机证据文件缺失"
Progress = Callable[[str, int, int], None]


@dataclass
class UploadResult:
    done: int = 0
    failed: int = 0
    bytes_sent: int = 0  # every byte PATCHed, including a chunk sent again after a cut
    resumes: int = 0
    errors: list[str] = field(default_factory=list)  # Chinese: garbled answers this run (the run is not ok)


@dataclass(frozen=True)
class Chunk:
    """One chunk of a blob as read from disk: where it starts, its bytes, their base64 SHA-256."""

    at: int
    data: bytes
    digest: str


class ReadAhead:
    """Reads and hashes a blob's chunks on a helper thread, one chunk ahead of the one on the wire."""

    def __init__(self, fh: BinaryIO, pool: Executor, chunk_size: int, size: int) -> None:
        self._fh = fh
        self._pool = pool
        self._chunk_size = chunk_size
        self._size = size
        self._ahead: Future[Chunk] | None = None

    def _read(self, at: int) -> Chunk:
        self._fh.seek(at)
        data = self._fh.read(min(self._chunk_size, self._size - at))
        return Chunk(at, data, base64.b64encode(hashlib.sha256(data).digest()).decode("ascii"))

    def chunk_at(self, offset: int) -> Chunk:
        """The chunk starting at `offset` (the one read ahead, unless a resume moved the offset), and the
        next one's read started."""
        chunk = self._ahead.result() if self._ahead is not None else None
        if chunk is None or chunk.at != offset:
            chunk = self._pool.submit(self._read, offset).result()
        end = offset + len(chunk.data)
        self._ahead = self._pool.submit(self._read, end) if end < self._size else None
        return chunk


class Uploader:
    """Uploads every unfinished evidence blob of one store."""

    def __init__(
        self, store: Store, api: Any, *, chunk_size: int = CHUNK_SIZE, max_resumes: int = 8,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.api = api
        self.chunk_size = max(1, chunk_size)
        self.max_resumes = max_resumes
        self.progress = progress
        self.result = UploadResult()
        self._total = 0
        self._done_bytes = 0
        self._acked: int | None = None  # the platform's last acknowledged offset in the current `_send`

    def run(self) -> UploadResult:
        with self.store.read() as session:
            rows = session.scalars(
                select(m.Upload).where(m.Upload.state != "done").order_by(m.Upload.size, m.Upload.sha256)
            ).all()
        todo = [r for r in rows if r.state != "failed" or self._retry_failed(r)]
        self._total = sum(r.size - r.offset for r in todo)
        for row in todo:
            self.api.check_cancel()
            try:
                self.upload_one(row.sha256)
            except (RequestRejected, ForbiddenError) as exc:  # this file refused (too large …): the rest go on
                self._fail(row.sha256, f"平台拒收该证据文件：{exc.message}")
            except BlobCorrupt:  # the encrypted file fails authentication: altered or damaged on this laptop
                self._fail(row.sha256, "本机证据文件已损坏或被改动（无法通过加密校验），未上传。请运行数据校验。")
            except ProtocolError as exc:  # a garbled answer: keep the upload's place, try the next one
                self._note(row.sha256, exc.message)  # retried next sync, but this run counts it as failed
                self.result.failed += 1
                self.result.errors.append(f"证据上传失败（{row.sha256[:12]}…）：{exc.message}")
        return self.result

    def _retry_failed(self, row: m.Upload) -> bool:
        return bool(row.last_error and row.last_error.startswith(MISSING_PREFIX)) and self._blob(row.sha256).exists()

    def _blob(self, sha256: str) -> Path:
        return blob_path(self.store.paths.evidence, sha256)

    def upload_one(self, sha256: str) -> bool:
        """Upload one blob to completion; True when the platform holds it (network errors propagate)."""
        with self.store.read() as session:
            row = session.get(m.Upload, sha256)
            evidence_id = session.scalar(select(m.Evidence.id).where(m.Evidence.sha256 == sha256).limit(1))
        if row is None or row.state == "done":
            return True
        path = self._blob(sha256)
        if not path.exists() or path.stat().st_size != sealed_size(row.size):
            self._fail(sha256, f"{MISSING_PREFIX}（{sha256[:12]}…），无法上传。记录本身不受影响；"
                               "请在原设备上重新导入该证据文件。")
            return False
        upload_id, offset = row.upload_id, row.offset
        if upload_id:
            server_offset = self._offset(upload_id)
            upload_id = upload_id if server_offset is not None else None
            offset = server_offset or 0
        if not upload_id:
            body = UploadCreate(sha256=sha256, size=row.size, evidence_id=evidence_id).model_dump()
            state = parse(self.api.request("POST", "/uploads", json_body=body, idempotent=True), UploadState)
            if state.complete:
                return self._finish(sha256, state)
            if not state.upload_id:
                raise ProtocolError(code="upload_without_id")
            upload_id, offset = state.upload_id, state.offset
        self._save(sha256, upload_id, offset)
        return self._send(sha256, path, row.size, upload_id, offset)

    def _send(self, sha256: str, path: Path, size: int, upload_id: str, offset: int) -> bool:
        """PATCH chunks from `offset` to the end; the next chunk is read and hashed on a helper thread while
        the current one is on the wire. The acknowledged offset is not committed per chunk: a resume asks the
        platform (HEAD), so the store only learns it when this run stops short (for the sync view)."""
        try:
            return self._send_chunks(sha256, path, size, upload_id, offset)
        except BaseException:
            if self._acked is not None:
                try:
                    self._save(sha256, upload_id, self._acked)
                except Exception:  # the store's own trouble must not hide why the upload stopped
                    log.warning("could not note the upload offset", exc_info=True)
            raise

    def _send_chunks(self, sha256: str, path: Path, size: int, upload_id: str, offset: int) -> bool:
        resumes = mismatches = 0
        self._acked = None
        with open_sealed(path) as fh, ThreadPoolExecutor(max_workers=1, thread_name_prefix="lxt-upload") as pool:
            chunks = ReadAhead(fh, pool, self.chunk_size, size)
            while True:
                self.api.check_cancel()
                chunk = chunks.chunk_at(offset)
                try:
                    resp = self._patch(upload_id, chunk)
                except (NetworkError, ServerError):
                    self.result.bytes_sent += len(chunk.data)
                    resumes += 1
                    self.result.resumes += 1
                    if resumes > self.max_resumes:
                        raise
                    offset = self._acked = self._resume(upload_id, resumes)
                    continue  # chunk_at re-reads unless the chunk read ahead starts at `offset`
                except RequestRejected as exc:
                    if exc.code == "hash_mismatch":
                        self._fail(sha256, "本机证据文件内容与其哈希不符（文件可能已损坏），平台拒收。请运行数据校验。")
                        return False
                    raise
                self.result.bytes_sent += len(chunk.data)
                if resp.status_code == CHECKSUM_MISMATCH_STATUS:  # damaged on the wire: send the chunk again
                    mismatches += 1
                    if mismatches > 3:
                        raise ProtocolError("分块校验和多次不符，上传已暂停，下次同步时继续。", code="checksum")
                    continue
                answer = self._answer(resp, upload_id, offset, size)
                if isinstance(answer, UploadState):
                    return self._finish(sha256, answer)
                offset = answer

    def _patch(self, upload_id: str, chunk: Chunk) -> Any:
        """One PATCH of `chunk`; 409 and the checksum mismatch come back as answers, not exceptions."""
        headers = {OFFSET_HEADER: str(chunk.at), CHECKSUM_HEADER: f"sha256 {chunk.digest}",
                   "Content-Type": "application/offset+octet-stream"}
        return self.api.request("PATCH", f"/uploads/{upload_id}", data=chunk.data, headers=headers,
                                idempotent=False, ok=(409, CHECKSUM_MISMATCH_STATUS))

    def _resume(self, upload_id: str, resumes: int) -> int:
        """After a cut link or a 5xx: a growing pause, then the offset the platform holds (HEAD)."""
        self.api.pause(min(0.2 * resumes, 2.0))
        found = self._offset(upload_id)
        if found is None:
            raise NetworkError() from None
        return found

    def _answer(self, resp: Any, upload_id: str, offset: int, size: int) -> UploadState | int:
        """What the platform's answer to the chunk sent at `offset` means: its state once it holds every byte,
        else the offset to send from next (also noted as acknowledged)."""
        if resp.status_code == 200:
            self._advance(size - offset)
            return parse(resp, UploadState)
        new_offset = _offset_header(resp)
        if resp.status_code == 409:
            if _code(resp) == "upload_complete":
                return self._state(upload_id)
            if _code(resp) == "upload_busy":
                self.api.pause(0.5)
                new_offset = self._offset(upload_id)
        if new_offset is None or not 0 <= new_offset <= size:
            raise ProtocolError(code="bad_offset")
        self._advance(max(0, new_offset - offset))
        self._acked = new_offset
        if new_offset >= size:  # the platform has every byte but did not say complete: ask it
            state = self._state(upload_id)
            if not state.complete:
                raise ProtocolError(code="upload_incomplete")
            return state
        return new_offset

    def _state(self, upload_id: str) -> UploadState:
        return parse(self.api.request("GET", f"/uploads/{upload_id}"), UploadState)

    def _offset(self, upload_id: str) -> int | None:
        """The platform's offset for an upload; None when it no longer knows the upload."""
        try:
            resp = self.api.request("HEAD", f"/uploads/{upload_id}")
        except RequestRejected as exc:
            if exc.status == 404:
                return None
            raise
        found = _offset_header(resp)
        if found is None:
            raise ProtocolError(code="no_offset")
        return found

    def _advance(self, n: int) -> None:
        self._done_bytes += n
        if self.progress:
            self.progress("upload", min(self._done_bytes, self._total), self._total)

    def _save(self, sha256: str, upload_id: str, offset: int) -> None:
        with self.store.write() as session:
            row = session.get(m.Upload, sha256)
            if row is not None:
                row.upload_id, row.offset, row.state, row.last_error = upload_id, offset, "uploading", None

    def _finish(self, sha256: str, state: UploadState) -> bool:
        if not state.complete or state.receipt is None or state.receipt.sha256 != sha256:
            raise ProtocolError(code="bad_receipt")
        with self.store.write() as session:
            row = session.get(m.Upload, sha256)
            if row is not None:
                row.state, row.offset, row.last_error = "done", row.size, None
                row.receipt = state.receipt.model_dump_json()
            session.execute(update(m.Evidence).where(m.Evidence.sha256 == sha256).values(uploaded=True))
        self.result.done += 1
        return True

    def _note(self, sha256: str, message: str) -> None:
        with self.store.write() as session:
            row = session.get(m.Upload, sha256)
            if row is not None:
                row.last_error = message

    def _fail(self, sha256: str, message: str) -> None:
        with self.store.write() as session:
            row = session.get(m.Upload, sha256)
            if row is not None:
                row.state, row.last_error = "failed", message
        self.result.failed += 1


def _offset_header(resp: Any) -> int | None:
    raw = resp.headers.get(OFFSET_HEADER)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _code(resp: Any) -> str | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None

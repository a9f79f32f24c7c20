"""Receiving one PATCH body of a resumable upload into its temp file without blocking the event loop.

The body's pieces are gathered into blocks of `WRITE_BLOCK` bytes; each block is hashed and written in the
thread pool, and the final flush + fsync runs there too. On any failure (checksum mismatch, too large, client
gone) the file is cut back to the chunk's offset, so a retry starts from the server's offset.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from sync.protocol import CHECKSUM_MISMATCH_STATUS, OFFSET_HEADER
from sync.server.common import ApiError
from sync.server.security import chunk_checksum_ok

WRITE_BLOCK = 1024 * 1024  # bytes of a chunk gathered before one write (+ hash) in the thread pool


class _ChunkFile:
    """The temp file opened at `offset` and truncated there; writes hash as they go (thread-pool side)."""

    def __init__(self, temp: Path, offset: int) -> None:
        self.offset = offset
        self.hasher = hashlib.sha256()
        self.fh = temp.open("r+b")
        self.fh.seek(offset)
        self.fh.truncate()

    def write(self, block: bytes) -> None:
        self.hasher.update(block)
        self.fh.write(block)

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()

    def abort(self) -> None:
        try:
            self.fh.truncate(self.offset)
        finally:
            self.fh.close()


async def receive_chunk(request: Request, temp: Path, offset: int, limit: int, checksum: str) -> int:
    """Stream the body into `temp` at `offset` (blocks of WRITE_BLOCK written in the thread pool); on any
    failure the file is cut back to `offset`."""
    chunk = await run_in_threadpool(_ChunkFile, temp, offset)
    written = 0
    pending = bytearray()
    try:
        async for piece in request.stream():
            if not piece:
                continue
            written += len(piece)
            if written > limit:
                raise ApiError(413, "chunk_too_large", f"分块过大（本次最多 {limit} 字节）")
            pending += piece
            if len(pending) >= WRITE_BLOCK:
                block, pending = bytes(pending), bytearray()
                await run_in_threadpool(chunk.write, block)
        if pending:
            await run_in_threadpool(chunk.write, bytes(pending))
        if not chunk_checksum_ok(checksum, chunk.hasher.digest()):
            raise ApiError(
                CHECKSUM_MISMATCH_STATUS,
                "checksum_mismatch",
                "分块校验和不符，已丢弃，请重新发送该分块",
                headers={OFFSET_HEADER: str(offset)},
            )
        await run_in_threadpool(chunk.commit)
    except (ApiError, ClientDisconnect, asyncio.CancelledError, OSError):
        await asyncio.shield(run_in_threadpool(chunk.abort))
        raise
    return written

"""Resumable evidence uploads (tus-style) and blob downloads.

`POST /uploads` (sha256, size) → 200 complete + receipt when the caller's team already has that blob, else 201
with an upload id and offset (the team's unfinished upload of the same file is reused). `HEAD`/`GET` report
the offset. `PATCH` appends one chunk at `Upload-Offset` (must equal the server's offset, else 409) with
`Upload-Checksum: sha256 <base64>` (mismatch → 460, nothing kept); the body is streamed to the temp file. When
the offset reaches the size the whole file is re-hashed (mismatch → 422 and the upload restarts at 0), moved
into the content-addressed blob store with an atomic rename, and a signed receipt is returned.

A team can download (`GET /blobs/{sha256}`) only blobs it uploaded itself; another team's identical file is
never answered "already have it" (knowing a hash must not give access to the bytes): it is uploaded and
verified, then that team is granted access to the one stored copy.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from sync.protocol import (
    API_PREFIX,
    CHECKSUM_HEADER,
    OFFSET_HEADER,
    ErrorBody,
    UploadCreate,
    UploadReceipt,
    UploadState,
)
from sync.server.auth import CallerDep
from sync.server.common import ApiError, Caller, engine_of, not_found, settings_of
from sync.server.mutations import mark_evidence_uploaded
from sync.server.security import chunk_checksum_ok, sign_receipt
from sync.server.settings import ServerSettings
from sync.server.storage import Blob, BlobAccess, Upload, read_session, receipt_secret, utcnow, write_session

router = APIRouter(prefix=API_PREFIX, tags=["uploads"])
CHECKSUM_MISMATCH_STATUS = 460  # tus "Checksum Mismatch"
_ERR = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}}
UploadId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]
Sha = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]


def blob_path(settings: ServerSettings, sha256: str) -> Path:
    return settings.blob_dir / sha256[:2] / sha256


def _receipt(session: Session, blob: Blob) -> UploadReceipt:
    received = blob.received_at.isoformat()
    return UploadReceipt(
        sha256=blob.sha256,
        size=blob.size,
        received_at=received,
        signature=sign_receipt(receipt_secret(session), blob.sha256, blob.size, received),
    )


def _state(session: Session, upload: Upload) -> UploadState:
    receipt = None
    if upload.complete:
        blob = session.get(Blob, upload.sha256)
        receipt = _receipt(session, blob) if blob is not None else None
    return UploadState(
        upload_id=upload.upload_id,
        offset=upload.offset,
        size=upload.size,
        complete=upload.complete,
        receipt=receipt,
    )


def _visible_upload(session: Session, caller: Caller, upload_id: str) -> Upload:
    upload = session.get(Upload, upload_id)
    if upload is None or not (caller.is_centre or upload.township_id == caller.township_key):
        raise not_found("上传任务不存在")
    return upload


def _offset_headers(upload: Upload) -> dict[str, str]:
    return {OFFSET_HEADER: str(upload.offset), "Upload-Length": str(upload.size), "Cache-Control": "no-store"}


# ---- create / status -------------------------------------------------------------------------------------


def create_upload(
    engine: Engine, settings: ServerSettings, caller: Caller, body: UploadCreate
) -> tuple[int, UploadState]:
    if body.size > settings.max_upload_size:
        raise ApiError(413, "too_large", f"文件过大（上限 {settings.max_upload_size // 1024**2} MB）")
    key = caller.township_key
    with write_session(engine) as session:
        blob = session.get(Blob, body.sha256)
        if (
            blob is not None
            and blob.size == body.size
            and Path(blob.path).exists()
            and session.get(BlobAccess, (body.sha256, key)) is not None
        ):
            mark_evidence_uploaded(session, key or None, body.sha256)
            return 200, UploadState(
                offset=body.size, size=body.size, complete=True, receipt=_receipt(session, blob)
            )
        upload = session.scalars(
            select(Upload).where(
                Upload.township_id == key,
                Upload.sha256 == body.sha256,
                Upload.size == body.size,
                Upload.complete.is_(False),
            )
        ).first()
        if upload is None:
            upload_id = secrets.token_hex(16)
            temp = settings.upload_dir / upload_id
            temp.touch()
            upload = Upload(
                upload_id=upload_id,
                township_id=key,
                username=caller.username,
                sha256=body.sha256,
                size=body.size,
                offset=0,
                temp_path=str(temp),
                evidence_id=body.evidence_id,
            )
            session.add(upload)
            session.flush()
        elif body.evidence_id:
            upload.evidence_id = body.evidence_id
        upload_id = upload.upload_id
        state = _state(session, upload)
    if body.size == 0:
        return 200, finalise(engine, settings, upload_id)
    return 201, state


@router.post(
    "/uploads",
    response_model=UploadState,
    status_code=201,
    summary="创建上传（已有则直接返回回执）",
    responses={**_ERR, 200: {"model": UploadState}, 413: {"model": ErrorBody}},
)
def post_upload(body: UploadCreate, request: Request, response: Response, caller: CallerDep) -> UploadState:
    status, state = create_upload(engine_of(request), settings_of(request), caller, body)
    response.status_code = status
    return state


@router.head(
    "/uploads/{upload_id}", status_code=200, summary="查询上传偏移量（Upload-Offset 头）", responses=_ERR
)
def head_upload(upload_id: UploadId, request: Request, caller: CallerDep) -> Response:
    with read_session(engine_of(request)) as session:
        upload = _visible_upload(session, caller, upload_id)
        return Response(status_code=200, headers=_offset_headers(upload))


@router.get("/uploads/{upload_id}", response_model=UploadState, summary="查询上传状态", responses=_ERR)
def get_upload(upload_id: UploadId, request: Request, caller: CallerDep) -> UploadState:
    with read_session(engine_of(request)) as session:
        return _state(session, _visible_upload(session, caller, upload_id))


# ---- PATCH -----------------------------------------------------------------------------------------------


def _load_for_patch(engine: Engine, caller: Caller, upload_id: str) -> Upload:
    with read_session(engine) as session:
        return _visible_upload(session, caller, upload_id)


def _set_offset(engine: Engine, upload_id: str, offset: int) -> None:
    with write_session(engine) as session:
        upload = session.get(Upload, upload_id)
        if upload is not None:
            upload.offset = offset


def _conflict(code: str, message: str, offset: int, size: int) -> ApiError:
    return ApiError(
        409,
        code,
        message,
        headers={OFFSET_HEADER: str(offset), "Upload-Length": str(size)},
        extra={"offset": offset},
    )


@router.patch(
    "/uploads/{upload_id}",
    status_code=204,
    summary="追加一个分块（Upload-Offset + Upload-Checksum）",
    responses={
        **_ERR,
        200: {"model": UploadState},
        409: {"model": ErrorBody},
        413: {"model": ErrorBody},
        422: {"model": ErrorBody},
        CHECKSUM_MISMATCH_STATUS: {"model": ErrorBody},
    },
)
async def patch_upload(upload_id: UploadId, request: Request, caller: CallerDep) -> Response:
    engine, settings = engine_of(request), settings_of(request)
    try:
        offset = int(request.headers.get(OFFSET_HEADER, ""))
    except ValueError:
        raise ApiError(400, "bad_request", f"缺少或无效的 {OFFSET_HEADER} 头") from None
    checksum = request.headers.get(CHECKSUM_HEADER)
    if not checksum:
        raise ApiError(400, "checksum_required", f"缺少 {CHECKSUM_HEADER} 头（sha256 <base64>）")
    upload = await run_in_threadpool(_load_for_patch, engine, caller, upload_id)  # 404 unless the team's
    locks: dict[str, asyncio.Lock] = request.app.state.upload_locks
    lock = locks.setdefault(upload_id, asyncio.Lock())
    if lock.locked():
        raise _conflict(
            "upload_busy", "该文件的另一个分块正在上传，请稍后按服务器偏移量续传", upload.offset, upload.size
        )
    async with lock:
        upload = await run_in_threadpool(_load_for_patch, engine, caller, upload_id)
        if upload.complete:
            raise _conflict("upload_complete", "文件已上传完成", upload.size, upload.size)
        if offset != upload.offset:
            raise _conflict(
                "offset_mismatch",
                f"偏移量不符，服务器当前偏移量为 {upload.offset}",
                upload.offset,
                upload.size,
            )
        limit = min(settings.max_chunk_size, upload.size - upload.offset)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "chunk_too_large", f"分块过大（本次最多 {limit} 字节）")
        written = await _receive_chunk(request, Path(upload.temp_path), offset, limit, checksum)
        new_offset = offset + written
        if new_offset < upload.size:
            await run_in_threadpool(_set_offset, engine, upload_id, new_offset)
            return Response(
                status_code=204, headers={OFFSET_HEADER: str(new_offset), "Upload-Length": str(upload.size)}
            )
        await run_in_threadpool(_set_offset, engine, upload_id, new_offset)
        state = await run_in_threadpool(finalise, engine, settings, upload_id)
        locks.pop(upload_id, None)
        return Response(
            content=state.model_dump_json(),
            status_code=200,
            media_type="application/json",
            headers={OFFSET_HEADER: str(state.offset)},
        )


async def _receive_chunk(request: Request, temp: Path, offset: int, limit: int, checksum: str) -> int:
    """Stream the body into `temp` at `offset`; on any failure the file is cut back to `offset`."""
    hasher = hashlib.sha256()
    written = 0
    with temp.open("r+b") as fh:
        fh.seek(offset)
        fh.truncate()
        try:
            async for piece in request.stream():
                if not piece:
                    continue
                written += len(piece)
                if written > limit:
                    raise ApiError(413, "chunk_too_large", f"分块过大（本次最多 {limit} 字节）")
                hasher.update(piece)
                fh.write(piece)
            digest = hasher.digest()
            if not chunk_checksum_ok(checksum, digest):
                raise ApiError(
                    CHECKSUM_MISMATCH_STATUS,
                    "checksum_mismatch",
                    "分块校验和不符，已丢弃，请重新发送该分块",
                    headers={OFFSET_HEADER: str(offset)},
                )
            fh.flush()
            os.fsync(fh.fileno())
        except (ApiError, ClientDisconnect, asyncio.CancelledError, OSError):
            fh.truncate(offset)
            raise
    return written


# ---- finalise --------------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            hasher.update(block)
    return hasher.hexdigest()


def finalise(engine: Engine, settings: ServerSettings, upload_id: str) -> UploadState:
    """Verify the whole file, move it into the blob store and return the completed state with its receipt."""
    with read_session(engine) as session:
        upload = session.get(Upload, upload_id)
        assert upload is not None
    temp = Path(upload.temp_path)
    if _file_sha256(temp) != upload.sha256:
        with temp.open("r+b") as fh:
            fh.truncate(0)
        _set_offset(engine, upload_id, 0)
        raise ApiError(
            422,
            "hash_mismatch",
            "整个文件的 SHA-256 与声明不符，上传已重置，请从头重新上传",
            headers={OFFSET_HEADER: "0"},
        )
    dest = blob_path(settings, upload.sha256)
    with write_session(engine) as session:
        upload = session.get(Upload, upload_id)
        assert upload is not None
        blob = session.get(Blob, upload.sha256)
        if blob is None or not Path(blob.path).exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, dest)  # atomic within one file system
            _fsync_dir(dest.parent)
            if blob is None:
                blob = Blob(sha256=upload.sha256, size=upload.size, path=str(dest), received_at=utcnow())
                session.add(blob)
            else:
                blob.path = str(dest)
        else:
            temp.unlink(missing_ok=True)
        session.flush()
        if session.get(BlobAccess, (upload.sha256, upload.township_id)) is None:
            session.add(BlobAccess(sha256=upload.sha256, township_key=upload.township_id))
        upload.complete = True
        upload.offset = upload.size
        mark_evidence_uploaded(session, upload.township_id or None, upload.sha256)
        return _state(session, upload)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- blobs -----------------------------------------------------------------------------------------------


@router.get("/blobs/{sha256}", response_class=FileResponse, summary="下载本队上传的证据文件", responses=_ERR)
def get_blob(sha256: Sha, request: Request, caller: CallerDep) -> FileResponse:
    with read_session(engine_of(request)) as session:
        blob = session.get(Blob, sha256)
        allowed = blob is not None and (
            caller.is_centre or session.get(BlobAccess, (sha256, caller.township_key)) is not None
        )
    if blob is None or not allowed or not Path(blob.path).exists():
        raise not_found("文件不存在")
    return FileResponse(
        blob.path, media_type="application/octet-stream", headers={"X-Content-SHA256": sha256}
    )

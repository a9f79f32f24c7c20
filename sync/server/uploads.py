"""Resumable evidence uploads (tus-style) and blob downloads.

`POST /uploads` (sha256, size) → 200 complete + receipt when the caller's team already has that blob, else 201
with an upload id and offset (the team's unfinished upload of the same file is reused). `HEAD`/`GET` report
the offset. `PATCH` appends one chunk at `Upload-Offset` (must equal the server's offset, else 409) with
`Upload-Checksum: sha256 <base64>` (mismatch → 460, nothing kept); the body is streamed to the temp file
(`upload_chunks`, file I/O in the thread pool). One chunk at a time per upload across every worker process:
a PATCH takes the upload row's lease (`lease_token`, `lease_until`) in the database, a second one meanwhile is
answered 409 `upload_busy`; a crashed worker's lease expires. When the offset reaches the size the whole file
is re-hashed (mismatch → 422 and the upload restarts at 0), handed to the blob store (`blobstore`: a key
relative to the store, never an absolute path) and a signed receipt is returned. Unfinished uploads idle for
longer than `upload_max_age` are swept (`sweep_uploads`, run by `maintenance`).

A team can download (`GET /blobs/{sha256}`) only blobs it uploaded itself; another team's identical file is
never answered "already have it" (knowing a hash must not give access to the bytes): it is uploaded and
verified, then that team is granted access to the one stored copy.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sync.protocol import (
    API_PREFIX,
    CHECKSUM_HEADER,
    CHECKSUM_MISMATCH_STATUS,
    OFFSET_HEADER,
    ErrorBody,
    UploadCreate,
    UploadReceipt,
    UploadState,
)
from sync.server.auth import CallerDep
from sync.server.blobstore import BlobStore
from sync.server.common import ApiError, Caller, engine_of, not_found, settings_of
from sync.server.mutations import mark_evidence_uploaded
from sync.server.security import sign_receipt
from sync.server.settings import ServerSettings
from sync.server.storage import (
    Blob,
    BlobAccess,
    Upload,
    affected,
    read_session,
    receipt_secret,
    utcnow,
    write_session,
)
from sync.server.upload_chunks import receive_chunk

router = APIRouter(prefix=API_PREFIX, tags=["uploads"])
_ERR: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}}
UploadId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]
Sha = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]


def blobs_of(request: Request) -> BlobStore:
    return request.app.state.blobs


def temp_file(settings: ServerSettings, upload: Upload) -> Path:
    """An upload's temp file: a name inside the upload directory (v1 stored absolute paths)."""
    stored = Path(upload.temp_path)
    return stored if stored.is_absolute() else settings.upload_dir / stored.name


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
    engine: Engine, settings: ServerSettings, blobs: BlobStore, caller: Caller, body: UploadCreate
) -> tuple[int, UploadState]:
    if body.size > settings.max_upload_size:
        raise ApiError(413, "too_large", f"文件过大（上限 {settings.max_upload_size // 1024**2} MB）")
    key = caller.township_key
    with write_session(engine) as session:
        blob = session.get(Blob, body.sha256)
        if (
            blob is not None
            and blob.size == body.size
            and blobs.exists(blob.path)
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
            (settings.upload_dir / upload_id).touch()
            upload = Upload(
                upload_id=upload_id,
                township_id=key,
                username=caller.username,
                sha256=body.sha256,
                size=body.size,
                offset=0,
                temp_path=upload_id,
                evidence_id=body.evidence_id,
            )
            session.add(upload)
            session.flush()
        elif body.evidence_id:
            upload.evidence_id = body.evidence_id
        upload_id = upload.upload_id
        state = _state(session, upload)
    if body.size == 0:
        return 200, finalise(engine, settings, blobs, upload_id)
    return 201, state


@router.post(
    "/uploads",
    response_model=UploadState,
    status_code=201,
    summary="创建上传（已有则直接返回回执）",
    responses={**_ERR, 200: {"model": UploadState}, 413: {"model": ErrorBody}},
)
def post_upload(body: UploadCreate, request: Request, response: Response, caller: CallerDep) -> UploadState:
    status, state = create_upload(engine_of(request), settings_of(request), blobs_of(request), caller, body)
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


def _conflict(code: str, message: str, offset: int, size: int) -> ApiError:
    return ApiError(
        409,
        code,
        message,
        headers={OFFSET_HEADER: str(offset), "Upload-Length": str(size)},
        extra={"offset": offset},
    )


def _acquire(
    engine: Engine, settings: ServerSettings, caller: Caller, upload_id: str, offset: int, token: str
) -> Upload:
    """Take the upload's lease for one chunk at `offset` (row-locked check-and-set: one chunk at a time
    across every worker process); 404 / 409 otherwise."""
    now = utcnow()
    with write_session(engine) as session:
        upload = session.scalars(select(Upload).where(Upload.upload_id == upload_id).with_for_update()).first()
        if upload is None or not (caller.is_centre or upload.township_id == caller.township_key):
            raise not_found("上传任务不存在")
        if upload.complete:
            raise _conflict("upload_complete", "文件已上传完成", upload.size, upload.size)
        if upload.lease_token and upload.lease_until is not None and upload.lease_until > now:
            raise _conflict(
                "upload_busy", "该文件的另一个分块正在上传，请稍后按服务器偏移量续传", upload.offset, upload.size
            )
        if offset != upload.offset:
            raise _conflict(
                "offset_mismatch", f"偏移量不符，服务器当前偏移量为 {upload.offset}", upload.offset, upload.size
            )
        upload.lease_token = token
        upload.lease_until = now + timedelta(seconds=settings.upload_lease)
        upload.touched_at = now
        return upload


def _release(engine: Engine, upload_id: str, token: str, offset: int | None = None) -> bool:
    """End the lease (recording the new offset when given); False when the lease was no longer ours."""
    values: dict[str, object] = {"lease_token": None, "lease_until": None, "touched_at": utcnow()}
    if offset is not None:
        values["offset"] = offset
    with write_session(engine) as session:
        result = session.execute(
            update(Upload).where(Upload.upload_id == upload_id, Upload.lease_token == token).values(**values)
        )
        return bool(affected(result))


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
    """Database work and every file write, hash and fsync run in the thread pool; the event loop only moves
    the body's pieces."""
    engine, settings, blobs = engine_of(request), settings_of(request), blobs_of(request)
    try:
        offset = int(request.headers.get(OFFSET_HEADER, ""))
    except ValueError:
        raise ApiError(400, "bad_request", f"缺少或无效的 {OFFSET_HEADER} 头") from None
    checksum = request.headers.get(CHECKSUM_HEADER)
    if not checksum:
        raise ApiError(400, "checksum_required", f"缺少 {CHECKSUM_HEADER} 头（sha256 <base64>）")
    token = secrets.token_hex(16)
    upload = await run_in_threadpool(_acquire, engine, settings, caller, upload_id, offset, token)
    released = False
    try:
        limit = min(settings.max_chunk_size, upload.size - upload.offset)
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "chunk_too_large", f"分块过大（本次最多 {limit} 字节）")
        written = await receive_chunk(request, temp_file(settings, upload), offset, limit, checksum)
        new_offset = offset + written
        released = await run_in_threadpool(_release, engine, upload_id, token, new_offset)
        if not released:  # our lease expired and another request took the upload over
            raise _conflict("upload_busy", "上传超时已被其他请求接管，请按服务器偏移量续传", offset, upload.size)
        if new_offset < upload.size:
            return Response(
                status_code=204, headers={OFFSET_HEADER: str(new_offset), "Upload-Length": str(upload.size)}
            )
        state = await run_in_threadpool(finalise, engine, settings, blobs, upload_id)
        return Response(
            content=state.model_dump_json(),
            status_code=200,
            media_type="application/json",
            headers={OFFSET_HEADER: str(state.offset)},
        )
    finally:
        if not released:
            await run_in_threadpool(_release, engine, upload_id, token)


# ---- finalise --------------------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            hasher.update(block)
    return hasher.hexdigest()


def finalise(engine: Engine, settings: ServerSettings, blobs: BlobStore, upload_id: str) -> UploadState:
    """Verify the whole file, move it into the blob store and return the completed state with its receipt."""
    with read_session(engine) as session:
        upload = session.get(Upload, upload_id)
        assert upload is not None
    temp = temp_file(settings, upload)
    if _file_sha256(temp) != upload.sha256:
        with temp.open("r+b") as fh:
            fh.truncate(0)
        with write_session(engine) as session:
            session.execute(update(Upload).where(Upload.upload_id == upload_id).values(offset=0))
        raise ApiError(
            422,
            "hash_mismatch",
            "整个文件的 SHA-256 与声明不符，上传已重置，请从头重新上传",
            headers={OFFSET_HEADER: "0"},
        )
    with write_session(engine) as session:
        upload = session.scalars(select(Upload).where(Upload.upload_id == upload_id).with_for_update()).first()
        assert upload is not None
        if upload.complete:  # finalised by a concurrent request meanwhile
            return _state(session, upload)
        blob = session.scalars(select(Blob).where(Blob.sha256 == upload.sha256).with_for_update()).first()
        if blob is None or not blobs.exists(blob.path):
            key = blobs.put(temp, upload.sha256)
            if blob is None:
                blob = Blob(sha256=upload.sha256, size=upload.size, path=key, received_at=utcnow())
                session.add(blob)
            else:
                blob.path = key
        else:
            temp.unlink(missing_ok=True)
        session.flush()
        if session.get(BlobAccess, (upload.sha256, upload.township_id)) is None:
            session.add(BlobAccess(sha256=upload.sha256, township_key=upload.township_id))
        upload.complete = True
        upload.offset = upload.size
        mark_evidence_uploaded(session, upload.township_id or None, upload.sha256)
        return _state(session, upload)


def sweep_uploads(engine: Engine, settings: ServerSettings) -> int:
    """Remove unfinished uploads idle for longer than `upload_max_age` (no live lease) and their temp files;
    returns how many. Run by the periodic maintenance of every worker (row locks keep them apart)."""
    cutoff = utcnow() - timedelta(seconds=settings.upload_max_age)
    with write_session(engine) as session:
        stale = session.scalars(
            select(Upload)
            .where(
                Upload.complete.is_(False),
                Upload.touched_at < cutoff,
                or_(Upload.lease_until.is_(None), Upload.lease_until < utcnow()),
            )
            .with_for_update(skip_locked=True)
        ).all()
        files = [temp_file(settings, u) for u in stale]
        for upload in stale:
            session.delete(upload)
    for path in files:  # after the commit: a file without a row is harmless, a row without a file is not
        path.unlink(missing_ok=True)
    return len(files)


# ---- blobs -----------------------------------------------------------------------------------------------


@router.get("/blobs/{sha256}", summary="下载本队上传的证据文件", responses=_ERR)
def get_blob(sha256: Sha, request: Request, caller: CallerDep) -> Response:
    with read_session(engine_of(request)) as session:
        blob = session.get(Blob, sha256)
        allowed = blob is not None and (
            caller.is_centre or session.get(BlobAccess, (sha256, caller.township_key)) is not None
        )
    blobs = blobs_of(request)
    if blob is None or not allowed or not blobs.exists(blob.path):
        raise not_found("文件不存在")
    return blobs.response(blob.path, sha256)

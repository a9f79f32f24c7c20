"""Pull (`GET /api/v1/sync/changes`) and push (`POST /api/v1/sync/mutations`).

Pull pages through the change sequence after `cursor`, showing a caller only global changes and those of its
own township (the centre sees everything); the page is read and encoded by `sync.server.feed`. A cursor below
the tombstone horizon — or beyond the newest sequence the server knows, e.g. after the platform's database was
replaced — is answered 410 `cursor_expired`: the client must resynchronise from 0.

`GET /sync/checksums` and `GET /sync/scope` serve the replica check (sync.server.checksums, sync.replica).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Engine

from sync.protocol import (
    API_PREFIX,
    MAX_PAGE,
    ChangesPage,
    Checksums,
    EntityName,
    ErrorBody,
    MutationBatch,
    MutationResults,
    ScopePage,
)
from sync.server.auth import CallerDep
from sync.server.checksums import checksums, scope_rows
from sync.server.common import ApiError, Caller, engine_of
from sync.server.feed import encode_page, maybe_gzip, page_rows
from sync.server.feed_watermark import visible_head
from sync.server.mutations import apply_batch
from sync.server.policy import IDENTITY_ROLES
from sync.server.storage import horizon, max_seq, read_session

router = APIRouter(prefix=f"{API_PREFIX}/sync", tags=["sync"])
DEFAULT_PAGE = 500
CURSOR_EXPIRED = ("cursor_expired", "同步游标已过期，需要重新全量同步（本机未上传的数据会保留）")


def pull(engine: Engine, caller: Caller, cursor: int, limit: int) -> bytes:
    """One page of changes visible to `caller` after `cursor`, as the ChangesPage JSON body (see `feed`)."""
    limit = max(1, min(int(limit), MAX_PAGE))
    with read_session(engine) as session:
        head = visible_head(session)  # the feed never shows a seq above it (sync.server.feed_watermark)
        if cursor != 0 and (cursor < horizon(session) or cursor > max(head, horizon(session))):
            raise ApiError(410, *CURSOR_EXPIRED)
        rows, has_more = page_rows(session, _scopes(caller), cursor, limit, _hidden(caller))
        advertised = max(max_seq(session), horizon(session))
    return encode_page(rows, cursor, has_more, advertised)


@router.get(
    "/changes",
    response_model=ChangesPage,
    summary="拉取变更（按提交序号分页）",
    responses={401: {"model": ErrorBody}, 410: {"model": ErrorBody}},
)
def get_changes(
    request: Request,
    caller: CallerDep,
    cursor: Annotated[int, Query(ge=0, description="上次的 next_cursor；0 = 从头")] = 0,
    limit: Annotated[int, Query(ge=1, description=f"每页条数，最多 {MAX_PAGE}")] = DEFAULT_PAGE,
) -> Response:
    body = pull(engine_of(request), caller, cursor, limit)
    body, headers = maybe_gzip(body, request.headers.get("accept-encoding", ""))
    return Response(content=body, media_type="application/json", headers=headers)


def _scopes(caller: Caller) -> tuple[str, ...] | None:
    return None if caller.is_centre else ("", caller.township_key)


def _hidden(caller: Caller) -> tuple[str, ...]:
    """Entities the caller never receives: complainants' identities go only to roles that need them."""
    return () if caller.role in IDENTITY_ROLES else ("complainant",)


@router.get(
    "/checksums",
    response_model=Checksums,
    summary="副本校验和（按乡镇 × 数据类型），供本机核对已同步的数据",
    responses={401: {"model": ErrorBody}},
)
def get_checksums(
    request: Request,
    caller: CallerDep,
    cursor: Annotated[int, Query(ge=0, description="本机的同步游标（仅作参考；答复中的 cursor 为平台计算时的位置）")] = 0,
) -> Checksums:
    with read_session(engine_of(request)) as session:
        head, sums = checksums(session, _scopes(caller))
    hidden = _hidden(caller)
    sums = {scope: value for scope, value in sums.items() if scope.rsplit("/", 1)[-1] not in hidden}
    return Checksums.model_validate({"cursor": head, "scopes": sums})


@router.get(
    "/scope",
    response_model=ScopePage,
    summary="某类数据当前的全部记录（按 id 分页），供校验不符时重新获取",
    responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def get_scope(
    request: Request,
    caller: CallerDep,
    entity: Annotated[EntityName, Query(description="数据类型")],
    after: Annotated[str, Query(max_length=64, description="上一页的 next_after；空 = 从头")] = "",
    limit: Annotated[int, Query(ge=1, description=f"每页条数，最多 {MAX_PAGE}")] = MAX_PAGE,
) -> Response:
    if entity in _hidden(caller):
        raise ApiError(403, "forbidden", "无权获取该类数据")
    with read_session(engine_of(request)) as session:
        body = scope_rows(session, _scopes(caller), entity, after, max(1, min(limit, MAX_PAGE)))
    body, headers = maybe_gzip(body, request.headers.get("accept-encoding", ""))
    return Response(content=body, media_type="application/json", headers=headers)


@router.post(
    "/mutations",
    response_model=MutationResults,
    summary="推送本机变更（一批一个事务，每条独立保存点，按 mutation_id 幂等）",
    responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def post_mutations(batch: MutationBatch, request: Request, caller: CallerDep) -> MutationResults:
    engine = engine_of(request)
    return MutationResults(results=apply_batch(engine, caller, batch.device_id, batch.mutations))

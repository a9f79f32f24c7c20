"""Pull (`GET /api/v1/sync/changes`) and push (`POST /api/v1/sync/mutations`).

Pull pages through the change sequence after `cursor`, showing a caller only global changes and those of its
own township (the centre sees everything). A cursor below the tombstone horizon — or beyond the newest
sequence the server knows, e.g. after the platform's database was replaced — is answered 410 `cursor_expired`:
the client must resynchronise from 0.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Engine, and_, select

from sync.protocol import API_PREFIX, MAX_PAGE, ChangesPage, ErrorBody, MutationBatch, MutationResults
from sync.server.auth import CallerDep
from sync.server.common import ApiError, Caller, engine_of
from sync.server.feed_watermark import visible_head
from sync.server.mutations import apply_batch
from sync.server.policy import IDENTITY_ROLES
from sync.server.storage import ChangeRow, Record, horizon, max_seq, read_session

router = APIRouter(prefix=f"{API_PREFIX}/sync", tags=["sync"])
DEFAULT_PAGE = 500
CURSOR_EXPIRED = ("cursor_expired", "同步游标已过期，需要重新全量同步（本机未上传的数据会保留）")


def pull(engine: Engine, caller: Caller, cursor: int, limit: int) -> dict[str, Any]:
    """One page of changes visible to `caller` after `cursor` (plain dicts in the ChangesPage shape)."""
    limit = max(1, min(int(limit), MAX_PAGE))
    with read_session(engine) as session:
        head = visible_head(session)  # the feed never shows a seq above it (sync.server.feed_watermark)
        if cursor != 0 and (cursor < horizon(session) or cursor > max(head, horizon(session))):
            raise ApiError(410, *CURSOR_EXPIRED)
        query = (
            select(
                ChangeRow.seq,
                ChangeRow.entity,
                ChangeRow.entity_id,
                ChangeRow.op,
                ChangeRow.version,
                Record.data,
            )
            .join(Record, and_(Record.entity == ChangeRow.entity, Record.id == ChangeRow.entity_id))
            .where(ChangeRow.seq > cursor, ChangeRow.seq <= head)
            .order_by(ChangeRow.seq)
            .limit(limit + 1)
        )
        if not caller.is_centre:
            query = query.where(ChangeRow.township_key.in_(["", caller.township_key]))
        if caller.role not in IDENTITY_ROLES:  # complainants' identities go only to roles that need them
            query = query.where(ChangeRow.entity != "complainant")
        rows = session.execute(query).all()
        head = max(max_seq(session), horizon(session))
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        {
            "entity": entity,
            "id": entity_id,
            "version": version,
            "op": op,
            "data": ({**data, "id": entity_id} if op == "upsert" else None),
        }
        for _seq, entity, entity_id, op, version, data in rows
    ]
    next_cursor = rows[-1][0] if rows else cursor
    return {"changes": changes, "next_cursor": next_cursor, "has_more": has_more, "head": head}


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
) -> ChangesPage:
    return ChangesPage.model_validate(pull(engine_of(request), caller, cursor, limit))


@router.post(
    "/mutations",
    response_model=MutationResults,
    summary="推送本机变更（一批一个事务，每条独立保存点，按 mutation_id 幂等）",
    responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def post_mutations(batch: MutationBatch, request: Request, caller: CallerDep) -> MutationResults:
    engine = engine_of(request)
    return MutationResults(results=apply_batch(engine, caller, batch.device_id, batch.mutations))

"""Document number blocks (`POST /api/v1/number-blocks`): ranges of 文号 per body × document type × year.

The block is computed by `app.rules.numbering.allocate_block` over every block already issued for the counter,
inside one write transaction that serialises all allocations (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: the
global write advisory lock plus a per-counter transaction advisory lock), so two devices never get overlapping
ranges. A team may draw numbers for its own township or for any district department (non-empowered matters are
enforced in the department's name); the centre for any known body.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.errors import NumberingError
from app.rules.numbering import NumberBlock, allocate_block, series
from sync.protocol import API_PREFIX, ErrorBody, NumberBlockRequest, NumberBlockResponse
from sync.server.auth import CallerDep
from sync.server.common import ApiError, Caller, engine_of
from sync.server.records import load
from sync.server.storage import NumberBlockRow, write_session

router = APIRouter(prefix=API_PREFIX, tags=["numbers"])


def _check_body(session: Session, caller: Caller, body_id: str) -> None:
    department = load(session, "department", body_id)
    if department is not None and not department.deleted:
        return
    township = load(session, "township", body_id)
    if township is None or township.deleted:
        raise ApiError(404, "unknown_body", f"未知的执法主体「{body_id}」")
    if not caller.is_centre and body_id != caller.township_id:
        raise ApiError(403, "forbidden", "不能领取其他乡镇的文号")


def issue_block(engine: Engine, caller: Caller, req: NumberBlockRequest) -> NumberBlockResponse:
    """Allocate and record the next block for the request's counter."""
    try:
        series(req.doc_type)
    except NumberingError as exc:
        raise ApiError(400, exc.code, exc.message) from None
    with write_session(engine) as session:
        _check_body(session, caller, req.body_id)
        if engine.dialect.name == "postgresql":
            session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                {"k": f"numbers|{req.body_id}|{req.doc_type}|{req.year}"},
            )
        rows = session.scalars(
            select(NumberBlockRow).where(
                NumberBlockRow.body_id == req.body_id,
                NumberBlockRow.doc_type == req.doc_type,
                NumberBlockRow.year == req.year,
            )
        ).all()
        existing = [NumberBlock(r.body_id, r.doc_type, r.year, r.start, r.end) for r in rows]
        try:
            block = allocate_block(existing, req.body_id, req.doc_type, req.year, req.size)
        except NumberingError as exc:
            raise ApiError(400, exc.code, exc.message) from None
        session.add(
            NumberBlockRow(
                body_id=block.body_id,
                doc_type=block.doc_type,
                year=block.year,
                start=block.start,
                end=block.end,
                device_id=req.device_id,
                township_id=caller.township_id,
                username=caller.username,
            )
        )
    return NumberBlockResponse(
        body_id=block.body_id, doc_type=block.doc_type, year=block.year, start=block.start, end=block.end
    )


@router.post(
    "/number-blocks",
    response_model=NumberBlockResponse,
    summary="领取文号段",
    responses={
        400: {"model": ErrorBody},
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        404: {"model": ErrorBody},
    },
)
def post_number_block(body: NumberBlockRequest, request: Request, caller: CallerDep) -> NumberBlockResponse:
    return issue_block(engine_of(request), caller, body)

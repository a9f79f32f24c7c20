"""Supervision by the district command centre (`/api/v1/supervision/…`, centre role only): interventions
(干预留痕) and their monthly summary, urgent responses that missed their targets, and 抄告 replies overdue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sync.protocol import API_PREFIX, ErrorBody
from sync.server import loops as L
from sync.server.admin import CST
from sync.server.auth import CallerDep
from sync.server.common import ApiError, Caller, engine_of
from sync.server.storage import read_session

router = APIRouter(prefix=f"{API_PREFIX}/supervision", tags=["supervision"])
_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}
Township = Annotated[str | None, Query(description="乡镇编号；不填 = 全区")]


def _centre(caller: Caller) -> None:
    if not caller.is_centre:
        raise ApiError(403, "forbidden", "只有指挥中心可以查看执法监督数据")


@router.get("/interventions", summary="干预留痕记录（指挥中心）", responses=_ERRORS)
def get_interventions(
    request: Request, caller: CallerDep, township: Township = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")] = None,
) -> dict[str, Any]:
    _centre(caller)
    with read_session(engine_of(request)) as session:
        return {"interventions": L.interventions(session, township, month)}


@router.get("/interventions/summary", summary="干预留痕月度汇总（按乡镇、按月）", responses=_ERRORS)
def get_intervention_summary(request: Request, caller: CallerDep, township: Township = None) -> dict[str, Any]:
    _centre(caller)
    with read_session(engine_of(request)) as session:
        return {"months": L.monthly_summary(session, township)}


@router.get("/urgent-responses", summary="紧急指令响应超时（响应、出发、到达）", responses=_ERRORS)
def get_urgent_responses(
    request: Request, caller: CallerDep, township: Township = None,
    all_: Annotated[bool, Query(alias="all", description="true = 全部紧急指令，不只超时的")] = False,
) -> dict[str, Any]:
    _centre(caller)
    with read_session(engine_of(request)) as session:
        return {"responses": L.urgent_responses(session, datetime.now(UTC), township, overdue_only=not all_)}


@router.get("/notice-replies/overdue", summary="抄告逾期未反馈", responses=_ERRORS)
def get_overdue_notices(request: Request, caller: CallerDep, township: Township = None) -> dict[str, Any]:
    _centre(caller)
    with read_session(engine_of(request)) as session:
        return {"notices": L.overdue_notice_replies(session, datetime.now(CST).date(), township)}

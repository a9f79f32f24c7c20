"""Shared pieces of the HTTP layer: `ApiError` (→ a JSON `ErrorBody`), the authenticated `Caller`, access to
the app's engine and settings, and the exception handlers that keep every error response an `ErrorBody`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.server.settings import ServerSettings

log = logging.getLogger("sync.server")

_STATUS_CODES = {
    400: ("bad_request", "请求无效"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "未找到"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "请求冲突"),
    413: ("too_large", "请求内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("bad_request", "请求格式不正确"),
}


class ApiError(Exception):
    """An error answered as `ErrorBody{code, message}` with `status`, optional headers and extra JSON keys."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}


def not_found(message: str = "未找到") -> ApiError:
    return ApiError(404, "not_found", message)


@dataclass(frozen=True)
class Caller:
    """The authenticated user of a request and the device session it came from."""

    username: str
    name: str
    role: str
    township_id: str | None
    officer_id: str | None
    device_id: str
    session_id: int

    @property
    def is_centre(self) -> bool:
        return self.role == "centre"

    @property
    def township_key(self) -> str:
        return self.township_id or ""

    def sees(self, township_id: str | None) -> bool:
        """May this caller see a record of `township_id` (None = global)?"""
        return self.is_centre or township_id is None or township_id == self.township_id


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def settings_of(request: Request) -> ServerSettings:
    return request.app.state.settings


def error_response(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, **(extra or {})}
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
        parts.append(f"{loc}: {err.get('msg', '')}" if loc else str(err.get("msg", "")))
    return "请求格式不正确：" + "；".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers, exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "bad_request", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _STATUS_CODES.get(exc.status_code, ("http_error", "请求失败"))
        if isinstance(exc.detail, str) and exc.detail and exc.status_code not in _STATUS_CODES:
            message = exc.detail
        return error_response(exc.status_code, code, message, dict(exc.headers or {}))

    @app.exception_handler(OperationalError)
    async def _db_busy(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database error: %s", exc)
        return error_response(503, "busy", "平台数据库繁忙，请稍后重试", {"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "server_error", "平台内部错误，请稍后重试")

"""Login, token refresh and logout (`/api/v1/auth/*`) and the bearer-token dependency `current_caller`.

One session per user × device: logging in again on the same device revokes the older session. A refresh
rotates both tokens (the old session is revoked); presenting an already rotated refresh token again is treated
as theft and revokes every session of that user on that device. Failed sign-ins are rate-limited per account
and per address (`ratelimit`, 429 with a Chinese message and Retry-After).
"""

from __future__ import annotations

import functools
import os
from datetime import timedelta
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from sync.protocol import API_PREFIX, ErrorBody, LoginRequest, RefreshRequest, TokenResponse, UserInfo
from sync.server import ratelimit
from sync.server.common import ApiError, Caller, engine_of, settings_of
from sync.server.security import DUMMY_HASH, new_token, token_hash, verify_password
from sync.server.settings import ServerSettings
from sync.server.storage import DeviceSession, User, affected, read_session, utcnow, write_session

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False, description="access token from /auth/token")

BAD_CREDENTIALS = ("bad_credentials", "用户名或密码错误")
SESSION_EXPIRED = ("session_expired", "登录已过期，请重新登录")
_AUTH_HEADERS = {"WWW-Authenticate": "Bearer"}
_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 422: {"model": ErrorBody}}


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        username=user.username,
        name=user.name,
        role=user.role,  # type: ignore[arg-type]  # a stored role; pydantic checks the Literal
        township_id=user.township_id,
        officer_id=user.officer_id,
    )


def _open_session(session: Session, user: User, device_id: str, settings: ServerSettings) -> TokenResponse:
    access, refresh = new_token(), new_token()
    now = utcnow()
    session.add(
        DeviceSession(
            username=user.username,
            device_id=device_id,
            access_hash=token_hash(access),
            access_expires=now + timedelta(seconds=settings.access_ttl),
            refresh_hash=token_hash(refresh),
            refresh_expires=now + timedelta(seconds=settings.refresh_ttl),
        )
    )
    return TokenResponse(
        access_token=access,
        refresh_token=refresh,
        expires_in=max(1, int(settings.access_ttl)),
        user=_user_info(user),
    )


def _revoke_device(session: Session, username: str, device_id: str) -> None:
    session.execute(
        update(DeviceSession)
        .where(
            DeviceSession.username == username,
            DeviceSession.device_id == device_id,
            DeviceSession.revoked.is_(False),
        )
        .values(revoked=True)
    )


def login_slots(settings: ServerSettings) -> int:
    """How many sign-ins one process hashes at a time: `settings.login_slots`, or half the cores (at least
    one). The others wait on the event loop, not in the thread pool, so under a morning burst hashing never
    takes more than its share of the machine and pulls and pushes keep their threads (scrypt costs ~16 MB
    and ~50 ms of one core; its cost parameters are unchanged)."""
    return settings.login_slots or max(1, (os.cpu_count() or 2) // 2)


def login(
    engine: Engine, settings: ServerSettings, body: LoginRequest, address: str | None = None
) -> TokenResponse:
    """Check the password (rate-limited per account and per address, see `ratelimit`) and open a session.
    Expired sessions are removed by the periodic sweep (`maintenance`), not here."""
    keys = ratelimit.keys_for(body.username, address)
    ratelimit.check(engine, settings, keys)
    with read_session(engine) as session:
        user = session.get(User, body.username)
    if user is None or not user.active:
        verify_password(body.password, DUMMY_HASH)  # same cost as a wrong password
        ratelimit.record_failure(engine, settings, keys)
        raise ApiError(401, *BAD_CREDENTIALS, headers=_AUTH_HEADERS)
    if not verify_password(body.password, user.password_hash):
        ratelimit.record_failure(engine, settings, keys)
        raise ApiError(401, *BAD_CREDENTIALS, headers=_AUTH_HEADERS)
    from sync.server.devices import check_device

    check_device(engine, body.device_id, None, user.username)  # a revoked device: 403, even with the password
    with write_session(engine) as session:
        _revoke_device(session, user.username, body.device_id)
        ratelimit.clear_account(session, keys)
        return _open_session(session, user, body.device_id, settings)


def sweep_sessions(engine: Engine) -> int:
    """Delete sessions whose refresh token has expired (of no use any more, not even for theft detection);
    an indexed range delete run by the periodic maintenance. Returns how many."""
    with write_session(engine) as session:
        result = session.execute(delete(DeviceSession).where(DeviceSession.refresh_expires < utcnow()))
        return affected(result)


def refresh(engine: Engine, settings: ServerSettings, body: RefreshRequest) -> TokenResponse:
    from sync.server.devices import check_device

    check_device(engine, body.device_id, None)
    response: TokenResponse | None = None
    with write_session(engine) as session:  # commits a theft revocation even when the refresh is refused
        row = session.scalars(
            select(DeviceSession).where(DeviceSession.refresh_hash == token_hash(body.refresh_token))
        ).first()
        if row is not None and row.rotated:
            _revoke_device(session, row.username, row.device_id)  # a used refresh token came back: theft
            row = None
        live = (
            row is not None
            and not row.revoked
            and row.refresh_expires > utcnow()
            and row.device_id == body.device_id
        )
        user = session.get(User, row.username) if live and row is not None else None
        if row is not None and user is not None and user.active:
            row.revoked = True
            row.rotated = True
            response = _open_session(session, user, row.device_id, settings)
    if response is None:
        raise ApiError(401, *SESSION_EXPIRED, headers=_AUTH_HEADERS)
    return response


def caller_for_token(engine: Engine, token: str, path: str | None = None) -> Caller:
    """The caller owning a live access token; `ApiError(401)` otherwise, 403 for a revoked device."""
    with read_session(engine) as session:
        found = session.execute(
            select(DeviceSession, User)
            .join(User, User.username == DeviceSession.username)
            .where(DeviceSession.access_hash == token_hash(token))
        ).first()
    if found is None:
        raise ApiError(401, "unauthorized", "登录凭证无效，请重新登录", headers=_AUTH_HEADERS)
    row, user = found
    if row.revoked or not user.active:
        raise ApiError(401, *SESSION_EXPIRED, headers=_AUTH_HEADERS)
    if row.access_expires <= utcnow():
        raise ApiError(401, "token_expired", "访问令牌已过期，请刷新", headers=_AUTH_HEADERS)
    from sync.server.devices import check_device

    check_device(engine, row.device_id, path or "", user.username)
    return Caller(
        username=user.username,
        name=user.name,
        role=user.role,
        township_id=user.township_id,
        officer_id=user.officer_id,
        device_id=row.device_id,
        session_id=row.id,
    )


def current_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    """FastAPI dependency: the authenticated caller.

    401 with code `unauthorized` (no/unknown token), `token_expired` or `session_expired` otherwise."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(401, "unauthorized", "请先登录", headers=_AUTH_HEADERS)
    return caller_for_token(engine_of(request), credentials.credentials, request.url.path)


CallerDep = Annotated[Caller, Depends(current_caller)]


@router.post(
    "/token",
    response_model=TokenResponse,
    responses={**_ERRORS, 429: {"model": ErrorBody}},
    summary="登录：用户名+密码+设备 → 令牌（失败过多 → 429 + Retry-After）",
)
async def post_token(body: LoginRequest, request: Request) -> TokenResponse:
    address = request.client.host if request.client else None
    state = request.app.state
    if getattr(state, "login_limiter", None) is None:
        state.login_limiter = anyio.CapacityLimiter(login_slots(settings_of(request)))
    work = functools.partial(login, engine_of(request), settings_of(request), body, address)
    return await anyio.to_thread.run_sync(work, limiter=state.login_limiter)


@router.post(
    "/refresh", response_model=TokenResponse, responses=_ERRORS, summary="刷新令牌（旧刷新令牌作废）"
)
def post_refresh(body: RefreshRequest, request: Request) -> TokenResponse:
    return refresh(engine_of(request), settings_of(request), body)


@router.post("/logout", status_code=204, responses=_ERRORS, summary="退出登录：作废本设备会话")
def post_logout(caller: CallerDep, request: Request) -> Response:
    with write_session(engine_of(request)) as session:
        row = session.get(DeviceSession, caller.session_id)
        if row is not None:
            row.revoked = True
    return Response(status_code=204)

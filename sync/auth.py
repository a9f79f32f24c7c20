"""Signing in to the platform and making authorised requests.

`AuthClient.login` exchanges username + password (+ device id) for tokens, which go to the OS keyring only;
the password is never stored or logged. The signed-in user's description (username, name, role, township,
officer id, server URL, device id — no secret) goes to the `sync_state` table so that the app can start
offline as that user. An authorised request that meets a 401 refreshes the tokens once and retries once; if
the refresh is refused the keyring item is dropped and `SessionExpired` asks the person to sign in again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, TypeVar

import requests
from pydantic import BaseModel

from app.identity import CurrentUser
from app.rules.task_states import Role
from app.store import Store
from sync import state
from sync.credentials import Tokens, TokenStore
from sync.protocol import LoginRequest, RefreshRequest, TokenResponse, UserInfo
from sync.transport import AuthError, DeviceRevoked, Transport, parse

M = TypeVar("M", bound=BaseModel)


class SessionExpired(AuthError):
    default_code = "session_expired"
    default_message = "登录已过期，请重新登录"


class LoginFailed(AuthError):
    default_code = "login_failed"
    default_message = "用户名或密码错误，请重新输入。"


class AuthClient:
    """Tokens for one user on one platform, and requests made with them."""

    def __init__(
        self, transport: Transport, *, store: Store | None = None, device_id: str | None = None,
        username: str | None = None,
    ) -> None:
        self.transport = transport
        self.store = store
        self.device_id = device_id or (state.device_id(store) if store is not None else None)
        self.username = username
        self.user: UserInfo | None = None
        self._tokens: Tokens | None = None
        self._lock = threading.Lock()

    @classmethod
    def resume(cls, transport: Transport, store: Store) -> AuthClient | None:
        """The client of the user last signed in on this store, if their tokens are still in the keyring."""
        with store.read() as session:
            signed = state.load_user(session)
        if signed is None or signed.server_url.rstrip("/") != transport.base_url:
            return None
        client = cls(transport, store=store, device_id=signed.device_id, username=signed.username)
        if client.token_store().load() is None:
            return None
        client.user = UserInfo(
            username=signed.username, name=signed.name, role=signed.role,  # type: ignore[arg-type]  # a stored role; pydantic checks the Literal
            township_id=signed.township_id, officer_id=signed.officer_id,
        )
        return client

    # ---- session life cycle ------------------------------------------------------------------------------

    def token_store(self) -> TokenStore:
        if not self.username:
            raise SessionExpired("尚未登录，请先登录。", code="not_signed_in")
        return TokenStore(self.transport.base_url, self.username)

    def login(self, username: str, password: str, device_id: str | None = None) -> UserInfo:
        """Sign in; tokens to the keyring, the user's description to `sync_state`. Returns the user."""
        device = device_id or self.device_id
        if not device:
            raise ValueError("device_id required")
        body = LoginRequest(username=username, password=password, device_id=device).model_dump()
        try:
            resp = self.transport.request("POST", "/auth/token", json_body=body, idempotent=True)
        except AuthError as exc:
            raise LoginFailed(None if exc.message == AuthError.default_message else exc.message) from None
        except DeviceRevoked as exc:  # refused even with the right password: wipe as the platform says
            if self.store is not None and exc.mode == "wipe":
                from sync.revocation import comply

                comply(self.store, self.transport, exc, device_id=device)
            raise
        token = parse(resp, TokenResponse)
        self.device_id = device
        self.username = token.user.username
        self._store_tokens(token)
        self.user = token.user
        if self.store is not None:
            signed = state.SignedInUser(
                username=token.user.username, name=token.user.name, role=token.user.role,
                township_id=token.user.township_id, officer_id=token.user.officer_id,
                server_url=self.transport.base_url, device_id=device,
            )
            with self.store.write() as session:
                state.save_user(session, signed)
        return token.user

    def refresh(self) -> Tokens:
        """Swap the refresh token for new tokens; a refusal drops them and raises `SessionExpired`."""
        with self._lock:
            return self._refresh_locked()

    def _refresh_locked(self) -> Tokens:
        tokens = self.tokens()
        body = RefreshRequest(refresh_token=tokens.refresh_token, device_id=self.device_id or "").model_dump()
        try:
            resp = self.transport.request("POST", "/auth/refresh", json_body=body, idempotent=True)
        except AuthError:
            self._drop_tokens()
            raise SessionExpired() from None
        token = parse(resp, TokenResponse)
        self.user = token.user
        return self._store_tokens(token)

    def logout(self) -> None:
        """Revoke the session on the platform (best effort; an expired access token is refreshed first) and
        delete the tokens from the keyring and the signed-in user from `sync_state`."""
        try:
            self.request("POST", "/auth/logout", idempotent=True)
        except Exception:  # offline, or already revoked: the local sign-out must still happen
            pass
        finally:
            self._drop_tokens()
            if self.store is not None:
                with self.store.write() as session:
                    state.delete(session, state.USER)

    def tokens(self) -> Tokens:
        if self._tokens is None:
            self._tokens = self.token_store().load()
        if self._tokens is None:
            raise SessionExpired()
        return self._tokens

    def current_user(self) -> CurrentUser:
        if self.user is None:
            raise SessionExpired("尚未登录，请先登录。", code="not_signed_in")
        u = self.user
        return CurrentUser(u.username, u.name, Role(u.role), u.township_id, u.officer_id)

    def _store_tokens(self, token: TokenResponse) -> Tokens:
        tokens = Tokens(token.access_token, token.refresh_token, time.time() + token.expires_in)
        self.token_store().save(tokens)
        self._tokens = tokens
        return tokens

    def _drop_tokens(self) -> None:
        self._tokens = None
        if self.username:
            self.token_store().clear()

    # ---- authorised requests -----------------------------------------------------------------------------

    def request(
        self, method: str, path: str, *, headers: Mapping[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        """`Transport.request` with the bearer token; on 401 refresh once and retry once."""
        tokens = self.tokens()
        try:
            return self.transport.request(method, path, headers={**(headers or {}), **_bearer(tokens)}, **kwargs)
        except SessionExpired:
            raise
        except AuthError:
            pass
        with self._lock:
            current = self._tokens
            fresh = current if current is not None and current != tokens else self._refresh_locked()
        try:
            return self.transport.request(method, path, headers={**(headers or {}), **_bearer(fresh)}, **kwargs)
        except AuthError:
            self._drop_tokens()
            raise SessionExpired() from None

    def call(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        return parse(self.request(method, path, **kwargs), model)

    @property
    def cancel(self) -> threading.Event:
        return self.transport.cancel

    def check_cancel(self) -> None:
        self.transport.check_cancel()

    def pause(self, seconds: float) -> None:
        self.transport.pause(seconds)


def _bearer(tokens: Tokens) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.access_token}"}

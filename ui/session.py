"""The thin, Qt-free adapter between the shell and `sync`: signing in and out, resuming a remembered session
offline, a cheap health probe, and mapping sync failures to what the shell must do about them.

Tokens never pass through here as values: `sync.auth.AuthClient` keeps them in the keyring. The password given
to `login` is used for the one request and dropped.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from urllib.parse import urlparse

import requests

from app.store import Store
from sync import state
from sync.auth import AuthClient
from sync.protocol import API_PREFIX
from sync.transport import Transport

DEFAULT_SERVER = "https://zhzx.fuyang.gov.cn"
SESSION_CODES = frozenset(
    {"session_expired", "unauthorized", "token_expired", "not_signed_in", "login_failed", "keyring"}
)
OFFLINE_CODES = frozenset({"network", "tls"})


def normalise_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    return url


def valid_url(url: str) -> bool:
    parsed = urlparse(normalise_url(url))
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def make_transport(
    url: str, *, cancel: threading.Event | None = None, retries: int = 3, ca_bundle: str | None = None
) -> Transport:
    return Transport(
        normalise_url(url), cancel=cancel, retries=retries, backoff=0.4, ca_bundle=ca_bundle, timeout=(5, 60)
    )


def login(
    store: Store,
    url: str,
    username: str,
    password: str,
    *,
    cancel: threading.Event | None = None,
    ca_bundle: str | None = None,
) -> AuthClient:
    """Sign in (tokens → keyring, the user's description → the store). Raises `sync.transport.SyncError`s."""
    transport = make_transport(url, cancel=cancel, retries=1, ca_bundle=ca_bundle)
    client = AuthClient(transport, store=store)
    client.login(username.strip(), password)
    # later requests (sync) get a fresh cancel event per run; retries back to the normal count
    transport.retries = 3
    return client


def resume(store: Store, url: str, *, ca_bundle: str | None = None) -> AuthClient | None:
    """The remembered session for `url` on this store (tokens still in the keyring), without any network."""
    try:
        return AuthClient.resume(make_transport(url, ca_bundle=ca_bundle), store)
    except Exception:  # an unreadable keyring is the same as no remembered session: sign in again
        return None


@dataclass(frozen=True)
class Remembered:
    """Who last signed in on this store (pre-fills the sign-in dialog). Not a secret."""

    username: str
    server_url: str


def remembered(store: Store) -> Remembered | None:
    with store.read() as session:
        user = state.load_user(session)
    return None if user is None else Remembered(user.username, user.server_url)


def sign_out(client: AuthClient) -> None:
    """Revoke on the platform (best effort) and delete the tokens and the signed-in user locally."""
    client.logout()


def forget_tokens(client: AuthClient) -> None:
    """Drop the keyring item only ("remember me" off, at exit); the store keeps who signed in."""
    with contextlib.suppress(Exception):
        client.token_store().clear()


def health(url: str, timeout: float = 3.0, ca_bundle: str | None = None) -> bool:
    """Is the platform reachable? One cheap GET, no retries, no token."""
    try:
        resp = requests.get(
            f"{normalise_url(url)}{API_PREFIX}/health", timeout=timeout, verify=ca_bundle or True
        )
        return resp.status_code == 200
    except requests.RequestException:
        return False


def classify(error_codes: list[str]) -> str:
    """ "session" (sign in again), "offline" (platform unreachable), "cancelled", "partial" or "" (ok)."""
    codes = {c.split(":", 1)[-1] for c in error_codes}
    if codes & SESSION_CODES:
        return "session"
    if codes & OFFLINE_CODES:
        return "offline"
    if "cancelled" in codes:
        return "cancelled"
    return "partial" if codes else ""

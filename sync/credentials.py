"""Platform tokens in the OS keyring — and nowhere else (not the DB, not a settings file, not a log).

One keyring item per server × user: service "lianxuntong", username "<server_url>|<username>", secret a JSON
object {"access_token", "refresh_token", "expires_at"}. `expires_at` is informational (laptop clocks are not
trusted for anything): the platform's 401 is what triggers a refresh.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from sync.transport import SyncError

SERVICE = "lianxuntong"


class CredentialError(SyncError):
    default_code = "keyring"
    default_message = "无法访问系统钥匙串，登录信息未能保存或读取。请检查系统的密码管理服务后重新登录。"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: float  # epoch seconds, per this laptop's clock at issue time (informational only)

    def __repr__(self) -> str:  # never print a secret by accident
        return f"Tokens(expires_at={self.expires_at!r})"


class TokenStore:
    """Load, save and clear the tokens of one user on one platform."""

    def __init__(self, server_url: str, username: str) -> None:
        self.server_url = server_url.rstrip("/")
        self.username = username

    @property
    def key(self) -> str:
        return f"{self.server_url}|{self.username}"

    def load(self) -> Tokens | None:
        try:
            raw = keyring.get_password(SERVICE, self.key)
        except KeyringError as exc:
            raise CredentialError() from exc
        if not raw:
            return None
        try:
            obj = json.loads(raw)
            return Tokens(str(obj["access_token"]), str(obj["refresh_token"]), float(obj.get("expires_at", 0)))
        except (ValueError, KeyError, TypeError):
            return None  # an unreadable item is as good as none: sign in again

    def save(self, tokens: Tokens) -> None:
        try:
            keyring.set_password(SERVICE, self.key, json.dumps(asdict(tokens)))
        except KeyringError as exc:
            raise CredentialError() from exc

    def clear(self) -> None:
        try:
            keyring.delete_password(SERVICE, self.key)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            raise CredentialError() from exc

"""An in-memory keyring backend for tests: nothing is written to disk or to the real OS keyring."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

#: the store-key items of the whole test session (service "lianxuntong-store"): a store made by a session- or
#: module-scoped fixture must open again in a later test, as it does on one machine. Their names hold a random
#: store id, so tests never see each other's items.
SESSION_STORE_ITEMS: dict[tuple[str, str], str] = {}
SHARED_SERVICES = frozenset({"lianxuntong-store"})


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[tuple[str, str], str] = {}

    def _where(self, service: str) -> dict[tuple[str, str], str]:
        return SESSION_STORE_ITEMS if service in SHARED_SERVICES else self._items

    def get_password(self, service: str, username: str) -> str | None:
        return self._where(service).get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._where(service)[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._where(service)[(service, username)]
        except KeyError as exc:
            raise PasswordDeleteError("not found") from exc

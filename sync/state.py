"""Key/value sync bookkeeping in the `sync_state` table: device id, pull cursor, last sync, signed-in user.

Never a token or a password: those live in the OS keyring (`sync.credentials`). Functions taking a `Session`
run inside the caller's transaction, so a page of changes and its cursor commit together.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.identity import CurrentUser
from app.models import SyncState
from app.rules.task_states import Role
from app.store import Store

DEVICE_ID = "device_id"
CURSOR = "cursor"
LAST_SYNC_AT = "last_sync_at"
USER = "user"
LAST_REPORT = "last_report"


def get(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(SyncState, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def delete(session: Session, key: str) -> None:
    row = session.get(SyncState, key)
    if row is not None:
        session.delete(row)


def device_id(store: Store) -> str:
    """This laptop's device id (made once, kept in the store so that a reinstall of the app keeps it)."""
    with store.read() as session:
        found = get(session, DEVICE_ID)
    if found:
        return found
    with store.write() as session:
        found = get(session, DEVICE_ID)
        if not found:
            found = uuid.uuid4().hex
            put(session, DEVICE_ID, found)
        return found


def cursor(session: Session) -> int:
    return int(get(session, CURSOR, "0") or 0)


def set_cursor(session: Session, value: int) -> None:
    put(session, CURSOR, str(int(value)))


def last_sync_at(session: Session) -> datetime | None:
    raw = get(session, LAST_SYNC_AT)
    return datetime.fromisoformat(raw) if raw else None


@dataclass(frozen=True)
class SignedInUser:
    """Who is signed in on this laptop, as the platform described them (not a secret)."""

    username: str
    name: str
    role: str
    township_id: str | None
    officer_id: str | None
    server_url: str
    device_id: str

    def current_user(self) -> CurrentUser:
        return CurrentUser(self.username, self.name, Role(self.role), self.township_id, self.officer_id)


def save_user(session: Session, user: SignedInUser) -> None:
    put(session, USER, json.dumps(asdict(user), ensure_ascii=False))


def load_user(session: Session) -> SignedInUser | None:
    raw = get(session, USER)
    if not raw:
        return None
    try:
        data: dict[str, Any] = json.loads(raw)
        return SignedInUser(**data)
    except (ValueError, TypeError):
        return None

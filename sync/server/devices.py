"""Revoked devices (`device_revocations`) and the platform's audit of what happened to them (`device_events`).

An administrator revokes a lost laptop with `python -m sync.server admin revoke-device --device ID --mode M`:

* `wipe` — "wipe now": every request of the device (sign-in and refresh included) is refused with 403
  `device_revoked_wipe`; the laptop destroys its data key when it hears that.
* `collect` — "collect then wipe": the device may still refresh its token and push its pending outbox once
  (`POST /sync/mutations`); every other request gets 403 `device_revoked_collect`, on which the laptop pushes,
  reports, and destroys its key. After its report ("wiped") the device is refused like a wiped one.

`POST /api/v1/devices/ack` is how the laptop reports `collected` / `wiped`; it is accepted from a revoked device
(and only concerns the caller's own device). Every step — revoked, refused, collected, wiped — is a row of
`device_events`, so the platform's record says what became of the data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import DateTime, Engine, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from sync.protocol import API_PREFIX
from sync.server.auth import CallerDep
from sync.server.common import ApiError, Caller, engine_of
from sync.server.storage import Base, DeviceSession, read_session, utcnow, write_session

MODES = ("collect", "wipe")
PUSH_PATH = f"{API_PREFIX}/sync/mutations"
ACK_PATH = f"{API_PREFIX}/devices/ack"
REVOKED_MESSAGE = {
    "wipe": "此设备已被平台注销，本机数据将被擦除。如有疑问请联系管理员。",
    "collect": "此设备已被平台注销：本机尚未上传的记录将上传一次，随后本机数据将被擦除。",
}


class DeviceRevocation(Base):
    __tablename__ = "device_revocations"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    collected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    wiped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DeviceEvent(Base):
    __tablename__ = "device_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    event: Mapped[str] = mapped_column(String(16))  # revoked / refused / collected / wiped
    username: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _event(session: Session, device_id: str, event: str, username: str | None = None, detail: str = "") -> None:
    session.add(DeviceEvent(device_id=device_id, event=event, username=username, detail=detail, at=utcnow()))


def revoke(engine: Engine, device_id: str, mode: str, reason: str = "") -> dict[str, Any]:
    """Revoke a device (the admin command). Changing the mode of a revoked device is allowed (collect → wipe)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    with write_session(engine) as session:
        known = session.scalar(select(DeviceSession.id).where(DeviceSession.device_id == device_id).limit(1))
        row = session.get(DeviceRevocation, device_id)
        if row is None:
            row = DeviceRevocation(device_id=device_id, mode=mode, reason=reason, revoked_at=utcnow())
            session.add(row)
        else:
            row.mode, row.reason = mode, reason or row.reason
        _event(session, device_id, "revoked", detail=f"mode={mode}; {reason}".strip("; "))
        return {"device_id": device_id, "mode": mode, "known": known is not None}


def events(engine: Engine, device_id: str) -> list[dict[str, Any]]:
    with read_session(engine) as session:
        rows = session.scalars(select(DeviceEvent).where(DeviceEvent.device_id == device_id)
                               .order_by(DeviceEvent.id)).all()
        return [{"event": r.event, "username": r.username, "detail": r.detail, "at": r.at.isoformat()}
                for r in rows]


def _effective_mode(row: DeviceRevocation) -> str:
    return "wipe" if row.mode == "wipe" or row.collected_at is not None or row.wiped_at is not None else "collect"


def check_device(engine: Engine, device_id: str, path: str | None, username: str | None = None) -> None:
    """Refuse a revoked device (403 `device_revoked_<mode>`); `path` None is a sign-in or a refresh."""
    with read_session(engine) as session:
        row = session.get(DeviceRevocation, device_id)
        if row is None:
            return
        mode = _effective_mode(row)
    if path == ACK_PATH:
        return
    if mode == "collect" and path in (None, PUSH_PATH):
        return
    with write_session(engine) as session:
        _event(session, device_id, "refused", username, detail=path or "sign-in")
    raise ApiError(403, f"device_revoked_{mode}", REVOKED_MESSAGE[mode])


def acknowledge(engine: Engine, caller: Caller, event: str, detail: str) -> None:
    with write_session(engine) as session:
        row = session.get(DeviceRevocation, caller.device_id)
        if row is None:
            raise ApiError(409, "not_revoked", "此设备未被注销")
        now = utcnow()
        if event == "collected":
            row.collected_at = row.collected_at or now
        else:
            row.collected_at = row.collected_at or (now if row.mode == "collect" else None)
            row.wiped_at = row.wiped_at or now
            session.execute(update(DeviceSession).where(DeviceSession.device_id == caller.device_id)
                            .values(revoked=True))
        _event(session, caller.device_id, event, caller.username, detail)


class Ack(BaseModel):
    event: str = Field(pattern="^(collected|wiped)$")
    detail: str = Field(default="", max_length=500)


router = APIRouter(prefix=f"{API_PREFIX}/devices", tags=["devices"])


@router.post("/ack", status_code=204, summary="被注销的设备报告：已上传待同步记录 / 已擦除本机数据")
def post_ack(body: Ack, caller: CallerDep, request: Request) -> None:
    acknowledge(engine_of(request), caller, body.event, body.detail)

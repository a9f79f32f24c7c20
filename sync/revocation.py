"""What the laptop does when the platform says it has been revoked (`sync.transport.DeviceRevoked`).

* mode `collect` ("collect then wipe"): push the pending outbox once (the platform allows exactly that), report
  `collected` with the count, then wipe;
* mode `wipe` ("wipe now"): wipe at once.

Wiping destroys the store's key (`app.crypto.keys.wipe`: keyring item and key file gone, then the encrypted
files removed — the store's own connections are left to its owner, and no new one can be made), so what is
left on the disk cannot be read; the laptop then reports `wiped` (best
effort — the platform has already recorded the revocation and every refusal) and forgets its tokens. The next
start shows the Chinese "device revoked and wiped" message (`keys.WIPED`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from app.crypto import keys
from app.store import Store
from sync.transport import DeviceRevoked, SyncError

log = logging.getLogger(__name__)

ACK = "/devices/ack"


@dataclass
class Complied:
    mode: str
    pushed: int = 0
    acknowledged: bool = False


def _ack(api: Any, event: str, detail: str) -> bool:
    try:
        api.request("POST", ACK, json_body={"event": event, "detail": detail}, idempotent=True)
        return True
    except SyncError as exc:
        log.warning("revocation: the platform did not take the %s report (%s)", event, exc.code)
        return False


def comply(store: Store, api: Any, revoked: DeviceRevoked, *, device_id: str, township_id: str | None = None
           ) -> Complied:
    """Collect (when asked), then wipe this device's data. Never raises for network trouble."""
    done = Complied(revoked.mode)
    if revoked.mode == "collect":
        from sync.push import PushResult, push

        res = PushResult()
        try:
            push(store, api, device_id=device_id, township_id=township_id, result=res)
        except SyncError as exc:
            log.warning("revocation: the outbox could not be pushed (%s); wiping as instructed", exc.code)
        done.pushed = res.pushed
        _ack(api, "collected", f"pushed={res.pushed}")
    keys.wipe(store.paths, reason=revoked.mode)
    log.warning("this device was revoked by the platform (%s): its data key is destroyed", revoked.mode)
    done.acknowledged = _ack(api, "wiped", f"mode={revoked.mode}")
    drop = getattr(api, "_drop_tokens", None)
    if callable(drop):
        try:
            drop()
        except SyncError:
            log.warning("revocation: the tokens could not be removed from the keyring")
    return done

"""Audit secrets in the OS keyring — never in the DB, settings or logs.

Service "lianxuntong-audit":
* `chain|<chain id>` → JSON {"secret": base64, "keyed_from": seq, "anchored_seq": seq, "anchored_hash": hex}:
  the per-device HMAC secret of one store's audit chain, the first seq it keys, and the newest head the
  platform signed a receipt for (so that deleting receipts from the DB is noticed too).
* `platform|<server url>` → base64 Ed25519 public key: the platform's audit signing key, pinned on first use.

A person who can write the DB but not read the keyring can therefore neither recompute MACs nor move the
keyed start, nor swap the pinned platform key.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from dataclasses import dataclass, replace

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "lianxuntong-audit"


class KeyringUnavailable(Exception):
    """The keyring could not be read or written."""


@dataclass(frozen=True)
class ChainKey:
    secret: bytes
    keyed_from: int
    anchored_seq: int = 0
    anchored_hash: str = ""

    def __repr__(self) -> str:  # never print the secret
        return f"ChainKey(keyed_from={self.keyed_from}, anchored_seq={self.anchored_seq})"


def _get(username: str, service: str = SERVICE) -> str | None:
    try:
        return keyring.get_password(service, username)
    except (KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable() from exc


def _set(username: str, value: str, service: str = SERVICE) -> None:
    try:
        keyring.set_password(service, username, value)
    except (KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable() from exc


def _delete(username: str, service: str = SERVICE) -> None:
    try:
        keyring.delete_password(service, username)
    except PasswordDeleteError:
        pass
    except (KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable() from exc


#: the keyring access shared with the store's key-wrapping key (`app.crypto.keys`)
get_secret, set_secret, delete_secret = _get, _set, _delete


def load_chain_key(chain_id: str) -> ChainKey | None:
    raw = _get(f"chain|{chain_id}")
    if not raw:
        return None
    try:
        obj = json.loads(raw)
        return ChainKey(base64.b64decode(obj["secret"]), int(obj["keyed_from"]), int(obj.get("anchored_seq", 0)),
                        str(obj.get("anchored_hash", "")))
    except (ValueError, KeyError, TypeError):
        log.warning("audit chain key item unreadable")
        return None


def save_chain_key(chain_id: str, key: ChainKey) -> None:
    _set(f"chain|{chain_id}", json.dumps({
        "secret": base64.b64encode(key.secret).decode(), "keyed_from": key.keyed_from,
        "anchored_seq": key.anchored_seq, "anchored_hash": key.anchored_hash,
    }))


def new_chain_key(keyed_from: int) -> ChainKey:
    return ChainKey(secrets.token_bytes(32), keyed_from)


def record_anchor(chain_id: str, seq: int, hash_: str) -> None:
    """Remember the newest anchored head beside the secret (never moves backwards)."""
    key = load_chain_key(chain_id)
    if key is not None and seq > key.anchored_seq:
        save_chain_key(chain_id, replace(key, anchored_seq=seq, anchored_hash=hash_))


def pinned_platform_key(server_url: str) -> bytes | None:
    raw = _get(f"platform|{server_url.rstrip('/')}")
    return base64.b64decode(raw) if raw else None


def pin_platform_key(server_url: str, public_key: bytes) -> None:
    _set(f"platform|{server_url.rstrip('/')}", base64.b64encode(public_key).decode())


def forget_platform_key(server_url: str) -> None:
    """An administrator's deliberate re-pin (e.g. after the platform's key was rotated)."""
    _delete(f"platform|{server_url.rstrip('/')}")

"""Passwords (scrypt with a per-user salt), bearer tokens (random, stored as SHA-256) and upload receipts
(HMAC-SHA256 with the server secret). All comparisons are constant-time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_DKLEN = 32


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """`scrypt$n$r$p$salt$key` (base64 salt and key)."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=2**26)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=2**26,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


#: used to spend the same time on an unknown user as on a wrong password
DUMMY_HASH = hash_password(secrets.token_urlsafe(12))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign_receipt(secret: bytes, sha256: str, size: int, received_at: str) -> str:
    """Hex HMAC-SHA256 over "sha256|size|received_at"."""
    message = f"{sha256}|{size}|{received_at}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def verify_receipt(secret: bytes, sha256: str, size: int, received_at: str, signature: str) -> bool:
    return hmac.compare_digest(sign_receipt(secret, sha256, size, received_at), signature)


def chunk_checksum_ok(header: str | None, digest: bytes) -> bool:
    """Does an `Upload-Checksum: sha256 <base64>` header match the chunk's SHA-256 `digest`?"""
    if not header:
        return False
    algo, _, value = header.strip().partition(" ")
    if algo.lower() != "sha256":
        return False
    try:
        claimed = base64.b64decode(value.strip(), validate=True)
    except ValueError:
        return False
    return hmac.compare_digest(claimed, digest)

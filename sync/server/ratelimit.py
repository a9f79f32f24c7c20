"""Sign-in rate limits kept in the database (shared by every worker process).

Failed sign-ins are counted per account (`user:<username>`) and per client address (`addr:<ip>`) in a fixed
window. A key that reached its limit is answered 429 `too_many_attempts` with `Retry-After` and a Chinese
message until its window ends — before any password is hashed, so a guessing burst costs the platform
nothing. A successful sign-in clears the account's count (not the address's: one valid account must not
unlock guessing at the others). Only failures count: a township office's laptops behind one address signing
in together at 8 o'clock are never limited.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.server.common import ApiError
from sync.server.settings import ServerSettings
from sync.server.storage import RateLimit, affected, read_session, utcnow, write_session


def keys_for(username: str, address: str | None) -> list[str]:
    """The rate-limit keys of one sign-in attempt."""
    keys = [f"user:{username.strip().lower()[:100]}"]
    if address:
        keys.append(f"addr:{address[:100]}")
    return keys


def _limit(settings: ServerSettings, key: str) -> int:
    return settings.login_failures_per_account if key.startswith("user:") else settings.login_failures_per_address


def check(engine: Engine, settings: ServerSettings, keys: list[str]) -> None:
    """Raise 429 when any key has used up its failures in the current window."""
    window = timedelta(seconds=settings.login_window)
    now = utcnow()
    with read_session(engine) as session:
        rows = session.scalars(select(RateLimit).where(RateLimit.key.in_(keys))).all()
    wait = 0.0
    for row in rows:
        ends = row.window_start + window
        if ends > now and row.failures >= _limit(settings, row.key):
            wait = max(wait, (ends - now).total_seconds())
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        minutes = max(1, math.ceil(seconds / 60))
        raise ApiError(
            429,
            "too_many_attempts",
            f"登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试（如忘记密码请联系指挥中心重置）",
            headers={"Retry-After": str(seconds)},
            extra={"retry_after": seconds},
        )


def record_failure(engine: Engine, settings: ServerSettings, keys: list[str]) -> None:
    """Count one failed sign-in against every key (a new window when the old one has ended)."""
    window = timedelta(seconds=settings.login_window)
    for _attempt in range(3):
        try:
            with write_session(engine) as session:
                now = utcnow()
                for key in sorted(keys):  # one lock order for every writer
                    row = session.scalars(select(RateLimit).where(RateLimit.key == key).with_for_update()).first()
                    if row is None:
                        session.add(RateLimit(key=key, window_start=now, failures=1))
                    elif row.window_start + window <= now:
                        row.window_start, row.failures = now, 1
                    else:
                        row.failures += 1
                session.flush()
            return
        except IntegrityError:  # a concurrent first failure of the same key: count again on its row
            continue


def clear_account(session: Session, keys: list[str]) -> None:
    """In the successful sign-in's transaction: forget the account's failures."""
    accounts = [k for k in keys if k.startswith("user:")]
    session.execute(delete(RateLimit).where(RateLimit.key.in_(accounts)))


def sweep(engine: Engine, settings: ServerSettings) -> int:
    """Drop windows that have ended (periodic maintenance); returns how many."""
    cutoff = utcnow() - timedelta(seconds=settings.login_window)
    with write_session(engine) as session:
        return affected(session.execute(delete(RateLimit).where(RateLimit.window_start <= cutoff)))

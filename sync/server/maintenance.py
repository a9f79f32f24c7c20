"""Periodic housekeeping of the platform database, run by every worker process (each step is safe to run
concurrently): expired sessions (an indexed range delete on `refresh_expires`), abandoned uploads older than
`upload_max_age` with their temp files, and ended sign-in rate-limit windows.

`run_once` does one pass; `periodic` is the lifespan task that runs a pass every `maintenance_interval`
seconds in the thread pool (never on the event loop) and logs, rather than raises, a failed pass.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from sync.server import ratelimit
from sync.server.auth import sweep_sessions
from sync.server.common import log
from sync.server.settings import ServerSettings
from sync.server.uploads import sweep_uploads


def run_once(engine: Engine, settings: ServerSettings) -> dict[str, int]:
    """One pass; returns how many rows each step removed."""
    return {
        "sessions": sweep_sessions(engine),
        "uploads": sweep_uploads(engine, settings),
        "rate_limits": ratelimit.sweep(engine, settings),
    }


async def periodic(engine: Engine, settings: ServerSettings) -> None:
    """Run `run_once` now and then every `maintenance_interval` seconds until cancelled."""
    while True:
        try:
            removed = await run_in_threadpool(run_once, engine, settings)
            if any(removed.values()):
                log.info("maintenance removed %s", removed)
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed pass is retried at the next interval
            log.exception("maintenance pass failed")
        await asyncio.sleep(settings.maintenance_interval)

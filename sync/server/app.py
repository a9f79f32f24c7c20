"""`create_app(settings)`: the reference platform as a FastAPI application.

Routes live under `/api/v1` (auth, sync, uploads, blobs, number blocks, document verification, health); the
OpenAPI document is `/api/v1/openapi.json` and the interactive docs `/api/v1/docs`. Every error is a JSON
`ErrorBody{code, message}` with a Chinese message.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from pydantic import BaseModel

from sync.protocol import API_PREFIX
from sync.server import (
    anchors,
    auth,
    devices,
    documents_api,
    maintenance,
    numbers,
    supervision_api,
    sync_api,
    uploads,
)
from sync.server.blobstore import LocalBlobStore
from sync.server.common import engine_of, install_error_handlers
from sync.server.records import compact
from sync.server.settings import ServerSettings
from sync.server.storage import init_db, make_engine, max_seq, read_session, write_session

__all__ = ["SERVER_VERSION", "ServerSettings", "app_from_env", "create_app"]

SERVER_VERSION = "1.0.0"
TITLE = "联巡通 参考指挥平台"


class Health(BaseModel):
    status: str
    version: str
    api: str
    seq: int


def create_app(settings: ServerSettings) -> FastAPI:
    """Build the app over `settings` (creates the data directories and the database tables if missing)."""
    settings.ensure_dirs()
    engine = make_engine(settings.database_url, busy_timeout_ms=settings.busy_timeout_ms)
    init_db(engine)
    if settings.tombstone_keep_last is not None:
        with write_session(engine) as session:
            compact(session, settings.tombstone_keep_last)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        housekeeping = asyncio.create_task(maintenance.periodic(engine, settings))
        try:
            yield
        finally:
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            engine.dispose()

    app = FastAPI(
        title=TITLE,
        version=SERVER_VERSION,
        description="富阳区行政执法统一指挥平台的参考实现：联巡通桌面端的同步接口（/api/v1）。",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=f"{API_PREFIX}/redoc",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.blobs = LocalBlobStore(settings.blob_dir)
    install_error_handlers(app)
    for module in (auth, sync_api, uploads, numbers, documents_api, supervision_api, anchors, devices):
        app.include_router(module.router)

    @app.get(f"{API_PREFIX}/health", response_model=Health, tags=["health"], summary="健康检查")
    def health(request: Request) -> Health:
        with read_session(engine_of(request)) as session:
            seq = max_seq(session)
        return Health(status="ok", version=SERVER_VERSION, api="v1", seq=seq)

    return app


def app_from_env() -> FastAPI:
    """The app of one worker process of a multi-worker launch (`python -m sync.server --workers N`, or
    `uvicorn --factory sync.server.app:app_from_env`): settings from the `LXT_PLATFORM_SETTINGS` JSON that
    the launcher exported (`ServerSettings.to_env`)."""
    return create_app(ServerSettings.from_env())

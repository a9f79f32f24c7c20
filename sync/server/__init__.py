"""Reference district command platform (指挥平台) for 联巡通: the sync API the desktop client talks to.

A real service — FastAPI on uvicorn, SQLAlchemy storage (SQLite file by default, PostgreSQL by URL) — used by
the desktop demo mode, the integration tests and integrators. It imports `sync.protocol` (the wire schemas),
the pure rules of `app.rules` and `app.errors`, and its own storage; never the client's store.

Entry points: `create_app(settings)` (`sync.server.app`), `start_server(data_dir)` (`sync.server.embedded`),
`python -m sync.server` (serve / admin).
"""

from __future__ import annotations

from sync.server.settings import ServerSettings

__all__ = ["ServerSettings"]

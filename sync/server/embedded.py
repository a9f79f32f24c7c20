"""Run the reference platform in-process: uvicorn in a daemon thread on a free localhost port.

Used by the desktop demo mode (the whole loop with one command) and by integration tests::

    with start_server(tmp_path) as server:
        requests.get(f"{server.url}/api/v1/health")
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import FastAPI

from sync.protocol import API_PREFIX
from sync.server import seed as seeding
from sync.server.app import create_app
from sync.server.settings import ServerSettings


@dataclass
class RunningServer:
    """A started server; `url` is its base URL (no trailing slash, without /api/v1)."""

    url: str
    settings: ServerSettings
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket
    seeded: dict[str, int] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def engine(self) -> Any:
        return self.app.state.engine

    def record_data(self, entity: str, record_id: str) -> dict[str, Any] | None:
        """The platform's current wire data of one record, None when it holds no such record."""
        from sync.server.storage import Record, read_session

        with read_session(self.engine) as session:
            record = session.get(Record, (entity, record_id))
            return dict(record.data) if record is not None else None

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful shutdown: finish open requests, run the lifespan shutdown, join the thread."""
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(timeout)
        self.sock.close()

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _wait_healthy(url: str, thread: threading.Thread, server: uvicorn.Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("参考平台启动失败 (server thread exited)")
        if server.started:
            try:
                with urllib.request.urlopen(f"{url}{API_PREFIX}/health", timeout=2) as resp:
                    if json.load(resp).get("status") == "ok":
                        return
            except OSError as exc:
                last = exc
        time.sleep(0.02)
    raise TimeoutError(f"参考平台未在 {timeout} 秒内就绪 (server not healthy): {last}")


def start_server(
    data_dir: str | Path,
    *,
    port: int = 0,
    seed_demo: bool = True,
    host: str = "127.0.0.1",
    dataset: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    accounts: Iterable[Mapping[str, Any]] | None = None,
    startup_timeout: float = 20.0,
    log_level: str = "warning",
    demo_loops: bool = False,
    **overrides: Any,
) -> RunningServer:
    """Start a server over `data_dir` (created if missing) and wait until `/health` answers.

    `seed_demo` seeds `dataset`/`accounts` — by default the packaged demo district — once per data directory;
    `demo_loops` (demo mode) adds an urgent instruction and a complaint to try the reform loops with.
    `overrides` are `ServerSettings` fields (access_ttl=2, db_url=…, tombstone_keep_last=…)."""
    settings = ServerSettings(data_dir=Path(data_dir), **overrides)
    app = create_app(settings)
    seeded: dict[str, int] = {}
    if seed_demo or dataset is not None:
        if dataset is None:
            dataset, default_accounts = seeding.load_demo()
            accounts = default_accounts if accounts is None else accounts
        seeded = seeding.seed_demo(app.state.engine, dataset, accounts or [])
    if demo_loops:
        seeded["demo_loop_tasks"] = seeding.seed_demo_loops(app.state.engine)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(
        app, log_level=log_level, access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="lxt-platform", daemon=True)
    thread.start()
    url = f"http://{host}:{sock.getsockname()[1]}"
    try:
        _wait_healthy(url, thread, server, startup_timeout)
    except BaseException:
        server.should_exit = True
        thread.join(5)
        sock.close()
        raise
    return RunningServer(
        url=url, settings=settings, app=app, server=server, thread=thread, sock=sock, seeded=seeded
    )

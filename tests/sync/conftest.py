"""Fixtures of the sync tests: the reference platform on 127.0.0.1 over a copy of a seeded demo-district
database (seeded once per session), and "laptops" — client stores in tmp_path with their own transport, auth
client and device id. The suite-wide conftest already puts an in-memory keyring in place for every test."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sync.helpers import Laptop


def demo_dataset() -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    from sync.server.seed import load_demo

    return load_demo()


@pytest.fixture(scope="session")
def platform_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded platform database, made once per session and copied for every test."""
    from sync.server.seed import seed_demo
    from sync.server.settings import DB_FILE_NAME, ServerSettings
    from sync.server.storage import init_db, make_engine

    directory = tmp_path_factory.mktemp("platform-template")
    settings = ServerSettings(data_dir=directory)
    engine = make_engine(settings.database_url)
    init_db(engine)
    dataset, accounts = demo_dataset()
    seed_demo(engine, dataset, accounts)
    engine.dispose()
    return directory / DB_FILE_NAME


@pytest.fixture
def server_dir(tmp_path: Path, platform_template: Path) -> Path:
    data = tmp_path / "platform"
    data.mkdir()
    shutil.copy(platform_template, data / platform_template.name)
    return data


@pytest.fixture
def server_factory(server_dir: Path) -> Iterator[Callable[..., Any]]:
    from sync.server.embedded import start_server

    started: list[Any] = []

    def start(**overrides: Any) -> Any:
        srv = start_server(server_dir, seed_demo=False, **overrides)
        started.append(srv)
        return srv

    yield start
    for srv in started:
        srv.stop()


@pytest.fixture
def server(server_factory: Callable[..., Any]) -> Any:
    return server_factory()


@pytest.fixture(scope="session")
def synced_client_template(tmp_path_factory: pytest.TempPathFactory, platform_template: Path) -> Path:
    """A client data dir signed in as xindeng.officer and fully synced once per session (then closed)."""
    from sync.server.embedded import start_server

    base = tmp_path_factory.mktemp("client-template")
    (base / "platform").mkdir()
    shutil.copy(platform_template, base / "platform" / platform_template.name)
    with start_server(base / "platform", seed_demo=False) as srv:
        lap = Laptop(base / "client", srv.url).login("xindeng.officer")
        report = lap.sync(prefetch_numbers=False)
        assert report.ok, report.errors
        lap.close()
    return base / "client"


@pytest.fixture
def offline_laptop(tmp_path: Path, synced_client_template: Path) -> Iterator[Laptop]:
    """A copy of the synced client, pointed at nothing (tests give it their own transport)."""
    shutil.copytree(synced_client_template, tmp_path / "client")
    lap = Laptop(tmp_path / "client", "http://127.0.0.1:9")
    yield lap
    lap.close()


@pytest.fixture
def laptop_factory(tmp_path: Path, server: Any) -> Iterator[Callable[..., Laptop]]:
    made: list[Laptop] = []

    def make(name: str = "laptop", username: str | None = "xindeng.leader", url: str | None = None,
             **kw: Any) -> Laptop:
        lap = Laptop(tmp_path / name, url or server.url, **kw)
        made.append(lap)
        if username:
            lap.login(username)
        return lap

    yield make
    for lap in made:
        lap.close()


@pytest.fixture(autouse=True)
def _quiet_logs() -> None:
    logging.getLogger("sync").setLevel(logging.INFO)


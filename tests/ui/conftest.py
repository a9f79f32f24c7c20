"""Fixtures of the shell's UI tests: the zh_CN translators and the app's style on pytest-qt's QApplication, a
task runner, the embedded reference platform (one per test module), and temporary client stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.store import Store


@pytest.fixture(scope="session", autouse=True)
def _styled_app(qapp: Any) -> Iterator[None]:
    from tests.support.catalogues import chinese_catalogues
    from ui.theme import apply_style

    apply_style(qapp)
    with chinese_catalogues(qapp):
        yield


@pytest.fixture
def runner(qapp: Any) -> Iterator[Any]:
    from tests.ui.shell_support import CONTEXTS
    from ui.runner import TaskRunner

    r = TaskRunner()
    yield r
    while CONTEXTS:
        ctx = CONTEXTS.pop()
        if ctx.sync is not None:
            ctx.sync.stop()
    r.cancel_all()
    r.wait(20_000)
    qapp.processEvents()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from sync.server.embedded import start_server

    server = start_server(tmp_path_factory.mktemp("platform"), port=0, seed_demo=True)
    yield server
    server.stop()


@pytest.fixture
def client_store(tmp_path: Path, runner: Any) -> Iterator[Store]:
    from tests.ui.shell_support import open_client

    store = open_client(tmp_path / "client")
    yield store
    runner.cancel_all()
    runner.wait(20_000)  # no worker may still be using the store when it closes
    store.close()


class OtherLaptop:
    """A second laptop driven headless (no window): its own store, signed in, `sync()` a full cycle."""

    def __init__(self, store: Store, auth: Any) -> None:
        self.store, self.auth = store, auth
        self.user = auth.current_user()

    def sync(self) -> None:
        from sync.engine import SyncEngine

        report = SyncEngine(self.store, self.auth).sync_once()
        assert report.ok, report.errors


@pytest.fixture
def leader_laptop(platform: Any, tmp_path: Path) -> Iterator[OtherLaptop]:
    """新登镇's leader on another laptop, synced once."""
    from tests.ui.shell_support import open_client, sign_in

    store = open_client(tmp_path / "laptop-a")
    try:
        laptop = OtherLaptop(store, sign_in(store, platform.url, "xindeng.leader"))
        laptop.sync()
        yield laptop
    finally:
        store.close()

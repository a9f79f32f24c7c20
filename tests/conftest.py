"""Suite-wide set-up: offscreen Qt, an in-memory keyring, and data dirs that never touch a real profile."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


@pytest.fixture(scope="session", autouse=True)
def _session_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Session- and module-scoped fixtures are set up before the per-test fixture below: they too must find
    the in-memory keyring (their stores' key items live for the session), never the real one."""
    import keyring

    from tests.support.memkeyring import MemoryKeyring

    home = tmp_path_factory.mktemp("session-home")
    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    os.environ["XDG_DATA_HOME"] = str(home / "xdg-data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "xdg-config")
    keyring.set_keyring(MemoryKeyring())
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach the real per-user data dir, settings or keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("LXT_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    import keyring

    from tests.support.memkeyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


@pytest.fixture
def file_keyring() -> Iterator[None]:
    """The keyrings.alt file backend under the test's home instead of the in-memory one, so that child
    processes (which find the same backend through the same XDG_DATA_HOME) share the store's audit key and store key."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    from tests.support.memkeyring import MemoryKeyring

    keyring.set_keyring(PlaintextKeyring())
    yield
    keyring.set_keyring(MemoryKeyring())  # a wider-scoped fixture set up next must not write to this file


@pytest.fixture
def store(tmp_path: Path):
    from app.paths import DataPaths
    from app.store import Store

    s = Store.open(DataPaths(tmp_path / "data"))
    yield s
    s.close()


@pytest.fixture
def chinese(qapp: Any) -> Iterator[None]:
    """The shipped Simplified Chinese catalogues, removed again after the test (`usefixtures("chinese")`)."""
    from tests.support.catalogues import chinese_catalogues

    with chinese_catalogues(qapp):
        yield


@pytest.fixture
def ui_context(qapp: Any) -> Iterator[Callable[..., Any]]:
    """`ui_context(store, user)`: an AppContext with its own task runner, as an area gets it from the main
    window; after the test every job of every runner made here has finished."""
    from ui.context import AppContext, ChangeBus
    from ui.runner import TaskRunner

    runners: list[TaskRunner] = []

    def make(store: Any, user: Any, **extra: Any) -> AppContext:
        runner = TaskRunner()
        runners.append(runner)
        return AppContext(store=store, user=user, runner=runner, bus=ChangeBus(), **extra)

    yield make
    for runner in runners:
        runner.wait(10_000)

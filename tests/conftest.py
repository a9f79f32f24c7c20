"""Suite-wide set-up: offscreen Qt, an in-memory keyring, and data dirs that never touch a real profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


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
def file_keyring() -> None:
    """The keyrings.alt file backend under the test's home instead of the in-memory one, so that child
    processes (which find the same backend through the same XDG_DATA_HOME) share the store's audit key and store key."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())


@pytest.fixture
def store(tmp_path: Path):
    from app.paths import DataPaths
    from app.store import Store

    s = Store.open(DataPaths(tmp_path / "data"))
    yield s
    s.close()

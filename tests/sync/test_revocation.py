"""Revocation of a lost laptop by the platform's admin command, over real HTTP: "collect then wipe" lets the
device push its outbox once and then destroys its key; "wipe now" destroys it at once. Either way the data
directory is unreadable afterwards, the device is refused, and the platform's device audit records it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.crypto import keys
from app.errors import StoreError
from app.paths import DataPaths
from app.store import Store
from sync.server import __main__ as server_cli
from sync.server import devices
from sync.server.storage import Record, read_session
from sync.transport import DeviceRevoked
from tests.sync.helpers import Laptop, queue_inspections, synced


def _revoke(server_dir: Path, device: str, mode: str) -> None:
    assert server_cli.main(["admin", "--data-dir", str(server_dir), "revoke-device", "--device", device,
                            "--mode", mode, "--reason", "笔记本遗失"]) == 0


def _platform_ids(server: Any, entity: str) -> set[str]:
    with read_session(server.app.state.engine) as s:
        return set(s.scalars(select(Record.id).where(Record.entity == entity)))


def _events(server: Any, device: str) -> list[str]:
    return [e["event"] for e in devices.events(server.app.state.engine, device)]


def _assert_wiped(paths: DataPaths, store_id: str) -> None:
    assert not keys.keyfile_path(paths).exists() and not paths.db.exists()
    assert not paths.evidence.exists() and not paths.backups.exists()
    import keyring

    assert not any(keyring.get_password(keys.SERVICE, f"store|{store_id}|{g}") for g in range(1, 4))
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "wiped" and "已被平台注销" in err.value.message
    assert not paths.db.exists()  # the refused open created nothing


@pytest.mark.parametrize("mode", ["collect", "wipe"])
def test_a_revoked_device_collects_or_not_then_wipes(laptop_factory: Callable[..., Laptop], server: Any,
                                                      server_dir: Path, mode: str) -> None:
    lap = laptop_factory("lost", "xindeng.officer")
    synced(lap.sync())
    store_id = keys.keys_for(lap.store.paths.root).store_id
    pending = queue_inspections(lap, 2)  # recorded offline, not yet pushed when the laptop was lost
    device = lap.auth.device_id
    _revoke(server_dir, device, mode)
    report = lap.sync()
    assert any(code.endswith(f"device_revoked_{mode}") for code in report.error_codes), report.error_codes
    on_platform = _platform_ids(server, "inspection")
    if mode == "collect":
        assert set(pending) <= on_platform  # collected once before the wipe
        assert report.pushed >= 2
    else:
        assert not set(pending) & on_platform  # wiped at once: nothing more was accepted
    _assert_wiped(lap.store.paths, store_id)
    events = _events(server, device)
    assert events[0] == "revoked" and events[-1] == "wiped"
    assert ("collected" in events) == (mode == "collect")
    again = Laptop(lap.root.parent / "again", server.url)
    try:
        with pytest.raises(DeviceRevoked):  # the device itself stays refused, even with the right password
            again.auth.login("xindeng.officer", "demo2026", device_id=device)
    finally:
        again.close()
    assert _events(server, device).count("refused") >= 1


def test_the_admin_command_is_recorded_for_an_unknown_device_too(server_dir: Path, server: Any) -> None:
    _revoke(server_dir, "no-such-device", "wipe")
    assert _events(server, "no-such-device") == ["revoked"]

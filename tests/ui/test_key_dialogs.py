"""The dialogs of encryption at rest, driven through real widgets offscreen: the keyring missing its item or
unavailable → the Chinese explanation and the recovery passphrase route (a wrong passphrase changes nothing);
setting the recovery passphrase at first sign-in; rotating the key from the Account menu; and the message of a
device the platform revoked and wiped (over real HTTP to the reference platform)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.crypto import keys
from app.errors import StoreError
from app.paths import DataPaths
from app.store import Store
from tests.support.factories import basic_district
from tests.ui.shell_support import make_ctx, sign_in
from ui.dialogs.keys import RecoveryUnlockDialog, SetRecoveryDialog, offer_recovery_passphrase, show_wiped

pytestmark = pytest.mark.ui

PHRASE = "山路十八弯-2026"


class BrokenKeyring(KeyringBackend):
    """A keyring that cannot be reached (no secret service, locked…)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("unavailable")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("unavailable")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("unavailable")


def _digest(paths: DataPaths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(paths.root.glob("*")) if p.is_file()}


def _store_with_recovery(root: Path) -> DataPaths:
    paths = DataPaths(root)
    store = Store.open(paths)
    basic_district(store)
    keys.set_recovery(paths, keys.keys_for(paths.root), PHRASE)
    store.close()
    return paths


def _drop_keyring_item(paths: DataPaths) -> None:
    obj = keys.read_keyfile(paths)
    assert obj is not None
    keyring.delete_password(keys.SERVICE, f"store|{obj['store_id']}|{obj['generation']}")


def _unlock(qtbot: Any, dlg: RecoveryUnlockDialog, phrase: str) -> None:
    dlg.passphrase.setText(phrase)
    qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.open_button.isEnabled() or dlg.result() != 0, timeout=15_000)


def test_missing_keyring_item_offers_the_passphrase_and_a_wrong_one_changes_nothing(
        qtbot: Any, tmp_path: Path, runner: Any) -> None:
    paths = _store_with_recovery(tmp_path / "data")
    _drop_keyring_item(paths)
    before = _digest(paths)
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "key_missing" and "恢复口令" in err.value.message
    assert _digest(paths) == before  # the refused open wrote nothing
    dlg = RecoveryUnlockDialog(paths, runner, err.value.message)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "钥匙串中没有本机数据的密钥" in dlg.explanation.text() and dlg.open_button.isEnabled()
    _unlock(qtbot, dlg, "wrong passphrase")
    assert dlg.error.text() == keys.WRONG_PASSPHRASE and dlg.store is None and dlg.isVisible()
    assert _digest(paths) == before
    with qtbot.waitSignal(dlg.accepted, timeout=15_000):
        dlg.passphrase.setText(PHRASE)
        qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    assert dlg.store is not None and dlg.rekeyed  # the keyring has an item again
    dlg.store.close()
    again = Store.open(paths)  # the next start needs no passphrase
    again.close()


def test_unavailable_keyring_says_so_and_the_passphrase_opens(qtbot: Any, tmp_path: Path, runner: Any) -> None:
    paths = _store_with_recovery(tmp_path / "data")
    keyring.set_keyring(BrokenKeyring())
    before = _digest(paths)
    with pytest.raises(StoreError) as err:
        Store.open(paths)
    assert err.value.code == "keyring_unavailable" and "无法访问系统钥匙串" in err.value.message
    assert _digest(paths) == before
    dlg = RecoveryUnlockDialog(paths, runner, err.value.message)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.accepted, timeout=15_000):
        dlg.passphrase.setText(PHRASE)
        qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    assert dlg.store is not None and not dlg.rekeyed
    dlg.store.close()


def test_without_a_recovery_passphrase_the_dialog_says_so(qtbot: Any, tmp_path: Path, runner: Any) -> None:
    paths = DataPaths(tmp_path / "data")
    Store.open(paths).close()
    _drop_keyring_item(paths)
    dlg = RecoveryUnlockDialog(paths, runner, keys.KEY_MISSING)
    qtbot.addWidget(dlg)
    assert not dlg.open_button.isEnabled() and dlg.error.text() == keys.NO_RECOVERY


def test_setting_the_recovery_passphrase(qtbot: Any, store: Store, runner: Any) -> None:
    dlg = offer_recovery_passphrase(store, runner)
    assert isinstance(dlg, SetRecoveryDialog)
    qtbot.addWidget(dlg)
    dlg.first.setText("short")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "至少需要" in dlg.error.text() and not keys.has_recovery(store.paths)
    dlg.first.setText(PHRASE)
    dlg.second.setText(PHRASE + "x")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.error.text() == "两次输入的恢复口令不一致。" and not keys.has_recovery(store.paths)
    with qtbot.waitSignal(dlg.accepted, timeout=15_000):
        dlg.second.setText(PHRASE)
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.saved and keys.has_recovery(store.paths)
    assert keys.unlock(store.paths, PHRASE) == keys.keys_for(store.paths.root)
    assert offer_recovery_passphrase(store, runner) is None  # asked once it is set: never again


def test_a_revoked_device_is_told_it_was_wiped(qtbot: Any, platform: Any, tmp_path: Path, runner: Any) -> None:
    from sync.server import devices

    store = Store.open(DataPaths(tmp_path / "client"))
    auth = sign_in(store, platform.url, "xindeng.officer")
    ctx = make_ctx(store, auth, runner, url=platform.url, settings_dir=tmp_path)
    devices.revoke(platform.app.state.engine, auth.device_id or "", "wipe", "遗失")
    with qtbot.waitSignal(ctx.sync.device_wiped, timeout=20_000):
        ctx.sync.start(sync_first=True)
    assert keys.is_wiped(store.paths) and not keys.keyfile_path(store.paths).exists()
    box = show_wiped()
    assert "已被平台注销" in box.text() and box.windowTitle() == "设备已注销"
    box.done(0)
    with pytest.raises(StoreError) as err:
        Store.open(store.paths)
    assert err.value.code == "wiped"


def test_first_sign_in_asks_for_the_recovery_passphrase(qtbot: Any, store: Store, runner: Any,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.context import ChangeBus
    from ui.settings import Settings
    from ui.shell import Shell

    shell = Shell(store, Settings(tmp_path / "ui.ini"), runner, ChangeBus(), server_url="https://platform.invalid")
    main = QWidget()
    qtbot.addWidget(main)
    monkeypatch.setattr(shell, "open_main", lambda client, sync_first: main)  # the window itself is tested elsewhere

    class SignedIn:  # what the sign-in dialog hands over on success
        client = object()
        remember_me = True
        server = type("F", (), {"text": staticmethod(lambda: "https://platform.invalid")})()
        username = type("F", (), {"text": staticmethod(lambda: "xindeng.officer")})()

        def deleteLater(self) -> None:
            pass

    shell._signed_in(SignedIn())  # type: ignore[arg-type]
    dlg = shell.recovery_dialog
    assert isinstance(dlg, SetRecoveryDialog) and dlg.isVisible() and dlg.parent() is main
    with qtbot.waitSignal(dlg.accepted, timeout=15_000):
        dlg.first.setText(PHRASE)
        dlg.second.setText(PHRASE)
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert keys.has_recovery(store.paths)
    shell._signed_in(SignedIn())  # type: ignore[arg-type]
    assert shell.recovery_dialog is None  # set once: not asked again


def test_the_account_menu_rotates_the_key(qtbot: Any, platform: Any, client_store: Store, runner: Any,
                                          tmp_path: Path) -> None:
    from ui.main_window import MainWindow

    ctx = make_ctx(client_store, sign_in(client_store, platform.url, "xindeng.officer"), runner, url=platform.url,
                   settings_dir=tmp_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    before = keys.read_keyfile(client_store.paths)
    assert before is not None
    assert window.rotate_key_action.text() == "轮换数据密钥…"
    assert window.rotate_key(confirm=False)
    qtbot.waitUntil(lambda: keys.read_keyfile(client_store.paths)["generation"] == before["generation"] + 1,
                    timeout=15_000)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "keyNote") is not None, timeout=5_000)
    note = window.findChild(QMessageBox, "keyNote")
    assert "已更换" in note.text()
    note.done(0)
    assert keyring.get_password(keys.SERVICE, f"store|{before['store_id']}|{before['generation']}") is None
    assert keys.unlock(client_store.paths) == keys.keys_for(client_store.paths.root)

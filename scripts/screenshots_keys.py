#!/usr/bin/env python3
"""Regenerate the encryption-at-rest screenshots: docs/screenshots/keys-recovery-set.png (the recovery passphrase
asked for after the first sign-in) and keys-unlock.png (the data cannot be opened with the keyring: the Chinese
reason and the recovery route). A real encrypted store in a throwaway directory:

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_keys.py
"""

from __future__ import annotations

from shots import Shots


def main() -> int:
    from app.paths import DataPaths
    from app.store import Store
    from ui.dialogs.keys import RecoveryUnlockDialog, SetRecoveryDialog

    shots = Shots("lxt-key-shots-")
    paths = DataPaths(shots.tmp / "data")
    store = Store.open(paths)
    setter = SetRecoveryDialog(store, shots.runner)
    setter.show()
    shots.settle(0.3)
    shots.save(setter, "keys-recovery-set.png")
    setter.close()
    from app.crypto import keys

    keys.set_recovery(paths, keys.keys_for(paths.db), "富春江边巡查2026")
    store.close()
    message = "无法从系统钥匙串取得本机数据的密钥（钥匙串不可用或已被清除），本机数据未被改动。"
    unlock = RecoveryUnlockDialog(paths, shots.runner, message)
    unlock.show()
    shots.settle(0.3)
    shots.save(unlock, "keys-unlock.png")
    unlock.close()
    shots.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

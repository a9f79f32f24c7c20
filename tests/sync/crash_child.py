"""Child process of the kill -9 test: resume the signed-in session of a store (tokens from a keyrings.alt file
keyring shared with the parent) and push its outbox, printing one line per acknowledged batch.

    python -m tests.sync.crash_child DATA_DIR KEYRING_FILE BATCH_SIZE
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    data_dir, keyring_file, batch_size = argv[0], argv[1], int(argv[2])
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = keyring_file
    keyring.set_keyring(backend)

    from app.paths import DataPaths
    from app.store import Store
    from sync import state
    from sync.auth import AuthClient
    from sync.push import push
    from sync.transport import Transport

    store = Store.open(DataPaths(Path(data_dir)))
    with store.read() as session:
        signed = state.load_user(session)
    assert signed is not None
    auth = AuthClient.resume(Transport(signed.server_url, retries=1, backoff=0.01), store)
    assert auth is not None
    print("ready", flush=True)

    def progress(_phase: str, done: int, total: int) -> None:
        print(f"batch {done}/{total}", flush=True)

    push(store, auth, device_id=signed.device_id, township_id=signed.township_id, batch_size=batch_size,
         progress=progress)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

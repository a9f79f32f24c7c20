"""Online means reachable now: with the platform killed the status bar says 离线 within 5 s, with it back 在线
again — while the pending count stays on screen (online never reads as "uploaded")."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from app.store import Store
from tests.ui.shell_support import make_ctx, sign_in
from ui.main_window import MainWindow

pytestmark = pytest.mark.ui


def test_status_bar_follows_the_platform_within_seconds(
    qtbot: Any, client_store: Store, runner: Any, tmp_path: Path
) -> None:
    from sync.server.embedded import start_server

    server = start_server(tmp_path / "platform", port=0, seed_demo=True)
    port = int(server.url.rsplit(":", 1)[1])
    try:
        ctx = make_ctx(
            client_store,
            sign_in(client_store, server.url, "xindeng.officer"),
            runner,
            url=server.url,
            settings_dir=tmp_path,
        )
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        ctx.sync.start(sync_first=False)
        qtbot.waitUntil(lambda: window.status.online_text.text().startswith("在线"), timeout=5_000)

        server.stop()
        killed = time.monotonic()
        qtbot.waitUntil(lambda: window.status.online_text.text().startswith("离线"), timeout=5_000)
        offline_after = time.monotonic() - killed
        assert window.status.pending.isVisible() and "待上传" in window.status.pending.text()

        server = start_server(tmp_path / "platform", port=port)
        back = time.monotonic()
        qtbot.waitUntil(lambda: window.status.online_text.text().startswith("在线"), timeout=5_000)
        print(f"offline shown {offline_after:.1f} s after the kill, online {time.monotonic() - back:.1f} s after")
    finally:
        server.stop()

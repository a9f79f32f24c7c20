"""The common set-up of the screenshot scripts (scripts/screenshots*.py): the styled, translated application
(offscreen when there is no display, an in-memory keyring — never the real one), a throw-away directory, the
embedded reference platform when a script wants one, and the helpers every script uses to wait for a scene,
grab a widget or draw a dialog over its window.

    from shots import Shots      # scripts/ is on sys.path when a script runs
    shots = Shots("lxt-shots-")
    ...
    store = shots.client()
    window, auth = shots.signed_in(store, "xindeng.leader")   # after shots.platform()
    ...
    shots.close()

Pictures go to docs/screenshots/ (or to $LXT_SHOTS_DIR, e.g. to try a script without touching the docs).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
OUT = Path(os.environ.get("LXT_SHOTS_DIR") or ROOT / "docs" / "screenshots")
SIZE = (1366, 768)


class Shots:
    """One screenshot session. `app`, `runner`, `tmp`; `platform()` starts the seeded embedded platform."""

    def __init__(self, prefix: str = "lxt-shots-") -> None:
        if not os.environ.get("DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        import keyring

        from ui.i18n import install_translators
        from ui.runner import TaskRunner
        from ui.selftest import _MemoryKeyring
        from ui.theme import make_application

        keyring.set_keyring(_MemoryKeyring().backend)  # never the real keyring
        self.app = make_application([sys.argv[0]])
        self._translators = install_translators(self.app)
        OUT.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix))
        self.runner = TaskRunner(self.app)
        self.server: Any = None
        self._stores: list[Any] = []
        self._windows: list[tuple[Any, Any]] = []  # (shell, main window) of `signed_in`, shut by `close`

    def platform(self) -> Any:
        """The embedded reference platform over a seeded demo district in the throw-away directory."""
        from sync.server.embedded import start_server

        self.server = start_server(self.tmp / "platform", port=0, seed_demo=True)
        return self.server

    def client(self, folder: str = "client") -> Any:
        """A fresh client store in the throw-away directory (closed by `close`)."""
        from app.paths import DataPaths
        from app.store import Store

        store = Store.open(DataPaths(self.tmp / folder))
        self._stores.append(store)
        return store

    def signed_in(self, store: Any, username: str, password: str = "demo2026") -> tuple[Any, Any]:
        """The main window of `username` signed in to the platform, sized for the docs, after its first sync."""
        from ui import session as sess
        from ui.context import ChangeBus
        from ui.settings import Settings
        from ui.shell import Shell

        shell = Shell(store, Settings(self.tmp / "ui.ini"), self.runner, ChangeBus(), server_url=self.server.url)
        auth = sess.login(store, self.server.url, username, password)
        window = shell.open_main(auth, sync_first=True)
        self._windows.append((shell, window))
        window.resize(*SIZE)
        self.wait(lambda: window.ctx.sync is not None and not window.ctx.sync.running
                  and bool(window.ctx.sync.history))
        return window, auth

    def wait(self, cond: Callable[[], bool], timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("screenshot scene did not become ready")
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.01)

    def idle(self) -> None:
        """Until no job of the runner is running, then a moment for the views to paint."""
        self.wait(lambda: not any(h.running for h in list(self.runner._live)))
        self.settle()

    def save(self, widget: Any, name: str) -> None:
        widget.grab().save(str(OUT / name))
        print("wrote", OUT / name)

    def over(self, window: Any, dialog: Any, name: str, *, title_bar: bool = True) -> None:
        """The dialog drawn centred over a dimmed window, as a person sees it (with a plain title bar: Xvfb
        has no window manager to draw one)."""
        from PySide6.QtCore import QPoint, QRect, QSize, Qt
        from PySide6.QtGui import QColor, QPainter, QPixmap

        shot = QPixmap(window.grab())
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(20, 30, 40, 70))
        pic = dialog.grab()
        bar = 30 if title_bar else 0
        top_left = QPoint((shot.width() - pic.width()) // 2, (shot.height() - pic.height() + bar) // 2)
        frame = QRect(top_left - QPoint(0, bar), pic.size() + QSize(0, bar))
        painter.fillRect(frame.translated(4, 6), QColor(0, 0, 0, 60))
        if title_bar:
            painter.fillRect(QRect(frame.topLeft(), QSize(frame.width(), bar)), QColor("#dfe5ec"))
            painter.setPen(QColor("#1f2933"))
            painter.drawText(QRect(frame.topLeft() + QPoint(12, 0), QSize(frame.width() - 24, bar)),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), dialog.windowTitle())
        painter.drawPixmap(top_left, pic)
        painter.end()
        shot.save(str(OUT / name))
        print("wrote", OUT / name)

    def close(self, *stores: Any) -> None:
        """Shut the signed-in windows, stop the jobs, close the stores, stop the platform and remove the
        throw-away directory."""
        for shell, window in self._windows:
            shell.shutdown()
            window.close()
        self.runner.cancel_all()
        self.runner.wait(10_000)
        for store in [*self._stores, *(s for s in stores if all(s is not t for t in self._stores))]:
            store.close()
        if self.server is not None:
            self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

#!/usr/bin/env python3
"""Regenerate the shell's screenshots in docs/screenshots/ (sign-in, inbox, task detail, conflict dialog).

Runs the real widgets against the embedded reference platform in a throwaway directory, at 1366×768:

    Xvfb :99 -screen 0 1366x768x24 &  DISPLAY=:99 .venv/bin/python scripts/screenshots.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py      # same pictures, no X server
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)


def main() -> int:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import keyring
    from PySide6.QtCore import QPoint, QRect, QSize, Qt
    from PySide6.QtGui import QColor, QPainter, QPixmap
    from PySide6.QtWidgets import QWidget

    from app.paths import DataPaths
    from app.services.tasks import TaskService
    from app.store import Store
    from sync.server import admin
    from sync.server.embedded import start_server
    from ui import session as sess
    from ui.context import ChangeBus
    from ui.dialogs.conflicts import ConflictsDialog
    from ui.dialogs.signin import SignInDialog
    from ui.i18n import install_translators
    from ui.runner import TaskRunner
    from ui.selftest import _MemoryKeyring
    from ui.settings import Settings
    from ui.shell import Shell
    from ui.theme import make_application

    keyring.set_keyring(_MemoryKeyring().backend)  # never the real keyring
    app = make_application([sys.argv[0]])
    _tr = install_translators(app)
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="lxt-shots-"))
    server = start_server(tmp / "platform", port=0, seed_demo=True)
    store = Store.open(DataPaths(tmp / "client"))
    runner = TaskRunner(app)

    def wait(cond: Callable[[], bool], timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError("screenshot scene did not become ready")
            app.processEvents()
            time.sleep(0.01)

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def save(widget: QWidget, name: str) -> None:
        widget.grab().save(str(OUT / name))
        print("wrote", OUT / name)

    def over(window: QWidget, dialog: QWidget, name: str) -> None:
        """The dialog drawn centred over a dimmed window, as a person sees it."""
        base = window.grab()
        shot = QPixmap(base)
        painter = QPainter(shot)
        painter.fillRect(shot.rect(), QColor(20, 30, 40, 70))
        pic = dialog.grab()
        bar = 30  # a plain title bar: Xvfb has no window manager to draw one
        top_left = QPoint((shot.width() - pic.width()) // 2, (shot.height() - pic.height() + bar) // 2)
        frame = QRect(top_left - QPoint(0, bar), pic.size() + QSize(0, bar))
        painter.fillRect(frame.translated(4, 6), QColor(0, 0, 0, 60))
        painter.fillRect(QRect(frame.topLeft(), QSize(frame.width(), bar)), QColor("#dfe5ec"))
        painter.setPen(QColor("#1f2933"))
        painter.drawText(
            QRect(frame.topLeft() + QPoint(12, 0), QSize(frame.width() - 24, bar)),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            dialog.windowTitle(),
        )
        painter.drawPixmap(top_left, pic)
        painter.end()
        shot.save(str(OUT / name))
        print("wrote", OUT / name)

    # sign-in (demo pre-filled), then the same dialog after a wrong password
    dlg = SignInDialog(
        store, runner, server_url=server.url, username="xindeng.leader", password="demo2026", demo=True
    )
    dlg.show()
    settle()
    save(dlg, "signin.png")
    dlg.password.setText("wrong-password")
    dlg.start_login()
    wait(lambda: not dlg.busy_now)
    settle()
    save(dlg, "signin-error.png")
    dlg.close()

    # a conflict: the same task's notes edited here and on the platform
    settings = Settings(tmp / "ui.ini")
    shell = Shell(store, settings, runner, ChangeBus(), server_url=server.url)
    auth = sess.login(store, server.url, "xindeng.leader", "demo2026")
    window = shell.open_main(auth, sync_first=True)
    window.resize(*SIZE)
    wait(
        lambda: window.ctx.sync is not None and not window.ctx.sync.running and bool(window.ctx.sync.history)
    )
    from sqlalchemy import select

    from app.models import Task

    with store.read() as s:
        tasks = s.scalars(
            select(Task)
            .where(Task.township_id == "xindeng", Task.status == "in_progress", Task.target_id.is_not(None))
            .order_by(Task.deadline)
        ).all()
    conflict_task = tasks[-1]
    TaskService(store, auth.current_user()).edit_text(
        conflict_task.id, notes="已电话联系当事人，约定周四上午现场复查。"
    )
    admin.set_field(server.engine, conflict_task.id, "notes", "中心备注：当事人来电称已整改，请核实后反馈。")
    window.ctx.sync.sync_now()
    wait(lambda: not window.ctx.sync.running)
    settle(0.8)

    area = window.areas["tasks"]
    wait(lambda: area.model.rowCount() > 0)
    area.filters.select_tab("in_progress")
    wait(lambda: not area.model.loading and area.model.rowCount() > 0)
    from sqlalchemy.orm import selectinload

    with store.read() as s:
        shown = s.scalars(
            select(Task)
            .options(selectinload(Task.matters))
            .where(Task.township_id == "xindeng", Task.status == "in_progress")
            .order_by(Task.deadline)
        ).all()
    pick = next((t for t in shown if t.id != conflict_task.id and t.target_id), shown[0])
    area.select_task(pick.id)
    wait(lambda: area.detail.detail is not None and area.detail.detail.id == pick.id)
    settle()
    save(window, "inbox.png")

    area.splitter.setSizes([430, 900])
    empowered = next((t for t in shown if any(tm.matter_code.startswith("FY-SR") for tm in t.matters)), pick)
    area.select_task(empowered.id)
    wait(lambda: area.detail.detail is not None and area.detail.detail.id == empowered.id)
    settle()
    save(window, "task-detail.png")
    area.splitter.setSizes([780, 430])
    area.select_task(conflict_task.id)
    wait(lambda: area.detail.detail is not None and area.detail.detail.id == conflict_task.id)
    settle()

    dialog = ConflictsDialog(window.ctx, window)
    dialog.resize(1040, 520)
    dialog.show()
    settle()
    over(window, dialog, "conflict.png")
    dialog.close()

    window.show_area("sync")
    wait(lambda: window.areas["sync"].history.rowCount() > 0)
    settle()
    save(window, "sync.png")

    shell.shutdown()
    window.close()
    runner.cancel_all()
    runner.wait(10_000)
    store.close()
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    del _tr
    return 0


if __name__ == "__main__":
    sys.exit(main())

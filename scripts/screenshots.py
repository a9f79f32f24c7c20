#!/usr/bin/env python3
"""Regenerate the shell's screenshots in docs/screenshots/ (sign-in, inbox, task detail, conflict dialog).

Runs the real widgets against the embedded reference platform in a throwaway directory, at 1366×768:

    Xvfb :99 -screen 0 1366x768x24 &  DISPLAY=:99 .venv/bin/python scripts/screenshots.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py      # same pictures, no X server
"""

from __future__ import annotations

import sys

from shots import Shots


def main() -> int:
    shots = Shots("lxt-shots-")

    from app.services.tasks import TaskService
    from sync.server import admin
    from ui.dialogs.conflicts import ConflictsDialog
    from ui.dialogs.signin import SignInDialog

    runner = shots.runner
    server = shots.platform()
    store = shots.client()
    wait, settle, save = shots.wait, shots.settle, shots.save
    over = shots.over

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
    window, auth = shots.signed_in(store, "xindeng.leader")
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

    shots.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

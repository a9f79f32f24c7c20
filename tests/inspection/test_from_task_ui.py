"""An officer records without a leader's plan where the rules allow it: the 核查 / 投诉举报 task assigned to them
offers 开始检查 in its detail, which opens the inspection form based on that task; a 巡查 task does not."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.models import Inspection, Task
from app.store import Store
from app.topics import Changes, Topic
from tests.inspection.district import OFFICER
from tests.inspection.ui_support import make_ctx, settle
from ui.main_window import MainWindow

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("chinese")]


def test_officer_starts_the_inspection_from_the_task(qtbot: QtBot, district: Store) -> None:
    ctx = make_ctx(district, OFFICER)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    tasks = window.show_area("tasks")
    assert tasks is not None
    tasks.detail.show_task("t1")
    qtbot.waitUntil(lambda: "inspect" in getattr(tasks.detail, "action_buttons", {}), timeout=10_000)
    button = tasks.detail.action_buttons["inspect"]
    assert button.text() == "开始检查" and button.isVisible()
    button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.areas.get("inspections"), timeout=10_000)
    area = window.areas["inspections"]
    qtbot.waitUntil(lambda: area.form.snapshot is not None, timeout=10_000)
    assert area.form.snapshot.task_id == "t1" and area.form.snapshot.plan_id is None
    with district.read() as s:
        assert s.query(Inspection).filter_by(task_id="t1").count() == 1
    settle(qtbot, ctx)

    with district.write() as s:  # a patrol instruction is not a basis on its own: it needs a plan
        s.execute(update(Task).where(Task.id == "t1").values(task_type="巡查", source="指挥中心", version=2))
    ctx.bus.publish(Changes.of(Topic.TASKS))  # the test wrote behind the app's back: say what it changed
    tasks.detail.show_task(None)
    tasks.detail.show_task("t1")
    qtbot.waitUntil(lambda: tasks.detail.detail is not None and tasks.detail.detail.task_type == "巡查", timeout=10_000)
    qtbot.wait(50)
    assert "inspect" not in tasks.detail.action_buttons
    settle(qtbot, ctx)

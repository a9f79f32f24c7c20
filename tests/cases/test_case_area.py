"""The 案件 area offscreen: file a case from a finding through the dialog, take steps with the keyboard, see a
refusal naming the article in the step dialog (values kept), clocks shown due/overdue, and the inbox's case
deadline filter."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.cases.filing import Filing
from app.cases.service import CaseService
from app.store import Store
from tests.cases.district import LEADER, OFFICER, day

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("chinese")]


@pytest.fixture
def ctx(cases_store: Store, ui_context: Any) -> Any:
    return ui_context(cases_store, OFFICER)


def _area(ctx: Any, qtbot: Any) -> Any:
    from ui.cases.area import CasesArea

    area = CasesArea(ctx)
    qtbot.addWidget(area)
    area.show()
    return area


def _ok(dialog: Any) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_file_a_case_and_step_through_with_the_keyboard(ctx: Any, qtbot: Any) -> None:
    area = _area(ctx, qtbot)
    qtbot.waitUntil(lambda: area.model.rowCount() == 0 and area.buttons["file"].isEnabled(), timeout=5000)
    qtbot.mouseClick(area.buttons["file"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.dialog is not None and area.dialog.isVisible(), timeout=5000)
    dialog = area.dialog
    assert dialog.finding.count() == 1
    dialog.title.setText("擅自占用城市道路案")
    dialog.act_date.setDate(dialog.act_date.date().addDays(-30))
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.model.rowCount() == 1 and area.current is not None, timeout=5000)
    assert area.model.index(0, 3).data() == "立案"
    assert "立〔" in area.model.index(0, 0).data()
    assert "案件办理期限" in area.detail.clocks.text() and "计时中" in area.detail.clocks.text()
    assert "开始调查取证" in area.detail.next_step.text()

    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=5000)
    area.view.setFocus()
    qtbot.keyClick(area.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Return: take the step
    qtbot.waitUntil(lambda: area.dialog is not None and area.dialog.isVisible(), timeout=5000)
    assert area.dialog.action.value == "investigate"
    qtbot.keyClick(area.dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.current is not None and area.current.stage.value == "investigating", timeout=5000)
    assert area.model.index(0, 3).data() == "调查取证"


def test_refused_step_shows_the_article_and_keeps_the_values(ctx: Any, qtbot: Any) -> None:
    svc = CaseService(ctx.store, OFFICER)
    case = svc.file_from_finding("f1", Filing("占道案", [], day(-40)), on=day(-39)).case
    svc.step(case.id, "investigate", on=day(-39))
    area = _area(ctx, qtbot)
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=5000)
    area.view.selectRow(0)
    qtbot.waitUntil(lambda: area.current is not None and area.steps.count() > 0, timeout=5000)
    area.steps.setCurrentIndex(area.steps.findData("notify"))
    qtbot.mouseClick(area.buttons["step"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.dialog is not None and area.dialog.isVisible(), timeout=5000)
    dialog = area.dialog
    dialog.set_value("fine_amount", "200000")
    dialog.set_value("hearing_right", False)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "第六十三条" in dialog.problem.text() and dialog.isVisible(), timeout=5000)
    assert dialog.values()[2]["fine_amount"] == "200000"  # what was typed stays
    assert CaseService(ctx.store, OFFICER).get(case.id).status == "investigating"
    dialog.set_value("hearing_right", True)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.current is not None and area.current.stage.value == "notified", timeout=5000)
    assert "陈述申辩、听证申请期限" in area.detail.clocks.text()


def test_overdue_clock_and_inbox_case_deadline_filter(ctx: Any, qtbot: Any, cases_store: Store) -> None:
    svc = CaseService(cases_store, OFFICER)
    case = svc.file_from_finding("f1", Filing("占道案", [], day(-95)), on=day(-92)).case  # 90 days ran out
    area = _area(ctx, qtbot)
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=5000)
    assert "已超期" in area.model.index(0, 4).data()
    area.view.selectRow(0)
    qtbot.waitUntil(lambda: area.current is not None, timeout=5000)
    assert "已超期" in area.detail.clocks.text()

    from app.readmodels.task_inbox import Sort, query_ids
    from ui.tasks.filters import FilterBar

    bar = FilterBar()
    qtbot.addWidget(bar)
    got: list[Any] = []
    bar.filter_changed.connect(got.append)
    bar.case_due.setChecked(True)
    assert got and got[-1].case_due
    with cases_store.read() as s:
        assert query_ids(s, got[-1], Sort()) == ["t1"]
    CaseService(cases_store, LEADER).step(case.id, "terminate", reason="当事人已注销", on=day(0))
    with cases_store.read() as s:
        assert query_ids(s, got[-1], Sort()) == []

"""The loop dialogs with the keyboard alone: 干预留痕 filled by typing and Tab and saved with Ctrl+Enter (only
once committed), a refusal shown in Chinese with everything typed kept; the task card's timers, complaint and
notice chain by role; the tier dialog producing patrol plans."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import models as m
from app.identity import CurrentUser
from app.store import Store
from tests.inspection.ui_support import make_ctx, settle, type_text
from tests.loops.conftest import LEADER, OFFICER
from tests.support.catalogues import chinese_catalogues
from ui.context import AppContext
from ui.loops.dialogs import InterventionDialog, TierDialog
from ui.loops.task_card import TaskLoopsCard


@pytest.fixture(scope="module", autouse=True)
def _chinese(qapp: Any) -> Iterator[None]:
    with chinese_catalogues(qapp):
        yield


@pytest.fixture
def ctx_for(qtbot: QtBot, loops: Store) -> Iterator[Any]:
    made: list[AppContext] = []

    def make(user: CurrentUser) -> AppContext:
        ctx = make_ctx(loops, user)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.runner.cancel_all()
        ctx.runner.wait(10_000)


def _focused() -> Any:
    return QApplication.focusWidget()


def _interventions(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(m.Intervention)) or 0


def test_intervention_with_the_keyboard_alone(qtbot: QtBot, ctx_for: Any, loops: Store) -> None:
    ctx = ctx_for(OFFICER)
    dlg = InterventionDialog(ctx, "检查", inspection_id="i-1", task_id="t-complaint")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: _focused() is dlg.name)
    started = time.perf_counter()
    keys = 0
    for text, widget in (("李某", dlg.name), ("某局副局长", dlg.post)):
        assert _focused() is widget
        type_text(widget, text)
        keys += len(text) + 1
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert _focused() is dlg.when or dlg.when.isAncestorOf(_focused())
    qtbot.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is dlg.channel
    qtbot.keyClick(dlg.channel, Qt.Key.Key_Down)  # 2 当面
    qtbot.keyClick(dlg.channel, Qt.Key.Key_Tab)
    assert _focused() is dlg.request
    type_text(dlg.request, "要求对该店从轻处理")
    qtbot.keyClick(dlg.request, Qt.Key.Key_Tab)
    assert _focused() is dlg.response
    type_text(dlg.response, "已告知依法办理")
    keys += 2 + 9 + 1 + 7
    with qtbot.waitSignal(dlg.saved, timeout=10_000):
        qtbot.keyClick(dlg.response, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    keys += 1
    settle(qtbot, ctx)
    assert not dlg.isVisible() and _interventions(loops) == 1
    with loops.read() as s:
        row = s.scalars(select(m.Intervention)).one()
        assert (row.intervener_name, row.channel, row.request) == ("李某", "visit", "要求对该店从轻处理")
    # 36 keystrokes (one per character as an input method commits them): well under a minute at a slow 1 key/s
    assert keys < 60 and time.perf_counter() - started < 60


def test_a_refusal_keeps_what_was_typed(qtbot: QtBot, ctx_for: Any, loops: Store) -> None:
    ctx = ctx_for(OFFICER)
    dlg = InterventionDialog(ctx, "检查", inspection_id="i-1")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: _focused() is dlg.name)
    qtbot.keyClick(dlg.name, Qt.Key.Key_Tab)
    type_text(dlg.post, "某局副局长")
    qtbot.keyClick(dlg.post, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: dlg.error.isVisible())
    assert "干预人姓名" in dlg.error.text() and dlg.isVisible() and dlg.post.text() == "某局副局长"
    assert _interventions(loops) == 0


def _card(qtbot: QtBot, ctx: AppContext, task_id: str) -> TaskLoopsCard:
    card = TaskLoopsCard(ctx)
    qtbot.addWidget(card)
    card.show_task(task_id)
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: card.view is not None)
    return card


def test_card_shows_late_urgent_stages_and_hides_identity_from_officers(qtbot: QtBot, ctx_for: Any) -> None:
    card = _card(qtbot, ctx_for(OFFICER), "t-urgent")
    assert not card.urgent_card.isHidden() and card.complaint_card.isHidden()
    assert "超时" in card.urgent_text.text() and card.checkin_button.text() == "响应打卡(&R)"
    assert "城南路" not in card.urgent_text.text()
    officer = _card(qtbot, ctx_for(OFFICER), "t-complaint")
    assert "王秀英" not in officer.complaint_text.text() and "仅向队长显示" in officer.complaint_text.text()
    assert "食品经营许可" in officer.chain_text.text() or "是否取得" in officer.chain_text.text()
    leader = _card(qtbot, ctx_for(LEADER), "t-complaint")
    assert "王秀英" in leader.complaint_text.text()


def test_tier_dialog_applies_and_plans(qtbot: QtBot, ctx_for: Any, loops: Store) -> None:
    ctx = ctx_for(LEADER)
    today = datetime.now(UTC).date()
    dlg = TierDialog(ctx, "g1", "新登镇第1网格", 1, 3, [(1, "常规"), (2, "加密"), (3, "强化"), (4, "重点")], 6.0,
                     (today - timedelta(days=89), today))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: _focused() is dlg.tier)
    assert dlg.tier.currentData() == 3 and "研判建议第 3 档" in dlg.reason.toPlainText()
    with qtbot.waitSignal(dlg.saved, timeout=10_000) as got:
        qtbot.keyClick(dlg.tier, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, ctx)
    assert len(got.args[0].plans) == 13
    with loops.read() as s:
        assert s.get(m.Grid, "g1").patrol_tier == 3


def test_ctrl_shift_i_opens_the_intervention_dialog_from_the_task_detail(qtbot: QtBot, ctx_for: Any) -> None:
    from ui.tasks.detail import TaskDetailPanel

    ctx = ctx_for(OFFICER)
    panel = TaskDetailPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.activateWindow()
    panel.show_task("t-complaint")
    settle(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.loops_card.view is not None)
    panel.notes.edit.setFocus()
    qtbot.waitUntil(lambda: _focused() is panel.notes.edit)
    qtbot.keyClick(panel.notes.edit, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(panel.loops_card.dialog, InterventionDialog))
    dlg = panel.loops_card.dialog
    assert dlg is not None and dlg.subject["task_id"] == "t-complaint" and dlg.windowTitle() == "干预留痕"
    dlg.reject()

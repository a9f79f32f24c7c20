"""干预留痕 from the inspection form: Ctrl+Shift+I opens the dialog for the open inspection, the record is
typed and saved with the keyboard and linked to the inspection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Intervention
from app.store import Store
from tests.inspection.district import OFFICER
from tests.inspection.ui_support import make_ctx, settle, type_text
from ui.inspection.area import InspectionArea
from ui.loops.dialogs import InterventionDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def area(qtbot: QtBot, district: Store) -> Iterator[InspectionArea]:
    ctx = make_ctx(district, OFFICER)
    widget = InspectionArea(ctx)
    qtbot.addWidget(widget)
    widget.resize(1240, 700)
    widget.show()
    widget.activateWindow()
    settle(qtbot, ctx)
    yield widget
    ctx.runner.cancel_all()
    ctx.runner.wait(10_000)


def test_ctrl_shift_i_records_an_intervention_on_the_inspection(qtbot: QtBot, area: InspectionArea,
                                                                 district: Store) -> None:
    area.list_page.plan_view.setFocus()
    QTest.keyClick(area.list_page.plan_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.form.snapshot is not None, timeout=10000)
    settle(qtbot, area.ctx)
    form = area.form
    form.basics.place.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.basics.place)
    QTest.keyClick(form.basics.place, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(form, "intervention_dialog", None), InterventionDialog))
    dlg = form.intervention_dialog
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.name)
    type_text(dlg.name, "王某")
    dlg.request.setFocus()
    type_text(dlg.request, "要求暂缓检查")
    with qtbot.waitSignal(dlg.saved, timeout=10_000):
        QTest.keyClick(dlg.request, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, area.ctx)
    with district.read() as s:
        row = s.scalars(select(Intervention)).one()
    assert (row.inspection_id, row.intervener_name, row.request) == (form.snapshot.id, "王某", "要求暂缓检查")

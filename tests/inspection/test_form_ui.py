"""The inspection form, driven like a person with the keyboard: autosave says 已保存 only after the commit,
the checklist answers with 1/2/3 and Enter, the party validates live, a full disk keeps what was typed and
retries, and the app reopens the record and field after a restart."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from app.errors import StoreError
from app.inspections.view import RESULTS
from app.models import Inspection
from app.store import Store, _store_error
from tests.inspection.district import CREDIT, ID_MALE, OFFICER
from tests.inspection.ui_support import make_ctx, settle, type_text
from ui.inspection.area import InspectionArea
from ui.inspection.form import TAB_BASICS, TAB_CHECKLIST, TAB_PARTY

pytestmark = pytest.mark.ui


@pytest.fixture
def area(qtbot: QtBot, district: Store):
    ctx = make_ctx(district, OFFICER)
    widget = InspectionArea(ctx)
    qtbot.addWidget(widget)
    widget.resize(1240, 700)
    widget.show()
    settle(qtbot, ctx)
    yield widget
    ctx.runner.cancel_all()
    ctx.runner.wait(10_000)


def _start(qtbot: QtBot, area: InspectionArea) -> str:
    assert area.list_page.plans.rowCount() == 2
    area.list_page.plan_view.setFocus()
    QTest.keyClick(area.list_page.plan_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.form.snapshot is not None, timeout=10000)
    settle(qtbot, area.ctx)
    return area.form.snapshot.id


def test_typing_is_saved_and_labelled_after_commit(qtbot: QtBot, area: InspectionArea, district: Store) -> None:
    iid = _start(qtbot, area)
    form = area.form
    form.tabs.setCurrentIndex(TAB_BASICS)
    place = form.basics.place
    place.setFocus()
    place.selectAll()
    type_text(place, "城南路1号店门口")
    assert form.saved_label.text() in ("Saving…", "正在保存…")
    qtbot.waitUntil(lambda: form.saved_label.text().startswith(("Saved", "已保存")), timeout=5000)
    with district.read() as s:
        assert s.get(Inspection, iid).place == "城南路1号店门口"  # committed before the label said so


def test_checklist_keys_and_note(qtbot: QtBot, area: InspectionArea) -> None:
    iid = _start(qtbot, area)
    form = area.form
    form.tabs.setCurrentIndex(TAB_CHECKLIST)
    view = form.checklist
    view.setFocus()
    view.setCurrentIndex(form.checklist_model.index(0, 2))
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        QTest.keyClick(view, key)
    assert view.currentIndex().row() == 3
    view.setCurrentIndex(form.checklist_model.index(1, 2))  # a violation: Enter writes the 违法事实
    QTest.keyClick(view, Qt.Key.Key_Return)
    editor = view.focusWidget()
    assert isinstance(editor, QLineEdit)
    type_text(editor, "营业执照有效期至2025年12月31日，已过期")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    view.setCurrentIndex(form.checklist_model.index(0, 2))  # compliant: Enter writes the note
    QTest.keyClick(view, Qt.Key.Key_Return)
    editor = view.focusWidget()
    assert isinstance(editor, QLineEdit)
    type_text(editor, "执照过期")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    form.autosaver.flush()
    settle(qtbot, area.ctx)
    qtbot.waitUntil(lambda: not form.autosaver.dirty, timeout=5000)
    snap = form.service.load(iid)
    results = [snap.answers[i.key].result if i.key in snap.answers else "" for i in snap.items]
    assert results[:3] == list(RESULTS)
    assert snap.answers[snap.items[0].key].note == "执照过期"
    violation = snap.answers[snap.items[1].key]
    assert violation.fact == "营业执照有效期至2025年12月31日，已过期" and violation.note == ""
    assert violation.fact != snap.items[1].text  # the statement is not the check point
    assert form.progress.text().startswith(("Checked 3", "已检查 3"))


def test_party_live_validation(qtbot: QtBot, area: InspectionArea) -> None:
    _start(qtbot, area)
    form = area.form
    form.tabs.setCurrentIndex(TAB_PARTY)
    QTest.keyClick(form.party.person_radio, Qt.Key.Key_Space)
    assert form.party.kind == "person"
    id_edit = form.party.rows["person"]["id_number"]
    QTest.keyClicks(id_edit.editor, ID_MALE[:10])
    assert "18位" in id_edit.error.text() and id_edit.error.isVisibleTo(form.party)
    QTest.keyClicks(id_edit.editor, ID_MALE[10:])
    assert not id_edit.error.isVisibleTo(form.party)
    credit = form.party.rows["organisation"]["credit_code"]
    form.party.org_radio.setChecked(True)
    credit.editor.clear()
    QTest.keyClicks(credit.editor, CREDIT[:-1] + ("1" if CREDIT[-1] != "1" else "2"))
    assert "校验位" in credit.error.text()


@contextmanager
def full_disk(store: Store, times: int):
    """The next `times` write transactions fail like SQLite on a full disk."""
    real = store.write
    left = [times]

    @contextmanager
    def failing():
        if left[0] > 0:
            left[0] -= 1
            raise _store_error(OperationalError("COMMIT", {}, Exception("database or disk is full")))
        with real() as session:
            yield session

    store.write = failing
    try:
        yield left
    finally:
        store.write = real


def test_full_disk_keeps_text_shows_banner_and_retries(qtbot: QtBot, area: InspectionArea,
                                                       district: Store) -> None:
    iid = _start(qtbot, area)
    form = area.form
    form.tabs.setCurrentIndex(TAB_BASICS)
    with full_disk(district, 1) as left:
        form.autosaver.retry_timer.setInterval(200)
        type_text(form.basics.place, "（磁盘满时输入）")
        qtbot.waitUntil(lambda: form.banner.isVisibleTo(form), timeout=5000)
        assert "磁盘空间已满" in form.banner_text.text() and left[0] == 0
        assert form.basics.place.text().endswith("（磁盘满时输入）")  # nothing typed is lost on screen
        QTest.keyClick(form.retry_button, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: not form.banner.isVisibleTo(form), timeout=8000)
    with district.read() as s:
        assert s.get(Inspection, iid).place.endswith("（磁盘满时输入）")


def test_reopens_record_tab_and_field_after_restart(qtbot: QtBot, area: InspectionArea, district: Store) -> None:
    iid = _start(qtbot, area)
    form = area.form
    form.tabs.setCurrentIndex(TAB_PARTY)
    field = form.party.rows["organisation"]["legal_rep"].editor
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    # a new area over the same data dir, as after a crash and restart
    ctx2 = make_ctx(district, OFFICER)
    again = InspectionArea(ctx2)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.form.snapshot is not None, timeout=10000)
    settle(qtbot, ctx2)
    assert again.form.inspection_id == iid and again.form.tabs.currentIndex() == TAB_PARTY
    focused = again.form.party.rows["organisation"]["legal_rep"].editor
    qtbot.waitUntil(focused.hasFocus, timeout=2000)
    ctx2.runner.wait(5000)


def test_store_error_message_is_chinese() -> None:
    err = _store_error(OperationalError("x", {}, Exception("attempt to write a readonly database")))
    assert isinstance(err, StoreError) and "数据目录不可写" in err.message


def test_flush_callback_waits_for_the_commit_in_flight(qtbot: QtBot, area: InspectionArea, district: Store) -> None:
    iid = _start(qtbot, area)
    saver = area.form.autosaver
    saver.set_field("place", "第一次")
    saver.flush()  # now in flight
    seen: list[str] = []
    saver.set_field("place", "第二次")
    saver.flush(on_done=lambda: seen.append(area.form.service.load(iid).place))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == ["第二次"]  # called only once everything typed before it was committed
    called: list[int] = []
    saver.flush(on_done=lambda: called.append(1))
    assert called == [1]  # nothing pending: at once


def test_cannot_leave_while_edits_wait_for_the_disk(qtbot: QtBot, area: InspectionArea, district: Store) -> None:
    _start(qtbot, area)
    form = area.form
    with full_disk(district, 1):
        form.autosaver.retry_timer.setInterval(60_000)
        form.autosaver.set_field("place", "待保存")
        form.autosaver.flush()
        qtbot.waitUntil(lambda: form.autosaver.failing, timeout=5000)
        QTest.mouseClick(form.back_button, Qt.MouseButton.LeftButton)
        assert area.stack.currentWidget() is form  # stays: the edit exists only on screen for now
        assert any(w in form.banner_text.text() for w in ("not saved yet", "尚未保存"))
        form.autosaver.retry_now()
        qtbot.waitUntil(lambda: not form.autosaver.failing, timeout=5000)
    QTest.mouseClick(form.back_button, Qt.MouseButton.LeftButton)
    assert area.stack.currentWidget() is area.list_page

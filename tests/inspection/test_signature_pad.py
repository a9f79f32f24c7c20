"""The signature pad: mouse strokes, pen pressure, touch, undo/clear, cropped transparent PNG export."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ui.signature.dialogs import RefusalDialog, SignatureDialog
from ui.signature.pad import SignaturePad


def draw(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """A mouse stroke through `points` (QTest: press, moves, release)."""
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1]))


def zigzag(x0: int, y0: int, n: int = 12) -> list[tuple[int, int]]:
    return [(x0 + i * 12, y0 + (18 if i % 2 else -18)) for i in range(n)]


def test_mouse_strokes_undo_clear_and_export(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(640, 260)
    pad.show()
    assert pad.is_empty() and pad.to_png() == b""
    with qtbot.waitSignal(pad.changed):
        draw(pad, zigzag(60, 120))
    draw(pad, zigzag(250, 140, 8))
    assert len(pad.strokes) == 2 and len(pad.strokes[0]) >= 10
    png = pad.to_png()
    img = QImage.fromData(png, "PNG")
    assert png.startswith(b"\x89PNG") and img.hasAlphaChannel()
    rect = pad.ink_rect()
    assert abs(img.width() - (rect.width() + 17)) <= 2  # cropped to the ink plus the margin
    assert img.pixelColor(0, 0).alpha() == 0  # transparent background
    inked = sum(img.pixelColor(x, y).alpha() > 0 for x in range(img.width()) for y in range(0, img.height(), 3))
    assert inked > 50
    pad.undo()
    assert len(pad.strokes) == 1
    pad.clear()
    assert pad.is_empty()


def test_pen_pressure_changes_the_width(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(640, 260)
    device = QPointingDevice.primaryPointingDevice()
    for kind, x, pressure in ((QEvent.Type.TabletPress, 50, 0.2), (QEvent.Type.TabletMove, 150, 0.9),
                              (QEvent.Type.TabletMove, 250, 1.0), (QEvent.Type.TabletRelease, 250, 0.0)):
        pos = QPointF(x, 100)
        ev = QTabletEvent(kind, device, pos, pad.mapToGlobal(pos), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                          Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
        pad.tabletEvent(ev)
    assert [round(p, 1) for _, p in pad.strokes[0]] == [0.2, 0.9, 1.0]


def test_touch_draws_a_stroke(qtbot: QtBot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(640, 260)
    pad.show()
    touch = QTest.touchEvent(pad, QTest.createTouchDevice())
    touch.press(0, QPoint(40, 80)).commit()
    for x in range(60, 200, 20):
        touch.move(0, QPoint(x, 80 + x // 10)).commit()
    touch.release(0, QPoint(200, 100)).commit()
    assert len(pad.strokes) == 1 and len(pad.strokes[0]) >= 5


def test_dialogs(qtbot: QtBot) -> None:
    dlg = SignatureDialog("当事人")
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.ok_button.isEnabled()
    draw(dlg.pad, zigzag(80, 120))
    assert dlg.ok_button.isEnabled()
    dlg.ok_button.click()
    assert dlg.result() == SignatureDialog.DialogCode.Accepted and dlg.png.startswith(b"\x89PNG")
    ref = RefusalDialog("当事人")
    qtbot.addWidget(ref)
    ref._accept()
    assert "原因" in ref.error.text() or "reason" in ref.error.text()
    ref.reason.setCurrentText("拒不配合")
    ref._accept()
    assert ref.result() != RefusalDialog.DialogCode.Accepted
    ref.witness.setText("赵六")
    ref._accept()
    assert ref.result() == RefusalDialog.DialogCode.Accepted

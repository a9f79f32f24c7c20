"""`SignaturePad`: a widget to sign on with a mouse, a pen (QTabletEvent pressure) or a finger (QTouchEvent).

Strokes are kept as points with pressure and drawn as smooth curves (quadratic segments through the midpoints
of successive points) whose width follows the pressure. `to_png()` exports the signature cropped to its ink
with a small margin on a transparent background — what the party, a witness or an officer signs with.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

Point = tuple[QPointF, float]  # position, pressure 0..1
MOUSE_PRESSURE = 0.55
MIN_STEP = 1.2  # px: closer points are dropped (jitter)
INK = QColor("#101828")


def _mid(a: QPointF, b: QPointF) -> QPointF:
    return QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)


def paint_strokes(painter: QPainter, strokes: list[list[Point]], base_width: float,
                  offset: QPointF | None = None) -> None:
    """Draw `strokes` with pressure-dependent width, each as smooth quadratic segments."""
    offset = offset if offset is not None else QPointF()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for stroke in strokes:
        if not stroke:
            continue
        pts = [(p + offset, pr) for p, pr in stroke]
        if len(pts) == 1:
            w = base_width * (0.5 + pts[0][1])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            painter.drawEllipse(pts[0][0], w / 2, w / 2)
            continue
        start = pts[0][0]
        for i in range(1, len(pts)):
            ctrl, pressure = pts[i - 1][0], (pts[i - 1][1] + pts[i][1]) / 2
            end = _mid(pts[i - 1][0], pts[i][0]) if i < len(pts) - 1 else pts[i][0]
            path = QPainterPath(start)
            if i == 1:
                path.lineTo(end)
            else:
                path.quadTo(ctrl, end)
            pen = QPen(INK, base_width * (0.5 + pressure), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            start = end


class SignaturePad(QWidget):
    """Signals: `changed()` after every stroke, undo or clear."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, base_width: float = 2.6) -> None:
        super().__init__(parent)
        self.base_width = base_width
        self.strokes: list[list[Point]] = []
        self._current: list[Point] | None = None
        self.placeholder = ""
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMinimumSize(420, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        return QSize(640, 260)

    # ---- state -------------------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(self.strokes)

    def clear(self) -> None:
        self.strokes.clear()
        self._current = None
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        if self.strokes:
            self.strokes.pop()
            self.update()
            self.changed.emit()

    # ---- input -------------------------------------------------------------------------------------------

    def _begin(self, pos: QPointF, pressure: float) -> None:
        self._current = [(QPointF(pos), pressure)]
        self.strokes.append(self._current)
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        last = self._current[-1][0]
        if (pos - last).manhattanLength() < MIN_STEP:
            return
        self._current.append((QPointF(pos), pressure))
        self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), MOUSE_PRESSURE)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), MOUSE_PRESSURE)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position(), MOUSE_PRESSURE)
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        pressure = max(0.05, min(1.0, float(event.pressure())))
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()  # no synthesised mouse events: the pen's pressure is kept

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                pt = points[0]
                pressure = float(pt.pressure()) if 0 < pt.pressure() <= 1 else MOUSE_PRESSURE
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pt.position(), pressure)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pt.position(), pressure)
                else:
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # ---- drawing and export ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#c9d1db"), 1, Qt.PenStyle.DashLine))
        base_y = self.height() * 0.72
        painter.drawLine(QPointF(24, base_y), QPointF(self.width() - 24, base_y))
        painter.setPen(QColor("#d3dae3"))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if self.is_empty() and self.placeholder:
            painter.setPen(QColor("#9aa4b1"))
            painter.drawText(QRectF(0, 0, self.width(), base_y - 8),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self.placeholder)
        paint_strokes(painter, self.strokes, self.base_width)
        painter.end()

    def ink_rect(self) -> QRectF:
        """The bounding box of the ink, pens included (empty when nothing is drawn)."""
        pts = [p for s in self.strokes for p, _ in s]
        if not pts:
            return QRectF()
        xs, ys = [p.x() for p in pts], [p.y() for p in pts]
        pad = self.base_width * 1.5
        return QRectF(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)

    def to_image(self, margin: int = 8) -> QImage:
        """The signature cropped to its ink plus `margin`, on a transparent background."""
        rect = self.ink_rect()
        if rect.isEmpty():
            return QImage()
        w, h = int(rect.width()) + 2 * margin + 1, int(rect.height()) + 2 * margin + 1
        img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        painter = QPainter(img)
        paint_strokes(painter, self.strokes, self.base_width, QPointF(margin - rect.x(), margin - rect.y()))
        painter.end()
        return img

    def to_png(self) -> bytes:
        img = self.to_image()
        if img.isNull():
            return b""
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        img.save(buf, "PNG")  # type: ignore[call-overload]  # run time takes the format as str (stub: bytes)
        buf.close()
        return bytes(data.data())

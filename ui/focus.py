"""Visible keyboard focus and a window that takes the keyboard back after a dialog.

* `FocusRing`: one accent-coloured 2 px ring drawn over whatever widget has the keyboard focus (button, field,
  list, table, check box …), following it as it moves and resizes — Fusion's own focus hint is a faint line that
  disappears on our light palette, and styling each widget class's `:focus` would replace Fusion's drawing.
* the return after dialogs: when a dialog closes, its owner window is activated again (and, with it, the widget that had
  the focus), so window shortcuts (Ctrl+1…, F5) work at once — without it, a dialog closed under some window
  managers (and offscreen) leaves no active window and the next shortcut goes nowhere.

`install(app)` sets both up once per application (`ui.theme.apply_style` calls it).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QDialog, QMainWindow, QWidget

RING = QColor("#2f6fb2")
WIDTH = 2


class FocusRing(QWidget):
    """The ring itself: a transparent, mouse-transparent child of the focused widget's window (never of its
    parent, which may be a QSplitter or a layout-owning container that would adopt it), kept over the widget
    while it or any of its ancestors moves or resizes."""

    def __init__(self) -> None:
        super().__init__(None)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None
        self._watched: list[QWidget] = []

    def follow(self, widget: QWidget | None) -> None:
        for w in self._watched:
            if shiboken6.isValid(w):
                w.removeEventFilter(self)
        self._watched, self.target = [], None
        if widget is None or widget.isWindow() or not _wants_ring(widget):
            self.hide()
            return
        self.target = widget
        window = widget.window()
        if self.parentWidget() is not window:
            self.setParent(window)
        chain: QWidget | None = widget
        while chain is not None and chain is not window:
            chain.installEventFilter(self)
            self._watched.append(chain)
            chain = chain.parentWidget()
        self._place()

    def _place(self) -> None:
        target = self.target
        if target is None or not shiboken6.isValid(target) or not target.isVisible():
            self.hide()
            return
        window = self.parentWidget()
        if window is None:
            return
        self.setGeometry(QRect(target.mapTo(window, QPoint(0, 0)), target.size()))
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide):
            self._place()
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(RING, WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = WIDTH / 2
        painter.drawRoundedRect(self.rect().toRectF().adjusted(inset, inset, -inset, -inset), 3, 3)
        painter.end()


def _wants_ring(widget: QWidget) -> bool:
    """Widgets a person tabs to; a scroll area's viewport counts as its scroll area (a list, a table)."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
        return False
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


class FocusTracker(QObject):
    """Moves the ring with the application's focus (recreating it when its parent was destroyed) and, when
    the focus leaves a dialog that has just closed for nowhere, gives it back to the dialog's owner window."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self.ring is None or not shiboken6.isValid(self.ring):
            self.ring = FocusRing()
        self.ring.follow(new)
        if new is None and old is not None and shiboken6.isValid(old):
            dialog = old.window()
            if isinstance(dialog, QDialog) and not dialog.isVisible():
                parent = dialog.parentWidget()
                owner = parent.window() if parent is not None else _main_window()
                if owner is not None and owner is not dialog:
                    QTimer.singleShot(0, lambda w=owner: _activate(w))

    def ring_rect(self) -> QRect | None:
        """Where the ring is, in its parent's coordinates (None while hidden) — for tests and screenshots."""
        ring = self.ring
        if ring is None or not shiboken6.isValid(ring) or not ring.isVisible():
            return None
        return ring.geometry()


def _main_window() -> QWidget | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()), None
    )


def _activate(window: QWidget) -> None:
    if not shiboken6.isValid(window) or not window.isVisible():
        return
    if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget() is not None:
        return  # another dialog is still open: it keeps the keyboard
    window.activateWindow()
    window.raise_()
    focused = QApplication.focusWidget()
    if focused is None or focused.window() is not window:
        (window.focusWidget() or window).setFocus(Qt.FocusReason.ActiveWindowFocusReason)


_INSTALLED: dict[int, FocusTracker] = {}


def install(app: QApplication) -> FocusTracker:
    """Set up the focus ring and the return after dialogs for `app` (idempotent; no application-wide event
    filter, so it costs nothing per event — only per focus change)."""
    key = id(app)
    if key not in _INSTALLED:
        _INSTALLED[key] = FocusTracker(app)
    return _INSTALLED[key]

"""Reusable pieces: `PageHeader` (an area's title row), `EmptyState` (an honest "nothing here / not yet
available" panel), `Card` (a titled white panel), `Chip` (a small coloured status label), `BusyBar` (an indeterminate progress bar with a cancel) and
`EmptyHint` (what to do next, over an empty list)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import theme


class PageHeader(QWidget):
    """An area's title row: the page title, a muted note beside it (a count, a summary), then the area's
    controls on the right (`add`). With `wide_note` the note takes the free width instead of a spacer."""

    def __init__(self, title: str, parent: QWidget | None = None, *, wide_note: bool = False) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(title, self)
        self.title.setObjectName("pageTitle")
        self.row.addWidget(self.title)
        self.note = QLabel(self)
        self.note.setObjectName("muted")
        self.row.addWidget(self.note, 1 if wide_note else 0)
        if not wide_note:
            self.row.addStretch(1)

    def add(self, *widgets: QWidget) -> None:
        for widget in widgets:
            self.row.addWidget(widget)


class EmptyState(QWidget):
    """A centred icon, a title and one explanatory line."""

    def __init__(
        self, title: str, line: str = "", parent: QWidget | None = None, icon_name: str = "empty"
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        pic = QLabel(self)
        pic.setPixmap(theme.icon(icon_name).pixmap(QSize(72, 72)))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(pic)
        self.title = QLabel(title, self)
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.line = QLabel(line, self)
        self.line.setObjectName("muted")
        self.line.setWordWrap(True)
        self.line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.line.setVisible(bool(line))
        layout.addWidget(self.line)
        layout.addStretch(2)

    def set_text(self, title: str, line: str = "") -> None:
        self.title.setText(title)
        self.line.setText(line)
        self.line.setVisible(bool(line))


class Card(QFrame):
    """A white rounded panel with a bold title; put content in `body` (a QVBoxLayout) or `set_body`."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 8, 14, 12)
        outer.setSpacing(6)
        self.title = QLabel(title, self)
        self.title.setObjectName("sectionTitle")
        outer.addWidget(self.title)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        outer.addLayout(self.body)

    def add(self, item: QWidget | QLayout) -> None:
        if isinstance(item, QWidget):
            self.body.addWidget(item)
        else:
            self.body.addLayout(item)


class Chip(QLabel):
    """A rounded label in a given colour (status, priority). Text always says what the colour means."""

    def __init__(
        self, text: str = "", color: QColor | str = "#5f6b7a", parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)
        self.setObjectName("chip")
        self.set_color(color)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def set_color(self, color: QColor | str) -> None:
        name = QColor(color).name()
        self.setStyleSheet(
            f"QLabel#chip {{ background: {name}; color: white; border-radius: 9px; padding: 1px 9px; }}"
        )


class BusyBar(QWidget):
    """An indeterminate (or determinate) progress bar with a text and a cancel button."""

    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.label.setObjectName("muted")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.clicked.connect(self.cancel_clicked)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel)

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)
        self.show()

    def set_progress(self, done: int, total: int, text: str | None = None) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if text is not None:
            self.label.setText(text)

    def stop(self) -> None:
        self.hide()


def form_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("muted")
    return label


def value_label(text: str, parent: QWidget | None = None, *, selectable: bool = True) -> QLabel:
    label = QLabel(text or "—", parent)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class EmptyHint(QLabel):
    """Centred over an item view's viewport while its model has no rows: what the list is for and what to do
    next ("还没有证据：把照片拖到这里，或点“导入文件”"). Follows the model (reset, inserts, removals)."""

    def __init__(self, view: QAbstractItemView, title: str, line: str = "") -> None:
        super().__init__(view.viewport())
        self.view = view
        self.setObjectName("emptyHint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.set_text(title, line)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self._update)
        view.viewport().installEventFilter(self)
        self._update()

    def set_text(self, title: str, line: str = "") -> None:
        self.title_text, self.line_text = title, line
        self.setText(
            f"<p style='font-size:11pt'><b>{title}</b></p><p style='color:{theme.MUTED.name()}'>{line}</p>"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        area = self.view.viewport().rect()
        width = min(area.width() - 24, 520)
        self.setGeometry(area.center().x() - width // 2, 12, max(width, 80), max(area.height() - 24, 40))

    def _update(self, *_args: object) -> None:
        self._place()
        self.setVisible(self.view.model().rowCount() == 0)

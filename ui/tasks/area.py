"""The 任务 area: filter bar, the lazily fetched task table and the detail panel side by side.

Keyboard: arrows move through tasks, Enter opens the selected task's detail (focus moves to its first action),
Esc returns to the list, Ctrl+F focuses the search box. The column layout and the split are remembered.

The detail panel is not built before the first page is painted: its modules (services, dialogs, loops) are
then imported on an I/O worker and the panel is built in its place; whatever asks for `detail` earlier builds
it at once. A cold start shows the inbox without waiting for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.readmodels.task_inbox import FilterOptions, TaskFilter, filter_options
from app.topics import Changes, Topic
from ui.context import AppContext
from ui.qt_guard import alive
from ui.runner import JobControl
from ui.tasks.filters import FilterBar
from ui.tasks.model import COLUMNS, TaskTableModel
from ui.widgets.common import EmptyState, PageHeader

if TYPE_CHECKING:
    from ui.tasks.detail import TaskDetailPanel

SETTINGS_KEY = "inbox"
WIDTHS = {
    "number": 120,
    "title": 220,
    "type": 64,
    "source": 76,
    "target": 140,
    "place": 150,
    "priority": 52,
    "deadline": 140,
    "status": 60,
    "assignees": 96,
}
HIDDEN_BY_DEFAULT = ("type", "source", "place")
TITLE_COLUMN = 1
MIN_TITLE = 150


def _import_detail(_control: JobControl) -> object:
    import ui.tasks.detail

    return ui.tasks.detail


class TasksArea(QWidget):
    """Signals: `inspect_requested(str)` — start (or resume) the inspection based on that task."""

    inspect_requested = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._selected_id: str | None = None
        self._fitting = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.setSpacing(8)

        head = PageHeader(self.tr("Instructions"), self)
        self.count_label = head.note
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(10)
        self.busy.setTextVisible(False)
        self.busy.hide()
        head.add(self.busy)
        layout.addWidget(head)

        self.filters = FilterBar(ctx.user.officer_id, self)
        layout.addWidget(self.filters)

        self.model = TaskTableModel(ctx.store, ctx.runner, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setSortingEnabled(True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        for i, (key, _) in enumerate(COLUMNS):
            header.resizeSection(i, WIDTHS[key])
            header.setSectionHidden(i, key in HIDDEN_BY_DEFAULT)
        header.sectionResized.connect(self._section_resized)
        header.setSortIndicator(7, Qt.SortOrder.AscendingOrder)
        header.setSortIndicatorShown(True)
        self.empty = EmptyState(
            self.tr("No matching tasks"),
            self.tr("Change the filters or the search words to see more tasks."),
            self,
        )
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self._detail: TaskDetailPanel | None = None  # built after the first page is painted (`detail`)
        self._first_result = False  # the model's first query has answered
        self._detail_requested = False
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(QWidget(self))  # the detail panel's place until it is built
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([800, 410])
        layout.addWidget(self.splitter, 1)
        self._restore_layout()

        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._current_changed(cur.row())
        )
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        self.filters.filter_changed.connect(self._filter_changed)
        self.model.counts_changed.connect(self.filters.set_counts)
        self.model.refreshed.connect(self._refreshed)
        self.model.loading_changed.connect(self.busy.setVisible)
        self.model.query_failed.connect(lambda msg: self.count_label.setText(msg))
        ctx.bus.changed.connect(self._on_changed)
        QShortcut(
            QKeySequence.StandardKey.Find,
            self,
            self.focus_search,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(120)
        self._detail_timer.timeout.connect(lambda: self.detail.show_task(self._selected_id))
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)  # deadline marks are computed at paint time: repaint as time passes
        self._clock.timeout.connect(self.table.viewport().update)
        self._clock.start()
        self.load_options()
        self.model.refresh()

    @property
    def detail(self) -> TaskDetailPanel:
        """The detail panel, built on first use (after the first paint at the latest)."""
        if self._detail is None:
            from ui.tasks.detail import TaskDetailPanel

            panel = TaskDetailPanel(self.ctx, self)
            panel.inspect_requested.connect(self.inspect_requested)
            panel.installEventFilter(self)
            placeholder = self.splitter.replaceWidget(1, panel)  # keeps the place's size
            if placeholder is not None:
                placeholder.deleteLater()
            self._detail = panel
        return self._detail

    def _prepare_detail(self) -> None:
        """Import the detail panel's modules on a worker (the GUI thread keeps its turns), then build it."""
        if self._detail is not None or self._detail_requested:
            return
        self._detail_requested = True
        self.ctx.runner.run_io("inbox-detail-imports", _import_detail,
                               on_done=lambda _m: self._build_detail(), on_error=lambda _e: self._build_detail())

    def _build_detail(self) -> None:
        if alive(self):
            self.detail  # noqa: B018 - the property builds it

    # ---- data ----------------------------------------------------------------------------------------------

    def load_options(self) -> None:
        store, township = self.ctx.store, self.ctx.user.township_id

        def job(_control: JobControl) -> FilterOptions:
            with store.read() as session:
                return filter_options(session, township)

        self.ctx.runner.run_store("inbox-options", job, on_done=self.filters.set_options)

    def set_filter(self, task_filter: TaskFilter) -> None:
        self.model.set_filter(task_filter)

    def _filter_changed(self, task_filter: TaskFilter) -> None:
        self.model.set_filter(task_filter)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Topic.TASKS, Topic.DIRECTORY):
            self.model.refresh()
        if changes.touches(Topic.CATALOGUE, Topic.DIRECTORY):
            self.load_options()

    def _refreshed(self) -> None:
        n = self.model.rowCount()
        if not self._first_result:
            self._first_result = True
            if not n:  # nothing to paint in the table: the detail panel can come now
                self._prepare_detail()
        total = self.model.counts.get("all", n)
        text = self.tr("%1 shown of %2").replace("%1", f"{n:,}").replace("%2", f"{total:,}")
        if self.model.indexing:
            text += "  " + self.tr("(search index still being built: %1 records left, results may be incomplete)"
                                   ).replace("%1", f"{self.model.indexing:,}")
        self.count_label.setText(text)
        self.list_stack.setCurrentWidget(self.table if n else self.empty)
        row = self.model.row_of(self._selected_id) if self._selected_id else None
        if row is not None:
            index = self.model.index(row, 1)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        elif self._selected_id is None and n and self.table.hasFocus():
            self.select_row(0)

    # ---- selection and keyboard ----------------------------------------------------------------------------

    def _current_changed(self, row: int) -> None:
        task_id = self.model.task_id(row)
        if task_id is None:
            return
        if task_id != self._selected_id:
            self._selected_id = task_id
            self._detail_timer.start()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 1)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def select_task(self, task_id: str) -> bool:
        row = self.model.row_of(task_id)
        if row is None:
            return False
        self.select_row(row)
        self.table.scrollTo(self.model.index(row, 1))
        return True

    def open_current(self) -> None:
        """Show the selected task's detail now and move focus into it."""
        self._detail_timer.stop()
        if self._selected_id is None:
            return
        if self.detail.task_id != self._selected_id or self.detail.detail is None:
            self.detail.loaded.connect(self._focus_detail_once)
            self.detail.show_task(self._selected_id)
        else:
            self.detail.focus_actions()

    def _focus_detail_once(self, _task_id: str) -> None:
        self.detail.loaded.disconnect(self._focus_detail_once)
        self.detail.focus_actions()

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_current()
                return True
            if watched is self._detail and key == Qt.Key.Key_Escape:
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self.fit_title)
        if self._first_result and watched is self.table.viewport() and event.type() == QEvent.Type.Paint:
            self._prepare_detail()  # the first page is on screen: now the detail panel
        return super().eventFilter(watched, event)

    def _section_resized(self, index: int, _old: int, _new: int) -> None:
        if index != TITLE_COLUMN and not self._fitting:
            self.fit_title()

    def fit_title(self) -> None:
        """The title column takes the width the other columns leave (never less than a readable minimum)."""
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(i)
            for i in range(len(COLUMNS))
            if i != TITLE_COLUMN and not header.isSectionHidden(i)
        )
        self._fitting = True
        header.resizeSection(TITLE_COLUMN, max(MIN_TITLE, self.table.viewport().width() - others))
        self._fitting = False

    # ---- layout memory -------------------------------------------------------------------------------------

    def _header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for i, (_key, title) in enumerate(COLUMNS):
            action = QAction(self.model.headerData(i, Qt.Orientation.Horizontal), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.setEnabled(i != 1)
            action.toggled.connect(lambda on, col=i: header.setSectionHidden(col, not on))
            menu.addAction(action)
            del title
        menu.exec(header.mapToGlobal(pos))

    def _restore_layout(self) -> None:
        settings = self.ctx.settings
        if settings is None:
            return
        state = settings.header_state(SETTINGS_KEY)
        if state is not None:
            self.table.horizontalHeader().restoreState(state)
        split = settings.bytes_value("splits/inbox")
        if split is not None:
            self.splitter.restoreState(split)

    def save_layout(self) -> None:
        settings = self.ctx.settings
        if settings is None:
            return
        settings.set_header_state(SETTINGS_KEY, self.table.horizontalHeader().saveState())
        settings.set_bytes("splits/inbox", self.splitter.saveState())

    def prepare_close(self) -> None:
        """Flush unsaved notes and remember the layout (the main window calls this before quitting)."""
        if self._detail is not None:
            self._detail.notes.flush()
        self.save_layout()

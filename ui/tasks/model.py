"""`TaskTableModel`: the instruction inbox as a lazily fetched table (after Anki's browser).

The filtered, sorted id list is computed in SQL on the store worker (it can take longer than a frame at
100,000 tasks) and swapped in by a model reset on the GUI thread. Display rows are then read by id a page at
a time, on demand, into a bounded cache — a primary-key read of 100 rows takes a few milliseconds, so the
view scrolls smoothly through any number of rows. Sorting is `ORDER BY` in SQL, never a proxy model over every row.
Overdue and due-today marks are computed at paint time, so they stay right as the clock moves.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from app import timefmt
from app.readmodels.task_inbox import (
    QueryResult,
    Sort,
    TaskFilter,
    TaskRow,
    fetch_rows,
    page_rows,
    run_first_page,
    run_query,
)
from app.rules.task_states import OPEN_STATUSES, TaskStatus, due_today, is_overdue
from app.store import Store
from ui import theme
from ui.qt_guard import alive
from ui.runner import JobControl, TaskRunner

log = logging.getLogger(__name__)

PAGE = 100
CACHE_ROWS = 3000
#: the roles whose answer depends on the deadline mark (computed only for these)
_MARKED_ROLES = frozenset({Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
                           Qt.ItemDataRole.AccessibleTextRole})
HOT_PAGES = 2  # pages in view at once at most (100 rows of 28 px each: a screen shows under two)
Index = QModelIndex | QPersistentModelIndex

#: (key, English header) — headers are translated in `headerData`
COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "No."),
    ("title", "Title"),
    ("type", "Type"),
    ("source", "Source"),
    ("target", "Target"),
    ("place", "Township / grid"),
    ("priority", "Priority"),
    ("deadline", "Deadline"),
    ("status", "Status"),
    ("assignees", "Assignees"),
)
COLUMN_KEYS = tuple(k for k, _ in COLUMNS)
OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)


def _headers_for_lupdate() -> tuple[str, ...]:
    """Never called: lets lupdate see the column headers, translated at runtime in `headerData`."""
    return (
        QCoreApplication.translate("TaskTableModel", "No."),
        QCoreApplication.translate("TaskTableModel", "Title"),
        QCoreApplication.translate("TaskTableModel", "Type"),
        QCoreApplication.translate("TaskTableModel", "Source"),
        QCoreApplication.translate("TaskTableModel", "Target"),
        QCoreApplication.translate("TaskTableModel", "Township / grid"),
        QCoreApplication.translate("TaskTableModel", "Priority"),
        QCoreApplication.translate("TaskTableModel", "Deadline"),
        QCoreApplication.translate("TaskTableModel", "Status"),
        QCoreApplication.translate("TaskTableModel", "Assignees"),
    )


def deadline_mark(row: TaskRow, now: datetime) -> str:
    """ "overdue", "today" or "" for an open task's deadline."""
    if row.deadline is None or row.status not in OPEN_VALUES:
        return ""
    if is_overdue(row.deadline, row.status, now):
        return "overdue"
    return "today" if due_today(row.deadline, row.status, timefmt.to_office(now)) else ""


class TaskTableModel(QAbstractTableModel):
    """Signals: `refreshed()` after each query is applied; `counts_changed(dict)` with per-status counts;
    `query_failed(str)` with a Chinese message."""

    refreshed = Signal()
    counts_changed = Signal(object)
    query_failed = Signal(str)
    loading_changed = Signal(bool)

    def __init__(
        self,
        store: Store,
        runner: TaskRunner,
        parent: Any = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self.clock = clock or (lambda: datetime.now(UTC))
        self._filter = TaskFilter()
        self._sort = Sort()
        self._ids: list[str] = []
        self._total: int | None = None  # rows while only the first page of ids is known (else len(_ids))
        self._loaded = False  # the first query has been sent
        self._row_of: dict[str, int] | None = None
        self._cache: OrderedDict[int, TaskRow] = OrderedDict()
        self._hot_pages: list[int] = []  # the pages most recently read for the view, newest last
        self._generation = 0
        self._pending = 0
        self._scheduled = False
        self.counts: dict[str, int] = {}
        self.indexing = 0  # records the search index has still to take in (the last text search said)
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- querying ----------------------------------------------------------------------------------------

    @property
    def task_filter(self) -> TaskFilter:
        return self._filter

    def set_filter(self, task_filter: TaskFilter) -> None:
        self._filter = task_filter
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            new = Sort(COLUMN_KEYS[column], order == Qt.SortOrder.DescendingOrder)
            if new != self._sort:
                self._sort = new
                self.refresh()

    def refresh(self) -> None:
        """Re-run the query on the store worker soon; calls within one event-loop pass make one query."""
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._run_query)

    def _run_query(self) -> None:
        """The model's first query paints from a bounded one (`run_first_page`) and fetches the full id list
        right after; every later query fetches the full list at once."""
        self._scheduled = False
        self._generation += 1
        self._submit(self._generation, first=not self._loaded)
        self._loaded = True

    def _submit(self, generation: int, *, first: bool, counted: bool = False) -> None:
        task_filter, sort, store = self._filter, self._sort, self.store

        hot = tuple(self._hot_pages) or (0,)

        def job(_control: JobControl) -> tuple[QueryResult, dict[int, TaskRow]]:
            with store.read() as session:
                result = (run_first_page(session, task_filter, sort, PAGE) if first
                          else run_query(session, task_filter, sort))
                return result, page_rows(session, result.ids, hot, PAGE)

        if not counted:
            self._set_pending(+1)
        self.runner.run_store(
            "task-query",
            job,
            on_done=lambda answer: self._apply(generation, *answer),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _set_pending(self, delta: int) -> None:
        before = self._pending > 0
        self._pending += delta
        if (self._pending > 0) != before:
            self.loading_changed.emit(self._pending > 0)

    def _apply(self, generation: int, result: QueryResult, rows: dict[int, TaskRow]) -> None:
        """`rows` are the display rows of the pages last in view, read with the ids on the store worker: the
        repaint after the reset finds them cached and reads nothing on the GUI thread (a read there, while a
        sync holds the interpreter, waits a switch interval for every row it steps)."""
        if not alive(self):
            return
        self._set_pending(-1)
        if generation != self._generation:
            return
        known, partial = len(self._ids), self._total is not None
        if partial and result.total is None and len(result.ids) == self._total and result.ids[:known] == self._ids:
            self._ids, self._row_of, self._total = result.ids, None, None  # the rest of the list: no reset
            if known < len(self._ids):
                self.dataChanged.emit(self.index(known, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self._ids = result.ids
            more = result.total is not None and result.total > len(result.ids)
            self._total = result.total if more else None
            self._row_of = None
            self._cache.clear()
            self._cache.update(sorted(rows.items()))
            self.endResetModel()
        self.counts = result.counts
        self.indexing = result.indexing
        self.counts_changed.emit(result.counts)
        self.refreshed.emit()
        if result.total is not None and result.total > len(result.ids):
            self._set_pending(+1)  # the rest of the list is coming
            QTimer.singleShot(0, self, lambda: self._submit_rest(generation))

    def _submit_rest(self, generation: int) -> None:
        """The full id list after a first page: one event-loop pass later, so that the page (whose repaint
        the reset has just posted) is painted before the worker starts on the whole list."""
        if generation == self._generation:
            self._submit(generation, first=False, counted=True)
        else:
            self._set_pending(-1)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not alive(self):
            return
        self._set_pending(-1)
        if generation == self._generation:
            log.warning("task query failed: %s", exc)
            self.query_failed.emit(str(exc) or type(exc).__name__)

    @property
    def loading(self) -> bool:
        return self._pending > 0

    # ---- lookup ------------------------------------------------------------------------------------------

    def task_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, task_id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {tid: i for i, tid in enumerate(self._ids)}
        return self._row_of.get(task_id)

    def row_data(self, row: int) -> TaskRow | None:
        if not 0 <= row < len(self._ids):
            return None
        page = row // PAGE
        if not self._hot_pages or self._hot_pages[-1] != page:  # the pages in view, for the next refresh
            self._hot_pages = [*(p for p in self._hot_pages if p != page), page][-HOT_PAGES:]
        cached = self._cache.get(row)
        if cached is not None:
            self._cache.move_to_end(row)
            return cached
        self._fetch_page(row // PAGE)
        return self._cache.get(row)

    def _fetch_page(self, page: int) -> None:
        start = page * PAGE
        ids = self._ids[start : start + PAGE]
        try:
            with self.store.read() as session:
                rows = fetch_rows(session, ids)
        except Exception as exc:  # the store vanished under us (sign-out): show blanks, never crash a paint
            log.warning("fetching inbox rows failed: %s", exc)
            return
        for offset, tid in enumerate(ids):
            row = rows.get(tid)
            if row is not None:
                self._cache[start + offset] = row
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)

    # ---- Qt model interface ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._ids) if self._total is None else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("TaskTableModel", COLUMNS[section][1])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    # No `flags` override: QAbstractTableModel's own answers enabled | selectable | never-has-children in C++.
    # A Python one is called for every cell of every paint, and while a sync worker runs Python each call
    # waits for the interpreter (measured: a 40-row repaint beside a busy thread rose from ~25 to ~100 ms).

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        return self._value(self.row_data(index.row()), COLUMN_KEYS[index.column()], role)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        """Every role a delegate asks of one cell, in one call: a paint calls Python once per cell instead of
        once per role (seven), and each call from Qt into Python may wait for the interpreter while a sync
        worker runs."""
        if not index.isValid() or index.parent().isValid():
            for item in roleDataSpan:
                item.clearData()
            return
        row, key = self.row_data(index.row()), COLUMN_KEYS[index.column()]
        for item in roleDataSpan:
            item.setData(self._value(row, key, item.role()))

    def _value(self, row: TaskRow | None, key: str, role: int) -> Any:
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and key == "title" else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if key == "priority" and row.priority <= 2 else None
        if role not in _MARKED_ROLES:
            return None
        mark = deadline_mark(row, self.clock())
        if role == Qt.ItemDataRole.ForegroundRole:
            if mark == "overdue" and key in ("number", "title", "deadline"):
                return QBrush(theme.OVERDUE)
            if mark == "today" and key in ("deadline",):
                return QBrush(theme.DUE_TODAY)
            if key == "priority" and (row.priority == 1 or row.response_late):
                return QBrush(theme.OVERDUE)
            if row.status not in OPEN_VALUES and key != "status":
                return QBrush(theme.MUTED)
            return None
        if role == Qt.ItemDataRole.DecorationRole and key == "priority" and row.response_late:
            return theme.icon("overdue")
        if role == Qt.ItemDataRole.DecorationRole and key == "deadline" and mark:
            return theme.icon("overdue" if mark == "overdue" else "due-today")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._display(row, key)} {self._mark_text(mark)}".strip()
        return None

    def _mark_text(self, mark: str) -> str:
        """The short word beside the deadline, so the mark never rests on colour alone."""
        return {"overdue": self.tr("overdue"), "today": self.tr("today")}.get(mark, "")

    def _display(self, row: TaskRow, key: str) -> str:
        if key == "number":
            return row.number
        if key == "title":
            return row.title
        if key == "type":
            return row.task_type
        if key == "source":
            return row.source
        if key == "target":
            return row.target
        if key == "place":
            return row.place
        if key == "priority":
            return row.priority_label + (self.tr(" · response late") if row.response_late else "")
        if key == "deadline":
            if row.deadline is None:
                return ""
            same_year = timefmt.to_office(row.deadline).year == timefmt.to_office(self.clock()).year
            text = timefmt.fmt(row.deadline, "short" if same_year else "datetime")
            mark = deadline_mark(row, self.clock())
            return f"{text}  {self._mark_text(mark)}" if mark else text
        if key == "status":
            try:
                return TaskStatus(row.status).label
            except ValueError:
                return row.status
        return row.assignees

    def _tooltip(self, row: TaskRow, key: str) -> str | None:
        if key == "priority" and row.response_late:
            return self.tr("Urgent response late: a check-in (respond, depart, arrive) missed its target")
        if key == "deadline":
            mark = deadline_mark(row, self.clock())
            full = timefmt.fmt(row.deadline)
            if mark == "overdue":
                return self.tr("Overdue: the deadline (%1) has passed and the task is still open").replace(
                    "%1", full
                )
            if mark == "today":
                return self.tr("Due today (%1)").replace("%1", full)
            return full or None
        if key in ("title", "target", "assignees", "place"):
            text = self._display(row, key)
            return text or None
        return None

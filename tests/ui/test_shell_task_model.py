"""The inbox model: pytest-qt's model tester, SQL sorting and filtering, Chinese search, status counts,
lazy paging at volume, and deadline marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app import models as m
from app.demo.dataset import build_dataset
from app.demo.seed import seed_store
from app.readmodels.task_inbox import Sort, TaskFilter, TaskRow, fetch_rows, query_ids, status_counts
from app.store import Store
from ui.tasks.model import COLUMN_KEYS, PAGE, TaskTableModel, deadline_mark

pytestmark = pytest.mark.ui


@pytest.fixture
def demo_store(client_store: Store) -> Store:
    seed_store(client_store, build_dataset(tasks=200))
    return client_store


def loaded_model(
    qtbot: Any, store: Store, runner: Any, task_filter: TaskFilter | None = None
) -> TaskTableModel:
    model = TaskTableModel(store, runner)
    with qtbot.waitSignal(model.refreshed, timeout=10_000):
        if task_filter is None:
            model.refresh()
        else:
            model.set_filter(task_filter)
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)  # the first query paints a page, then the rest
    return model


def test_model_passes_qtmodeltester(qtbot: Any, qtmodeltester: Any, demo_store: Store, runner: Any) -> None:
    model = loaded_model(qtbot, demo_store, runner)
    assert model.rowCount() == 200
    qtmodeltester.check(model, force_py=True)


def test_empty_model_passes_qtmodeltester(
    qtbot: Any, qtmodeltester: Any, client_store: Store, runner: Any
) -> None:
    model = loaded_model(qtbot, client_store, runner)
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


def test_sorting_is_done_in_sql(qtbot: Any, demo_store: Store, runner: Any) -> None:
    model = loaded_model(qtbot, demo_store, runner)
    with qtbot.waitSignal(model.refreshed, timeout=10_000):
        model.sort(COLUMN_KEYS.index("number"), Qt.SortOrder.DescendingOrder)
    numbers = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)
    with qtbot.waitSignal(model.refreshed, timeout=10_000):
        model.sort(COLUMN_KEYS.index("priority"), Qt.SortOrder.AscendingOrder)
    priorities = [model.row_data(r).priority for r in range(model.rowCount())]
    assert priorities == sorted(priorities)


def test_filters_and_counts_match_the_store(qtbot: Any, demo_store: Store, runner: Any) -> None:
    with demo_store.read() as s:
        pending = s.scalar(select(func.count()).select_from(m.Task).where(m.Task.status == "pending"))
        urgent = s.scalar(select(func.count()).select_from(m.Task).where(m.Task.priority == 1))
        source = s.scalar(select(m.Task.source).limit(1))
        by_source = s.scalar(select(func.count()).select_from(m.Task).where(m.Task.source == source))
    model = loaded_model(qtbot, demo_store, runner, TaskFilter(status="pending"))
    assert model.rowCount() == pending
    assert model.counts["pending"] == pending and model.counts["all"] == 200
    assert {model.row_data(r).status for r in range(model.rowCount())} == {"pending"}
    assert loaded_model(qtbot, demo_store, runner, TaskFilter(priority=1)).rowCount() == urgent
    assert loaded_model(qtbot, demo_store, runner, TaskFilter(source=source)).rowCount() == by_source


def test_overdue_filter_and_field_filter(demo_store: Store) -> None:
    now = datetime.now(UTC)
    with demo_store.read() as s:
        tasks = s.scalars(select(m.Task)).all()
        expected = {
            t.id
            for t in tasks
            if t.deadline and t.deadline < now and t.status in ("pending", "accepted", "in_progress")
        }
        overdue = set(query_ids(s, TaskFilter(overdue=True), Sort(), now))
        counts = status_counts(s, TaskFilter(), now)
        field = s.scalar(
            select(m.Matter.field).join(m.TaskMatter, m.TaskMatter.matter_code == m.Matter.code).limit(1)
        )
        in_field = set(query_ids(s, TaskFilter(field=field), Sort(), now))
        want_field = set(
            s.scalars(
                select(m.TaskMatter.task_id)
                .join(m.Matter, m.Matter.code == m.TaskMatter.matter_code)
                .where(m.Matter.field == field)
            )
        )
    assert overdue == expected and counts["overdue"] == len(expected)
    assert in_field == want_field and in_field


def test_two_character_chinese_search(qtbot: Any, demo_store: Store, runner: Any) -> None:
    with demo_store.read() as s:
        titles = s.scalars(select(m.Task.title)).all()
    word = next(w for w in ("油烟", "违建", "占道", "噪声", "扬尘") if any(w in t for t in titles))
    model = loaded_model(qtbot, demo_store, runner, TaskFilter(text=word))
    assert model.rowCount() > 0
    with demo_store.read() as s:
        found = s.scalars(
            select(m.Task).where(m.Task.id.in_([model.task_id(r) for r in range(model.rowCount())]))
        )
        for task in found:
            assert word in " ".join((task.title, task.description, task.notes, task.feedback, task.number))


def test_lazy_pages_at_volume(qtbot: Any, demo_store: Store, runner: Any) -> None:
    from app.demo.scale import add_volume

    add_volume(demo_store, tasks=5000, findings=0)
    model = loaded_model(qtbot, demo_store, runner)
    assert model.rowCount() == 5200
    assert len(model._cache) == PAGE  # the first page came with the ids, read on the store worker
    assert model.data(model.index(5199, 1))  # the last row is read on demand, one page of it
    assert len(model._cache) == 2 * PAGE
    for row in range(0, 5200, 97):
        model.row_data(row)
    assert len(model._cache) <= 3000


def test_a_refresh_brings_the_rows_in_view_with_the_ids(qtbot: Any, demo_store: Store, runner: Any) -> None:
    """After a refresh (a note saved, a page pulled) the repaint finds the rows it shows already read: the query
    on the store worker reads them with the new id list, so the GUI thread reads nothing for the repaint."""
    from app.demo.scale import add_volume

    add_volume(demo_store, tasks=1000, findings=0)
    model = loaded_model(qtbot, demo_store, runner)
    model.row_data(0)
    model.row_data(730)  # the officer scrolled to row 730: page 7 is in view
    reads: list[int] = []
    model._fetch_page = lambda page: reads.append(page)  # type: ignore[method-assign]  # a read on the GUI thread
    with qtbot.waitSignal(model.refreshed, timeout=10_000):
        model.refresh()
    assert model.row_data(730) is not None and model.row_data(5) is not None
    assert model.row_data(730).id == model.task_id(730)
    assert reads == []
    assert model.row_data(400) is None and reads == [4]  # a page not in view is still read on demand


def test_first_paint_is_a_bounded_page_then_the_full_list_without_a_reset(
    qtbot: Any, demo_store: Store, runner: Any
) -> None:
    from app.demo.scale import add_volume

    add_volume(demo_store, tasks=1000, findings=0)
    model = TaskTableModel(demo_store, runner)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    with qtbot.waitSignal(model.refreshed, timeout=10_000):
        model.refresh()
    assert model.rowCount() == 1200 and model.loading  # the count is known, the rest of the ids are coming
    assert model.row_data(0) is not None and model.task_id(PAGE - 1) is not None
    assert model.task_id(PAGE) is None and model.data(model.index(1199, 1)) == "…"
    first = [model.task_id(r) for r in range(PAGE)]
    with qtbot.waitSignal(model.refreshed, timeout=10_000):
        pass
    assert not model.loading and resets == [1200]  # one reset (the first page), none when the rest arrived
    with demo_store.read() as s:
        full = query_ids(s, TaskFilter(), Sort())
    assert [model.task_id(r) for r in range(1200)] == full and full[:PAGE] == first
    assert model.row_data(1199) is not None


def test_deadline_marks_and_colours(demo_store: Store) -> None:
    now = datetime.now(UTC)
    late = TaskRow(
        "a", "N1", "t", "核查", "指挥中心", "", "", "", 3, now - timedelta(hours=1), "accepted", ""
    )
    done = TaskRow("b", "N2", "t", "核查", "指挥中心", "", "", "", 3, now - timedelta(hours=1), "closed", "")
    soon = TaskRow(
        "c", "N3", "t", "核查", "指挥中心", "", "", "", 3, now + timedelta(minutes=1), "pending", ""
    )
    assert deadline_mark(late, now) == "overdue"
    assert deadline_mark(done, now) == ""
    assert deadline_mark(soon, now) in ("today", "")  # "today" unless the minute crosses local midnight
    with demo_store.read() as s:
        ids = s.scalars(select(m.Task.id).limit(5)).all()
        rows = fetch_rows(s, list(ids))
    assert set(rows) == set(ids)


def test_overdue_rows_carry_icon_and_text_not_colour_alone(
    qtbot: Any, demo_store: Store, runner: Any
) -> None:
    model = loaded_model(qtbot, demo_store, runner, TaskFilter(overdue=True))
    assert model.rowCount() > 0
    col = COLUMN_KEYS.index("deadline")
    index = model.index(0, col)
    assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    assert "逾期" in model.data(index)
    assert "逾期" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None


def test_multidata_answers_each_role_as_data_does(qtbot: Any, demo_store: Store, runner: Any) -> None:
    """The table's delegate asks every role of a cell in one `multiData` call; its answers are `data`'s."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
    from PySide6.QtWidgets import QTableView

    model = loaded_model(qtbot, demo_store, runner)
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole,
             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
             Qt.ItemDataRole.UserRole]
    answered = 0
    for row in range(min(model.rowCount(), 30)):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in roles:
                item = QModelRoleData(int(role))
                model.multiData(index, QModelRoleDataSpan(item))
                expected = model.data(index, role)
                if expected is None:
                    assert item.data() is None
                elif isinstance(expected, str | int):
                    assert item.data() == expected
                    answered += 1
                else:
                    assert type(item.data()) is type(expected)
    assert answered > 30 * 5
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 500)
    assert not view.grab().isNull()  # a real paint goes through multiData

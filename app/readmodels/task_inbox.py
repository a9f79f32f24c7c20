"""Qt-free queries behind the instruction inbox: the sorted, filtered id list (sorting in SQL, never in a
proxy over 100,000 rows), per-status counts, one page of display rows, and the filter choices.

Times are stored as naive UTC text by the store's `UTCDateTime`; comparisons here bind the same text form.
Search goes through `app.search.search_ids` (bigram FTS, so 2-character words match) and joins its ids by
`json_each`, which has no bound-parameter limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.loops.urgent import overdue_task_ids
from app.rules.case_history import CHINA_TZ
from app.rules.task_states import OPEN_STATUSES, TaskStatus
from app.search import indexing_pending, search_ids

PRIORITY_LABELS = {1: "特急", 2: "紧急", 3: "一般", 4: "较低"}
OPEN_VALUES = frozenset(s.value for s in OPEN_STATUSES)
OPEN_SQL = "(" + ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES)) + ")"
STATUS_ORDER = (
    "CASE t.status "
    + " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(TaskStatus))
    + " ELSE 99 END"
)
ASSIGNEE_NAMES = (
    "(SELECT group_concat(o.name, '、') FROM task_assignees a JOIN officers o ON o.id = a.officer_id "
    "WHERE a.task_id = t.id)"
)

#: column key → SQL sort expression (keys match `ui.tasks.model.COLUMNS`)
SORT_SQL: dict[str, str] = {
    "number": "t.number",
    "title": "t.title",
    "type": "t.task_type",
    "source": "t.source",
    "target": "tg.name",
    "place": "g.code",
    "priority": "t.priority",
    "deadline": "t.deadline",
    "status": STATUS_ORDER,
    "assignees": "(SELECT min(o.name) FROM task_assignees a JOIN officers o ON o.id = a.officer_id "
    "WHERE a.task_id = t.id)",
}
JOINS = "LEFT JOIN targets tg ON tg.id = t.target_id LEFT JOIN grids g ON g.id = t.grid_id"


def db_time(value: datetime) -> str:
    """The text form `UTCDateTime` stores (naive UTC, microseconds)."""
    return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def parse_db_time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


@dataclass(frozen=True)
class TaskFilter:
    """What the inbox shows. `status` None = every status; `overdue` = open and past the deadline."""

    status: str | None = None
    overdue: bool = False
    priority: int | None = None
    source: str | None = None
    grid_id: str | None = None
    field: str | None = None  # matter field (领域)
    text: str = ""
    assignee_id: str | None = None
    case_due: bool = False  # only tasks whose case (案件) has a deadline overdue or due soon

    def without_status(self) -> TaskFilter:
        return replace(self, status=None, overdue=False)


@dataclass(frozen=True)
class Sort:
    key: str = "deadline"
    descending: bool = False


@dataclass
class QueryResult:
    ids: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # status value → n, plus "all" and "overdue"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    indexing: int = 0  # a text search ran while this many records still waited for the search index
    total: int | None = None  # set when `ids` is only the first page of `total` rows (`run_first_page`)


def _where(session: Session, f: TaskFilter, now: datetime) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if f.status:
        clauses.append("t.status = :status")
        params["status"] = f.status
    if f.overdue:
        clauses.append(f"t.status IN {OPEN_SQL} AND t.deadline IS NOT NULL AND t.deadline < :now")
        params["now"] = db_time(now)
    if f.priority is not None:
        clauses.append("t.priority = :priority")
        params["priority"] = int(f.priority)
    if f.source:
        clauses.append("t.source = :source")
        params["source"] = f.source
    if f.grid_id:
        clauses.append("t.grid_id = :grid")
        params["grid"] = f.grid_id
    if f.field:
        clauses.append(
            "EXISTS (SELECT 1 FROM task_matters tm JOIN matters mt ON mt.code = tm.matter_code "
            "WHERE tm.task_id = t.id AND mt.field = :field)"
        )
        params["field"] = f.field
    if f.assignee_id:
        clauses.append(
            "EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.officer_id = :me)"
        )
        params["me"] = f.assignee_id
    if f.case_due:
        from app.cases.deadlines import tasks_with_case_deadlines

        today = now.astimezone(CHINA_TZ).date()
        clauses.append("t.id IN (SELECT value FROM json_each(:case_tasks))")
        params["case_tasks"] = json.dumps(tasks_with_case_deadlines(session, today))
    if f.text.strip():
        ids = search_ids(session, "task", f.text.strip())
        clauses.append("t.id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = json.dumps(ids)
    return clauses, params


def query_ids(
    session: Session, f: TaskFilter, sort: Sort, now: datetime | None = None, limit: int | None = None
) -> list[str]:
    """Ids of the tasks `f` selects, ordered by `sort` (ties by number, then id); the first `limit` only."""
    now = now or datetime.now(UTC)
    clauses, params = _where(session, f, now)
    expr = SORT_SQL.get(sort.key, "t.deadline")
    direction = "DESC" if sort.descending else "ASC"
    nulls = f"CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END, "
    if sort.key == "deadline":  # urgency: open tasks by deadline first, finished ones after them
        nulls = f"CASE WHEN t.status IN {OPEN_SQL} THEN 0 ELSE 1 END, " + nulls
    join = JOINS if sort.key in ("target", "place") else ""
    sql = (
        f"SELECT t.id FROM tasks t {join} "
        + (f"WHERE {' AND '.join(clauses)} " if clauses else "")
        + f"ORDER BY {nulls}{expr} {direction}, t.number {direction}, t.id"
        + (f" LIMIT {int(limit)}" if limit is not None else "")
    )
    return [r[0] for r in session.execute(text(sql), params)]


def count_tasks(session: Session, f: TaskFilter, now: datetime | None = None) -> int:
    """How many tasks `f` selects (the length `query_ids` would return)."""
    clauses, params = _where(session, f, now or datetime.now(UTC))
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return int(session.execute(text(f"SELECT count(*) FROM tasks t {where}"), params).scalar_one())


def status_counts(session: Session, f: TaskFilter, now: datetime | None = None) -> dict[str, int]:
    """Tasks per status under every filter except the status/overdue tab; plus "all" and "overdue"."""
    now = now or datetime.now(UTC)
    clauses, params = _where(session, f.without_status(), now)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    params["now"] = db_time(now)
    sql = (
        f"SELECT t.status, count(*), sum(CASE WHEN t.status IN {OPEN_SQL} AND t.deadline IS NOT NULL "
        f"AND t.deadline < :now THEN 1 ELSE 0 END) FROM tasks t {where}GROUP BY t.status"
    )
    counts = {s.value: 0 for s in TaskStatus}
    total = overdue = 0
    for status, n, late in session.execute(text(sql), params):
        counts[status] = int(n)
        total += int(n)
        overdue += int(late or 0)
    counts["all"] = total
    counts["overdue"] = overdue
    return counts


def run_query(session: Session, f: TaskFilter, sort: Sort) -> QueryResult:
    now = datetime.now(UTC)
    indexing = indexing_pending(session) if f.text.strip() else 0
    return QueryResult(query_ids(session, f, sort, now), status_counts(session, f, now), now, indexing)


def run_first_page(session: Session, f: TaskFilter, sort: Sort, limit: int) -> QueryResult:
    """What the first paint needs: the first `limit` ids (a bounded sort), the count and the tab counts;
    the full id list follows from `run_query` once the page is on screen."""
    now = datetime.now(UTC)
    indexing = indexing_pending(session) if f.text.strip() else 0
    ids = query_ids(session, f, sort, now, limit=limit)
    total = len(ids) if len(ids) < limit else count_tasks(session, f, now)
    return QueryResult(ids, status_counts(session, f, now), now, indexing, total)


@dataclass(frozen=True)
class TaskRow:
    """One inbox row, ready for display."""

    id: str
    number: str
    title: str
    task_type: str
    source: str
    target: str
    township: str
    grid: str
    priority: int
    deadline: datetime | None
    status: str
    assignees: str
    response_late: bool = False  # an urgent instruction that missed a response target (app.loops.urgent)

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS.get(self.priority, str(self.priority))

    @property
    def place(self) -> str:
        return " / ".join(p for p in (self.township, self.grid) if p)


def fetch_rows(session: Session, ids: list[str]) -> dict[str, TaskRow]:
    """Display rows of `ids` (any order), in one query."""
    if not ids:
        return {}
    sql = (
        "SELECT t.id, t.number, t.title, t.task_type, t.source, tg.name, tw.name, g.name, t.priority, "
        f"t.deadline, t.status, {ASSIGNEE_NAMES} FROM tasks t {JOINS} "
        "LEFT JOIN townships tw ON tw.id = t.township_id "
        "WHERE t.id IN (SELECT value FROM json_each(:ids))"
    )
    out: dict[str, TaskRow] = {}
    for r in session.execute(text(sql), {"ids": json.dumps(ids)}):
        out[r[0]] = TaskRow(
            id=r[0],
            number=r[1] or "",
            title=r[2] or "",
            task_type=r[3] or "",
            source=r[4] or "",
            target=r[5] or "",
            township=r[6] or "",
            grid=r[7] or "",
            priority=int(r[8] or 3),
            deadline=parse_db_time(r[9]),
            status=r[10] or "",
            assignees=r[11] or "",
        )
    urgent = [row.id for row in out.values() if row.priority <= 2 and row.status in OPEN_VALUES]
    for tid in overdue_task_ids(session, None, datetime.now(UTC), among=urgent) if urgent else ():
        out[tid] = replace(out[tid], response_late=True)
    return out


@dataclass(frozen=True)
class FilterOptions:
    sources: list[str]
    grids: list[tuple[str, str]]  # (id, label)
    fields: list[str]


def filter_options(session: Session, township_id: str | None = None) -> FilterOptions:
    sources = [
        r[0] for r in session.execute(text("SELECT DISTINCT source FROM tasks ORDER BY source")) if r[0]
    ]
    grid_sql = "SELECT g.id, g.code, g.name FROM grids g"
    params: dict[str, Any] = {}
    if township_id:
        grid_sql += " WHERE g.township_id = :tw"
        params["tw"] = township_id
    grids = [
        (r[0], f"{r[2]}（{r[1]}）" if r[1] else r[2])
        for r in session.execute(text(grid_sql + " ORDER BY g.code"), params)
    ]
    fields = [
        r[0] for r in session.execute(text("SELECT DISTINCT field FROM matters ORDER BY field")) if r[0]
    ]
    return FilterOptions(sources, grids, fields)


def page_rows(session: Session, ids: list[str], pages: tuple[int, ...], page_size: int) -> dict[int, TaskRow]:
    """The display rows at the positions of `pages` (of `page_size` rows) in `ids`, by row number: the rows a
    view had on screen, read together with a new id list so that its repaint needs no read of its own."""
    wanted = [(i, ids[i]) for page in pages for i in range(page * page_size, min(len(ids), (page + 1) * page_size))]
    found = fetch_rows(session, [tid for _, tid in wanted])
    return {i: found[tid] for i, tid in wanted if tid in found}

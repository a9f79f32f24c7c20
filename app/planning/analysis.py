"""Grid patrol analysis (网格巡查研判) over a period: per grid the findings, violations, top matters, overdue
instructions and a suggested patrol frequency tier (rule and thresholds from `resources/config/planning.json`);
the ranking of high-frequency matters (高频执法事项研判); overdue instructions by grid.

Everything is computed by SQL aggregates (GROUP BY over indexed columns) — a handful of statements whatever the
store's size — never by loading rows into Python. Qt-free; exports are in `app.planning.exports`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.planning.config import PlanningConfig
from app.planning.planner import CST
from app.rules.task_states import OPEN_STATUSES

NO_GRID = ""  # key of findings / instructions without a grid
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Period:
    """Whole local (UTC+8) days, `start` and `end` inclusive."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        lo = datetime(self.start.year, self.start.month, self.start.day, tzinfo=CST)
        hi = datetime(self.end.year, self.end.month, self.end.day, tzinfo=CST) + timedelta(days=1)
        return lo, hi

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> float:
        return self.days / DAYS_PER_MONTH

def db_time(value: datetime) -> str:
    """An aware datetime in the store's SQLite text form (naive UTC, microseconds) for raw comparisons."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def parse_db_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


@dataclass
class MatterCount:
    code: str
    name: str
    count: int


@dataclass
class GridRow:
    grid_id: str
    code: str
    name: str
    current_tier: int | None
    findings: int = 0
    violations: int = 0
    overdue: int = 0
    top_matters: list[MatterCount] = field(default_factory=list)
    score: float = 0.0
    tier: int = 1
    tier_label: str = ""

    @property
    def violation_rate(self) -> float:
        return self.violations / self.findings if self.findings else 0.0

    @property
    def top_matters_text(self) -> str:
        return "；".join(f"{m.name}（{m.count}）" for m in self.top_matters)


@dataclass
class MatterRank:
    rank: int
    code: str
    name: str
    field: str
    department: str
    violations: int
    findings: int
    grids: int
    share: float  # of all violations in the period


@dataclass
class OverdueTask:
    id: str
    number: str
    title: str
    grid_id: str
    grid_name: str
    deadline: datetime
    status: str
    days_overdue: int


@dataclass
class Analysis:
    township_id: str
    period: Period
    as_of: datetime
    grids: list[GridRow]
    ranking: list[MatterRank]
    overdue: list[OverdueTask]
    totals: dict[str, int]
    elapsed: float = 0.0


def analyse(session: Session, township_id: str, period: Period, config: PlanningConfig, *,
            now: datetime | None = None) -> Analysis:
    """The whole analysis of one township over `period` (overdue as of the period's end, or now if earlier)."""
    t0 = time.perf_counter()
    lo, hi = period.bounds()
    now = now or datetime.now(UTC)
    as_of = min(hi, now)
    p = {"t": township_id, "lo": db_time(lo), "hi": db_time(hi), "asof": db_time(as_of)}
    grids: dict[str, GridRow] = {}
    for gid, code, name, tier in session.execute(text(
            "SELECT id, code, name, patrol_tier FROM grids WHERE township_id = :t ORDER BY code"), p):
        grids[gid] = GridRow(gid, code, name, tier)

    def row(gid: str | None) -> GridRow:
        key = gid or NO_GRID
        if key not in grids:
            grids[key] = GridRow(key, "—", "未划分网格" if not gid else key, None)
        return grids[key]

    # one pass over the findings: (grid, matter) → findings, violations; everything else is derived from it
    source = findings_source(session, p)
    cells = session.execute(text(
        f"SELECT grid_id, matter_code, COUNT(*), COALESCE(SUM(result = 'violation'), 0) FROM {source} "
        "WHERE township_id = :t AND found_at >= :lo AND found_at < :hi GROUP BY grid_id, matter_code"), p).all()
    overdue = overdue_tasks(session, township_id, as_of, limit=config.overdue_list_limit)
    if len(overdue) < config.overdue_list_limit:  # the list is complete: count it rather than query again
        for task in overdue:
            row(task.grid_id or None).overdue += 1
    else:
        open_statuses = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)
        for gid, n in session.execute(text(
                f"SELECT grid_id, COUNT(*) FROM tasks WHERE township_id = :t AND status IN ({open_statuses}) "
                "AND deadline < :asof GROUP BY grid_id"), p):
            row(gid).overdue = int(n)
    matters = {code: (name, fld, dept) for code, name, fld, dept in session.execute(text(
        "SELECT m.code, m.name, m.field, COALESCE(d.name, '') FROM matters m "
        "LEFT JOIN departments d ON d.id = m.owner_department_id"))}

    by_grid: dict[str, list[MatterCount]] = {}
    grids_of_matter: dict[str, int] = {}
    per_matter: dict[str, list[int]] = {}  # code → [findings, violations]
    for gid, code, n, v in cells:
        r = row(gid)
        r.findings += int(n)
        r.violations += int(v)
        if code is None:
            continue
        acc = per_matter.setdefault(code, [0, 0])
        acc[0] += int(n)
        acc[1] += int(v)
        if v:
            by_grid.setdefault(gid or NO_GRID, []).append(MatterCount(code, matters.get(code, (code,))[0], int(v)))
            grids_of_matter[code] = grids_of_matter.get(code, 0) + 1
    rule = config.tier_rule
    for key, r in grids.items():
        top = sorted(by_grid.get(key, []), key=lambda m: (-m.count, m.code))
        r.top_matters = top[: config.top_matters_per_grid]
        r.score = rule.score(violations=r.violations, findings=r.findings, overdue=r.overdue, months=period.months)
        tier = rule.tier_for(r.score)
        r.tier, r.tier_label = tier.tier, tier.label

    total_v = sum(v for _, v in per_matter.values())
    ranked = sorted(per_matter.items(), key=lambda x: (-x[1][1], -x[1][0], x[0]))[: config.ranking_limit]
    ranking = [
        MatterRank(i, code, *matters.get(code, (code, "", "")), violations=v, findings=n,
                   grids=grids_of_matter.get(code, 0), share=(v / total_v if total_v else 0.0))
        for i, (code, (n, v)) in enumerate(ranked, start=1)
    ]
    for task in overdue:
        task.grid_name = grids[task.grid_id].name if task.grid_id in grids else "未划分网格"
    totals = {
        "findings": sum(g.findings for g in grids.values()),
        "violations": sum(g.violations for g in grids.values()),
        "overdue": sum(g.overdue for g in grids.values()),
        "grids": len(grids),
    }
    ordered = sorted(grids.values(), key=lambda g: (g.grid_id == NO_GRID, g.code))
    return Analysis(township_id, period, as_of, ordered, ranking, overdue, totals, time.perf_counter() - t0)


def findings_source(session: Session, p: dict[str, str]) -> str:
    """How to read the findings of one township over a period, chosen from real selectivity (SQLite has no
    statistics unless ANALYZE ran): an index leading with (township_id, found_at) when the store has one; else the
    found_at index when the period holds a minority of all findings (a covering count tells); else a sequential
    scan, which beats a per-row index lookup over most of the table."""
    indexes = session.execute(text("PRAGMA index_list('findings')")).all()
    names = set()
    for idx in indexes:
        cols = [c[2] for c in session.execute(text(f"PRAGMA index_info('{idx[1]}')"))]
        if cols[:2] == ["township_id", "found_at"]:
            return "findings"
        names.add(idx[1])
    if "ix_findings_found_at" not in names:
        return "findings"
    total = session.execute(text("SELECT COUNT(*) FROM findings INDEXED BY ix_findings_found_at")).scalar() or 0
    in_period = session.execute(text(
        "SELECT COUNT(*) FROM findings INDEXED BY ix_findings_found_at WHERE found_at >= :lo AND found_at < :hi"),
        p).scalar() or 0
    return "findings INDEXED BY ix_findings_found_at" if in_period <= 0.6 * total else "findings NOT INDEXED"


def overdue_tasks(session: Session, township_id: str, as_of: datetime, *, limit: int = 500,
                  grid_names: dict[str, str] | None = None) -> list[OverdueTask]:
    """Open instructions past their deadline at `as_of`, most overdue first."""
    open_statuses = ", ".join(f"'{s.value}'" for s in OPEN_STATUSES)
    rows = session.execute(text(
        f"SELECT id, number, title, grid_id, deadline, status FROM tasks WHERE township_id = :t "
        f"AND status IN ({open_statuses}) AND deadline < :asof ORDER BY deadline LIMIT :n"),
        {"t": township_id, "asof": db_time(as_of), "n": int(limit)})
    names = grid_names or {}
    out = []
    for tid, number, title, gid, deadline, status in rows:
        due = parse_db_time(deadline)
        assert due is not None
        out.append(OverdueTask(tid, number, title, gid or NO_GRID, names.get(gid or NO_GRID, "未划分网格"), due,
                               status, max(0, (as_of - due).days)))
    return out

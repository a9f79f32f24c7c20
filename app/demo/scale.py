"""Volume for benchmarks and load tests: `add_volume()` adds generated instructions (with their events,
assignees and matters) and findings to a store that already holds the demo district, in batches written with
raw DB-API `executemany` inside `Store.write()` transactions, search index rows included.

Values are written in exactly the storage format SQLAlchemy uses for these columns (naive UTC
"YYYY-MM-DD HH:MM:SS.ffffff" times, JSON text, 0/1 booleans), so ORM reads see ordinary rows.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import text

from app import audit
from app.dbcommon import dbapi
from app.demo import resources
from app.demo.dataset import STATUS_WEIGHTS, TOWNSHIP_SHARE, catalogue_version_on
from app.demo.directory import display_name, place_of
from app.demo.taskgen import (
    CST,
    ISSUES,
    Issue,
    build_events,
    compose_text,
    duration_for,
    pick_source,
    priority_for,
)
from app.search import bulk_index_cursor, index_text
from app.store import Store

Progress = Callable[[str, int, int], None]
T = TypeVar("T")

TASK_COLUMNS = ("id", "version", "created_at", "updated_at", "number", "title", "description", "task_type",
                "source", "priority", "deadline", "status", "township_id", "grid_id", "target_id",
                "dispatched_at", "notes", "feedback")
EVENT_COLUMNS = ("id", "task_id", "action", "from_status", "to_status", "actor", "at", "reason", "feedback",
                 "synced")
FINDING_COLUMNS = ("id", "version", "created_at", "updated_at", "inspection_id", "township_id", "grid_id",
                   "target_id", "matter_code", "check_point", "result", "note", "found_at", "created_by")
RESULTS = ("compliant", "violation", "not_applicable")
NOTES = {
    "compliant": ("符合要求", "现场检查未发现问题", "经查，相关证照、台账齐全"),
    "violation": ("不符合要求，已责令限期整改", "现场发现问题，已拍照取证并制作现场检查笔录",
                  "存在问题，已当场责令改正", "问题较严重，已报请立案调查"),
    "not_applicable": ("该单位不涉及此项", "现场未开展相关经营活动"),
}
HISTORY_DAYS = 730
RECENT_DAYS = 30


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def db_time(value: datetime) -> str:
    """An aware datetime in SQLAlchemy's SQLite storage form for `UTCDateTime` columns."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@dataclass
class District:
    """What the generator needs of the demo district, read back from the store."""

    townships: dict[str, tuple[str, str]]  # id → (name, short name)
    grids: dict[str, str]  # id → name
    targets: dict[str, list[dict[str, Any]]]  # township → targets
    staff: dict[str, list[tuple[str, str, str]]]  # township → [(officer id, username, role)] (no clerks)
    matters: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]  # code → (field, check points, industries)
    added_in: dict[str, int] = field(default_factory=dict)  # matter code → catalogue version that added it


def load_district(store: Store) -> District:
    with store.read() as s:
        townships = {i: (n, n[:-2] if n.endswith("街道") else n[:-1])
                     for i, n in s.execute(text("SELECT id, name FROM townships"))}
        grids: dict[str, str] = dict(s.execute(text("SELECT id, name FROM grids")).tuples().all())
        targets: dict[str, list[dict[str, Any]]] = {}
        for row in s.execute(text("SELECT id, township_id, grid_id, name, kind, industry, address FROM targets "
                                  "ORDER BY id")).mappings():
            targets.setdefault(row["township_id"], []).append(dict(row))
        staff: dict[str, list[tuple[str, str, str]]] = {}
        for oid, tid, username, role in s.execute(text(
                "SELECT id, township_id, username, role FROM officers WHERE role != 'clerk' AND active "
                "AND township_id IS NOT NULL ORDER BY id")):
            staff.setdefault(tid, []).append((oid, username or oid, role))
        matters = {}
        for code, fld, cps, inds in s.execute(text(
                "SELECT code, field, check_points, industries FROM matters ORDER BY code")):
            matters[code] = (fld, tuple(json.loads(cps)), tuple(json.loads(inds)))
    added_in = {c: v["version"] for v in resources.catalogue()["versions"] for c in v.get("added", ())}
    if not staff or not targets:
        raise ValueError("the store holds no demo district: seed it first (seed_store)")
    return District(townships, grids, targets, staff, matters, added_in)


def add_volume(
    store: Store,
    *,
    tasks: int,
    findings: int,
    seed: int = 7,
    today: date | None = None,
    progress: Progress | None = None,
    task_batch: int = 10_000,
    finding_batch: int = 50_000,
) -> dict[str, int]:
    """Add `tasks` instructions and `findings` findings spread over the two years before `today`."""
    district = load_district(store)
    now = datetime.combine(today or date.today(), time(8, 30), CST)
    rng = random.Random(seed)
    prefix = f"v{seed}-{_run_number(store, seed)}"
    counts = {"task": 0, "task_assignee": 0, "task_matter": 0, "task_event": 0, "finding": 0, "search_index": 0}
    gen = _TaskGen(rng, district, now, prefix)
    task_batches = ((start, min(task_batch, tasks - start)) for start in range(0, tasks, task_batch))
    for (start, n), rows in _pipelined(task_batches, lambda b: gen.rows(b[0], b[1], tasks)):
        _write(store, rows, counts)
        if progress:
            progress("task", start + n, tasks)
    fgen = _FindingGen(rng, district, now, prefix, findings)
    finding_batches = ((start, min(finding_batch, findings - start)) for start in range(0, findings, finding_batch))
    for (start, n), rows in _pipelined(finding_batches, lambda b: fgen.rows(b[0], b[1])):
        _write(store, rows, counts)
        if progress:
            progress("finding", start + n, findings)
    with store.write() as s:
        audit.append(s, actor="seed", action="seed", entity="dataset", entity_id="volume",
                     detail={"counts": counts, "seed": seed, "prefix": prefix})
    return counts


def _run_number(store: Store, seed: int) -> int:
    """The first run number whose ids are still free (a store can be topped up twice with one seed)."""
    run = 0
    with store.read() as s:
        while s.execute(
            text("SELECT EXISTS(SELECT 1 FROM tasks WHERE id = :t) OR EXISTS(SELECT 1 FROM findings WHERE id = :f)"),
            {"t": f"v{seed}-{run}-t{0:07d}", "f": f"v{seed}-{run}-f{0:08d}"},
        ).scalar():
            run += 1
    return run


# ── tasks ─────────────────────────────────────────────────────────────────────────────────────────────


class _TaskGen:
    def __init__(self, rng: random.Random, district: District, now: datetime, prefix: str) -> None:
        self.rng, self.d, self.now, self.prefix = rng, district, now, prefix
        towns = [t for t in district.staff if t in district.targets]
        others = [t for t in towns if t not in TOWNSHIP_SHARE]
        rest = (100 - sum(TOWNSHIP_SHARE.values())) / max(1, len(others))
        self.towns = towns
        self.town_weights = [TOWNSHIP_SHARE.get(t, rest) for t in towns]
        self.by_industry = {
            tid: _group(district.targets[tid], "industry") for tid in towns
        }

    def issues(self, tid: str, version: int) -> list[Issue]:
        return _issues_for(frozenset(self.by_industry[tid]), version)

    def rows(self, start: int, n: int, total: int) -> Batch:
        return _task_tables([self.task(start + i, total) for i in range(n)])

    def task(self, n: int, total: int) -> dict[str, Any]:
        rng, now = self.rng, self.now
        # chronological: task n of `total` is dispatched n/total of the way through the history
        age = timedelta(days=HISTORY_DAYS) * (1 - (n + rng.random()) / total) + timedelta(hours=2)
        dispatched = (now - age).replace(microsecond=0)
        tid = rng.choices(self.towns, weights=self.town_weights)[0]
        name, short = self.d.townships[tid]
        pool = self.issues(tid, catalogue_version_on(dispatched.date()))
        issue = rng.choices(pool, weights=[i.weight for i in pool])[0]
        source = pick_source(rng, issue)
        priority = priority_for(rng, source)
        deadline = (dispatched + duration_for(priority, source)).replace(second=0)
        if age < timedelta(days=RECENT_DAYS):
            status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        else:
            status = "closed" if rng.random() < 0.97 else "returned"
        target = rng.choice([t for ind in issue.industries for t in self.by_industry[tid].get(ind, ())])
        place = place_of(target, name, short)
        codes = sorted({issue.matters[0], *rng.sample(issue.matters[1:], rng.randint(0, len(issue.matters) - 1))})
        title, description, task_type = compose_text(
            rng, issue=issue, source=source, township=name, place=place, grid_name=self.d.grids[target["grid_id"]],
            target_name=display_name(target["name"], short), field=self.d.matters[codes[0]][0], deadline=deadline,
        )
        staff = self.d.staff[tid]
        assignees = rng.sample(staff, rng.randint(1, min(3, len(staff))))
        leader = next((s for s in staff if s[2] == "leader"), staff[0])
        task_id = f"{self.prefix}-t{n:07d}"
        events, feedback = build_events(
            rng, task_id=task_id, status=status, dispatched_at=dispatched, now=now,
            worker=(assignees[0][1], assignees[0][2]), leader=leader[1], place=place,
        )
        return {
            "id": task_id, "dispatched": dispatched, "deadline": deadline, "updated": events[-1]["at"] if events
            else None, "number": f"FYZH-{dispatched.year}-{500000 + n:07d}", "title": title,
            "description": description, "task_type": task_type, "source": source, "priority": priority,
            "status": status, "township_id": tid, "grid_id": target["grid_id"], "target_id": target["id"],
            "feedback": feedback, "assignees": [a[0] for a in assignees], "codes": codes, "events": events,
        }


@cache
def _issues_for(industries: frozenset[str], version: int) -> list[Issue]:
    return [i for i in ISSUES if i.since_version <= version and industries.intersection(i.industries)]


def _group(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


def _task_tables(batch: list[dict[str, Any]]) -> Batch:
    tasks: list[tuple[Any, ...]] = []
    assignees: list[tuple[Any, ...]] = []
    matters: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    search: list[tuple[str, str, str]] = []
    for t in batch:
        dispatched = db_time(t["dispatched"])
        updated = db_time(datetime.fromisoformat(t["updated"])) if t["updated"] else dispatched
        tasks.append((t["id"], 1, dispatched, updated, t["number"], t["title"], t["description"], t["task_type"],
                      t["source"], t["priority"], db_time(t["deadline"]), t["status"], t["township_id"],
                      t["grid_id"], t["target_id"], dispatched, "", t["feedback"]))
        assignees.extend((f"{t['id']}-a{i}", t["id"], o) for i, o in enumerate(t["assignees"], 1))
        matters.extend((f"{t['id']}-m{i}", t["id"], c) for i, c in enumerate(t["codes"], 1))
        events.extend((e["id"], t["id"], e["action"], e["from_status"], e["to_status"], e["actor"],
                       db_time(datetime.fromisoformat(e["at"])), e["reason"], e["feedback"], 1) for e in t["events"])
        search.append(("task", t["id"], index_text(t["number"], t["title"], t["description"], t["feedback"])))
    return Batch(
        tables=[("tasks", TASK_COLUMNS, "task", tasks),
                ("task_assignees", ("id", "task_id", "officer_id"), "task_assignee", assignees),
                ("task_matters", ("id", "task_id", "matter_code"), "task_matter", matters),
                ("task_events", EVENT_COLUMNS, "task_event", events)],
        search=search,
    )


# ── findings ──────────────────────────────────────────────────────────────────────────────────────────


class _FindingGen:
    def __init__(self, rng: random.Random, district: District, now: datetime, prefix: str, total: int) -> None:
        self.rng, self.now, self.prefix, self.total = rng, now, prefix, max(total, 1)
        by_industry: dict[str, list[str]] = {}
        for code, (_f, _cps, inds) in district.matters.items():
            for ind in inds:
                by_industry.setdefault(ind, []).append(code)
        all_codes = sorted(district.matters)
        fallback = [s[1] for staff in district.staff.values() for s in staff]
        self.targets = []  # (id, township, grid, codes of any version, codes of version 1, creators)
        for rows in district.targets.values():
            for t in rows:
                codes = by_industry.get(t["industry"]) or all_codes
                v1 = [c for c in codes if district.added_in.get(c, 1) == 1] or all_codes
                creators = [s[1] for s in district.staff.get(t["township_id"], ())] or fallback
                self.targets.append((t["id"], t["township_id"], t["grid_id"], codes, v1, creators))
        self.check_points = {code: cps for code, (_f, cps, _i) in district.matters.items()}
        self.text_cache: dict[tuple[str, str], str] = {}
        v2 = next((v for v in resources.catalogue()["versions"] if v["version"] == 2), None)
        self.v2_from = datetime.combine(date.fromisoformat(v2["effective_date"]), time(), CST) if v2 else None

    def rows(self, start: int, n: int) -> Batch:
        rand, now, span, total, prefix = self.rng.random, self.now, timedelta(days=HISTORY_DAYS), self.total, self.prefix
        targets, nt, cps_of, v2_from = self.targets, len(self.targets), self.check_points, self.v2_from
        out, search = [], []
        for k in range(start, start + n):
            found = now - span * (1 - (k + rand()) / total)  # chronological, like real records
            tid, town, grid, codes, v1_codes, creators = targets[int(rand() * nt)]
            if v2_from is not None and found < v2_from:
                codes = v1_codes
            code = codes[int(rand() * len(codes))]
            cps = cps_of[code]
            check_point = cps[int(rand() * len(cps))]
            r = rand()
            result = "compliant" if r < 0.7 else "violation" if r < 0.9 else "not_applicable"
            notes = NOTES[result]
            note = notes[int(rand() * len(notes))]
            at = db_time(found)
            fid = f"{prefix}-f{k:08d}"
            out.append((fid, 1, at, at, None, town, grid, tid, code, check_point, result, note, at,
                        creators[int(rand() * len(creators))]))
            search.append(("finding", fid, self.body(check_point, note)))
        return Batch(tables=[("findings", FINDING_COLUMNS, "finding", out)], search=search)

    def body(self, check_point: str, note: str) -> str:
        key = (check_point, note)
        body = self.text_cache.get(key)
        if body is None:
            body = self.text_cache[key] = index_text(check_point, note)
        return body


# ── raw access ────────────────────────────────────────────────────────────────────────────────────────


@contextmanager
def _raw(store: Store) -> Iterator[sqlite3.Cursor]:
    """A DB-API cursor inside a `Store.write()` transaction (BEGIN IMMEDIATE), with a large page cache for
    the duration of the batch."""
    with store.write() as session:
        cur = dbapi(session).cursor()
        previous = int(cur.execute("PRAGMA cache_size").fetchone()[0])
        cur.execute("PRAGMA cache_size=-262144")
        try:
            yield cur
        finally:
            cur.execute(f"PRAGMA cache_size={previous}")
            cur.close()


@dataclass
class Batch:
    """Rows ready for executemany: [(table, columns, count key, rows)] and search rows (kind, id, body)."""

    tables: list[tuple[str, Sequence[str], str, list[tuple[Any, ...]]]]
    search: list[tuple[str, str, str]]


def _write(store: Store, batch: Batch, counts: dict[str, int]) -> None:
    with _raw(store) as cur:
        for table, columns, _key, rows in batch.tables:
            cur.executemany(insert_sql(table, columns), rows)
        bulk_index_cursor(cur, batch.search)
    for _table, _columns, key, rows in batch.tables:
        counts[key] += len(rows)
    counts["search_index"] += len(batch.search)


def _pipelined(items: Iterable[T], prepare: Callable[[T], Batch]) -> Iterator[tuple[T, Batch]]:
    """Yield (item, prepare(item)) in order while the next item is prepared on a worker thread, so that
    Python generation overlaps SQLite writing (sqlite3 releases the GIL while it steps)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="volume") as pool:
        it = iter(items)
        current = next(it, None)
        future = pool.submit(prepare, current) if current is not None else None
        while current is not None and future is not None:
            following = next(it, None)
            upcoming = pool.submit(prepare, following) if following is not None else None
            yield current, future.result()
            current, future = following, upcoming


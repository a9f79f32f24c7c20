"""Store benchmark (a script, not a test): builds a large store with the volume generator, then measures
opening it, the first page of the task list, Chinese search, and bulk insertion of tasks through the seeding
path against a raw `sqlite3.executemany` floor measured in the same run.

    .venv/bin/python benchmarks/bench_store.py --tasks 100000 --findings 1000000 --work /tmp/bench
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from app import models as m
from app.demo import build_dataset, seed_store
from app.demo.scale import EVENT_COLUMNS, TASK_COLUMNS, add_volume, db_time
from app.demo.seed import _execute, decode_rows, task_children
from app.paths import DataPaths
from app.search import CREATE_SQL, index_text, search_ids
from app.store import Store
from benchmarks.bench_common import fmt_seconds, median_time, print_table, timed

FIRST_PAGE_SQL = (
    "SELECT t.id, t.number, t.title, t.priority, t.deadline, t.status, g.name AS target_name "
    "FROM tasks t LEFT JOIN targets g ON g.id = t.target_id "
    "WHERE t.status IN ('pending', 'accepted', 'in_progress') ORDER BY t.deadline DESC LIMIT 100"
)
WORDS_2 = ("油烟", "占道", "扬尘", "执照", "噪声")
WORDS_4 = ("油烟净化", "营业执照", "违法建设", "安全出口")
TODAY = date(2026, 11, 26)


def build(work: Path, tasks: int, findings: int, reuse: bool) -> Path:
    root = work / "big"
    if root.exists() and reuse:
        print(f"reusing {root}")
        return root
    shutil.rmtree(root, ignore_errors=True)
    store = Store.open(DataPaths(root))
    try:
        t_seed, counts = timed(lambda: seed_store(store, build_dataset(today=TODAY)))
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if done == total or done * 10 // total != (done - 1) * 10 // total:
                print(f"  {stage}: {done:>9,} / {total:,}", flush=True)

        t_vol, vol = timed(lambda: add_volume(store, tasks=tasks, findings=findings, today=TODAY,
                                               progress=progress))
        del last
    finally:
        store.close()
    size = sum(p.stat().st_size for p in root.glob("lianxuntong.db*")) / 2**20
    print_table("build (volume generator)", [
        ("seed demo district", t_seed, None, f"{sum(counts.values()):,} rows"),
        ("add_volume", t_vol, None, ", ".join(f"{k} {v:,}" for k, v in vol.items())),
    ])
    print(f"DB size: {size:,.0f} MiB")
    return root


def measure_reads(root: Path) -> None:
    def open_close() -> None:
        Store.open(DataPaths(root)).close()

    t_open = median_time(open_close, 5)
    store = Store.open(DataPaths(root))
    try:
        with store.read() as s:
            n_tasks = s.execute(text("SELECT count(*) FROM tasks")).scalar_one()
            n_find = s.execute(text("SELECT count(*) FROM findings")).scalar_one()
            n_open = s.execute(text("SELECT count(*) FROM tasks WHERE status IN "
                                    "('pending', 'accepted', 'in_progress')")).scalar_one()

            def first_page() -> list[Any]:
                rows = s.execute(text(FIRST_PAGE_SQL)).all()
                assert len(rows) == 100
                return rows

            t_page = median_time(first_page, 20)
            rows: list[tuple[str, float, float | None, str]] = [
                ("Store.open (existing file, median of 5)", t_open, None, f"{n_tasks:,} tasks, {n_find:,} findings"),
                ("first page: 100 open tasks by deadline", t_page, None, f"median of 20; {n_open:,} open tasks"),
            ]
            for kind, n_rows in (("task", n_tasks), ("finding", n_find)):
                for words in (WORDS_2, WORDS_4):
                    for limit in (50, None):
                        samples, hits = [], []
                        for w in words:
                            hits.append(len(search_ids(s, kind, w, limit)))
                            samples.append(median_time(lambda w=w, kind=kind, limit=limit: search_ids(s, kind, w, limit), 5))
                        samples.sort()
                        med = samples[len(samples) // 2]
                        label = f"search {kind}s, {len(words[0])}-char words, " + (f"first {limit}" if limit else "all ids")
                        rows.append((label, med, None, f"{n_rows:,} {kind}s; {'/'.join(words)}; hits "
                                     + "/".join(f"{h:,}" for h in hits)))
    finally:
        store.close()
    print_table("reads", rows)


def _fresh_district(path: Path) -> Store:
    shutil.rmtree(path, ignore_errors=True)
    store = Store.open(DataPaths(path))
    seed_store(store, build_dataset(tasks=0, today=TODAY))
    return store


def _floor_db(path: Path) -> sqlite3.Connection:
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def _bare(conn: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> str:
    conn.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    return f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})"


def measure_bulk(work: Path, n: int) -> None:
    t_gen, wire = timed(lambda: build_dataset(tasks=n, today=TODAY)["task"])
    print(f"\n(generated {n:,} wire tasks in {fmt_seconds(t_gen)}; not part of any figure below)")
    # the same rows in storage form, converted before the clock starts
    decoded = decode_rows("task", wire)
    task_rows = [tuple(db_time(r[c]) if c in ("created_at", "updated_at", "deadline", "dispatched_at")
                       else r[c] for c in TASK_COLUMNS) for r in decoded]
    assignees, matters, events = task_children(wire)
    a_rows = [(a["id"], a["task_id"], a["officer_id"]) for a in assignees]
    m_rows = [(x["id"], x["task_id"], x["matter_code"]) for x in matters]
    e_rows = [tuple(db_time(e[c]) if c == "at" else (1 if c == "synced" else e[c]) for c in EVENT_COLUMNS)
              for e in events]
    bodies = [(i + 1, r["id"], index_text(r["number"], r["title"], r["description"], r["notes"], r["feedback"]))
              for i, r in enumerate(decoded)]

    conn = _floor_db(work / "floor.db")
    sql = _bare(conn, "tasks_floor", TASK_COLUMNS)

    def floor_tasks() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, task_rows)
        conn.execute("COMMIT")

    t_floor, _ = timed(floor_tasks)
    sqls = [_bare(conn, "a_floor", ("id", "task_id", "officer_id")), _bare(conn, "m_floor", ("id", "task_id", "matter_code")),
            _bare(conn, "e_floor", EVENT_COLUMNS), _bare(conn, "t2_floor", TASK_COLUMNS),
            _bare(conn, "docs_floor", ("rowid", "kind", "ref_id"))]
    conn.execute(CREATE_SQL[1].replace("search_fts_task", "fts_floor"))

    def floor_full() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sqls[3], task_rows)
        for q, rows in zip(sqls[:3], (a_rows, m_rows, e_rows), strict=True):
            conn.executemany(q, rows)
        conn.executemany(sqls[4], [(i, "task", ref) for i, ref, _b in bodies])
        conn.executemany("INSERT INTO fts_floor(rowid, body) VALUES (?, ?)", [(i, b) for i, _r, b in bodies])
        conn.execute("COMMIT")

    t_floor_full, _ = timed(floor_full)
    conn.close()

    store = _fresh_district(work / "bulk_tasks_only")
    try:
        def seed_tasks_only() -> None:
            with store.write() as s:
                _execute(s, m.Task, decode_rows("task", wire))

        t_tasks, _ = timed(seed_tasks_only)
    finally:
        store.close()
    store = _fresh_district(work / "bulk_full")
    try:
        t_full, counts = timed(lambda: seed_store(store, {"task": wire}))
    finally:
        store.close()
    child = sum(counts[k] for k in ("task_assignee", "task_matter", "task_event"))
    print_table(f"bulk insert of {n:,} tasks (one transaction each)", [
        ("floor: sqlite3.executemany into bare table", t_floor, None, "pre-converted tuples, no indexes"),
        ("seeding path, tasks table only", t_tasks, t_floor, "decode_field + Core executemany; 8 indexes, FKs"),
        ("floor: same rows + children + FTS, bare", t_floor_full, None, f"{child:,} child rows, {n:,} FTS docs"),
        ("seed_store (tasks, children, search, audit)", t_full, t_floor_full, "the full seeding path"),
    ])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--bulk", type=int, default=100_000, help="tasks for the bulk-insert comparison")
    ap.add_argument("--work", type=Path, required=True, help="scratch directory (created; big store kept)")
    ap.add_argument("--reuse", action="store_true", help="reuse an existing big store in --work")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"SQLite {sqlite3.sqlite_version}; Python {sys.version.split()[0]}")
    root = build(args.work, args.tasks, args.findings, args.reuse)
    measure_reads(root)
    measure_bulk(args.work, args.bulk)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

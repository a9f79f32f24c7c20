#!/usr/bin/env python3
"""Grid analysis over a large store: 100,000 instructions and 1,000,000 findings (app.demo.scale.add_volume).

Prints the time of `app.planning.analysis.analyse` for the busiest township over a year (and over the whole
two-year history) against a floor measured in the same run: a raw sqlite3 `COUNT(*) … GROUP BY grid_id` over
the same findings table. The target is under one second; the ratio is the figure to compare between machines.

    .venv/bin/python benchmarks/bench_analysis.py                 # builds a store in a temp dir (a few minutes)
    .venv/bin/python benchmarks/bench_analysis.py --work DIR      # builds once in DIR, reuses it afterwards
    .venv/bin/python benchmarks/bench_analysis.py --tasks 10000 --findings 100000   # smaller
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.demo import build_dataset, seed_store
from app.demo.scale import add_volume
from app.paths import DataPaths
from app.planning.analysis import Period, analyse
from app.planning.config import load_config
from app.store import Store


def build(root: Path, tasks: int, findings: int) -> Store:
    store = Store.open(DataPaths(root))
    with store.read() as s:
        have = s.connection().exec_driver_sql("SELECT COUNT(*) FROM findings").scalar() or 0
    if have >= findings:
        print(f"reusing store at {root} ({have:,} findings)")
        return store
    t0 = time.perf_counter()
    with store.read() as s:
        seeded = s.connection().exec_driver_sql("SELECT COUNT(*) FROM townships").scalar()
    if not seeded:
        seed_store(store, build_dataset())

    def progress(what: str, done: int, total: int) -> None:
        print(f"\r  {what}: {done:,}/{total:,}", end="", flush=True)

    add_volume(store, tasks=tasks, findings=findings - have, progress=progress)
    print(f"\nbuilt in {time.perf_counter() - t0:.0f} s")
    return store


def best_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) if runs < 3 else statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, help="store directory to build once and reuse")
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = None
    root = args.work
    if root is None:
        tmp = tempfile.TemporaryDirectory(prefix="lxt-bench-")
        root = Path(tmp.name)
    store = build(root, args.tasks, args.findings)
    config = load_config()
    with store.read() as s:
        conn = s.connection()
        total = conn.exec_driver_sql("SELECT COUNT(*) FROM findings").scalar()
        ntasks = conn.exec_driver_sql("SELECT COUNT(*) FROM tasks").scalar()
        township = conn.exec_driver_sql(
            "SELECT township_id FROM findings GROUP BY township_id ORDER BY COUNT(*) DESC LIMIT 1").scalar()
    print(f"store: {ntasks:,} instructions, {total:,} findings; township analysed: {township}")

    raw = sqlite3.connect(str(store.paths.db))

    def floor() -> None:
        raw.execute("SELECT grid_id, COUNT(*) FROM findings GROUP BY grid_id").fetchall()

    floor_s = best_of(floor, args.runs)
    today = date.today()
    results = {}
    for label, period in (("last 365 days", Period(today - timedelta(days=364), today)),
                          ("last 730 days", Period(today - timedelta(days=729), today)),
                          ("last 30 days", Period(today - timedelta(days=29), today))):
        def run(period: Period = period) -> None:
            with store.read() as s:
                analyse(s, township, period, config)
        run()  # warm the page cache once
        results[label] = best_of(run, args.runs)
    with store.read() as s:
        a = analyse(s, township, Period(today - timedelta(days=364), today), config)
    print(f"last 365 days: {a.totals['findings']:,} findings, {a.totals['violations']:,} violations, "
          f"{a.totals['overdue']:,} overdue instructions over {a.totals['grids']} grids")
    print(f"floor  raw sqlite3 COUNT(*) GROUP BY grid_id over all {total:,} findings: {floor_s * 1000:8.1f} ms")
    for label, secs in results.items():
        verdict = "OK" if secs < 1.0 else "SLOW (target < 1 s)"
        print(f"analyse({label:>13}): {secs * 1000:8.1f} ms = {secs / floor_s:5.2f} × floor  {verdict}")
    raw.close()
    store.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

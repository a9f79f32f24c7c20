"""UI start-up benchmark (a script, not a test): cold start to an interactive inbox over a 100,000-task store.

Seeds the store once (`python -m lianxuntong seed --data-dir D --tasks N`), then starts fresh processes that open the
store (migrations checked), build the main window and show the inbox, and stop as soon as the table has
painted its first page of rows (with bytecode compiled once beforehand, as an installed app has it, even when
PYTHONDONTWRITEBYTECODE is set). Reported: process start → first page shown (median of several runs), the
resident memory at that moment, and inside the process the id query, the first page read and a re-sort — each against a
floor measured in the same run (a bare PySide6 window with an empty table; raw sqlite3 for the queries).

    .venv/bin/python benchmarks/bench_ui.py --tasks 100000 --work /tmp/lxt-bench-ui
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- child processes ---------------------------------------------------------------------------------------


def child_floor() -> dict[str, Any]:
    """A bare PySide6 window with an empty table: the floor of any Qt start-up."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QTableWidget

    app = QApplication([sys.argv[0]])
    table = QTableWidget(30, 10)
    out: dict[str, Any] = {}

    class Painted(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "shown" not in out:
                out["shown"] = time.time()
                out["cpu_s"] = time.process_time()  # CPU since the process began: steadier under load
                out["rss_mb"] = rss_mb()
                QTimer.singleShot(0, app.quit)
            return False

    painted = Painted()
    table.viewport().installEventFilter(painted)
    table.resize(1366, 700)
    table.show()
    app.exec()
    return out


def child_inbox(data_dir: str) -> dict[str, Any]:
    """The real shell over the seeded store, signed in offline as the 新登镇 leader."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from app.identity import CurrentUser
    from app.paths import DataPaths
    from app.rules.task_states import Role
    from app.store import Store
    from ui.context import AppContext, ChangeBus
    from ui.i18n import install_translators
    from ui.main_window import MainWindow
    from ui.runner import TaskRunner
    from ui.settings import Settings
    from ui.theme import make_application

    app = make_application([sys.argv[0]])
    _translators = install_translators(app)
    started = time.perf_counter()
    store = Store.open(DataPaths(Path(data_dir)))
    opened = time.perf_counter() - started
    runner = TaskRunner(app)
    user = CurrentUser("xindeng.leader", "章建华", Role.LEADER, "xindeng", "off-xindeng-leader")
    settings = Settings(Path(data_dir) / "bench-ui.ini")
    ctx = AppContext(store=store, user=user, runner=runner, bus=ChangeBus(), sync=None, settings=settings)
    out: dict[str, Any] = {"store_open_s": opened}
    window = MainWindow(ctx)
    window.resize(1366, 768)
    area = window.areas["tasks"]

    class Painted(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and area.model.rowCount() > 0 and "shown" not in out:
                out["shown"] = time.time()
                out["cpu_s"] = time.process_time()  # CPU since the process began: steadier under load
                out["rss_mb"] = rss_mb()
                out["rows"] = area.model.rowCount()
                out["first_title"] = area.model.data(area.model.index(0, 1))
                QTimer.singleShot(0, app.quit)
            return False

    painted = Painted()
    area.table.viewport().installEventFilter(painted)
    window.show()
    app.exec()
    out.update(in_process_figures(store))
    runner.cancel_all()
    runner.wait()
    store.close()
    return out


def in_process_figures(store: Any) -> dict[str, float]:
    """Id query, first page read and a re-sort as the model runs them, with raw sqlite3 floors."""
    from app.readmodels.task_inbox import Sort, TaskFilter, fetch_rows, run_query

    def best(fn: Any, n: int = 3) -> tuple[float, Any]:
        times, result = [], None
        for _ in range(n):
            t = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t)
        return min(times), result

    with store.read() as session:
        q_s, result = best(lambda: run_query(session, TaskFilter(), Sort()))
        page_s, _ = best(lambda: fetch_rows(session, result.ids[:100]))
        sort_s, _ = best(lambda: run_query(session, TaskFilter(), Sort("title", True)))
        search_s, found = best(lambda: run_query(session, TaskFilter(text="油烟"), Sort()))
    raw = sqlite3.connect(store.paths.db)
    try:
        floor_q, _ = best(lambda: raw.execute("SELECT id FROM tasks ORDER BY deadline").fetchall())
        floor_page, _ = best(lambda: raw.execute("SELECT * FROM tasks LIMIT 100").fetchall())
    finally:
        raw.close()
    return {
        "query_s": q_s,
        "page_s": page_s,
        "resort_s": sort_s,
        "search_s": search_s,
        "search_hits": len(found.ids),
        "floor_query_s": floor_q,
        "floor_page_s": floor_page,
    }


# ---- parent ------------------------------------------------------------------------------------------------


def ensure_store(work: Path, tasks: int) -> Path:
    data = work / "data"
    db = data / "lianxuntong.db"
    if db.exists():
        with sqlite3.connect(db) as conn:
            have = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        if have >= tasks:
            print(f"using existing store with {have:,} tasks: {db}")
            return data
    work.mkdir(parents=True, exist_ok=True)
    print(f"seeding {tasks:,} tasks into {data} …", flush=True)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lianxuntong", "seed", "--data-dir", str(data), "--tasks", str(tasks)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"seeded in {time.perf_counter() - t:.1f} s")
    return data


def spawn(mode: str, data: Path | None = None, pycache: Path | None = None) -> tuple[float, dict[str, Any]]:
    env = dict(os.environ)
    if pycache is not None:  # bytecode as an installed app has it (PyInstaller and pip ship .pyc files)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    args = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
    if data is not None:
        args += ["--data-dir", str(data)]
    start = time.time()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["shown"] - start, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--work", default="/tmp/lxt-bench-ui")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", choices=("floor", "inbox"))
    ap.add_argument("--data-dir")
    args = ap.parse_args()
    if args.child == "floor":
        print(json.dumps(child_floor()))
        return 0
    if args.child == "inbox":
        print(json.dumps(child_inbox(args.data_dir), ensure_ascii=False))
        return 0

    from benchmarks.bench_common import print_table

    data = ensure_store(Path(args.work), args.tasks)
    pycache = Path(args.work) / "pycache"
    spawn("floor", pycache=pycache), spawn("inbox", data, pycache)  # warm-up: writes the bytecode
    floors = [spawn("floor", pycache=pycache) for _ in range(args.runs)]
    runs = [spawn("inbox", data, pycache) for _ in range(args.runs)]
    floor_s = statistics.median(s for s, _ in floors)
    start_s = statistics.median(s for s, _ in runs)
    last = runs[-1][1]
    print_table(
        f"cold start to the inbox ({last['rows']:,} tasks, median of {args.runs})",
        [
            ("process start → first page shown", start_s, floor_s, "floor: bare PySide6 window with a table"),
            ("  CPU time of that process until then", statistics.median(r["cpu_s"] for _, r in runs),
             statistics.median(r["cpu_s"] for _, r in floors), "steadier than wall time under load"),
            ("  of which Store.open (migration check)", last["store_open_s"], None, ""),
            (
                "id query, default sort (all rows)",
                last["query_s"],
                last["floor_query_s"],
                "floor: raw sqlite3 SELECT id ORDER BY deadline",
            ),
            (
                "first page of 100 display rows",
                last["page_s"],
                last["floor_page_s"],
                "floor: raw SELECT * LIMIT 100",
            ),
            (
                "re-sort by title, descending",
                last["resort_s"],
                last["floor_query_s"],
                "in SQL, no proxy model",
            ),
            (
                f"search 油烟 ({last['search_hits']:,} hits)",
                last["search_s"],
                last["floor_query_s"],
                "bigram FTS",
            ),
        ],
    )
    print(
        f"\nRSS when the first page is shown: {statistics.median(r['rss_mb'] for _, r in runs):.0f} MB "
        f"(bare PySide6 window: {statistics.median(r['rss_mb'] for _, r in floors):.0f} MB)"
    )
    print(f"first row: {last['first_title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

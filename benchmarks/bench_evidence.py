#!/usr/bin/env python3
"""Evidence import benchmark: N "JPEG-ish" photos (default 500 × 4 MB ≈ 2 GB) imported as one folder into an open
inspection form — the real `EvidenceImporter` (hash + atomic copy on the io pool, rows on the store worker),
gallery, thumbnails and progress dialog — while a 10 ms timer measures the GUI event loop.

Reported against floors measured in the same run on the same files: a raw hash-and-copy (hashlib.sha256 +
shutil.copyfile per file, no fsync) and the same with an fsync per file (what crash safety costs), each run
before and after the import (the best counts). Figures are ratios, not pass/fail:

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_evidence.py [--count 500] [--size 4000000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def floor(files: list[Path], dest: Path, *, fsync: bool) -> float:
    """Seconds to hash and copy every file (the simplest correct thing)."""
    dest.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for f in files:
        digest = hashlib.sha256()
        with f.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
        target = dest / digest.hexdigest()
        shutil.copyfile(f, target)
        if fsync:
            with target.open("rb+") as fh:
                os.fsync(fh.fileno())
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--size", type=int, default=4_000_000, help="bytes per photo")
    ap.add_argument("--dir", type=Path, default=None, help="work directory (default: a temp dir, removed)")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.paths import DataPaths
    from app.store import Store
    from tests.inspection.district import OFFICER, seed_district
    from tests.inspection.latency import GapMeter, make_photos
    from ui.context import AppContext, ChangeBus
    from ui.inspection.area import InspectionArea
    from ui.inspection.form import TAB_EVIDENCE
    from ui.runner import TaskRunner
    from ui.settings import Settings

    app = QApplication([sys.argv[0]])
    work = args.dir or Path(tempfile.mkdtemp(prefix="lxt-bench-evidence-"))
    try:
        print(f"generating {args.count} photos of {args.size / 1e6:.1f} MB in {work} …", flush=True)
        files = make_photos(work / "card", args.count, args.size)
        total_mb = sum(f.stat().st_size for f in files) / 1024**2
        floors: dict[bool, list[float]] = {False: [], True: []}

        def measure_floors() -> None:
            for sync in (False, True):
                floors[sync].append(floor(files, work / "floor", fsync=sync))
                shutil.rmtree(work / "floor")

        measure_floors()

        store = Store.open(DataPaths(work / "data"))
        seed_district(store)
        ctx = AppContext(store=store, user=OFFICER, runner=TaskRunner(app), bus=ChangeBus(app),
                         settings=Settings.in_data_dir(store.paths.root))
        area = InspectionArea(ctx)
        area.resize(1240, 700)
        area.show()

        def spin(cond: Callable[[], bool], timeout: float = 60.0) -> None:
            end = time.monotonic() + timeout
            while not cond() and time.monotonic() < end:
                app.processEvents()
                time.sleep(0.005)

        spin(lambda: not any(h.running for h in list(ctx.runner._live)))
        area.start_from_plan("p1")
        spin(lambda: area.form.snapshot is not None)
        spin(lambda: not any(h.running for h in list(ctx.runner._live)))
        area.form.tabs.setCurrentIndex(TAB_EVIDENCE)
        meter = GapMeter(10)
        meter.start()
        t0 = time.perf_counter()
        importer = area.form.gallery.import_paths([work / "card"])
        assert importer is not None
        loop = QEventLoop()
        importer.finished.connect(loop.quit)
        loop.exec()
        t_import = time.perf_counter() - t0
        spin(lambda: not any(h.running for h in list(ctx.runner._live)))
        meter.stop()
        measure_floors()  # before and after the import: the best of each is the floor (disks are noisy)
        t_floor, t_floor_sync = min(floors[False]), min(floors[True])
        summary = importer.summary
        print(f"\nimported            {len(summary.imported)} files, {total_mb:.0f} MB, errors: {len(summary.errors)}")
        print(f"import              {t_import:6.1f} s  {total_mb / t_import:6.0f} MB/s")
        print(f"floor (hash+copy)   {t_floor:6.1f} s  {total_mb / t_floor:6.0f} MB/s   import/floor = "
              f"{t_import / t_floor:.2f}×")
        print(f"floor (+fsync)      {t_floor_sync:6.1f} s  {total_mb / t_floor_sync:6.0f} MB/s   import/floor = "
              f"{t_import / t_floor_sync:.2f}×")
        print(f"floor runs (s)      hash+copy {', '.join(f'{t:.1f}' for t in floors[False])}; "
              f"+fsync {', '.join(f'{t:.1f}' for t in floors[True])}")
        print(f"GUI event loop      longest stall {meter.max_blocked_ms:.0f} ms over {meter.ticks} ticks of 10 ms")
        ctx.runner.wait(30_000)
        store.close()
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

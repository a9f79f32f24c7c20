"""Fault test: a child imports a folder of 50 photos through the real `EvidenceImporter` and is killed with
SIGKILL at a random moment; then the store is opened again, as the restarted app would. After every kill:
0 acknowledged evidence rows lost (the child prints EVID only after the commit), 0 orphan blobs (no file at
a content address without a row), 0 `.incoming-*` temp files, every referenced blob present and intact.

20 trials in the default run (two chains in parallel); 100 under `-m slow`.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from app.evidence_hygiene import find_orphans
from app.evidence_store import verify_blobs
from app.inspections import InspectionService
from app.models import Evidence
from tests.inspection.district import OFFICER, seed_district
from tests.inspection.test_crash_safety import Zygote, _open

pytestmark = pytest.mark.usefixtures("file_keyring")  # children share the audit key

PHOTOS = 50


def _photos(folder: Path, rng: random.Random) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        f.unlink()
    for i in range(PHOTOS):
        (folder / f"IMG_{i:04d}.jpg").write_bytes(b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randint(20_000, 120_000)))


def _trial(zygote: Zygote, data: Path, iid: str, folder: Path, seed: int, rng: random.Random) -> tuple[int, bool]:
    fifo = folder.parent / f"out-{seed}.fifo"
    os.mkfifo(fifo)
    try:
        pid = zygote.spawn(fifo, ["folder", str(data), iid, str(folder)])
        with open(fifo, encoding="utf-8") as out:
            assert out.readline().strip() == "READY"
            time.sleep(rng.uniform(0.0, 1.2))
            with contextlib.suppress(ProcessLookupError):  # it may have finished first
                os.kill(pid, signal.SIGKILL)
            text = out.read()
    finally:
        fifo.unlink()
    acked = {line.split()[1] for line in text.splitlines() if line.startswith("EVID ")}
    finished = any(line.startswith("DONE") for line in text.splitlines())
    store = _open(data)  # start-up hygiene runs here
    try:
        assert not list(store.paths.evidence.glob(".incoming-*"))
        assert find_orphans(store) == []
        _checked, problems = verify_blobs(store)
        assert problems == [], problems
        with store.read() as s:
            present = set(s.scalars(select(Evidence.id).where(Evidence.id.in_(acked))))
        assert present == acked
    finally:
        store.close()
    return len(acked), finished


def _chain(root: Path, trials: int, seed: int) -> tuple[int, int]:
    data, folder = root / "data", root / "card"
    store = _open(data)
    seed_district(store)
    iid = InspectionService(store, OFFICER).start_from_plan("p1")
    store.close()
    rng = random.Random(seed)
    zygote = Zygote()
    acked = finished = 0
    try:
        for t in range(trials):
            _photos(folder, rng)
            n, done = _trial(zygote, data, iid, folder, seed * 1000 + t, rng)
            acked += n
            finished += done
    finally:
        zygote.close()
    return acked, finished


def _run(tmp_path: Path, trials: int) -> None:
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda i: _chain(tmp_path / f"c{i}", trials // 2, 31 + i), range(2)))
    acked = sum(r[0] for r in results)
    assert acked > 0  # the children did commit imports before being killed
    print(f"{trials} kills during 50-photo imports, {acked} acknowledged rows, "
          f"{sum(r[1] for r in results)} imports finished first: 0 lost, 0 orphans, 0 temp files")


def test_kill_during_folder_import_leaves_no_orphan(tmp_path: Path) -> None:
    _run(tmp_path, 20)


@pytest.mark.slow
def test_kill_during_folder_import_100_times(tmp_path: Path) -> None:
    _run(tmp_path, 100)

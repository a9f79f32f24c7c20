"""Fault test: a child process edits an inspection (autosave) and imports evidence in a loop and is killed with
SIGKILL at a random moment, again and again over the same data dir. After every kill, as the restarted app
would: every edit the child acknowledged (it prints the ack only after the commit) is in the store — or a later
edit of the same field is —, every acknowledged evidence row is there, no evidence row references a missing or
partial blob (`verify_blobs` clean), the audit chain verifies, and `sweep_incoming` leaves no temp file behind.

20 trials in the default run (two chains in parallel, about 30 s); 200 under `-m slow`.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit import verify_chain
from app.evidence_store import sweep_incoming, verify_blobs
from app.inspections import InspectionService
from app.models import Evidence, Finding, Inspection, OutboxEntry
from app.paths import DataPaths
from app.store import Store
from tests.inspection.district import OFFICER, seed_district

ROOT = Path(__file__).resolve().parents[2]
NUM = re.compile(r"-(\d+)$")
_OPEN = threading.Lock()  # Alembic's migration context is process-global: open one store at a time


pytestmark = pytest.mark.usefixtures("file_keyring")  # children share the audit key

def _open(data: Path) -> Store:
    with _OPEN:
        return Store.open(DataPaths(data))


@dataclass
class Acks:
    observations: int = -1
    notes: dict[str, int] = field(default_factory=dict)
    evidence: set[str] = field(default_factory=set)
    lines: int = 0


def _n(text: str) -> int:
    m = NUM.search(text or "")
    return int(m.group(1)) if m else -1


class Zygote:
    """A pre-imported parent that forks the children (see `crash_child`)."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.inspection.crash_child", "--zygote"], cwd=ROOT,
                                     env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ZYGOTE"

    def spawn(self, fifo: Path, args: list[str]) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"fifo": str(fifo), "args": args}) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(10)


def run_trial(zygote: Zygote, data: Path, iid: str, src: Path, first_n: int, seed: int,
              rng: random.Random) -> Acks:
    """Fork a child, let it work for a random while after it is ready, SIGKILL it, collect its acks."""
    fifo = src.parent / f"out-{seed}.fifo"
    os.mkfifo(fifo)
    try:
        pid = zygote.spawn(fifo, [str(data), iid, str(src), str(first_n), str(seed)])
        with open(fifo, encoding="utf-8") as out:
            ready = out.readline()
            assert ready.strip() == "READY", ready
            time.sleep(rng.uniform(0.05, 1.0))
            os.kill(pid, signal.SIGKILL)
            text = out.read()  # EOF once the killed child's end of the pipe is closed
    finally:
        fifo.unlink()
    acks = Acks()
    for line in text.splitlines():
        if line.startswith("ACK "):
            batch = json.loads(line[4:])
            if "observations" in batch["fields"]:
                acks.observations = max(acks.observations, _n(batch["fields"]["observations"]))
            for key, values in batch["answers"].items():
                if "note" in values:
                    acks.notes[key] = max(acks.notes.get(key, -1), _n(values["note"]))
            acks.lines += 1
        elif line.startswith("EVID "):
            acks.evidence.add(line.split()[1])
    return acks


def check_after_restart(data: Path, iid: str, acks: Acks) -> None:
    store = _open(data)
    try:
        leftover = list(store.paths.evidence.glob(".incoming-*"))
        assert sweep_incoming(store) == len(leftover)
        assert not list(store.paths.evidence.glob(".incoming-*"))
        checked, problems = verify_blobs(store)
        assert problems == [], problems
        with store.read() as s:
            insp = s.get(Inspection, iid)
            assert _n(insp.observations) >= acks.observations  # the acked edit, or a later one
            notes = {f.check_point: f.note for f in s.scalars(select(Finding).where(Finding.inspection_id == iid))}
            from app.inspections.checklist import item_key

            by_key = {item_key(cp): note for cp, note in notes.items()}
            for key, n in acks.notes.items():
                assert _n(by_key.get(key, "")) >= n, (key, n, by_key.get(key))
            present = set(s.scalars(select(Evidence.id).where(Evidence.id.in_(acks.evidence))))
            assert present == acks.evidence
            queued = set(s.scalars(select(OutboxEntry.entity_id).where(OutboxEntry.entity == "evidence")))
            assert acks.evidence <= queued  # each acknowledged row also committed its outbox row
            assert verify_chain(s).ok
        assert checked >= len(acks.evidence)
    finally:
        store.close()


def chain(root: Path, trials: int, seed: int) -> tuple[int, int, int]:
    """`trials` kills over one data dir; returns (trials, acknowledged batches, acknowledged evidence)."""
    data, src = root / "data", root / "src"
    src.mkdir(parents=True)
    store = _open(data)
    seed_district(store)
    iid = InspectionService(store, OFFICER).start_from_plan("p1")
    store.close()
    rng = random.Random(seed)
    total_lines = total_ev = 0
    zygote = Zygote()
    try:
        for trial in range(trials):
            acks = run_trial(zygote, data, iid, src, (trial + 1) * 1_000_000, seed * 1000 + trial, rng)
            check_after_restart(data, iid, acks)
            total_lines += acks.lines
            total_ev += len(acks.evidence)
            for f in src.iterdir():  # keep the source dir small
                f.unlink()
    finally:
        zygote.close()
    return trials, total_lines, total_ev


def _run(tmp_path: Path, trials: int) -> None:
    chains = 2
    with ThreadPoolExecutor(chains) as pool:
        results = list(pool.map(lambda i: chain(tmp_path / f"chain{i}", trials // chains, 7 + i), range(chains)))
    done = sum(r[0] for r in results)
    assert done == trials
    assert sum(r[1] for r in results) > trials  # the children did acknowledge work before being killed
    print(f"{done} kills, {sum(r[1] for r in results)} acknowledged saves, {sum(r[2] for r in results)} "
          "acknowledged evidence imports: nothing lost")


def test_kill_during_autosave_and_import_loses_nothing_acknowledged(tmp_path: Path) -> None:
    _run(tmp_path, 20)


@pytest.mark.slow
def test_kill_200_times(tmp_path: Path) -> None:
    _run(tmp_path, 200)

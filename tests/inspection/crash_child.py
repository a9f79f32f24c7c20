"""Child process of the crash-safety test: edits an inspection through the real `Autosaver` and imports evidence
through the real `EvidenceImporter`, as fast as it can, until it is killed.

It prints one line per acknowledgement, only from the slots that run after the commit:
    ACK {"fields": {...}, "answers": {...}}     a batch of edits is committed
    EVID <evidence id>                          an evidence row is committed (its blob was in place before)

    python -m tests.inspection.crash_child <data dir> <inspection id> <source dir> <first n> <seed>
    python -m tests.inspection.crash_child folder <data dir> <inspection id> <photo folder>
    python -m tests.inspection.crash_child --zygote

`folder`: one folder import (a camera card of photos) through the real `EvidenceImporter`, printing EVID as
each row commits and DONE at the end.

A zygote imports everything once and forks one child per request (a JSON line {"fifo", "args"} on stdin; it
answers the child's pid): each child is a real process with its own store connections and Qt event loop,
killed for real, but starts in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QTimer

from app.inspections import InspectionService
from app.inspections.view import RESULTS
from app.paths import DataPaths
from app.store import Store
from tests.inspection.district import OFFICER
from ui.context import AppContext, ChangeBus
from ui.evidence.importer import EvidenceImporter
from ui.inspection.autosave import Autosaver
from ui.runner import TaskRunner


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main_folder(argv: list[str]) -> int:
    data_dir, iid, folder = argv[0], argv[1], Path(argv[2])
    app = QCoreApplication([])
    store = Store.open(DataPaths(Path(data_dir)))
    ctx = AppContext(store=store, user=OFFICER, runner=TaskRunner(app), bus=ChangeBus(app))
    service = InspectionService(store, OFFICER)
    importer = EvidenceImporter(ctx, service, iid, parent=app)
    importer.imported.connect(lambda eid: say(f"EVID {eid}"))
    importer.finished.connect(lambda summary: (say(f"DONE {len(summary.imported)}"), app.quit()))
    say("READY")
    importer.start([folder])
    return app.exec()


def main(argv: list[str]) -> int:
    if argv[:1] == ["folder"]:
        return main_folder(argv[1:])
    data_dir, iid, src_dir, first_n, seed = argv[0], argv[1], Path(argv[2]), int(argv[3]), int(argv[4])
    app = QCoreApplication([])
    store = Store.open(DataPaths(Path(data_dir)))
    ctx = AppContext(store=store, user=OFFICER, runner=TaskRunner(app), bus=ChangeBus(app))
    service = InspectionService(store, OFFICER)
    saver = Autosaver(ctx, service, app, debounce_ms=15)
    saver.bind(iid)
    keys = [i.key for i in service.load(iid).items]
    rng = random.Random(seed)
    state = {"n": first_n, "k": 0}

    def tick() -> None:
        state["n"] += 1
        n = state["n"]
        saver.set_field("observations", f"edit-{n}")
        saver.set_answer(keys[n % len(keys)], result=RESULTS[n % 3], note=f"note-{n}")

    def acked(*_args: object) -> None:
        say("ACK " + json.dumps(saver.last_committed, ensure_ascii=False))

    def next_import(*_args: object) -> None:
        state["k"] += 1
        path = src_dir / f"{seed}-{state['k']}.jpg"
        path.write_bytes(rng.randbytes(rng.randint(100_000, 1_500_000)))
        importer = EvidenceImporter(ctx, service, iid, parent=app)
        importer.imported.connect(lambda eid: say(f"EVID {eid}"))
        importer.finished.connect(next_import)
        importer.start([path])

    saver.saved.connect(acked)
    timer = QTimer(app)
    timer.setInterval(4)
    timer.timeout.connect(tick)
    timer.start()
    next_import()
    say("READY")
    return app.exec()


def warm_up() -> None:
    """Exercise the ORM once on a throw-away store, so the children start with configured mappers and warm
    statement caches (no database connection is open when the zygote forks)."""
    import tempfile

    import keyring

    from tests.inspection.district import seed_district
    from tests.support.memkeyring import MemoryKeyring

    shared = keyring.get_keyring()  # the file keyring the children share with the test: not for a throw-away
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(DataPaths(Path(tmp)))
        seed_district(store)
        service = InspectionService(store, OFFICER)
        iid = service.start_from_plan("p1")
        service.save_fields(iid, observations="warm")
        for item in service.load(iid).items:
            service.answer(iid, item.key, "compliant", "warm")
        src = Path(tmp) / "w.jpg"
        src.write_bytes(b"warm-up")
        service.import_evidence(iid, src)
        store.close()
    keyring.set_keyring(shared)


def zygote() -> int:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    warm_up()
    say("ZYGOTE")
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                sys.stdin.close()
                fd = os.open(request["fifo"], os.O_WRONLY)
                os.dup2(fd, 1)
                sys.stdout = os.fdopen(1, "w", buffering=1)
                code = main(request["args"])
            finally:
                os._exit(1)
            os._exit(code)
        say(str(pid))
    return 0


if __name__ == "__main__":
    sys.exit(zygote() if sys.argv[1:] == ["--zygote"] else main(sys.argv[1:]))

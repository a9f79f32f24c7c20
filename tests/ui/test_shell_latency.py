"""While a sync pulls 10,000 new instructions, the GUI thread stays responsive: a 10 ms timer never sees a gap
longer than 100 ms, and the inbox shows the new tasks afterwards. An officer's note saved in the middle of that
pull is written between two pages (the Store's writer lock), never refused as "database is locked".

The platform runs in its own low-priority process here, as in the field it runs on the district's server and
not on the laptop: in-process, its request threads would compete with the GUI thread for the interpreter lock,
and at normal priority for the laptop's CPU, and the test would measure the harness rather than the app."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from app.foreground import FOREGROUND
from tests.ui.shell_support import bulk_create_tasks, synced_window, type_text

pytestmark = pytest.mark.ui

MAX_GAP_MS = 100
ROOT = Path(__file__).resolve().parents[2]


class PlatformProcess:
    def __init__(self, url: str, engine: Any, proc: subprocess.Popen[bytes]) -> None:
        self.url, self.engine, self.proc = url, engine, proc


@pytest.fixture
def platform_process(tmp_path: Path) -> Iterator[PlatformProcess]:
    from sync.server.settings import DB_FILE_NAME
    from sync.server.storage import make_engine

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path / "platform"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.server", "--data-dir", str(data), "--port", str(port), "--seed-demo"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.nice(15),  # the district's server is not on the laptop: leave it our CPU
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the platform process did not start") from None
                time.sleep(0.1)
        engine = make_engine(f"sqlite:///{(data / DB_FILE_NAME).as_posix()}")
        yield PlatformProcess(url, engine, proc)
        engine.dispose()
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.fixture
def open_window(qtbot: Any, platform_process: PlatformProcess, client_store: Any, runner: Any,
                tmp_path: Path) -> Callable[[str], tuple[Any, Any]]:
    """Signed in as the given account against the platform process, synced once, the inbox loaded."""
    return lambda username: synced_window(qtbot, client_store, platform_process.url, username, runner, tmp_path)


class GapMeter:
    """Records the longest interval between ticks of a 10 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.last = 0.0
        self.t0 = 0.0
        self.max_gap = 0.0
        self.ticks = 0
        self.long_gaps: list[tuple[int, int]] = []  # (ms after start, gap ms) of gaps over 40 ms

    def start(self) -> None:
        self.t0 = self.last = time.perf_counter()
        self.timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        if gap > 0.040:
            self.long_gaps.append((round((self.last - self.t0) * 1000), round(gap * 1000)))
        self.max_gap = max(self.max_gap, gap)
        self.last = now
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


def test_gui_thread_never_blocks_during_a_10000_task_sync(
    qtbot: Any, platform_process: PlatformProcess, open_window: Callable[[str], tuple[Any, Any]],
    request: pytest.FixtureRequest,
) -> None:
    platform = platform_process
    ctx, window = open_window("xindeng.leader")
    area = window.areas["tasks"]
    before = area.model.rowCount()

    bulk_create_tasks(platform.engine, "xindeng", 10_000)
    gc.collect()  # set-up garbage of the bulk insert above is not the app's: clear it before measuring
    gc.freeze()  # and what earlier tests left in this process is not the app's heap (the app freezes its own)
    request.addfinalizer(gc.unfreeze)
    meter = GapMeter()
    progress: list[tuple[str, int, int]] = []
    ctx.sync.progress.connect(lambda phase, done, total: progress.append((phase, done, total)))
    meter.start()
    started = time.perf_counter()
    with qtbot.waitSignal(ctx.sync.finished, timeout=120_000) as blocker:
        ctx.sync.sync_now()
    synced_s = time.perf_counter() - started
    qtbot.waitUntil(
        lambda: area.model.rowCount() == before + 10_000 and not area.model.loading, timeout=30_000
    )
    meter.stop()
    report = blocker.args[0]
    print(
        f"\nsync of 10,000 tasks: {synced_s:.1f} s, {meter.ticks} ticks, longest GUI gap "
        f"{meter.max_gap * 1000:.0f} ms; gaps over 40 ms (at ms, length ms): {meter.long_gaps}"
    )
    assert report.pulled >= 10_000
    assert any(phase == "pull" for phase, _, _ in progress)
    assert window.status.progress.isHidden()
    assert meter.max_gap * 1000 < MAX_GAP_MS, f"GUI thread blocked for {meter.max_gap * 1000:.0f} ms"


def test_a_note_saved_during_a_long_pull_is_written_between_pages(
    qtbot: Any, platform_process: PlatformProcess, client_store: Any, open_window: Callable[[str], tuple[Any, Any]],
    request: pytest.FixtureRequest,
) -> None:
    from app import models as m

    platform = platform_process
    ctx, window = open_window("xindeng.officer")
    area = window.areas["tasks"]
    with client_store.read() as s:
        task_id = s.scalars(m.Task.__table__.select().with_only_columns(m.Task.id)
                            .where(m.Task.status.not_in(("closed", "returned")))).first()
    panel = area.detail
    panel.show_task(task_id)
    qtbot.waitUntil(lambda: panel.notes.task_id == task_id and not panel.notes.edit.isReadOnly(), timeout=10_000)

    bulk_create_tasks(platform.engine, "xindeng", 10_000)
    gc.collect()
    gc.freeze()  # what earlier tests left in this process is not the app's heap (the app freezes its own)
    request.addfinalizer(gc.unfreeze)
    pages: list[int] = []
    ctx.sync.progress.connect(lambda phase, done, _total: phase == "pull" and pages.append(done))
    meter = GapMeter()
    meter.start()
    with qtbot.waitSignal(ctx.sync.finished, timeout=120_000) as synced:
        ctx.sync.sync_now()
        qtbot.waitUntil(lambda: bool(pages), timeout=60_000)  # the first page is applied, 19 more to come
        pulled_before = pages[-1]
        asked = time.perf_counter()
        type_text(panel.notes.edit, "拉取期间写的备注")
        with qtbot.waitSignal(panel.notes.saved, timeout=60_000):
            panel.notes.flush()
        save_ms = (time.perf_counter() - asked) * 1000
        pulled_at_save = pages[-1]
        still_syncing = ctx.sync.running
    meter.stop()
    report = synced.args[0]
    print(f"\nnote typed at {(asked - meter.t0) * 1000:.0f} ms, saved {save_ms:.0f} ms later, with the pull at {pulled_before}→{pulled_at_save} of "
          f"{report.pulled} changes; longest GUI gap {meter.max_gap * 1000:.0f} ms; gaps over 40 ms: {meter.long_gaps}")
    assert still_syncing and pulled_at_save < report.pulled  # written between pages, not after the pull
    assert "已保存" in panel.notes.status.text()
    assert report.ok, report.errors
    assert not any("locked" in e or "正忙" in e for e in report.errors)
    with client_store.read() as s:
        assert s.get(m.Task, task_id).notes == "拉取期间写的备注"
    assert report.pulled >= 10_000
    # The gap after the save was the inbox's repaint after its refresh. Every call from Qt into Python takes
    # the interpreter lock back from the sync worker, and the repaint made ~2,000 of them: 108–180 ms. One
    # `multiData` call per cell with the rows fetched by the store worker: 43–105 ms. The foreground gate
    # (app/foreground.py: the worker sleeps between records while the views refresh): 17–25 ms in five runs.
    print(f"sync gave way to the GUI for {FOREGROUND.yielded_s * 1000:.0f} ms in all")
    assert meter.max_gap * 1000 < MAX_GAP_MS, f"GUI thread blocked for {meter.max_gap * 1000:.0f} ms"

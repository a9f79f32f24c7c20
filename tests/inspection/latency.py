"""Shared by the latency test and `benchmarks/bench_evidence.py`: "JPEG-ish" photos (a real small JPEG with EXIF,
padded with random bytes after its end marker to the wanted size — readers stop at the marker, hashes differ)
and an event-loop gap meter (a 10 ms QTimer on the GUI thread; the gap is the longest wait between ticks)."""

from __future__ import annotations

import io
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject, QTimer


def small_jpeg(when: datetime, seed: int) -> bytes:
    rnd = random.Random(seed)
    img = Image.new("RGB", (640, 480), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    stamp = (when.astimezone(UTC) + timedelta(hours=8)).strftime("%Y:%m:%d %H:%M:%S")
    exif = Image.Exif()
    exif[0x0132] = stamp
    exif.get_ifd(0x8769)[0x9003] = stamp
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif, quality=80)
    return buf.getvalue()


def make_photos(folder: Path, count: int, size: int, *, seed: int = 1) -> list[Path]:
    """`count` distinct JPEG-ish files of about `size` bytes each, taken "now"."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    out = []
    for i in range(count):
        head = small_jpeg(now, seed * 100_000 + i)
        path = folder / f"IMG_{i:04d}.JPG"
        with path.open("wb") as fh:
            fh.write(head)
            left = max(0, size - len(head))
            while left:
                n = min(left, 4 * 1024 * 1024)
                fh.write(rng.randbytes(n))
                left -= n
        out.append(path)
    return out


class GapMeter(QObject):
    """Ticks every `interval_ms` on the GUI thread and records the longest gap between ticks."""

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.max_gap_ms = 0.0
        self.ticks = 0
        self._last = 0.0
        self.long_gaps: list[tuple[float, float]] = []  # (seconds since start, gap ms) of gaps over 40 ms
        self._start = 0.0

    def start(self) -> None:
        self._last = self._start = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self.max_gap_ms = max(self.max_gap_ms, gap)
        if gap > 40:
            self.long_gaps.append((round(now - self._start, 3), round(gap, 1)))
        self._last = now
        self.ticks += 1

    @property
    def max_blocked_ms(self) -> float:
        """How long the GUI thread was unable to run a due timer, at worst."""
        return max(0.0, self.max_gap_ms - self.interval_ms)

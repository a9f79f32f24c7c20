"""Shared helpers of the benchmark scripts: wall-clock timing (single and median of n) and a plain-text table
of figures with their ratio to a floor measured in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_time(fn: Callable[[], Any], repeat: int, *, warmup: int = 1) -> float:
    """Median seconds of `repeat` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def print_table(title: str, rows: Sequence[tuple[str, float, float | None, str]]) -> None:
    """Rows of (what, seconds, floor seconds or None, note); prints the ratio where there is a floor."""
    print(f"\n== {title} ==")
    width = max((len(r[0]) for r in rows), default=10) + 2
    print(f"{'measurement':<{width}}{'time':>12}{'floor':>12}{'ratio':>9}  note")
    for what, seconds, floor, note in rows:
        ratio = f"{seconds / floor:.1f}x" if floor else ""
        floor_txt = fmt_seconds(floor) if floor else ""
        print(f"{what:<{width}}{fmt_seconds(seconds):>12}{floor_txt:>12}{ratio:>9}  {note}")

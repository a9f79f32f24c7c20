#!/usr/bin/env python3
"""Encryption at rest: what it costs, encrypted vs plaintext in the same run on the same machine.

    .venv/bin/python benchmarks/bench_encryption.py [--tasks 10000] [--big-tasks 100000] [--photos 200]

Four measures, each run for the encrypted store (the product) and for a plaintext baseline, in alternating
order, best of `--runs`:

* initial pull of N tasks from the reference platform (child process on 127.0.0.1);
* Chinese search (`app.search.search_ids`, 2- and 4-character words) on a store with M tasks;
* cold start with M tasks (`Store.open` + close, the start-up path without Alembic);
* import of P photos (~1.5 MB JPEG-like files) through `app.evidence_store.import_file`.

The plaintext baseline is *not* a mode of the product: this script patches the store's opening and the blob
reader/writer for its own process only (`plaintext()` below). Prints figures and ratios (goal ≤ 1.25 each);
not a pass/fail test.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import keyring  # noqa: E402

from tests.support.memkeyring import MemoryKeyring  # noqa: E402

TODAY = date(2026, 11, 26)
WORDS = ("油烟", "占道", "扬尘", "执照", "油烟净化", "营业执照", "违法建设")


class _PlainWriter:
    def __init__(self, out: Any, _key: bytes) -> None:
        self._out = out

    def write(self, data: Any) -> int:
        return self._out.write(data)

    def close(self) -> None:
        pass


@contextlib.contextmanager
def plaintext() -> Iterator[None]:
    """The baseline: stores opened as plain SQLite, blobs written and read as plain files."""
    from app.crypto import keys, migrate
    from app.db import engine as db_engine

    real_prepare = migrate.prepare
    real_make_engine = db_engine.make_engine

    def prepare(paths: Any, passphrase: str | None = None) -> keys.StoreKeys:
        found = keys.StoreKeys("plaintext-baseline", b"\0" * 32)
        keys.register(paths, found)
        return found

    def make_engine(db_path: Any, *, key: bytes | None = None, echo: bool = False) -> Any:
        return real_make_engine(db_path, key=None, echo=echo)

    def check(paths: Any, key: bytes | None = None) -> None:
        from app.db.opening import check_before_open

        check_before_open(paths, None)

    with mock.patch.object(migrate, "prepare", prepare), \
            mock.patch("app.store.make_engine", make_engine), \
            mock.patch("app.store.check_before_open", check), \
            mock.patch("app.evidence_store.BlobWriter", _PlainWriter), \
            mock.patch("app.evidence_store.sealed_size", lambda n: n), \
            mock.patch("app.evidence_store.open_sealed", lambda p: Path(p).open("rb")):
        yield
    del real_prepare


def modes() -> list[tuple[str, Callable[[], contextlib.AbstractContextManager[None]]]]:
    return [("encrypted", contextlib.nullcontext), ("plaintext", plaintext)]


def best(fn: Callable[[], float], runs: int) -> float:
    return min(fn() for _ in range(runs))


# ---- the measures ----------------------------------------------------------------------------------------

def bench_pull(work: Path, tasks: int, runs: int) -> dict[str, float]:
    from bench_sync import Client, Platform
    from sync_floors import seed_tasks

    from sync.pull import pull

    srv = Platform(work / "platform", 16 * 1024 * 1024)
    out: dict[str, float] = {}
    try:
        seed_tasks(srv.engine, "xindeng", tasks, start=0)
        for r in range(runs):
            for name, ctx in modes():
                with ctx():
                    client = Client(work / f"pull-{name}-{r}", srv.url, "xindeng.leader")
                    start = time.perf_counter()
                    pull(client.store, client.auth, limit=2000)
                    t = time.perf_counter() - start
                    client.close()
                out[name] = min(out.get(name, t), t)
    finally:
        srv.stop()
    return out


def build_big(root: Path, tasks: int) -> None:
    from app.demo import build_dataset, seed_store
    from app.demo.scale import add_volume
    from app.paths import DataPaths
    from app.store import Store

    store = Store.open(DataPaths(root))
    try:
        seed_store(store, build_dataset(today=TODAY))
        add_volume(store, tasks=tasks, findings=0, today=TODAY)
    finally:
        store.close()


def bench_big(work: Path, tasks: int, runs: int) -> tuple[dict[str, float], dict[str, float]]:
    from app.paths import DataPaths
    from app.search import search_ids
    from app.store import Store

    cold: dict[str, float] = {}
    search: dict[str, float] = {}
    for name, ctx in modes():
        root = work / f"big-{name}"
        with ctx():
            start = time.perf_counter()
            build_big(root, tasks)
            print(f"  {name}: store with {tasks} tasks built in {time.perf_counter() - start:.0f} s", flush=True)
        from app.db.probe import has_plain_header

        assert has_plain_header(root / "lianxuntong.db") == (name == "plaintext"), name  # what is compared
    for _ in range(runs):
        for name, ctx in modes():
            root = work / f"big-{name}"
            with ctx():
                start = time.perf_counter()
                store = Store.open(DataPaths(root))
                store.close()
                t = time.perf_counter() - start
                cold[name] = min(cold.get(name, t), t)
                store = Store.open(DataPaths(root))
                try:
                    with store.read() as s:
                        start = time.perf_counter()
                        for word in WORDS:
                            search_ids(s, "task", word)
                        t = (time.perf_counter() - start) / len(WORDS)
                finally:
                    store.close()
                search[name] = min(search.get(name, t), t)
    return cold, search


def make_photos(folder: Path, count: int, size: int) -> list[Path]:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        buf = io.BytesIO()
        Image.new("RGB", (640, 480), (i % 255, 90, 30)).save(buf, "JPEG")
        data = buf.getvalue()
        path = folder / f"IMG_{i:04d}.jpg"
        path.write_bytes(data + os.urandom(max(0, size - len(data))))  # incompressible, like a photo
        files.append(path)
    return files


def bench_photos(work: Path, count: int, size: int, runs: int) -> dict[str, float]:
    from app.evidence_store import import_file
    from app.paths import DataPaths
    from app.store import Store

    files = make_photos(work / "photos", count, size)
    out: dict[str, float] = {}
    for r in range(runs):
        for name, ctx in modes():
            root = work / f"photos-{name}-{r}"
            with ctx():
                store = Store.open(DataPaths(root))
                try:
                    start = time.perf_counter()
                    for f in files:
                        import_file(store, f, actor="bench")
                    t = time.perf_counter() - start
                finally:
                    store.close()
            shutil.rmtree(root, ignore_errors=True)
            out[name] = min(out.get(name, t), t)
    return out


def report(rows: list[tuple[str, dict[str, float]]]) -> None:
    from bench_common import fmt_seconds

    print(f"\n{'measure':<44} {'encrypted':>11} {'plaintext':>11} {'ratio':>7}")
    for what, got in rows:
        ratio = got["encrypted"] / got["plaintext"]
        print(f"{what:<44} {fmt_seconds(got['encrypted']):>11} {fmt_seconds(got['plaintext']):>11} {ratio:>6.2f}×"
              f"  (goal ≤ 1.25)")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", type=int, default=10_000, help="tasks of the initial pull")
    p.add_argument("--big-tasks", type=int, default=100_000, help="tasks of the cold-start and search store")
    p.add_argument("--photos", type=int, default=200)
    p.add_argument("--photo-size", type=int, default=1_500_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    keyring.set_keyring(MemoryKeyring())
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="lxt-bench-crypt-") as tmp:
        work = Path(tmp)
        if args.tasks:
            print(f"[pull] {args.tasks} tasks", flush=True)
            rows.append((f"initial pull of {args.tasks} tasks", bench_pull(work, args.tasks, min(args.runs, 2))))
        if args.big_tasks:
            print(f"[big] {args.big_tasks} tasks", flush=True)
            cold, search = bench_big(work, args.big_tasks, args.runs)
            rows.append((f"Chinese search, {args.big_tasks} tasks (per query)", search))
            rows.append((f"cold start, {args.big_tasks} tasks (Store.open)", cold))
        if args.photos:
            print(f"[photos] {args.photos} × {args.photo_size / 1e6:.1f} MB", flush=True)
            rows.append((f"import of {args.photos} photos", bench_photos(work, args.photos, args.photo_size,
                                                                        min(args.runs, 2))))
    report(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

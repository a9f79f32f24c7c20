"""Load benchmark of the reference platform: N simulated laptops speaking the real protocol over localhost.

    .venv/bin/python benchmarks/bench_platform.py [--laptops 50,200,500] [--backends sqlite,postgresql]
        [--workers 1,4] [--ramp 20] [--steady 20] [--interval 1.0] [--upload-every 10]

Each run starts the platform as its own process (`python -m sync.server --workers W`, SQLite file or a fresh
database in a throwaway durable PostgreSQL cluster from scripts/pg-cluster.sh), seeded with the demo district
and one account per laptop. Every laptop signs in (starts spread over `--ramp` seconds: the morning burst),
pulls everything visible to it, then until the run ends repeats a cycle every `--interval` seconds: push a
batch (create an inspection + update its previous one), pull incrementally, and every `--upload-every` cycles
upload a small evidence file (create + one PATCH). A push that fails is retried with the same mutation ids.

Reported per run: cycles/s over the steady phase, p50/p95/p99 per endpoint (sign-in, initial pull, push,
pull, upload), errors by endpoint and status, and the exactly-once check: the centre's full pull holds every
pushed inspection exactly once, at the version its applied updates imply, and every mutation id was applied
once (retries answered duplicate). Bounded: each run stops after ramp + steady + a 60 s drain at most.
Localhost only. Not a test: it prints the figures (and the core count they were measured on).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from sync.server.security import hash_password, verify_password  # noqa: E402
from sync.server.seed import load_demo, seed_demo  # noqa: E402
from sync.server.settings import ServerSettings  # noqa: E402
from sync.server.storage import Base, User, init_db, make_engine, write_session  # noqa: E402

PASSWORD = "bench2026"
API = "/api/v1"
DRAIN = 60.0


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    cycles_steady: int = 0
    # exactly-once bookkeeping: finding id → updates applied; mutation id → applied count
    findings: dict[str, int] = field(default_factory=dict)
    applied: Counter[str] = field(default_factory=Counter)
    rejected: int = 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(url: str, laptops: int) -> list[tuple[str, str]]:
    """Demo district + one officer account per laptop (townships round-robin); returns (user, township)."""
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    init_db(engine)
    dataset, accounts = load_demo()
    seed_demo(engine, dataset, accounts)
    townships = [t["id"] for t in dataset["township"]]
    stored = hash_password(PASSWORD)  # one hash for every bench account (seeding 500 scrypt hashes is slow)
    users = [(f"bench.{n:03d}", townships[n % len(townships)]) for n in range(laptops)]
    with write_session(engine) as s:
        for name, township in users:
            s.add(User(username=name, name=name, role="officer", township_id=township, password_hash=stored))
    engine.dispose()
    return users


def _start(data: Path, url: str | None, workers: int, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "sync.server", "--data-dir", str(data), "--port", str(port)]
    cmd += ["--workers", str(workers), *(["--db-url", url] if url else [])]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{API}/health", timeout=2):
                # every worker imports and binds on its own: give them a moment after the first answer
                time.sleep(1.0 + 0.5 * workers)
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("platform did not start")


async def _timed(stats: Stats, what: str, send: Any) -> httpx.Response | None:
    """Time one request (`send()` makes it); a keep-alive connection the server closed just as it was reused
    is sent again once (as the laptops' transport does), and counted under "reconnects"."""
    start = time.perf_counter()
    try:
        try:
            resp = await send()
        except (httpx.ReadError, httpx.RemoteProtocolError):
            stats.errors["reconnects"] += 1
            resp = await send()
    except httpx.HTTPError as exc:
        stats.errors[f"{what} {type(exc).__name__}"] += 1
        return None
    stats.latencies[what].append(time.perf_counter() - start)
    if resp.status_code >= 400:
        stats.errors[f"{what} HTTP {resp.status_code}"] += 1
    return resp


async def _pull(http: httpx.AsyncClient, stats: Stats, what: str, headers: dict[str, str], cursor: int) -> int:
    while True:
        resp = await _timed(stats, what, lambda c=cursor: http.get(f"{API}/sync/changes", headers=headers,
                                                                  params={"cursor": c, "limit": 500}))
        if resp is None or resp.status_code != 200:
            return cursor
        page = resp.json()
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


async def _push(http: httpx.AsyncClient, stats: Stats, headers: dict[str, str], device: str,
                mutations: list[dict[str, Any]], deadline: float) -> list[dict[str, Any]] | None:
    while time.monotonic() < deadline:  # the same mutation ids until the platform answers
        resp = await _timed(stats, "push", lambda: http.post(f"{API}/sync/mutations", headers=headers,
                                                             json={"device_id": device, "mutations": mutations}))
        if resp is not None and resp.status_code == 200:
            return resp.json()["results"]
        await asyncio.sleep(1.0)
    return None


async def _upload(http: httpx.AsyncClient, stats: Stats, headers: dict[str, str]) -> None:
    data = os.urandom(4096)
    sha = hashlib.sha256(data).hexdigest()
    created = await _timed(stats, "upload", lambda: http.post(f"{API}/uploads", headers=headers,
                                                              json={"sha256": sha, "size": len(data)}))
    if created is None or created.status_code != 201:
        return
    checksum = "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()
    upload_id = created.json()["upload_id"]
    await _timed(stats, "upload", lambda: http.patch(
        f"{API}/uploads/{upload_id}", content=data,
        headers={**headers, "Upload-Offset": "0", "Upload-Checksum": checksum,
                 "Content-Type": "application/offset+octet-stream"}))


async def _laptop(n: int, user: str, township: str, http: httpx.AsyncClient, stats: Stats, args: argparse.Namespace,
                  t0: float) -> None:
    rng = random.Random(n)
    device = f"bench-laptop-{n:04d}"
    steady_from, steady_to = t0 + args.ramp, t0 + args.ramp + args.steady
    await asyncio.sleep(rng.random() * args.ramp)
    resp = await _timed(stats, "sign-in", lambda: http.post(f"{API}/auth/token", json={
        "username": user, "password": PASSWORD, "device_id": device}))
    if resp is None or resp.status_code != 200:
        return
    headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
    cursor = await _pull(http, stats, "initial pull", headers, 0)
    previous: str | None = None
    cycle = 0
    while time.monotonic() < steady_to:
        started = time.monotonic()
        fid = uuid.uuid4().hex
        batch = [{"mutation_id": uuid.uuid4().hex, "device_seq": 2 * cycle, "entity": "inspection", "entity_id": fid,
                  "op": "create", "base_version": 0,
                  "data": {"township_id": township, "status": "draft", "place": "bench", "officer_ids": [],
                           "observations": f"{n}-{cycle}"}}]
        if previous:
            batch.append({"mutation_id": uuid.uuid4().hex, "device_seq": 2 * cycle + 1, "entity": "inspection",
                          "entity_id": previous, "op": "update", "base_version": 1,
                          "data": {"fields": {"observations": f"{n}-{cycle}-done"},
                                   "base": {"observations": f"{n}-{cycle - 1}"}}})
        results = await _push(http, stats, headers, device, batch, steady_to + DRAIN)
        if results is None:
            return
        for m, r in zip(batch, results, strict=True):
            if r["status"] == "applied":
                stats.applied[m["mutation_id"]] += 1
                if m["op"] == "create":
                    stats.findings[fid] = 0
                else:
                    stats.findings[m["entity_id"]] += 1
            elif r["status"] != "duplicate":
                stats.rejected += 1
        previous = fid
        cursor = await _pull(http, stats, "pull", headers, cursor)
        cycle += 1
        if args.upload_every and cycle % args.upload_every == 0:
            await _upload(http, stats, headers)
        if steady_from <= time.monotonic() <= steady_to:
            stats.cycles_steady += 1
        await asyncio.sleep(max(0.0, args.interval * (0.8 + 0.4 * rng.random()) - (time.monotonic() - started)))


async def _check(base: str, stats: Stats) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        resp = await http.post(f"{API}/auth/token", json={"username": "centre.admin", "password": "demo2026",
                                                           "device_id": "bench-centre-01"})
        headers = {"Authorization": f"Bearer {resp.json()['access_token']}"}
        seen: Counter[str] = Counter()
        versions: dict[str, int] = {}
        cursor = 0
        while True:
            page = (await http.get(f"{API}/sync/changes", headers=headers,
                                   params={"cursor": cursor, "limit": 2000})).json()
            for c in page["changes"]:
                if c["entity"] == "inspection":
                    seen[c["id"]] += 1
                    versions[c["id"]] = c["version"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
    missing = [f for f in stats.findings if seen[f] != 1]
    wrong = [f for f, ups in stats.findings.items() if versions.get(f) != 1 + ups]
    twice = [m for m, k in stats.applied.items() if k != 1]
    extra = set(seen) - set(stats.findings)
    ok = not (missing or wrong or twice or extra or stats.rejected)
    return (f"{'OK' if ok else 'FAILED'} ({len(stats.findings)} findings, {sum(stats.findings.values())} updates;"
            f" missing/duplicated {len(missing)}, wrong version {len(wrong)}, applied twice {len(twice)},"
            f" unknown {len(extra)}, rejected {stats.rejected})")


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


async def _load(base: str, users: list[tuple[str, str]], args: argparse.Namespace) -> Stats:
    stats = Stats()
    limits = httpx.Limits(max_connections=len(users) + 10, max_keepalive_connections=len(users) + 10)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:
        t0 = time.monotonic()
        tasks = [_laptop(n, u, t, http, stats, args, t0) for n, (u, t) in enumerate(users)]
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.ramp + args.steady + 2 * DRAIN)
    return stats


def _scrypt_floor() -> float:
    """Median seconds of one password verification right now: the floor of a sign-in on this machine (the
    figures of a shared machine move with it)."""
    stored = hash_password(PASSWORD)
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        verify_password(PASSWORD, stored)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(backend: str, laptops: int, workers: int, pg_url: str | None, args: argparse.Namespace) -> None:
    floor = _scrypt_floor()
    with tempfile.TemporaryDirectory(prefix="lxt-bench-") as tmp:
        data = Path(tmp) / "platform"
        settings = ServerSettings(data_dir=data, db_url=pg_url if backend == "postgresql" else None)
        settings.ensure_dirs()
        users = _seed(settings.database_url, laptops)
        port = _free_port()
        proc = _start(data, settings.db_url, workers, port)
        try:
            stats = asyncio.run(_load(f"http://127.0.0.1:{port}", users, args))
            check = asyncio.run(_check(f"http://127.0.0.1:{port}", stats))
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
    print(f"\n== {backend}, {workers} worker(s), {laptops} laptops: {stats.cycles_steady / args.steady:.1f} cycles/s"
          f" (steady {args.steady:.0f} s, interval {args.interval} s) ==")
    print(f"floor: one scrypt verification {floor * 1000:.0f} ms before the run; load average"
          f" {os.getloadavg()[0]:.1f} after it")
    print(f"{'endpoint':<14}{'n':>7}{'p50':>10}{'p95':>10}{'p99':>10}")
    for what in ("sign-in", "initial pull", "push", "pull", "upload"):
        values = stats.latencies.get(what) or []
        if values:
            print(f"{what:<14}{len(values):>7}" + "".join(f"{_pct(values, q) * 1000:>8.0f}ms" for q in (50, 95, 99)))
    print(f"errors: {dict(stats.errors) or 0}")
    print(f"exactly once: {check}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laptops", default="50,200,500")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", default="1,4")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which the laptops sign in")
    parser.add_argument("--steady", type=float, default=20.0, help="seconds of cycles measured after the ramp")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between a laptop's cycles")
    parser.add_argument("--upload-every", type=int, default=10)
    args = parser.parse_args()
    print(f"bench_platform on {os.cpu_count()} cores")
    backends = args.backends.split(",")
    pg_dir = Path(tempfile.mkdtemp(prefix="lxt-bench-pg-"))
    pg_url = None
    try:
        if "postgresql" in backends:
            env = {**os.environ, "PG_DURABLE": "1"}  # fsync on: the figures of a real server
            out = subprocess.run(["bash", str(ROOT / "scripts/pg-cluster.sh"), "start", str(pg_dir)], env=env,
                                 check=True, capture_output=True, text=True)
            pg_url = out.stdout.strip().splitlines()[-1]
        for backend in backends:
            for workers in (int(w) for w in args.workers.split(",")):
                for laptops in (int(n) for n in args.laptops.split(",")):
                    run(backend, laptops, workers, pg_url, args)
    finally:
        if pg_url:
            subprocess.run(["bash", str(ROOT / "scripts/pg-cluster.sh"), "stop", str(pg_dir)], check=False)
        subprocess.run(["rm", "-rf", str(pg_dir)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

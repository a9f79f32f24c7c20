"""Floors for the sync benchmark that share no code with the endpoints under test.

* `capture_pages`: the platform's feed pages as the bytes it sent (gzip as on the wire), fetched once;
* `StaticPages`: those bytes served again as static pages by a bare FastAPI app on uvicorn in a child process
  — the same HTTP stack as the platform, none of its feed code;
* `floor_pull`: GET every static page with `requests`, decode the JSON with the fastest decoder the client also
  has, and `executemany` the records' fields into bare SQLite tables (one per entity, no indexes but the
  primary key) in WAL mode, one commit per page — without the WAL fsync while more pages follow and durable at
  the last page, as the pull commits (`sync.pull`).

`seed_tasks` fills the platform with tasks through `sync.server.records` (the platform's only write path for
records) in large transactions, so that 300k tasks take minutes, not hours, to set up.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import requests

try:
    import orjson

    loads: Any = orjson.loads
except ImportError:  # pragma: no cover - orjson is a dependency
    loads = json.loads

ROOT = Path(__file__).resolve().parents[1]

STATIC_LAUNCHER = """
import sys
from pathlib import Path
import uvicorn
from fastapi import FastAPI, Response

pages = [p.read_bytes() for p in sorted(Path(sys.argv[1]).glob("*.page"), key=lambda p: int(p.stem))]
gz = sys.argv[2] == "gzip"
app = FastAPI()

@app.get("/p/{n}")
def page(n: int) -> Response:
    headers = {"Content-Encoding": "gzip"} if gz else {}
    return Response(content=pages[n], media_type="application/json", headers=headers)

config = uvicorn.Config(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
uvicorn.Server(config).run()
"""


def seed_tasks(engine: Any, township: str, count: int, start: int = 0) -> None:
    """`count` pending tasks for `township` in the shape `admin.create_task` writes, 5000 per transaction."""
    from sync.server import records as rec
    from sync.server.storage import write_session

    text = "沿街商铺油烟、占道、乱堆放情况巡查，请按期反馈。" * 2
    for first in range(start, start + count, 5000):
        with write_session(engine) as session:
            now = rec.now_iso()
            for i in range(first, min(first + 5000, start + count)):
                task_id = uuid.uuid4().hex
                rec.create_record(session, "task", task_id, {
                    "number": f"FYZH-2026-B{i:06d}", "title": f"专项巡查任务第{i}号", "description": text,
                    "task_type": "核查", "source": "指挥中心", "priority": 3, "deadline": None,
                    "status": "pending", "township_id": township, "grid_id": None, "target_id": None,
                    "dispatched_at": now, "notes": "", "feedback": "", "created_at": now, "updated_at": now,
                    "assignee_ids": [], "matter_codes": [], "events": [],
                }, township_id=township)


def seeded_tasks(engine: Any) -> int:
    """How many `seed_tasks` tasks the platform already holds (a platform kept between runs)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM records WHERE entity = 'task' AND json_extract(data, '$.number') LIKE 'FYZH-2026-B%'"
        )).scalar_one())


def capture_pages(url: str, headers: dict[str, str], page: int, out: Path) -> tuple[int, int, bool]:
    """Save every feed page's wire bytes under `out` (0.page, 1.page …); returns (pages, changes, gzipped)."""
    out.mkdir(parents=True, exist_ok=True)
    session = requests.Session()
    cursor, n, changes, gz = 0, 0, 0, False
    while True:
        resp = session.get(f"{url}/api/v1/sync/changes", params={"cursor": cursor, "limit": page},
                           headers={**headers, "Accept-Encoding": "gzip"}, timeout=600, stream=True)
        raw = resp.raw.read(decode_content=False)
        gz = resp.headers.get("Content-Encoding") == "gzip"
        (out / f"{n}.page").write_bytes(raw)
        body = json.loads(resp.content if not gz else __import__("gzip").decompress(raw))
        changes += len(body["changes"])
        n += 1
        cursor = body["next_cursor"]
        if not body["has_more"]:
            session.close()
            return n, changes, gz


class StaticPages:
    """The captured pages served by a bare FastAPI + uvicorn in a child process."""

    def __init__(self, pages_dir: Path, gzipped: bool) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([sys.executable, "-c", STATIC_LAUNCHER, str(pages_dir),
                                      "gzip" if gzipped else "plain", str(port)], cwd=ROOT)
        for _ in range(200):
            try:
                requests.get(f"{self.url}/p/0", timeout=5)
                return
            except requests.ConnectionError:
                import time

                time.sleep(0.05)
        raise RuntimeError("static page server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def floor_pull(static: StaticPages, pages: int, db_path: Path) -> int:
    """GET + decode + executemany into bare per-entity tables, one commit per page; returns the changes."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    tables: dict[str, list[str]] = {}
    session = requests.Session()
    n = 0
    for i in range(pages):
        body = loads(session.get(f"{static.url}/p/{i}", timeout=600).content)
        by_entity: dict[str, list[dict[str, Any]]] = {}
        for c in body["changes"]:
            if c["op"] == "upsert":
                by_entity.setdefault(c["entity"], []).append({**c["data"], "version": c["version"]})
        # as the pull commits: without the WAL fsync while more pages follow, durable at the last page
        db.execute(f"PRAGMA synchronous={'FULL' if i == pages - 1 else 'NORMAL'}")
        db.execute("BEGIN IMMEDIATE")
        for entity, rows in by_entity.items():
            cols = tables.get(entity)
            if cols is None:
                cols = tables[entity] = sorted(rows[0])
                db.execute(f"CREATE TABLE IF NOT EXISTS bare_{entity} ({', '.join(cols)}, PRIMARY KEY (id))")
            db.executemany(
                f"INSERT OR REPLACE INTO bare_{entity} VALUES ({', '.join('?' * len(cols))})",
                [tuple(_cell(r.get(c)) for c in cols) for r in rows],
            )
        db.execute("COMMIT")
        n += len(body["changes"])
    session.close()
    db.close()
    return n


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value

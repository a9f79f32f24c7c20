"""Feed page generation on the platform's database: the former single `IN` query vs one range per scope.

    .venv/bin/python benchmarks/bench_feed.py [--sizes 10000,100000,300000] [--pg-url postgresql+psycopg://…]

Fills a fresh platform database (SQLite file, or the PostgreSQL database at --pg-url, which it wipes) with N
township changes plus a global tenth, then walks the whole feed of one team in pages of 2000 twice: with the
former `township_key IN ('', t) ORDER BY seq LIMIT` query and with `sync.server.feed.page_rows` (+ encoding).
Prints the total time of each walk, the time per page at the end of the feed, and both query plans.
Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, and_, insert, select, text  # noqa: E402

from sync.server.feed import encode_page, page_rows, scope_query  # noqa: E402
from sync.server.storage import (  # noqa: E402
    Base,
    ChangeRow,
    Record,
    make_engine,
    read_session,
    visible_head,
)

PAGE = 2000
TOWNSHIPS = ("twn-xindeng", "twn-yinhu")


def fill(engine: Engine, n: int) -> None:
    """n township tasks (alternating two townships) and n/10 global records, in commit order."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    body = {"title": "专项巡查任务", "description": "沿街商铺油烟、占道、乱堆放情况巡查，请按期反馈。" * 2}
    recs: list[dict[str, Any]] = []
    chg: list[dict[str, Any]] = []
    for i in range(n + n // 10):
        glob = i % 11 == 10
        twp = None if glob else TOWNSHIPS[i % 2]
        entity, rid = ("matter", f"m{i}") if glob else ("task", f"t{i}")
        recs.append({"entity": entity, "id": rid, "township_id": twp, "version": 1,
                     "data": {**body, "id": rid, "township_id": twp}, "deleted": False})
        chg.append({"seq": i + 1, "entity": entity, "entity_id": rid, "township_id": twp,
                    "township_key": twp or "", "op": "upsert", "version": 1})
    with engine.begin() as conn:
        for start in range(0, len(recs), 20_000):
            conn.execute(insert(Record), recs[start:start + 20_000])
            conn.execute(insert(ChangeRow), chg[start:start + 20_000])
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    # SQLite: no ANALYZE, as on the platform (which never runs one)


def old_query(cursor: int, limit: int, township: str) -> Any:
    return (
        select(ChangeRow.seq, ChangeRow.entity, ChangeRow.entity_id, ChangeRow.op, ChangeRow.version, Record.data)
        .join(Record, and_(Record.entity == ChangeRow.entity, Record.id == ChangeRow.entity_id))
        .where(ChangeRow.seq > cursor, ChangeRow.township_key.in_(["", township]))
        .order_by(ChangeRow.seq)
        .limit(limit)
    )


def walk_old(engine: Engine, township: str) -> tuple[float, float, int]:
    cursor, n, last = 0, 0, 0.0
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        with read_session(engine) as s:
            rows = s.execute(old_query(cursor, PAGE + 1, township)).all()
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        json.dumps({"changes": [{"entity": e, "id": i, "version": v, "op": o, "data": d}
                                for _q, e, i, o, v, d in rows]}, ensure_ascii=False)
        last = time.perf_counter() - t0
        n += len(rows)
        if not more:
            return time.perf_counter() - start, last, n
        cursor = rows[-1][0]


def walk_new(engine: Engine, township: str) -> tuple[float, float, int]:
    cursor, n, last = 0, 0, 0.0
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        with read_session(engine) as s:
            rows, more = page_rows(s, ("", township), cursor, PAGE)
        encode_page(rows, cursor, more, rows[-1][0] if rows else cursor)
        last = time.perf_counter() - t0
        n += len(rows)
        if not more:
            return time.perf_counter() - start, last, n
        cursor = rows[-1][0]


def plans(engine: Engine, township: str) -> None:
    pg = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (COSTS OFF)" if pg else "EXPLAIN QUERY PLAN"
    with read_session(engine) as s:
        head = visible_head(s)
        mid = head // 2  # a cursor half-way through the feed
        for name, q in (("former IN query", old_query(mid, PAGE + 1, township)),
                        ("one scope range (x2, merged)", scope_query(township, mid, head, PAGE + 1))):
            sql = str(q.compile(engine, compile_kwargs={"literal_binds": True}))
            rows = s.execute(text(f"{prefix} {sql}")).all()
            print(f"  plan at cursor {mid}, {name}:")
            for r in rows:
                print("    " + (r[0] if pg else r[3]))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,300000")
    p.add_argument("--pg-url", default=None)
    p.add_argument("--no-old", action="store_true", help="skip the former query (slow at 300k)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="lxt-feed-") as tmp:
        engine = make_engine(args.pg_url) if args.pg_url else make_engine(f"sqlite:///{tmp}/platform.db")
        print(f"backend {engine.dialect.name}, pages of {PAGE}")
        for n in (int(x) for x in args.sizes.split(",")):
            fill(engine, n)
            new = walk_new(engine, TOWNSHIPS[0])
            print(f"\n[{n} township changes] one team's feed: {new[2]} changes")
            print(f"  range per scope: walk {new[0]:7.2f} s, last page {new[1] * 1000:7.1f} ms")
            if not args.no_old:
                old = walk_old(engine, TOWNSHIPS[0])
                assert old[2] == new[2]
                print(f"  former IN query: walk {old[0]:7.2f} s, last page {old[1] * 1000:7.1f} ms")
            plans(engine, TOWNSHIPS[0])
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

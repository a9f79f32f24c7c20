"""Chinese full-text search over tasks, targets and findings.

SQLite's FTS5 `trigram` tokenizer cannot match a query shorter than three characters, yet the words officers
search for are mostly two (油烟, 违建, 占道). So, like Lucene's CJK analyzer, text is indexed as overlapping
character bigrams (plus single characters for one-character queries) in an ordinary `unicode61` FTS5 table;
a query becomes the phrase of its own bigrams, which matches exactly the rows containing that substring.
Latin letters and digits are kept as whole lower-cased words (plus their prefixes via FTS5 prefix queries).

Rows written through an ORM session are indexed in the same transaction (`install_index_hooks`). The bulk
inserts of a large pull only `enqueue` their ids into `search_queue` (cheap, in the page's own transaction);
`drain` indexes the queue afterwards in transactions of its own, and `indexing_pending` tells a search that
its results may still be incomplete. The queue is a table, so a crash in between loses nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.dbcommon import dbapi
from app.foreground import FOREGROUND

if TYPE_CHECKING:
    from app.store import Store

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")

INDEXED_KINDS = ("task", "target", "finding")


def tokens(value: str) -> list[str]:
    """Index tokens: CJK runs → single chars and bigrams; alphanumeric runs → lower-cased words."""
    out: list[str] = []
    for run in _RUN.findall(value or ""):
        if _IS_CJK.match(run):
            out.extend(run)
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return out


def index_text(*parts: str | None) -> str:
    return " ".join(tokens(" ".join(p for p in parts if p)))


def match_expression(query: str) -> str | None:
    """FTS5 MATCH expression for a user query; every whitespace-separated term must match (AND)."""
    terms: list[str] = []
    for run in _RUN.findall(query or ""):
        if _IS_CJK.match(run):
            grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
            terms.append('"' + " ".join(grams) + '"')
        else:
            terms.append(f'"{run.lower()}"*')
    return " AND ".join(terms) if terms else None


FTS_TABLES = {kind: f"search_fts_{kind}" for kind in INDEXED_KINDS}
CREATE_SQL = (
    "CREATE TABLE IF NOT EXISTS search_docs (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
    "ref_id TEXT NOT NULL, UNIQUE (kind, ref_id))",
    *(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(body, tokenize='unicode61 remove_diacritics 0')"
        for table in FTS_TABLES.values()
    ),
)
DROP_SQL = (*(f"DROP TABLE IF EXISTS {t}" for t in FTS_TABLES.values()), "DROP TABLE IF EXISTS search_docs")
QUEUE_SQL = (
    "CREATE TABLE IF NOT EXISTS search_queue (kind TEXT NOT NULL, ref_id TEXT NOT NULL, "
    "PRIMARY KEY (kind, ref_id)) WITHOUT ROWID"
)
DRAIN_BATCH = 1000  # records per transaction: short write locks, small allocations (GUI stall budget)


def fts_table(kind: str) -> str:
    """One FTS table per kind, so a task search never wades through a million findings."""
    try:
        return FTS_TABLES[kind]
    except KeyError:
        raise ValueError(f"not an indexed kind: {kind}") from None


def row_text(kind: str, obj: Any) -> str:
    if kind == "task":
        return index_text(obj.number, obj.title, obj.description, obj.notes, obj.feedback)
    if kind == "target":
        return index_text(obj.name, obj.credit_code, obj.address, obj.industry, obj.legal_rep)
    return index_text(obj.check_point, obj.note)


def upsert(session: Session, kind: str, ref_id: str, body: str) -> None:
    table = fts_table(kind)
    rowid = session.execute(
        text("SELECT rowid FROM search_docs WHERE kind=:k AND ref_id=:r"), {"k": kind, "r": ref_id}
    ).scalar()
    if rowid is None:
        rowid = session.execute(
            text("INSERT INTO search_docs(kind, ref_id) VALUES (:k, :r) RETURNING rowid"), {"k": kind, "r": ref_id}
        ).scalar_one()
    else:
        session.execute(text(f"DELETE FROM {table} WHERE rowid=:i"), {"i": rowid})
    session.execute(text(f"INSERT INTO {table}(rowid, body) VALUES (:i, :b)"), {"i": rowid, "b": body})


def remove(session: Session, kind: str, ref_id: str) -> None:
    rowid = session.execute(
        text("SELECT rowid FROM search_docs WHERE kind=:k AND ref_id=:r"), {"k": kind, "r": ref_id}
    ).scalar()
    if rowid is not None:
        session.execute(text(f"DELETE FROM {fts_table(kind)} WHERE rowid=:i"), {"i": rowid})
        session.execute(text("DELETE FROM search_docs WHERE rowid=:i"), {"i": rowid})


def bulk_index(session: Session, rows: Iterable[tuple[str, str, str]]) -> None:
    """Insert pre-built (kind, ref_id, body) rows for records not indexed yet (seeding, rebuilds, pulls)."""
    conn = dbapi(session)
    cur = conn.cursor()
    try:
        bulk_index_cursor(cur, list(rows))
    finally:
        cur.close()


def bulk_index_cursor(cur: Any, rows: Sequence[tuple[str, str, str]]) -> None:
    """The same on a raw DB-API cursor (for bulk generators that bypass the ORM)."""
    if not rows:
        return
    first = cur.execute("SELECT coalesce(max(rowid), 0) + 1 FROM search_docs").fetchone()[0]
    cur.executemany(
        "INSERT INTO search_docs(rowid, kind, ref_id) VALUES (?, ?, ?)",
        ((first + i, kind, ref) for i, (kind, ref, _b) in enumerate(rows)),
    )
    for kind in INDEXED_KINDS:
        cur.executemany(
            f"INSERT INTO {FTS_TABLES[kind]}(rowid, body) VALUES (?, ?)",
            ((first + i, body) for i, (k, _r, body) in enumerate(rows) if k == kind),
        )


def enqueue(session: Session, rows: Sequence[tuple[str, str]]) -> None:
    """Queue (kind, ref_id) rows for `drain` (a row queued twice is indexed once)."""
    if not rows:
        return
    conn = dbapi(session)
    conn.executemany("INSERT OR IGNORE INTO search_queue(kind, ref_id) VALUES (?, ?)", rows)


def indexing_pending(session: Session) -> int:
    """How many queued records are not searchable yet (0 = the index is complete)."""
    return int(session.execute(text("SELECT count(*) FROM search_queue")).scalar_one())


def _text_columns(kind: str) -> tuple[Any, list[Any]]:
    from app.models import Finding, Target, Task

    if kind == "task":
        return Task, [Task.id, Task.number, Task.title, Task.description, Task.notes, Task.feedback]
    if kind == "target":
        return Target, [Target.id, Target.name, Target.credit_code, Target.address, Target.industry,
                        Target.legal_rep]
    return Finding, [Finding.id, Finding.check_point, Finding.note]


def drain_batch(session: Session, limit: int = DRAIN_BATCH) -> int:
    """Index up to `limit` queued records inside the caller's transaction; returns how many left the queue."""
    from sqlalchemy import select

    queued = session.execute(
        text("SELECT kind, ref_id FROM search_queue LIMIT :n"), {"n": int(limit)}
    ).all()
    by_kind: dict[str, list[str]] = {}
    for kind, ref_id in queued:
        by_kind.setdefault(kind, []).append(ref_id)
    fresh: list[tuple[str, str, str]] = []
    for kind, ids in by_kind.items():
        model, cols = _text_columns(kind)
        rows = {r.id: r for r in session.execute(select(*cols).where(model.id.in_(ids)))}
        old = session.execute(
            text("SELECT rowid FROM search_docs WHERE kind = :k AND ref_id IN (SELECT value FROM json_each(:ids))"),
            {"k": kind, "ids": json.dumps(ids)},
        ).scalars().all()
        if old:
            marks = json.dumps(list(old))
            session.execute(text(f"DELETE FROM {fts_table(kind)} WHERE rowid IN (SELECT value FROM json_each(:r))"),
                            {"r": marks})
            session.execute(text("DELETE FROM search_docs WHERE rowid IN (SELECT value FROM json_each(:r))"),
                            {"r": marks})
        for ref_id in ids:
            FOREGROUND.give_way()  # a long index build gives way to the GUI's refresh (app.foreground)
            if ref_id in rows:
                fresh.append((kind, ref_id, row_text(kind, rows[ref_id])))
    bulk_index(session, fresh)
    conn = dbapi(session)
    conn.executemany("DELETE FROM search_queue WHERE kind = ? AND ref_id = ?", queued)
    return len(queued)


def drain(store: Store, *, check: Callable[[], None] | None = None,
          progress: Callable[[int, int], None] | None = None) -> int:
    """Index the whole queue, `DRAIN_BATCH` records per write transaction (so other writers get their turn);
    `check` may raise between batches to stop (the rest stays queued). Returns how many were indexed."""
    done = 0
    with store.read() as session:
        total = indexing_pending(session)
    while total:
        if check is not None:
            check()
        with store.write() as session:
            n = drain_batch(session)
        if not n:
            break
        done += n
        if progress is not None:
            progress(done, max(total, done))
    return done


def search_ids(session: Session, kind: str, query: str, limit: int | None = None, *, ranked: bool = False) -> list[str]:
    """Ids of `kind` rows matching `query`: newest-indexed first, or best first (bm25) when `ranked`.

    Unranked results stream straight from the index in rowid order, so a LIMIT stops early; ranking scores
    every match first and is meant for short lists (a target picker), not the 100,000-task inbox.
    """
    expr = match_expression(query)
    if expr is None:
        return []
    table = fts_table(kind)
    order = "f.rank" if ranked else "f.rowid DESC"
    sql = (
        f"SELECT d.ref_id FROM {table} f JOIN search_docs d ON d.rowid = f.rowid "
        f"WHERE {table} MATCH :q ORDER BY {order}"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [r[0] for r in session.execute(text(sql), {"q": expr})]


def install_index_hooks(store: Store) -> None:
    """Keep the index current for every task, target and finding written through an ORM session."""
    from app.models import Finding, Target, Task
    from app.store import listen_flush

    kinds: Sequence[tuple[type[Task | Target | Finding], str]] = (
        (Task, "task"), (Target, "target"), (Finding, "finding"))

    def after_flush(session: Session, _ctx: Any) -> None:
        for obj in list(session.new) + list(session.dirty):
            for model, kind in kinds:
                if isinstance(obj, model):
                    upsert(session, kind, obj.id, row_text(kind, obj))
        for obj in session.deleted:
            for model, kind in kinds:
                if isinstance(obj, model):
                    remove(session, kind, obj.id)

    listen_flush(store, after_flush)

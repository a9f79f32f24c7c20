"""The change feed's sequence: numbering at commit (write side) and the "visible up to" watermark (read side).

Writers run concurrently; only the numbering is serialised. A write transaction inserts its change rows with
`seq` NULL while it works (in parallel with other townships' writers: different record rows, different row
locks). Just before COMMIT, `publish_changes` takes the row lock of the single `feed_counter` row
(`UPDATE … SET value = value + n RETURNING`), gives the transaction's rows the next n numbers and commits
while still holding that lock. The next writer's UPDATE of the counter waits until that COMMIT has finished,
and PostgreSQL makes a transaction visible before it releases its locks; so whenever sequence s is visible,
every s' < s that will ever exist is already visible too. A reader therefore never skips a change that
commits later under a lower sequence number, and `visible_head` — the counter's committed value — is a safe
upper bound for a page (`seq <= visible_head`). A transaction that rolls back also rolls back its counter
increment: no gaps are left for a reader to wait on.

The serialised step is one counter UPDATE, one bulk UPDATE of the transaction's own change rows and the
COMMIT; transactions that publish no change (sign-in, upload offsets, rate limits) never take it. On SQLite
writers are serialised anyway (BEGIN IMMEDIATE behind `sqlite_gate`), and the same code numbers the rows.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.server.storage import ChangeRow, FeedCounter, max_seq

PENDING_KEY = "lxt_changes_pending"  # session.info flag set by records._write_change


def mark_pending(session: Session) -> None:
    """Note that this transaction wrote change rows that `publish_changes` must number."""
    session.info[PENDING_KEY] = True


def publish_changes(session: Session) -> int:
    """Number this transaction's unnumbered change rows in creation order; returns how many. Call last in the
    transaction, right before COMMIT (the counter's row lock is held until then)."""
    if not session.info.pop(PENDING_KEY, False):
        return 0
    session.flush()
    # only this transaction's own rows can be unnumbered: other writers' are invisible until they commit, and
    # they commit numbered
    ids = session.scalars(select(ChangeRow.id).where(ChangeRow.seq.is_(None)).order_by(ChangeRow.id)).all()
    if not ids:
        return 0
    top = session.execute(
        update(FeedCounter)
        .where(FeedCounter.id == 1)
        .values(value=FeedCounter.value + len(ids))
        .returning(FeedCounter.value)
    ).scalar_one()
    base = int(top) - len(ids)
    session.execute(
        update(ChangeRow).execution_options(synchronize_session=False),
        [{"id": row_id, "seq": base + n} for n, row_id in enumerate(ids, start=1)],
    )
    return len(ids)


def visible_head(session: Session) -> int:
    """The feed's "visible up to" watermark: every change with seq ≤ this value has committed, and no change
    will ever commit below it. Serve only `seq <= visible_head(session)`."""
    return max_seq(session)

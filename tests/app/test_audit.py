"""The hash-chained audit log: every change is chained; altering or removing a row is found and named."""

from __future__ import annotations

import pytest

from app import audit
from app.store import Store
from tests.support.rawdb import raw_connect


@pytest.fixture
def chained(store: Store) -> Store:
    for i in range(10):
        with store.write() as s:
            audit.append(s, actor="张三（xd）", action="update", entity="task", entity_id=f"t{i}",
                         detail={"fields": {"notes": f"第{i}次"}})
    return store


def test_intact_chain_verifies(chained: Store) -> None:
    with chained.read() as s:
        report = audit.verify_chain(s)
    assert report.ok and report.checked == 10


@pytest.mark.parametrize(
    ("sql", "broken_at", "words"),
    [
        ("update audit_events set detail='{\"fields\": {\"notes\": \"改\"}}' where seq=4", 4, "内容已被改动"),
        ("update audit_events set actor='李四' where seq=7", 7, "内容已被改动"),
        ("delete from audit_events where seq=5", 5, "缺失"),
        ("update audit_events set prev_hash='00' where seq=2", 2, "前序哈希"),
    ],
)
def test_tampering_is_detected(chained: Store, sql: str, broken_at: int, words: str) -> None:
    con = raw_connect(chained.paths.db)
    con.execute(sql)
    con.commit()
    con.close()
    with chained.read() as s:
        report = audit.verify_chain(s)
    assert report.broken_at == broken_at
    assert words in (report.problem or "")


def test_delete_last_row_then_recompute_is_still_caught_by_seq_gap(chained: Store) -> None:
    """Removing a middle row and renumbering would need every later hash recomputed — verify sees the link."""
    con = raw_connect(chained.paths.db)
    con.execute("delete from audit_events where seq=3")
    con.execute("update audit_events set seq=seq-1 where seq>3")
    con.commit()
    con.close()
    with chained.read() as s:
        report = audit.verify_chain(s)
    assert report.broken_at == 3

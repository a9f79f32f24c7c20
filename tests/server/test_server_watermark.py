"""The feed never lets a reader skip a change that commits later under a lower sequence number: numbering
happens in a serialised step at commit (sync.server.feed_watermark), proved here by interleaving two writers'
commits with pulls; writers of different townships do their work concurrently on PostgreSQL."""

from __future__ import annotations

import random
import threading
import uuid

from server_helpers import XD, YH, login
from starlette.testclient import TestClient

from sync.server.feed_watermark import publish_changes, visible_head
from sync.server.records import create_record, load, save_record
from sync.server.storage import ChangeRow, read_session, write_session


def _finding(session, township: str, note: str) -> str:
    fid = uuid.uuid4().hex
    create_record(
        session, "finding", fid, {"township_id": township, "note": note, "found_at": "2026-03-02T09:00:00+08:00"},
        township_id=township,
    )
    return fid


def _page(client: TestClient, headers: dict[str, str], cursor: int) -> dict:
    resp = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": cursor, "limit": 1000})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_a_pull_between_two_commits_never_passes_an_uncommitted_lower_sequence(
    client: TestClient, engine
) -> None:
    centre = login(client, "centre.admin", device="centre-device-01")
    cursor = _page(client, centre, 0)["next_cursor"]
    with read_session(engine) as s:
        head0 = visible_head(s)
    assert cursor <= head0

    t1_numbered, release_t1 = threading.Event(), threading.Event()
    t2_worked, t2_done = threading.Event(), threading.Event()
    ids: dict[str, str] = {}
    seqs: dict[str, int] = {}
    errors: list[BaseException] = []

    def writer_1() -> None:  # 新登: numbers its change (the lower seq) and holds the commit
        try:
            with write_session(engine) as s:
                ids["t1"] = _finding(s, XD, "t1")
                publish_changes(s)
                seqs["t1"] = s.query(ChangeRow.seq).filter(ChangeRow.entity_id == ids["t1"]).scalar()
                t1_numbered.set()
                assert release_t1.wait(30)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            t1_numbered.set()

    def writer_2() -> None:  # 银湖: does its work, then wants to commit (would take the higher seq)
        try:
            with write_session(engine) as s:
                ids["t2"] = _finding(s, YH, "t2")
                t2_worked.set()
            t2_done.set()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            t2_worked.set()

    w1 = threading.Thread(target=writer_1)
    w1.start()
    assert t1_numbered.wait(30) and not errors
    assert seqs["t1"] == head0 + 1  # numbered, not committed
    w2 = threading.Thread(target=writer_2)
    w2.start()
    if engine.dialect.name == "postgresql":
        # different townships' writers work at the same time: only the numbering step waits
        assert t2_worked.wait(30)
    assert not t2_done.wait(0.5)  # T2 cannot commit past T1's uncommitted lower sequence
    between = _page(client, centre, cursor)
    assert between["changes"] == [] and between["next_cursor"] == cursor  # nothing past the watermark
    with read_session(engine) as s:
        assert visible_head(s) == head0

    release_t1.set()
    w1.join(30)
    w2.join(30)
    assert not errors, errors
    after = _page(client, centre, cursor)
    got = [c["id"] for c in after["changes"]]
    assert got == [ids["t1"], ids["t2"]]  # in commit order, none skipped
    with read_session(engine) as s:
        t2_seq = s.query(ChangeRow.seq).filter(ChangeRow.entity_id == ids["t2"]).scalar()
        assert visible_head(s) == t2_seq == seqs["t1"] + 1


def test_concurrent_writers_and_an_incremental_reader_see_every_final_change(client: TestClient, engine) -> None:
    """Eight writers (two townships) create and update records with random pauses inside their transactions
    while a reader pulls incrementally; at the end the reader has seen the final version of every record."""
    centre = login(client, "centre.admin", device="centre-device-01")
    cursor = _page(client, centre, 0)["next_cursor"]
    seen: dict[tuple[str, str], int] = {}
    stop = threading.Event()
    errors: list[BaseException] = []
    rng = random.Random(16)
    pauses = [[rng.random() * 0.01 for _ in range(12)] for _ in range(8)]

    def writer(n: int) -> None:
        township = XD if n % 2 else YH
        try:
            mine: list[str] = []
            for i, pause in enumerate(pauses[n]):
                with write_session(engine) as s:
                    if mine and i % 3 == 2:
                        record = load(s, "finding", mine[-1], for_update=True)
                        assert record is not None
                        save_record(s, record, {**record.data, "note": f"{n}-{i}"})
                    else:
                        mine.append(_finding(s, township, f"{n}-{i}"))
                    stop.wait(pause)  # hold the transaction open a little
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        nonlocal cursor
        try:
            while True:
                finished = stop.is_set()
                page = _page(client, centre, cursor)
                for c in page["changes"]:
                    seen[(c["entity"], c["id"])] = c["version"]
                assert page["next_cursor"] >= cursor
                cursor = page["next_cursor"]
                if finished and not page["has_more"]:
                    return
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    pull = threading.Thread(target=reader)
    pull.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    stop.set()
    pull.join(120)
    assert not errors, errors
    with read_session(engine) as s:
        final = {(e, i): v for e, i, v in s.query(ChangeRow.entity, ChangeRow.entity_id, ChangeRow.version)
                 .filter(ChangeRow.entity == "finding")}
        assert s.query(ChangeRow).filter(ChangeRow.seq.is_(None)).count() == 0
    assert len(final) == 8 * 8  # 12 transactions each: 8 creates, 4 updates
    assert {k: seen.get(k) for k in final} == final

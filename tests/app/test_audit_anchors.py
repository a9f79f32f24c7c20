"""Tamper tests on a real store: a keyed chain anchored by a platform receipt (Ed25519, pinned key). Edit,
delete (newest, middle), reorder and rewrite-with-recomputed-hashes are all detected once the anchor covers
them; so are stripped MACs, a moved keyed start, deleted receipts and a forged receipt. Older, un-keyed rows
verify as legacy."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from app import audit, audit_keys
from app.audit_anchor import store_receipt
from app.models import AuditEvent
from app.paths import DataPaths
from app.rules.audit_chain import GENESIS, anchor_payload, canonical, iso_from_sqlite, row_hash
from app.store import Store
from tests.support.rawdb import raw_connect

URL = "https://platform.test"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.0-rev0001.db"


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def anchor_at(store: Store, key: Ed25519PrivateKey, seq: int) -> None:
    """What the sync phase does with a platform receipt for the head `seq` (see sync.anchors)."""
    with store.read() as s:
        chain_id, _k = audit.chain_info(s)
        hash_ = s.get(AuditEvent, seq).hash
    payload = anchor_payload(chain_id=chain_id or "", device_id="device-test-1", seq=seq, hash_=hash_,
                             received_at="2026-12-03T08:00:00+00:00")
    sig = base64.b64encode(key.sign(payload.encode())).decode()
    if audit_keys.pinned_platform_key(URL) is None:
        audit_keys.pin_platform_key(URL, _raw(key))
    with store.write() as s:
        store_receipt(s, server_url=URL, public_key=_raw(key), payload=payload, signature=sig)
    audit_keys.record_anchor(chain_id or "", seq, hash_)


@pytest.fixture
def platform_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def anchored(store: Store, platform_key: Ed25519PrivateKey) -> Store:
    for i in range(12):
        with store.write() as s:
            audit.append(s, actor="张三（xd）", action="update", entity="task", entity_id=f"t{i}",
                         detail={"fields": {"notes": f"第{i}次"}})
    anchor_at(store, platform_key, 10)
    return store


def _sql(store: Store, *statements: str) -> None:
    con = raw_connect(store.paths.db)
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()


def _report(store: Store) -> audit.ChainReport:
    with store.read() as s:
        return audit.verify_chain(s)


def _rehash_from(store: Store, first: int) -> None:
    """An attacker without the keyring: recompute every SHA-256 hash from `first` (MACs cannot be redone)."""
    con = raw_connect(store.paths.db)
    rows = con.execute("select seq, at, actor, action, entity, entity_id, detail from audit_events "
                       "order by seq").fetchall()
    prev = GENESIS
    for seq, at, actor, action, entity, entity_id, detail in rows:
        if seq >= first:
            h = row_hash(prev, canonical(seq, iso_from_sqlite(at), actor, action, entity, entity_id,
                                         json.loads(detail)))
            con.execute("update audit_events set prev_hash=?, hash=? where seq=?", (prev, h, seq))
        prev = con.execute("select hash from audit_events where seq=?", (seq,)).fetchone()[0]
    con.commit()
    con.close()


def test_intact_anchored_chain_verifies(anchored: Store) -> None:
    report = _report(anchored)
    assert report.ok, (report.problem, report.anchor_problem)
    assert report.checked == 12 and report.keyed_from == 1 and report.macs_checked
    assert report.anchored_seq == 10 and report.anchors >= 1


@pytest.mark.parametrize(("statements", "words"), [
    (["update audit_events set actor='李四' where seq=4"], "内容已被改动"),
    (["delete from audit_events where seq=6"], "缺失"),
    (["update audit_events set seq=-3 where seq=3", "update audit_events set seq=3 where seq=5",
      "update audit_events set seq=5 where seq=-3"], "前序哈希"),
])
def test_edit_delete_middle_and_reorder_are_detected(anchored: Store, statements: list[str], words: str) -> None:
    _sql(anchored, *statements)
    report = _report(anchored)
    assert not report.ok and words in (report.problem or "")


def test_deleting_the_newest_anchored_rows_is_detected(anchored: Store) -> None:
    _sql(anchored, "delete from audit_events where seq>=10")
    report = _report(anchored)
    assert report.problem is None and not report.ok
    assert "记录被删除" in (report.anchor_problem or "")


def test_deleting_rows_newer_than_the_anchor_is_not_detectable(anchored: Store) -> None:
    _sql(anchored, "delete from audit_events where seq>10")
    assert _report(anchored).ok  # documented: only anchored rows are protected against truncation


def test_rewrite_with_recomputed_hashes_is_detected(anchored: Store) -> None:
    _sql(anchored, "update audit_events set detail='{\"fields\": {\"notes\": \"改过\"}}' where seq=4")
    _rehash_from(anchored, 4)
    report = _report(anchored)
    assert not report.ok and report.broken_at == 4 and "密钥签名不符" in (report.problem or "")


def test_stripping_macs_and_moving_the_keyed_start_is_detected(anchored: Store) -> None:
    _sql(anchored, "update audit_events set mac=NULL",
         "update sync_state set value='999' where key='audit_keyed_from'",
         "update audit_events set actor='李四' where seq=11")
    _rehash_from(anchored, 11)
    report = _report(anchored)
    assert not report.ok and report.broken_at == 1  # the keyring says keyed from 1


def test_deleting_receipts_and_rows_is_detected_by_the_keyring_head(anchored: Store) -> None:
    _sql(anchored, "delete from audit_receipts", "delete from audit_events where seq>=10")
    report = _report(anchored)
    assert not report.ok and "回执被删除" in (report.anchor_problem or "")


def test_a_forged_receipt_is_refused(anchored: Store) -> None:
    forger = Ed25519PrivateKey.generate()
    with anchored.read() as s:
        chain_id, _k = audit.chain_info(s)
    payload = anchor_payload(chain_id=chain_id or "", device_id="d", seq=12, hash_="f" * 64, received_at="x")
    with anchored.write() as s:
        store_receipt(s, server_url=URL, public_key=_raw(forger), payload=payload,
                      signature=base64.b64encode(forger.sign(payload.encode())).decode())
    report = _report(anchored)
    assert not report.ok and "签名无效" in (report.anchor_problem or "")


def test_rows_of_an_older_release_verify_as_legacy(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir(parents=True)
    shutil.copy(FIXTURE, paths.db)
    store = Store.open(paths)
    try:
        with store.write() as s:
            audit.append(s, actor="x", action="update", entity="task", entity_id="t1")
        report = _report(store)
        assert report.ok and report.checked == 4 and report.keyed_from == 4  # 3 legacy rows, keyed from 4
        with store.read() as s:
            rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert [r.mac is None for r in rows] == [True, True, True, False]
    finally:
        store.close()

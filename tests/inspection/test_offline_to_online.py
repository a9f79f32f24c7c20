"""End to end: a laptop synced in the morning records a whole inspection OFFLINE through the UI — checklist with a
violation, a photo with EXIF as evidence, drawn signatures, finalisation, follow-ups — then comes back online,
signs in through the sync client and syncs. The reference platform then holds the finalised record and its
findings, the evidence blobs (uploaded and hash-verified) and the follow-ups (correction order draft, recheck
plan, transfer and notice)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import changes
from app.models import Evidence, InspectionPlan, new_id
from app.paths import DataPaths
from app.store import Store
from sync.auth import AuthClient
from sync.engine import SyncEngine
from sync.server.embedded import start_server
from sync.server.storage import Blob, Record, read_session
from sync.transport import Transport
from tests.inspection.district import exif_photo
from tests.inspection.test_signature_pad import draw, zigzag
from tests.inspection.ui_support import make_ctx, settle, type_text
from ui.inspection.area import InspectionArea
from ui.inspection.form import TAB_CHECKLIST

pytestmark = pytest.mark.ui
TARGET, MATTERS = "tgt-xindeng-001", ["FY-SR-002", "FY-SJ-001", "FY-SJ-003"]
OFFICERS = ["off-xindeng-officer", "off-xindeng-officer2"]


def _online(url: str, store: Store) -> AuthClient:
    auth = AuthClient(Transport(url, retries=2, backoff=0.05), store=store)
    auth.login("xindeng.officer", "demo2026")
    return auth


def _plan(store: Store, actor: str) -> str:
    with store.write() as s:
        plan = InspectionPlan(id=new_id(), township_id="xindeng", target_id=TARGET, kind="joint",
                              scheduled_at=datetime.now(UTC), lead_department_id="dept_zf",
                              supporting_department_ids=["dept_scjg"], matter_codes=MATTERS, officer_ids=OFFICERS,
                              status="planned", created_by=actor)
        changes.record_create(s, plan, actor=actor)
        return plan.id


def test_offline_inspection_then_sync(qtbot: QtBot, tmp_path: Path) -> None:
    server = start_server(tmp_path / "platform")
    port = server.port
    store = Store.open(DataPaths(tmp_path / "laptop"))
    auth = _online(server.url, store)
    assert SyncEngine(store, auth, prefetch_numbers=False).sync_once().ok  # the morning sync
    user = auth.current_user()
    server.stop()  # ---- offline from here on ----
    plan_id = _plan(store, user.actor)
    ctx = make_ctx(store, user)
    area = InspectionArea(ctx)
    qtbot.addWidget(area)
    area.resize(1240, 700)
    area.show()
    settle(qtbot, ctx)
    area.start_from_plan(plan_id)
    qtbot.waitUntil(lambda: area.form.snapshot is not None, timeout=10000)
    settle(qtbot, ctx)
    form = area.form
    snap = form.snapshot
    assert [o.id for o in snap.officers] == OFFICERS and snap.team.ok
    QTest.mouseClick(form.basics.end.now, Qt.MouseButton.LeftButton)
    for box in (form.basics.certificates, form.basics.recusal):
        box.setFocus()
        QTest.keyClick(box, Qt.Key.Key_Space)
    type_text(form.basics.place, "（后厨及门前）")
    form.tabs.setCurrentIndex(TAB_CHECKLIST)
    view, model = form.checklist, form.checklist_model
    view.setFocus()
    view.setCurrentIndex(model.index(0, 2))
    violation_row = next(r for r in range(model.rowCount()) if "出店经营" in model.items[r].text)
    licence_row = next(r for r in range(model.rowCount()) if "食品经营许可证" in model.items[r].text)
    for row in range(model.rowCount()):
        view.setCurrentIndex(model.index(row, 2))
        QTest.keyClick(view, Qt.Key.Key_2 if row in (violation_row, licence_row) else Qt.Key.Key_1)
    view.setCurrentIndex(model.index(violation_row, 2))
    QTest.keyClick(view, Qt.Key.Key_Return)
    type_text(view.focusWidget(), "门前出店摆放桌椅约6平方米")
    QTest.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    view.setCurrentIndex(model.index(licence_row, 2))
    QTest.keyClick(view, Qt.Key.Key_Return)
    type_text(view.focusWidget(), "未能出示食品经营许可证，店内正在经营")
    QTest.keyClick(view.focusWidget(), Qt.Key.Key_Return)
    photo = exif_photo(tmp_path / "IMG_0815.JPG", datetime.now(UTC))
    view.setCurrentIndex(model.index(violation_row, 2))
    form.evidence_for_item([photo])
    with qtbot.waitSignal(form.gallery.importer.finished, timeout=20000) as imported:
        pass
    assert len(imported.args[0].imported) == 1
    settle(qtbot, ctx)
    for i, role in enumerate(["party", *[f"officer:{o}" for o in OFFICERS]]):
        dlg = form.ask_signature(role)
        draw(dlg.pad, zigzag(60, 110, 8 + 3 * i))  # three different signatures
        QTest.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot, ctx)
    qtbot.waitUntil(lambda: form.snapshot is not None and len(form.snapshot.signatures) == 3, timeout=10000)
    qtbot.waitUntil(lambda: form.signing.missing.count() == 0, timeout=10000)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow, timeout=5000)
    form.signing.finalise_button.setFocus()
    QTest.keyClick(form.signing.finalise_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # 完成并锁定
    qtbot.waitUntil(lambda: form.snapshot.finalised and hasattr(form, "follow_up_dialog"), timeout=15000)
    dialog = form.follow_up_dialog
    qtbot.waitUntil(lambda: bool(dialog.options), timeout=10000)
    dialog.set_checked("notice")
    chosen = sorted((o.kind, o.matter_code) for o in dialog.selected())
    assert chosen == [("correction", "FY-SJ-001"), ("correction", "FY-SR-002"), ("notice", "FY-SJ-001"),
                      ("notice", "FY-SR-002"), ("transfer", "FY-SJ-001")]  # FY-SJ-001 is not empowered here
    QTest.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.created) == 5, timeout=15000)
    settle(qtbot, ctx)
    iid = form.snapshot.id
    n_items = len(form.snapshot.items)
    # ---- back online: the platform restarts, the officer signs in again, one sync ----
    server = start_server(tmp_path / "platform", port=port)
    try:
        auth = _online(server.url, store)
        report = SyncEngine(store, auth, prefetch_numbers=False).sync_once()
        assert report.ok, report.errors
        assert report.rejected == 0 and report.uploads_done == 4  # the photo and three signatures
        with store.read() as s:
            local = list(s.scalars(select(Evidence).where(Evidence.inspection_id == iid)))
        assert len(local) == 4 and all(e.uploaded for e in local)
        with read_session(server.engine) as s:
            def records(entity: str) -> list[dict]:
                return [r.data for r in s.scalars(select(Record).where(Record.entity == entity))]

            inspection = next(d for d in records("inspection") if d["id"] == iid)
            assert inspection["status"] == "finalised" and inspection["certificates_shown"]
            assert set(inspection["signatures"]) == {"party", *[f"officer:{o}" for o in OFFICERS]}
            findings = [d for d in records("finding") if d["inspection_id"] == iid]
            assert len(findings) == n_items and sum(f["result"] == "violation" for f in findings) == 2
            evidence = [d for d in records("evidence") if d["inspection_id"] == iid]
            assert len(evidence) == 4 and all(d["uploaded"] for d in evidence)
            for ev in evidence:  # the platform verified and kept every blob
                blob = s.get(Blob, ev["sha256"])
                assert blob is not None and hashlib.sha256(server.app.state.blobs.path(blob.path).read_bytes()).hexdigest() == ev["sha256"]
            docs = [d for d in records("document") if d.get("inspection_id") == iid]
            assert sorted((d["doc_type"], d["matter_code"], d["status"]) for d in docs) == [
                ("correction_order", "FY-SJ-001", "draft"), ("correction_order", "FY-SR-002", "draft")]
            by_body = {d["matter_code"]: d["body_legal_name"] for d in docs}
            assert by_body["FY-SR-002"].endswith("新登镇人民政府")  # empowered: in the township's own name
            assert by_body["FY-SJ-001"].endswith("市场监督管理局")  # not empowered: the department's name
            plans = [d for d in records("inspection_plan") if d.get("kind") == "recheck"]
            assert sorted(p["matter_codes"][0] for p in plans) == ["FY-SJ-001", "FY-SR-002"]
            assert all(p["target_id"] == TARGET and p["status"] == "planned" for p in plans)
            referrals = sorted((d["kind"], d["matter_code"], d["to_department_id"]) for d in records("referral")
                               if d.get("inspection_id") == iid)
            assert referrals == [("notice", "FY-SJ-001", "dept_scjg"), ("notice", "FY-SR-002", "dept_zf"),
                                 ("transfer", "FY-SJ-001", "dept_scjg")]
    finally:
        ctx.runner.wait(10_000)
        server.stop()
        store.close()

"""Through the real widgets: plan a joint inspection of three matters from two departments in the 计划 area, save
it, sync, and find the plan on the reference platform. Also: the draw dialog and the statistics area."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, Qt
from sqlalchemy import select

from app.models import InspectionPlan, Matter, Officer, OfficerInterest, Target
from app.planning.planner import CST
from ui.context import AppContext, ChangeBus
from ui.runner import TaskRunner

pytestmark = pytest.mark.ui


@pytest.fixture
def platform(tmp_path: Path):
    from sync.server.embedded import start_server

    server = start_server(tmp_path / "platform", port=0, seed_demo=True)
    yield server
    server.stop()


@pytest.fixture
def laptop(tmp_path: Path, platform):
    from app.paths import DataPaths
    from app.store import Store
    from sync.auth import AuthClient
    from sync.engine import SyncEngine
    from sync.transport import Transport

    store = Store.open(DataPaths(tmp_path / "laptop"))
    transport = Transport(platform.url, retries=3, backoff=0.02, timeout=(3, 20))
    auth = AuthClient(transport, store=store)
    auth.login("xindeng.leader", "demo2026")
    report = SyncEngine(store, auth, prefetch_numbers=False).sync_once()  # the demo district comes down
    assert report.ok, report.errors
    yield store, auth
    transport.close()
    store.close()


def _pick(store, day: date):
    """A target, three matters of two departments fitting it, and two officers who may inspect it on `day`."""
    with store.read() as s:
        matters = s.scalars(select(Matter).where(Matter.check_points != "[]").order_by(Matter.code)).all()
        zf = [m for m in matters if m.owner_department_id == "dept_zf"][:2]
        scjg = [m for m in matters if m.owner_department_id == "dept_scjg"][:1]
        target = s.scalars(select(Target).where(Target.township_id == "xindeng", Target.credit_code.is_not(None))
                           .order_by(Target.name)).first()
        interested = set(s.scalars(select(OfficerInterest.officer_id).where(OfficerInterest.target_id == target.id)))
        officers = [o for o in s.scalars(select(Officer).where(Officer.township_id == "xindeng",
                                                                Officer.active.is_(True)).order_by(Officer.id))
                    if o.certificate_no and o.cert_valid_until and o.cert_valid_until >= day
                    and o.id not in interested and set(o.fields or []) & {m.field for m in zf + scjg}]
    return target, [m.code for m in zf + scjg], [o.id for o in officers[:2]]


def _settle(qtbot, ctx, *widgets) -> None:
    """Let every queued job finish and deliver before the widgets and the store go away."""
    for _ in range(3):
        qtbot.wait(300)  # a debounced check may still be pending
        ctx.runner.wait()
    for w in widgets:
        w.close()
    qtbot.wait(50)


def _check(widget, keys: list[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in keys:
            item.setCheckState(Qt.CheckState.Checked)


def test_joint_inspection_planned_in_the_ui_reaches_the_platform(qtbot, laptop, platform) -> None:
    from sync.engine import SyncEngine
    from sync.server.storage import Record
    from ui.planning.area import PlanningArea

    store, auth = laptop
    ctx = AppContext(store, auth.current_user(), TaskRunner(), ChangeBus())
    area = PlanningArea(ctx)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    area.show()
    planner = area.planner
    qtbot.waitUntil(lambda: planner.reference is not None and planner.matters.count() > 0, timeout=10_000)
    when = (datetime.now(CST) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    target, codes, officers = _pick(store, when.date())
    assert len(codes) == 3 and len(officers) == 2

    area.new_button.click()
    # choose the target through the picker: type part of its credit code, pick the hit
    qtbot.keyClicks(planner.picker.edit, target.credit_code[:12])
    qtbot.waitUntil(lambda: planner.picker.results.count() > 0
                    and planner.picker.results.item(0).data(Qt.ItemDataRole.UserRole) is not None, timeout=10_000)
    hits = [planner.picker.results.item(i) for i in range(planner.picker.results.count())]
    hit = next(h for h in hits if h.data(Qt.ItemDataRole.UserRole).id == target.id)
    planner.picker.results.itemClicked.emit(hit)
    assert planner.picker.target.id == target.id
    qtbot.waitUntil(lambda: planner.context is not None, timeout=10_000)
    planner.when.setDateTime(QDateTime(when.date(), when.time().replace(tzinfo=None)))
    _check(planner.matters, codes)
    planner.fill.click()
    assert planner.lead.currentData() == "dept_zf"
    _check(planner.officers, officers)
    qtbot.waitUntil(lambda: planner.last is not None and planner.save_button.isEnabled(), timeout=10_000)
    groups = {g.department_id for g in planner.last.checklist}
    assert groups == {"dept_zf", "dept_scjg"}

    with qtbot.waitSignal(planner.saved, timeout=10_000) as saved:
        planner.save_button.click()
    plan_id = saved.args[0]
    with store.read() as s:
        plan = s.get(InspectionPlan, plan_id)
        assert sorted(plan.matter_codes) == sorted(codes) and plan.supporting_department_ids == ["dept_scjg"]
    qtbot.waitUntil(lambda: area.model.row_of_key(plan_id) >= 0, timeout=10_000)

    report = SyncEngine(store, auth, prefetch_numbers=False).sync_once()
    assert report.ok, report.errors
    assert report.applied >= 1
    from sqlalchemy.orm import Session

    with Session(platform.engine) as s:
        record = s.get(Record, ("inspection_plan", plan_id))
        assert record is not None and record.township_id == "xindeng"
        assert sorted(record.data["matter_codes"]) == sorted(codes)
        assert sorted(record.data["officer_ids"]) == sorted(officers)
        assert record.data["lead_department_id"] == "dept_zf" and record.data["kind"] == "joint"
    _settle(qtbot, ctx, area)


def test_draw_dialog_and_statistics_area(qtbot, planned, tmp_path) -> None:
    from tests.planning.district import LEADER
    from ui.planning.draw_dialog import DrawDialog
    from ui.stats.area import StatsArea

    ctx = AppContext(planned, LEADER, TaskRunner(), ChangeBus())
    dialog = DrawDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.items.count() > 0, timeout=5000)
    _check(dialog.items, ["SR-001", "SJ-001"])
    dialog.count.setValue(4)
    dialog.seed.setText("ui-seed")
    with qtbot.waitSignal(dialog.drawn, timeout=5000) as drawn:
        dialog.draw_button.click()
    draw = drawn.args[0]
    assert dialog.model.rowCount() == 4 and draw.seed == "ui-seed"
    assert draw.snapshot_sha256 in dialog.summary.toolTip()  # technical record on demand, not on screen
    assert draw.algorithm not in dialog.summary.toPlainText() and draw.title in dialog.summary.toPlainText()
    with qtbot.waitSignal(dialog.plans_created, timeout=5000):
        dialog.plans_button.click()
    pdf = tmp_path / "gs.pdf"
    dialog.export_pdf(pdf)
    qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 1000, timeout=10_000)

    stats = StatsArea(ctx)
    qtbot.addWidget(stats)
    qtbot.waitUntil(lambda: stats.analysis is not None, timeout=5000)
    assert stats.grid_model.rowCount() == 3
    xlsx = tmp_path / "a.xlsx"
    stats.export(xlsx, "xlsx")
    qtbot.waitUntil(xlsx.exists, timeout=5000)
    _settle(qtbot, ctx, dialog, stats)


def test_models_pass_the_model_tester(qtmodeltester, planned) -> None:
    from app.planning.service import PlanService
    from tests.planning.district import LEADER
    from ui.widgets.table_model import Column, ColumnsModel

    model = ColumnsModel([Column("a", lambda r: r.target_name), Column("b", lambda r: r.matter_count)])
    model.set_rows(PlanService(planned, LEADER).list_plans())
    qtmodeltester.check(model)

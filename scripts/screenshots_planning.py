#!/usr/bin/env python3
"""Screenshots of the planning and statistics areas at 1366×768 (docs/screenshots/planner.png, draw.png,
analysis.png), from a throw-away store seeded with the demo district plus some volume.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots_planning.py
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from shots import SIZE, Shots
from sqlalchemy import select


def main() -> int:
    from app.demo import DEMO_ACCOUNTS, build_dataset, seed_store
    from app.demo.scale import add_volume
    from app.identity import CurrentUser
    from app.models import InspectionPlan, Officer, OfficerInterest, Target
    from app.planning.planner import CST, PlanDraft
    from app.planning.service import PlanService
    from app.rules.task_states import Role
    from ui.context import AppContext, ChangeBus

    shots = Shots("lxt-shots-")
    store = shots.client()
    seed_store(store, build_dataset())
    add_volume(store, tasks=3000, findings=9000)
    acc = next(a for a in DEMO_ACCOUNTS if a["username"] == "xindeng.leader")
    user = CurrentUser(acc["username"], acc["name"], Role.LEADER, acc["township_id"], acc["officer_id"])
    ctx = AppContext(store, user, shots.runner, ChangeBus())
    when = (datetime.now(CST) + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)

    with store.read() as s:
        target = s.scalars(select(Target).where(Target.township_id == "xindeng", Target.industry == "餐饮")
                           .order_by(Target.name)).first()
        interested = set(s.scalars(select(OfficerInterest.officer_id).where(OfficerInterest.target_id == target.id)))
        staff = [o for o in s.scalars(select(Officer).where(Officer.township_id == "xindeng", Officer.active.is_(True))
                                      .order_by(Officer.id)) if o.certificate_no and o.id not in interested]
        fit = [o for o in staff if "市容环卫" in (o.fields or [])]
        off_field = next((o for o in staff if "市容环卫" not in (o.fields or [])
                          and "市场监管" not in (o.fields or [])), None)
    # an earlier plan for the same target a few days later: the planner offers to merge ("进一次门")
    PlanService(store, user).create(PlanDraft(
        target_id=target.id, scheduled_at=when + timedelta(days=2), matter_codes=["FY-SR-002"],
        lead_department_id="dept_zf", officer_ids=[fit[2].id, fit[3].id]))

    from ui.planning.area import PlanningArea

    area = PlanningArea(ctx)
    area.resize(*SIZE)
    area.show()
    planner = area.planner
    shots.wait(lambda: planner.reference is not None and planner.matters.count() > 0, 20)
    area.new_plan()
    planner.picker.edit.setText(target.name[:4])
    planner.picker._search()
    shots.wait(lambda: planner.picker.results.count() > 0, 20)
    from app.planning.reference import target_info

    info = target_info(store, target.id)
    planner.picker.set_target(info)
    planner._target_chosen(info)
    shots.wait(lambda: planner.context is not None, 20)
    planner.when.setDateTime(QDateTime(when.date(), when.time().replace(tzinfo=None)))
    codes = {"FY-SR-002", "FY-HJ-001", "FY-SJ-001"}
    officers = {fit[0].id, fit[1].id} | ({off_field.id} if off_field else set())
    for lst, keys in ((planner.matters, codes), (planner.officers, officers)):
        for i in range(lst.count()):
            if lst.item(i).data(Qt.ItemDataRole.UserRole) in keys:
                lst.item(i).setCheckState(Qt.CheckState.Checked)
    planner.fill_departments()
    shots.wait(lambda: planner.last is not None and planner.last.check.warnings, 20)
    shots.settle(0.3)
    shots.save(area, "planner.png")

    from ui.planning.draw_dialog import DrawDialog

    dialog = DrawDialog(ctx)
    dialog.resize(*SIZE)
    dialog.show()
    shots.wait(lambda: dialog.items.count() > 0, 20)
    for i in range(min(3, dialog.items.count())):
        dialog.items.item(i).setCheckState(Qt.CheckState.Checked)
    dialog.count.setValue(12)
    dialog.preview()
    shots.settle(0.3)
    dialog.do_draw()
    shots.wait(lambda: dialog.draw is not None, 20)
    dialog.verify()
    shots.settle(0.4)
    shots.save(dialog, "draw.png")
    dialog.close()

    from ui.stats.area import StatsArea

    stats = StatsArea(ctx)
    stats.resize(*SIZE)
    stats.preset.setCurrentIndex(3)  # last 365 days
    stats.show()
    stats.run()
    shots.wait(lambda: stats.analysis is not None and stats.analysis.period.days == 365, 20)
    shots.settle(0.3)
    shots.save(stats, "analysis.png")
    ctx.runner.wait()
    with store.read() as s:
        print("plans in the store:", len(s.scalars(select(InspectionPlan)).all()))
    shots.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

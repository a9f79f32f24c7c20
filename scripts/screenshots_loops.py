#!/usr/bin/env python3
"""Regenerate the reform loops' screenshots in docs/screenshots/loops-*.png: the 干预留痕 dialog, an urgent
check-in, the reply to a complainant, the task detail's loops (late urgent stages; a complaint with its
protected complainant and the 抄告 → reply chain) and the patrol tier dialog of 统计.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_loops.py
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from shots import Shots


def main() -> int:
    shots = Shots("lxt-shots-")
    from sqlalchemy import select

    from app import changes
    from app import models as m
    from app.rules.response import Stage
    from sync.server import admin, loops_admin
    from ui.loops.dialogs import CheckinDialog, ComplaintReplyDialog, InterventionDialog

    server = shots.platform()
    store = shots.client()
    wait, settle, save = shots.wait, shots.settle, shots.save
    over = shots.over

    with server.engine.begin():
        pass
    from sync.server.records import load
    from sync.server.storage import Record, read_session

    with read_session(server.engine) as s:
        target = next(r.id for r in s.scalars(select(Record).where(Record.entity == "target",
                                                                   Record.township_id == "xindeng")))
        target_rec = load(s, "target", target)
        assert target_rec is not None
    urgent = admin.create_task(server.engine, "xindeng", "紧急：城南路燃气泄漏现场处置", priority=2, target=target,
                               description="群众报告城南路有燃气味，请立即到场处置并反馈")
    admin.set_field(server.engine, urgent["id"], "dispatched_at",
                    (datetime.now(UTC) - timedelta(minutes=6)).isoformat())
    complaint = loops_admin.create_complaint(server.engine, "xindeng", "关于餐饮店油烟扰民的投诉", name="王秀英",
                                             phone="13905710001", target=target,
                                             description="投诉人反映该店油烟直排，影响居民生活")

    window, auth = shots.signed_in(store, "xindeng.leader")
    user = auth.current_user()
    now = datetime.now(UTC)
    from app.loops.interventions import InterventionInput, InterventionService
    from app.loops.urgent import UrgentService

    UrgentService(store, user).check_in(urgent["id"], "respond", location="新登镇城南路", location_source="typed",
                                        at=now - timedelta(minutes=5, seconds=10))
    InterventionService(store, user).record(InterventionInput(
        "李某", "某局副局长", now - timedelta(hours=1), "phone", "打电话要求对该店从轻处理", "已告知依法办理，并记录在案",
        task_id=complaint["id"]))
    with store.write() as s:
        dept = s.scalars(select(m.Department.id).where(m.Department.name.like("%市场%"))).first() \
            or s.scalars(select(m.Department.id)).first()
        inspection = m.Inspection(id=m.new_id(), township_id="xindeng", target_id=target, task_id=complaint["id"],
                                  started_at=now - timedelta(days=20), created_by=user.actor)
        changes.record_create(s, inspection, actor=user.actor)
        for subject, days in (("食品经营许可监管漏洞", 25), ("油烟净化设施备案缺失", 3)):
            changes.record_create(s, m.Referral(
                id=m.new_id(), kind="notice", township_id="xindeng", inspection_id=inspection.id,
                to_department_id=dept, subject=subject, facts="检查发现", reason="请加强监管并反馈",
                reply_due=(now - timedelta(days=days - 10)).date(), status="open", created_by=user.actor),
                actor=user.actor)
    window.ctx.sync.sync_now()
    wait(lambda: not window.ctx.sync.running)
    with store.read() as s:
        first = s.scalars(select(m.Referral).where(m.Referral.subject == "食品经营许可监管漏洞")).one()
    loops_admin.notice_reply(server.engine, first.id, "已约谈经营者，开展辖区行业排查", replier="区市场监管局 张科长")
    window.ctx.sync.sync_now()
    wait(lambda: not window.ctx.sync.running)
    settle(0.8)

    area = window.areas["tasks"]
    wait(lambda: area.model.rowCount() > 0)
    area.splitter.setSizes([560, 800])
    detail = area.detail
    for task_id, name in ((urgent["id"], "loops-urgent-card.png"), (complaint["id"], "loops-complaint-card.png")):
        area.select_task(task_id)
        wait(lambda tid=task_id: detail.detail is not None and detail.detail.id == tid and
             detail.loops_card.view is not None and detail.loops_card.view.task_id == tid)
        settle()
        detail.scroll_area.ensureWidgetVisible(detail.loops_card, 0, 0)
        detail.scroll_area.verticalScrollBar().setValue(detail.loops_card.y() - 10)
        settle()
        save(window, name)

    label = f"{complaint['number']}「{complaint['title']}」"
    dlg = InterventionDialog(window.ctx, label, task_id=complaint["id"], parent=window)
    dlg.name.setText("赵某")
    dlg.post.setText("某村党支部书记")
    dlg.channel.setCurrentIndex(1)
    dlg.request.setPlainText("到队里要求不要拍照，先口头提醒即可")
    dlg.response.setPlainText("告知全过程记录是法定要求，检查依法进行")
    dlg.show()
    settle()
    over(window, dlg, "loops-intervention.png")
    dlg.close()
    dlg = CheckinDialog(window.ctx, urgent["id"], Stage.DEPART, f"{urgent['number']}「{urgent['title']}」", window)
    dlg.location.setText("新登镇综合行政执法队")
    dlg.show()
    settle()
    over(window, dlg, "loops-checkin.png")
    dlg.close()
    dlg = ComplaintReplyDialog(window.ctx, complaint["id"], label, window)
    dlg.channel.setCurrentIndex(0)
    dlg.content.setPlainText("已现场检查，责令该店安装油烟净化设施并限期整改，整改后将复查")
    dlg.show()
    settle()
    over(window, dlg, "loops-complaint-reply.png")
    dlg.close()

    window.show_area("stats")
    stats = window.areas["stats"]
    wait(lambda: stats.analysis is not None)
    settle()
    stats.grid_table.selectRow(0)
    stats.grid_table.setFocus()
    settle()
    stats.tier_controls.open_dialog()
    settle()
    over(window, stats.tier_controls.dialog, "loops-tier.png")
    stats.tier_controls.dialog.close()

    shots.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Small hand-made records for unit tests that do not need the whole demo district."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.identity import CurrentUser
from app.models import Department, Officer, Target, Task, Township
from app.rules.task_states import Role
from app.store import Store

LEADER = CurrentUser("xd.leader", "王队长", Role.LEADER, "xd", "o-leader")
OFFICER = CurrentUser("xd.officer", "李队员", Role.OFFICER, "xd", "o-1")
CLERK = CurrentUser("xd.clerk", "赵内勤", Role.CLERK, "xd", "o-clerk")
OTHER_LEADER = CurrentUser("yh.leader", "陈队长", Role.LEADER, "yh", "o-yh")


def basic_district(store: Store, *, tasks: int = 3) -> None:
    with store.write() as s:
        for tid, name, mode in (("xd", "新登镇", "empowered"), ("yh", "银湖街道", "dispatched")):
            s.add(Township(id=tid, name=name, mode=mode, legal_name=f"杭州市富阳区{name}人民政府",
                           seal_name=f"{name}人民政府", number_prefix=f"{name}综执", team_name="执法队", version=1))
        s.add(Department(id="dept_zf", name="区综合行政执法局", short_name="综合执法", field="市容环卫",
                         kind="bureau", legal_name="杭州市富阳区综合行政执法局", seal_name="杭州市富阳区综合行政执法局",
                         number_prefix="富综执", version=1))
        s.flush()
        valid = date.today() + timedelta(days=365)
        for oid, name, twp, role in (("o-leader", "王队长", "xd", "leader"), ("o-1", "李队员", "xd", "officer"),
                                     ("o-2", "周队员", "xd", "officer"), ("o-yh", "陈队长", "yh", "leader")):
            s.add(Officer(id=oid, name=name, role=role, township_id=twp, certificate_no=f"浙A01-2020-{oid}",
                          cert_valid_until=valid, fields=["市容环卫"], version=1))
        s.add(Target(id="tg1", name="新登镇老王餐饮店", kind="个体工商户", township_id="xd", address="城南路1号",
                     industry="餐饮", version=1))
        s.flush()
        for i in range(tasks):
            s.add(Task(id=f"t{i}", number=f"FYZH-2026-{i:06d}", title=f"关于城南路餐饮油烟扰民投诉的核查{i}",
                       task_type="核查", source="投诉举报", township_id="xd", target_id="tg1", version=1,
                       deadline=datetime.now(UTC) + timedelta(days=2)))

"""A small hand-made district for the planning tests: two townships, three departments, five matters with
overlapping check points, grids, units, officers (one expired, one without a certificate, one with a declared
interest), twenty targets and an open instruction."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.identity import CurrentUser
from app.models import (
    CatalogueVersion,
    Department,
    Grid,
    Matter,
    MatterEmpowerment,
    Officer,
    OfficerInterest,
    Target,
    Task,
    TaskMatter,
    Township,
    Unit,
)
from app.planning.planner import CST
from app.rules.task_states import Role
from app.store import Store

LEADER = CurrentUser("xd.leader", "王队长", Role.LEADER, "xd", "o-leader")
OFFICER = CurrentUser("xd.officer", "李队员", Role.OFFICER, "xd", "o-1")
DAY = date(2026, 5, 12)  # a Tuesday
AT = datetime(2026, 5, 12, 9, 0, tzinfo=CST)
VALID = date(2027, 12, 31)

MATTERS = (
    # code, dept, field, industries, check points, random item
    ("SR-001", "dept_zf", "市容环卫", ["餐饮", "零售"], ["是否出店经营", "门前三包责任是否落实"], True),
    ("SR-010", "dept_zf", "市容环卫", ["餐饮"], ["餐饮油烟是否经净化处理后排放", "门前三包责任是否落实"], True),
    ("SJ-001", "dept_scjg", "市场监管", ["餐饮"],
     ["是否取得食品经营许可证", "从业人员是否持有健康证明", "门前三包责任 是否落实。"], True),
    ("HJ-001", "dept_sthj", "生态环境", ["加工制造"], ["是否安装废气处理设施"], True),
    ("GH-001", "dept_zf", "规划建设", [], ["是否取得建设工程规划许可证"], False),
)

OFFICERS = (
    # id, name, role, fields, unit, grid, certificate valid until (None: no certificate)
    ("o-leader", "王队长", "leader", ["市容环卫"], "u1", None, VALID),
    ("o-1", "李队员", "officer", ["市容环卫", "市场监管"], "u1", "g1", VALID),
    ("o-2", "周队员", "officer", ["市场监管"], "u2", "g2", VALID),
    ("o-3", "吴队员", "officer", ["生态环境"], "u2", "g1", VALID),
    ("o-4", "郑队员", "officer", ["市容环卫"], "u3", None, VALID),
    ("o-5", "冯队员", "officer", ["市场监管", "市容环卫"], "u3", None, VALID),
    ("o-exp", "陈过期", "officer", ["市容环卫"], "u1", None, date(2026, 1, 31)),
    ("o-nocert", "赵内勤", "clerk", [], None, None, None),
)


def build(store: Store, *, targets: int = 20) -> None:
    with store.write() as s:
        for tid, name, mode in (("xd", "新登镇", "empowered"), ("yh", "银湖街道", "dispatched")):
            s.add(Township(id=tid, name=name, mode=mode, legal_name=f"杭州市富阳区{name}人民政府",
                           seal_name=f"{name}人民政府", number_prefix=f"{name}综执", team_name=f"{name}综合行政执法队",
                           version=1))
        for did, name, fld in (("dept_zf", "区综合行政执法局", "综合执法"), ("dept_scjg", "区市场监管局", "市场监管"),
                               ("dept_sthj", "生态环境富阳分局", "生态环境")):
            s.add(Department(id=did, name=name, short_name=name, field=fld, legal_name=f"杭州市富阳区{name[1:]}",
                             seal_name=name, number_prefix="富", version=1))
        s.add(CatalogueVersion(version=1, effective_date=date(2025, 7, 1)))
        s.flush()
        for code, dept, fld, industries, points, random_item in MATTERS:
            s.add(Matter(id=f"m-{code}", code=code, name=f"事项{code}", field=fld, owner_department_id=dept,
                         check_points=points, industries=industries, random_item=random_item, version=1))
        for code in ("SR-001", "SR-010"):
            s.add(MatterEmpowerment(township_id="xd", matter_code=code, version=1, empowered=True))
        for gid in ("g1", "g2", "g3"):
            s.add(Grid(id=gid, township_id="xd", code=f"XD-{gid[1:]:0>2}", name=f"新登镇第{gid[1:]}网格", version=1))
        for uid, dept in (("u1", "dept_zf"), ("u2", "dept_scjg"), ("u3", "dept_sthj")):
            s.add(Unit(id=uid, name=f"单位{uid}", department_id=dept, township_id="xd", version=1))
        s.flush()
        for oid, name, role, fields, unit, grid, valid in OFFICERS:
            s.add(Officer(id=oid, name=name, role=role, township_id="xd", unit_id=unit, grid_id=grid,
                          certificate_no=f"浙A01-2020-{oid}" if valid else None, cert_valid_until=valid,
                          fields=fields, version=1))
        s.add(Officer(id="o-yh", name="陈队长", role="leader", township_id="yh", certificate_no="浙A01-2020-9",
                      cert_valid_until=VALID, fields=["市容环卫"], version=1))
        s.add(Target(id="tg1", name="新登镇老王餐饮店", credit_code="92330183MA2H00000Q", kind="个体工商户",
                     township_id="xd", grid_id="g1", address="城南路1号", industry="餐饮", risk_grade="C", version=1))
        s.add(Target(id="tg2", name="新登镇富达五金厂", credit_code="91330183MA2H00000U", kind="企业",
                     township_id="xd", grid_id="g2", address="工业园3号", industry="加工制造", version=1))
        for i in range(3, targets + 1):
            s.add(Target(id=f"tg{i:02d}", name=f"新登镇第{i}号商户", kind="个体工商户", township_id="xd",
                         grid_id=("g1", "g2", "g3")[i % 3], industry=("餐饮", "零售", "加工制造")[i % 3],
                         risk_grade="ABCD"[i % 4], version=1))
        s.flush()
        s.add(OfficerInterest(officer_id="o-2", target_id="tg1", reason="配偶经营", version=1))
        s.add(Task(id="t-open", number="FYZH-2026-000001", title="老王餐饮店疑似违法搭建核查", task_type="核查",
                   source="网格上报", township_id="xd", grid_id="g1", target_id="tg1", status="pending",
                   deadline=AT + timedelta(days=3), version=1))
        s.add(Task(id="t-closed", number="FYZH-2026-000002", title="已办结指令", task_type="核查", source="网格上报",
                   township_id="xd", target_id="tg1", status="closed", version=1))
        s.flush()
        s.add(TaskMatter(task_id="t-open", matter_code="GH-001"))
        s.add(TaskMatter(task_id="t-closed", matter_code="HJ-001"))

"""A small district for the jurisdiction authority: 新登镇 (赋权), 银湖街道 (派驻), two departments, a matter
de-empowered for 新登镇 by edition 2 (effective 2027-01-01) and a matter first listed in edition 2."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app import models as m
from app.store import Store

EDITION_2 = date(2027, 1, 1)
DEEMPOWERED = "FY-GH-003"  # empowered to 新登镇 in edition 1, taken back in edition 2
EMPOWERED = "FY-SR-001"  # empowered to 新登镇 throughout
DEPT_ONLY = "FY-SC-001"  # never empowered
ADDED = "FY-YJ-007"  # first listed in edition 2


def build(store: Store, *, edition_2: bool = True) -> None:
    with store.write() as s:
        s.add(m.Township(id="xd", name="新登镇", mode="empowered", legal_name="杭州市富阳区新登镇人民政府",
                         seal_name="杭州市富阳区新登镇人民政府", number_prefix="新登镇综执",
                         team_name="综合行政执法队", version=1))
        s.add(m.Township(id="yh", name="银湖街道", kind="街道", mode="dispatched",
                         legal_name="杭州市富阳区银湖街道办事处", seal_name="杭州市富阳区银湖街道办事处",
                         number_prefix="", team_name="联合巡查执法队", version=1))
        s.add(m.Department(id="dept_zf", name="区综合行政执法局", short_name="综合执法", field="市容环卫",
                           kind="bureau", legal_name="杭州市富阳区综合行政执法局",
                           seal_name="杭州市富阳区综合行政执法局", number_prefix="富综执", version=1))
        s.add(m.Department(id="dept_zj", name="区住房和城乡建设局", short_name="住建", field="城乡建设",
                           legal_name="杭州市富阳区住房和城乡建设局", seal_name="杭州市富阳区住房和城乡建设局",
                           number_prefix="富建", version=1))
        s.add(m.Department(id="dept_scjg", name="区市场监督管理局", short_name="市场监管", field="市场监管",
                           legal_name="杭州市富阳区市场监督管理局", seal_name="杭州市富阳区市场监督管理局",
                           number_prefix="富市监", version=1))
        s.flush()
        s.add(m.CatalogueVersion(version=1, effective_date=date(2025, 7, 1), note="2025年版",
                                 published_at=datetime(2025, 6, 20, tzinfo=UTC)))
        if edition_2:
            add_edition_2(s)
        for code, name, dept, since in (
            (EMPOWERED, "对擅自占用城市道路的行政处罚", "dept_zf", 1),
            (DEEMPOWERED, "对未取得施工许可证擅自施工的行政处罚", "dept_zj", 1),
            (DEPT_ONLY, "对未取得食品经营许可从事食品经营活动的行政处罚", "dept_scjg", 1),
            (ADDED, "对违规停放电动自行车的行政处罚", "dept_zf", 2),
        ):
            s.add(m.Matter(id=f"m-{code}", code=code, name=name, field="市容环卫", owner_department_id=dept,
                           since_version=since, version=1))
        s.flush()
        s.add(m.MatterEmpowerment(township_id="xd", matter_code=EMPOWERED, version=1, empowered=True))
        s.add(m.MatterEmpowerment(township_id="xd", matter_code=DEEMPOWERED, version=1, empowered=True))


def add_edition_2(s: object) -> None:
    """Edition 2, effective 2027-01-01: 新登镇 loses FY-GH-003, gains the new FY-YJ-007."""
    s.add(m.CatalogueVersion(version=2, effective_date=EDITION_2, note="动态调整",
                             published_at=datetime(2026, 11, 15, tzinfo=UTC)))
    s.add(m.MatterEmpowerment(township_id="xd", matter_code=DEEMPOWERED, version=2,
                              empowered=False))
    s.add(m.MatterEmpowerment(township_id="xd", matter_code=ADDED, version=2,
                              empowered=True))

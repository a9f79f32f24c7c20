"""The merged checklist: grouped by owning department (lead first), identical points once, enforcing bodies."""

from __future__ import annotations

from datetime import date

from app.inspections.checklist import MatterInfo, item_key, merge_checklist, normalise_point
from app.rules.enforcing_body import Body
from app.store import Store
from tests.inspection.district import SHARED_POINT


def _m(code: str, dept: str, points: list[str], body: str = "") -> MatterInfo:
    return MatterInfo(code, f"事项{code}", dept, f"部门{dept}", tuple(points),
                      Body("department", dept, body or f"部门{dept}全称", "", ""))


def test_groups_by_department_lead_first_and_identical_points_once() -> None:
    matters = [_m("A1", "scjg", ["证照公示", "台账齐全"]), _m("B1", "zf", ["占道许可", "证照公示。"]),
               _m("A2", "scjg", ["台账齐全", "健康证明"])]
    groups = merge_checklist(matters, lead_department_id="zf")
    assert [g.department_id for g in groups] == ["zf", "scjg"]
    assert groups[0].lead and not groups[1].lead
    zf = [i.text for i in groups[0].items]
    scjg = [i.text for i in groups[1].items]
    assert zf == ["占道许可", "证照公示"]  # the shared point lives in the lead group ...
    assert scjg == ["台账齐全", "健康证明"]  # ... and is not asked again; 台账齐全 once for A1 and A2
    shared = groups[0].items[1]
    assert shared.matter_codes == ("B1", "A1")
    assert shared.bodies == ("部门zf全称", "部门scjg全称")
    assert shared.body_label == "部门zf全称、部门scjg全称"
    assert groups[1].items[0].matter_codes == ("A1", "A2")


def test_without_lead_departments_keep_matter_order() -> None:
    groups = merge_checklist([_m("A1", "scjg", ["x"]), _m("B1", "zf", ["y"])])
    assert [g.department_id for g in groups] == ["scjg", "zf"]


def test_keys_are_stable_across_punctuation_and_width() -> None:
    assert item_key("门前三包责任是否落实。") == item_key(" 门前三包责任是否落实")
    assert normalise_point("ＡＢＣ；") == "ABC"
    assert item_key("a") != item_key("b")


def test_loaded_checklist_names_enforcing_bodies(district: Store) -> None:
    from app.inspections.checklist import load_checklist

    with district.read() as s:
        groups = load_checklist(s, "xd", ["FY-SR-001", "FY-SJ-001", "FY-SR-002"], "dept_zf", day=date(2026, 5, 1))
        yh = load_checklist(s, "yh", ["FY-SR-001"], None, day=date(2026, 5, 1))
    items = {i.text: i for g in groups for i in g.items}
    assert len(items) == 6  # 3 + 2 + 2 points, the shared licence point once
    assert items["是否取得临时占用城市道路许可"].bodies == ("杭州市富阳区新登镇人民政府",)  # empowered: township's name
    assert items["许可证件是否在醒目位置公示"].bodies == ("杭州市富阳区市场监管局",)  # not empowered: department
    assert items[SHARED_POINT].bodies == ("杭州市富阳区新登镇人民政府", "杭州市富阳区市场监管局")
    assert items["门前三包责任是否落实"].matter_code == "FY-SR-002"
    # a dispatched township enforces everything in the department's name
    assert {i.body_label for g in yh for i in g.items} == {"杭州市富阳区综合行政执法局"}

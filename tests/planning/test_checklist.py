"""Matter suggestions for a target and the merged checklist (grouped by department, identical points once)."""

from __future__ import annotations

from app.planning.planner import merged_checklist, suggest_matters
from tests.planning.district import DAY


def test_suggestions_by_industry_and_open_instructions(planned) -> None:
    with planned.read() as s:
        got = suggest_matters(s, "xd", "tg1")
    codes = [g.code for g in got]
    # the open instruction's matter first; the closed instruction's matter (HJ-001) is not suggested
    assert codes == ["GH-001", "SJ-001", "SR-001", "SR-010"]
    gh = got[0]
    assert gh.task_ids == ("t-open",) and not gh.by_industry and "FYZH-2026-000001" in gh.reason
    assert all(g.by_industry and "餐饮" in g.reason for g in got[1:])


def test_suggestions_for_another_industry_and_unknown_target(planned) -> None:
    with planned.read() as s:
        assert [g.code for g in suggest_matters(s, "xd", "tg2")] == ["HJ-001"]
        assert suggest_matters(s, "xd", "nope") == []


def test_merged_checklist_groups_by_department_and_dedups(planned) -> None:
    with planned.read() as s:
        groups = merged_checklist(s, "xd", ["SR-001", "SR-010", "SJ-001"], day=DAY, lead_department_id="dept_scjg")
    assert [g.department_id for g in groups] == ["dept_scjg", "dept_zf"]  # the lead department first
    assert groups[0].is_lead
    zf = [i.point for i in groups[1].items]
    scjg = [i.point for i in groups[0].items]
    # the lead department's list comes first, so the shared 门前三包 point is checked there, once
    assert scjg == ["是否取得食品经营许可证", "从业人员是否持有健康证明", "门前三包责任是否落实"]
    assert zf == ["是否出店经营", "餐饮油烟是否经净化处理后排放"]
    shared = groups[0].items[2]
    assert shared.matter_codes == ["SJ-001", "SR-001", "SR-010"]
    # SR-* are empowered to 新登镇 (its own name); SJ-001 is enforced in the market regulator's name
    assert [b.kind for b in shared.bodies] == ["department", "township"]
    assert "新登镇人民政府" in shared.body_names and "市场监管局" in shared.body_names
    assert groups[0].items[0].body_names == "杭州市富阳区市场监管局"
    total = sum(len(g.items) for g in groups)
    assert total == 5  # 2 + 2 + 3 points, minus the two repeats of 门前三包


def test_checklist_of_nothing(planned) -> None:
    with planned.read() as s:
        assert merged_checklist(s, "xd", [], day=DAY) == []
        assert merged_checklist(s, "xd", ["NOPE"], day=DAY) == []


def test_dispatched_township_enforces_in_the_departments_name(planned) -> None:
    with planned.read() as s:
        groups = merged_checklist(s, "yh", ["SR-001"], day=DAY)
    assert {b.kind for g in groups for i in g.items for b in i.bodies} == {"department"}

"""Grid analysis on a small hand-made dataset: counts, period bounds, top matters, ranking, overdue, tiers from
configuration, and the CSV / XLSX exports."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest

from app.models import Finding, Task
from app.planning.analysis import Period, analyse
from app.planning.config import PlanningConfig, load_config
from app.planning.exports import export_csv, export_xlsx
from app.planning.planner import CST

PERIOD = Period(date(2026, 4, 1), date(2026, 4, 30))  # 30 days
NOW = datetime(2026, 5, 1, 10, 0, tzinfo=CST)

FINDINGS = [
    # grid, matter, result, local time
    ("g1", "SR-001", "violation", datetime(2026, 4, 1, 0, 0)),  # first instant of the period
    ("g1", "SR-001", "violation", datetime(2026, 4, 10, 9, 0)),
    ("g1", "SR-001", "violation", datetime(2026, 4, 11, 9, 0)),
    ("g1", "SJ-001", "violation", datetime(2026, 4, 12, 9, 0)),
    ("g1", "SJ-001", "compliant", datetime(2026, 4, 12, 9, 0)),
    ("g1", "SR-010", "compliant", datetime(2026, 4, 30, 23, 59)),  # last minute of the period
    ("g2", "HJ-001", "violation", datetime(2026, 4, 15, 9, 0)),
    ("g2", "HJ-001", "not_applicable", datetime(2026, 4, 15, 9, 0)),
    (None, "SR-001", "violation", datetime(2026, 4, 20, 9, 0)),
    ("g1", "SR-001", "violation", datetime(2026, 3, 31, 23, 59)),  # before the period
    ("g1", "SR-001", "violation", datetime(2026, 5, 1, 0, 0)),  # after the period
    ("g2", "HJ-001", "violation", datetime(2026, 4, 15, 9, 0), "yh"),  # another township
]


@pytest.fixture
def data(planned):
    with planned.write() as s:
        for row in FINDINGS:
            grid, code, result, at = row[:4]
            township = row[4] if len(row) > 4 else "xd"
            s.add(Finding(township_id=township, grid_id=grid, matter_code=code, result=result,
                          found_at=at.replace(tzinfo=CST), check_point="x"))
        for i, (grid, status, due) in enumerate([
            ("g1", "pending", NOW - timedelta(days=3)),  # overdue
            ("g1", "in_progress", NOW - timedelta(hours=12)),  # overdue at the period end, 0 whole days
            ("g2", "accepted", NOW - timedelta(days=10)),  # overdue
            ("g2", "reported", NOW - timedelta(days=10)),  # reported: the team's part is done
            ("g2", "pending", NOW + timedelta(days=1)),  # not yet due
            (None, "pending", NOW - timedelta(days=1)),  # overdue, no grid
        ]):
            s.add(Task(id=f"ta{i}", number=f"N{i}", title=f"指令{i}", task_type="核查", source="网格上报",
                       township_id="xd", grid_id=grid, status=status, deadline=due, version=1))
    return planned


def run(store, config: PlanningConfig | None = None, period: Period = PERIOD):
    with store.read() as s:
        return analyse(s, "xd", period, config or PlanningConfig.from_dict({}), now=NOW)


def test_per_grid_counts_and_period_bounds(data) -> None:
    a = run(data)
    by = {g.grid_id: g for g in a.grids}
    assert [g.code for g in a.grids] == ["XD-01", "XD-02", "XD-03", "—"]  # grids by code, the ungridded last
    assert (by["g1"].findings, by["g1"].violations, by["g1"].overdue) == (6, 4, 2)
    assert (by["g2"].findings, by["g2"].violations, by["g2"].overdue) == (2, 1, 1)
    assert (by["g3"].findings, by["g3"].violations, by["g3"].overdue) == (0, 0, 0)
    assert (by[""].findings, by[""].violations, by[""].overdue, by[""].name) == (1, 1, 1, "未划分网格")
    assert a.totals == {"findings": 9, "violations": 6, "overdue": 4, "grids": 4}
    assert [(m.code, m.count) for m in by["g1"].top_matters] == [("SR-001", 3), ("SJ-001", 1)]


def test_matter_ranking(data) -> None:
    a = run(data)
    assert [(r.rank, r.code, r.violations, r.findings, r.grids) for r in a.ranking] == [
        (1, "SR-001", 4, 4, 2), (2, "HJ-001", 1, 2, 1), (3, "SJ-001", 1, 2, 1), (4, "SR-010", 0, 1, 0)]  # ties by code
    assert a.ranking[0].share == pytest.approx(4 / 6)
    assert a.ranking[0].department == "区综合行政执法局" and a.ranking[0].field == "市容环卫"


def test_overdue_by_grid(data) -> None:
    a = run(data)  # overdue as of the end of the period (2026-05-01 00:00), which is before NOW
    assert [(t.number, t.grid_name, t.days_overdue) for t in a.overdue] == [
        ("N2", "新登镇第2网格", 9), ("N0", "新登镇第1网格", 2), ("N5", "未划分网格", 0), ("N1", "新登镇第1网格", 0)]
    # with a list limit below the number overdue, the per-grid counts still come out right (SQL GROUP BY)
    small = run(data, PlanningConfig.from_dict({"analysis": {"overdue_list_limit": 2}}))
    assert len(small.overdue) == 2 and small.totals["overdue"] == 4


@pytest.mark.parametrize(
    ("weights", "tiers", "expected"),
    [
        # 30 days ≈ 0.986 months; g1: 4 violations, 6 findings, 2 overdue
        ({"violations": 1, "findings": 0, "overdue": 0}, [0, 2, 5, 10], {"g1": 2, "g2": 1, "g3": 1}),
        ({"violations": 1, "findings": 0, "overdue": 0.5}, [0, 2, 5, 10], {"g1": 3, "g2": 1, "g3": 1}),
        ({"violations": 0, "findings": 1, "overdue": 0}, [0, 1, 2, 6], {"g1": 4, "g2": 3, "g3": 1}),
        ({"violations": 1, "findings": 0, "overdue": 0}, [0, 100, 200, 300], {"g1": 1, "g2": 1, "g3": 1}),
    ],
)
def test_tier_rule_from_configuration(data, weights, tiers, expected) -> None:
    labels = ["常规", "加密", "强化", "重点"]
    config = PlanningConfig.from_dict({"analysis": {
        "score_weights": weights,
        "tiers": [{"tier": i + 1, "label": labels[i], "min_score": t} for i, t in enumerate(tiers)]}})
    by = {g.grid_id: g for g in run(data, config).grids}
    assert {k: by[k].tier for k in expected} == expected
    assert by["g1"].tier_label == labels[expected["g1"] - 1]


def test_shipped_configuration_loads() -> None:
    config = load_config()
    assert config.merge_window_days == 7 and config.yearly_cap_per_body == 2
    assert next(t.label for t in config.tier_rule.tiers) == "常规（每月1次）"
    assert config.tier_rule.tiers[-1].label == "重点（每日）"
    with pytest.raises(Exception, match="至少"):
        PlanningConfig.from_dict({"draw": {"inspectors_per_target": 1}})


def test_exports(data, tmp_path) -> None:
    a = run(data)
    written = export_csv(a, tmp_path / "研判.csv")
    assert [p.name for p in written] == ["研判.csv", "研判-高频事项.csv", "研判-逾期指令.csv"]
    with written[0].open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["网格编号", "网格名称", "检查发现数", "违法问题数"] and rows[1][:4] == ["XD-01", "新登镇第1网格",
                                                                                      "6", "4"]
    import openpyxl

    path = export_xlsx(a, tmp_path / "研判.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["网格研判", "高频事项", "逾期指令"]
    assert wb["网格研判"]["A3"].value == "XD-01" and wb["网格研判"]["D3"].value == 4
    assert wb["高频事项"]["C3"].value == "事项SR-001"


def test_empty_period(data) -> None:
    a = run(data, period=Period(date(2020, 1, 1), date(2020, 1, 31)))
    assert a.totals["findings"] == 0 and a.ranking == []
    assert {g.tier for g in a.grids} <= {1, 2}  # only overdue can lift a tier here

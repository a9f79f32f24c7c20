"""The demo dataset: deterministic, realistic in shape, and exactly the wire form `app.entities` speaks."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time

import pytest

from app import models as m
from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, build_dataset
from app.demo.taskgen import CST
from app.entities import SPECS, decode_field, to_wire
from app.rules.task_states import due_today, is_overdue
from app.rules.validators import validate_credit_code

TODAY = date(2026, 11, 26)
NOW = datetime.combine(TODAY, time(8, 30), CST)


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    return build_dataset(today=TODAY)


def test_deterministic_for_seed_and_day(data: dict[str, list[dict]]) -> None:
    assert build_dataset(today=TODAY) == data
    other = build_dataset(today=TODAY, seed=7)
    assert other["task"] != data["task"]
    assert other["township"] == data["township"]  # reference data does not depend on the seed
    assert len(build_dataset(today=TODAY, tasks=12)["task"]) == 12


def test_every_entity_of_specs_present(data: dict[str, list[dict]]) -> None:
    assert set(data) == set(SPECS)


def test_wire_shape_is_to_wire_plus_id_and_version(data: dict[str, list[dict]]) -> None:
    for entity, rows in data.items():
        model = SPECS[entity].model
        expected = set(to_wire(model())) | {"version", "id"}
        for row in rows:
            assert set(row) == expected, (entity, set(row) ^ expected)
            assert isinstance(row["id"], str) and row["id"]
            if entity not in ("catalogue_version", "matter_empowerment"):  # their `version` is the edition
                assert row["version"] == 1


def test_every_value_decodes(data: dict[str, list[dict]]) -> None:
    for entity, rows in data.items():
        model = SPECS[entity].model
        columns = model.__table__.columns
        for row in rows:
            for key, value in row.items():
                if key in columns:
                    decoded = decode_field(model, key, value)
                    if isinstance(decoded, datetime):
                        assert decoded.tzinfo is not None
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), entity


def test_townships(data: dict[str, list[dict]]) -> None:
    towns = {t["id"]: t for t in data["township"]}
    assert len(towns) == 24
    assert all(re.fullmatch(r"[a-z]+", t) for t in towns)
    xd, yh = towns["xindeng"], towns["yinhu"]
    assert (xd["name"], xd["mode"], xd["kind"]) == ("新登镇", "empowered", "镇")
    assert xd["legal_name"] == "杭州市富阳区新登镇人民政府" and xd["number_prefix"] == "新登镇综执"
    assert xd["team_name"].endswith("综合行政执法队")
    assert (yh["name"], yh["mode"]) == ("银湖街道", "dispatched")
    assert yh["team_name"].endswith("联合巡查执法队")
    for t in towns.values():
        assert t["mode"] in ("empowered", "dispatched")
        assert bool(t["number_prefix"]) == (t["mode"] == "empowered")


def test_departments_units_grids(data: dict[str, list[dict]]) -> None:
    depts = {d["id"]: d for d in data["department"]}
    assert len(depts) == 9
    assert depts["dept_zf"]["kind"] == "bureau" and depts["dept_zf"]["number_prefix"] == "富综执"
    assert depts["dept_zf"]["legal_name"] == "杭州市富阳区综合行政执法局"
    assert sum(d["kind"] == "specialised" for d in depts.values()) == 8
    towns = {t["id"] for t in data["township"]}
    units = Counter(u["township_id"] for u in data["unit"])
    assert set(units) == towns and all(1 <= n <= 3 for n in units.values())
    assert all(u["department_id"] in (None, *depts) for u in data["unit"])
    grids = Counter(g["township_id"] for g in data["grid"])
    assert set(grids) == towns and all(3 <= n <= 6 for n in grids.values())
    assert all(re.fullmatch(r".+第\d网格（.+）", g["name"]) for g in data["grid"])


def test_catalogue(data: dict[str, list[dict]]) -> None:
    matters = data["matter"]
    assert len(matters) >= 60
    assert len({mt["field"] for mt in matters}) >= 8
    owners = {d["id"] for d in data["department"]}
    check_points: Counter[str] = Counter()
    for mt in matters:
        assert mt["owner_department_id"] in owners
        assert 2 <= len(mt["check_points"]) <= 4 and mt["industries"]
        assert mt["legal_basis"].startswith("《") and mt["penalty_basis"].startswith("《")
        assert mt["discretion"] and all(set(d) == {"level", "description", "range"} for d in mt["discretion"])
        check_points.update(mt["check_points"])
    owners_of = {cp: {mt["owner_department_id"] for mt in matters if cp in mt["check_points"]}
                 for cp, n in check_points.items() if n > 1}
    assert owners_of["营业执照是否在有效期内并悬挂"] >= {"dept_scjg", "dept_wgly", "dept_wsjk"}
    assert 0.3 <= sum(mt["random_item"] for mt in matters) / len(matters) <= 0.7
    assert 3 <= sum(mt["major_penalty"] for mt in matters) <= len(matters) // 3


def test_catalogue_versions_and_empowerment(data: dict[str, list[dict]]) -> None:
    versions = {v["version"]: v for v in data["catalogue_version"]}
    assert set(versions) >= {1, 2}
    assert versions[1]["effective_date"] < versions[2]["effective_date"]
    assert all(v["id"] == str(v["version"]) for v in versions.values())
    towns = {t["id"]: t for t in data["township"]}
    rows = data["matter_empowerment"]
    assert {r["township_id"] for r in rows} == {t for t, v in towns.items() if v["mode"] == "empowered"}
    v1_codes = {r["matter_code"] for r in rows if r["version"] == 1}
    assert len(v1_codes) >= 60
    for tid in {r["township_id"] for r in rows}:
        v1 = [r for r in rows if r["township_id"] == tid and r["version"] == 1]
        assert 0.6 <= sum(r["empowered"] for r in v1) / len(v1_codes) <= 0.8, tid
    state = {(r["township_id"], r["matter_code"], r["version"]): r["empowered"] for r in rows}
    withdrawn = [code for (tid, code, v), emp in state.items()
                 if tid == "xindeng" and v == 2 and not emp and state.get(("xindeng", code, 1))]
    assert withdrawn  # version 2 takes at least one matter back from 新登镇


def test_targets(data: dict[str, list[dict]]) -> None:
    targets = data["target"]
    assert 280 <= len(targets) <= 320
    grids = {g["id"]: g["township_id"] for g in data["grid"]}
    for t in targets:
        assert t["kind"] in ("企业", "个体工商户", "场所", "自然人")
        if t["kind"] == "自然人":
            assert t["credit_code"] is None and t["legal_rep"] is None
        else:
            assert validate_credit_code(t["credit_code"]) == t["credit_code"]
            assert t["legal_rep"]
        assert grids[t["grid_id"]] == t["township_id"]
        assert t["risk_grade"] in ("A", "B", "C", "D")
        assert re.fullmatch(r"1[358]\d{9}", t["contact_phone"])
        assert t["address"].startswith("杭州市富阳区")
    assert {t["kind"] for t in targets} == {"企业", "个体工商户", "场所", "自然人"}
    per_town = Counter(t["township_id"] for t in targets)
    assert per_town["xindeng"] >= 60 and per_town["yinhu"] >= 60
    names = [t["name"] for t in targets if t["kind"] != "自然人"]
    assert len(set(names)) == len(names)


def test_officers(data: dict[str, list[dict]]) -> None:
    officers = data["officer"]
    assert 35 <= len(officers) <= 45
    for tid in ("xindeng", "yinhu"):
        mine = [o for o in officers if o["township_id"] == tid]
        roles = Counter(o["role"] for o in mine)
        assert len(mine) >= 8 and roles["leader"] == 1 and roles["clerk"] == 1 and roles["officer"] >= 5
    certified = [o for o in officers if o["certificate_no"]]
    assert all(re.fullmatch(r"浙A01-\d{4}-\d{4}", o["certificate_no"]) for o in certified)
    assert len({o["certificate_no"] for o in certified}) == len(certified)
    expired = [o for o in certified if date.fromisoformat(o["cert_valid_until"]) < TODAY]
    assert 2 <= len(expired) <= len(certified) // 3
    assert {mt["field"] for mt in data["matter"]} <= {f for o in officers for f in o["fields"]}
    assert len({o["username"] for o in officers}) == len(officers)
    ids, targets = {o["id"] for o in officers}, {t["id"] for t in data["target"]}
    interests = data["officer_interest"]
    assert interests and all(i["officer_id"] in ids and i["target_id"] in targets for i in interests)


def test_demo_accounts(data: dict[str, list[dict]]) -> None:
    officers = {o["id"]: o for o in data["officer"]}
    by_name = {a["username"]: a for a in DEMO_ACCOUNTS}
    assert set(by_name) >= {"xindeng.leader", "xindeng.officer", "xindeng.clerk", "yinhu.leader", "centre.admin"}
    for acc in DEMO_ACCOUNTS:
        assert acc["password"] == DEMO_PASSWORD == "demo2026"
        if acc["role"] == "centre":
            assert acc["township_id"] is None and acc["officer_id"] is None
            continue
        officer = officers[acc["officer_id"]]
        assert (officer["username"], officer["role"], officer["township_id"], officer["name"]) == (
            acc["username"], acc["role"], acc["township_id"], acc["name"])
        assert officer["role"] == "clerk" or date.fromisoformat(officer["cert_valid_until"]) > TODAY


def test_tasks(data: dict[str, list[dict]]) -> None:
    tasks = data["task"]
    assert len(tasks) == 200
    assert {t["status"] for t in tasks} == {"pending", "accepted", "in_progress", "reported", "closed", "returned"}
    assert {t["source"] for t in tasks} == {"指挥中心", "网格上报", "投诉举报", "部门抄告", "双随机"}
    per_town = Counter(t["township_id"] for t in tasks)
    assert per_town["xindeng"] + per_town["yinhu"] > len(tasks) / 2
    officers = {o["id"]: o for o in data["officer"]}
    targets = {t["id"]: t for t in data["target"]}
    grids = {g["id"]: g["township_id"] for g in data["grid"]}
    codes = {mt["code"] for mt in data["matter"]}
    for t in tasks:
        assert re.fullmatch(r"FYZH-\d{4}-\d{6}", t["number"])
        assert 1 <= t["priority"] <= 4
        assert 1 <= len(t["matter_codes"]) <= 3 and set(t["matter_codes"]) <= codes
        assert 1 <= len(t["assignee_ids"]) <= 3
        assert all(officers[o]["township_id"] == t["township_id"] for o in t["assignee_ids"])
        assert all(officers[o]["role"] != "clerk" for o in t["assignee_ids"])
        assert grids[t["grid_id"]] == t["township_id"]
        if t["target_id"]:
            assert targets[t["target_id"]]["township_id"] == t["township_id"]
        assert t["assignee_ids"] == sorted(t["assignee_ids"]) and t["matter_codes"] == sorted(t["matter_codes"])
    assert sum("油烟" in t["title"] for t in tasks) >= 5
    assert len({t["number"] for t in tasks}) == len(tasks)


def test_task_events_follow_the_state_machine(data: dict[str, list[dict]]) -> None:
    for t in data["task"]:
        status = "pending"
        last = decode_field(m.Task, "dispatched_at", t["dispatched_at"])
        for ev in t["events"]:
            assert ev["from_status"] == status, t["id"]
            at = datetime.fromisoformat(ev["at"])
            assert last < at <= NOW
            status, last = ev["to_status"], at
            if ev["action"] in ("return", "reject"):
                assert ev["reason"]
            if ev["action"] == "report":
                assert ev["feedback"]
        assert status == t["status"], t["id"]
        assert t["updated_at"] == (t["events"][-1]["at"] if t["events"] else t["dispatched_at"])
        if t["status"] in ("reported", "closed"):
            assert t["feedback"]


def test_deadlines_around_today(data: dict[str, list[dict]]) -> None:
    deadlines = [(decode_field(m.Task, "deadline", t["deadline"]), t["status"]) for t in data["task"]]
    assert sum(is_overdue(d, s, NOW) for d, s in deadlines) >= 5
    assert sum(due_today(d, s, NOW) for d, s in deadlines) >= 3
    assert any(d > NOW for d, s in deadlines if s in ("pending", "accepted", "in_progress"))

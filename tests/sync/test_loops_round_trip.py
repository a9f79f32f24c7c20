"""The reform loops' records over real HTTP between two laptops of one team, the platform and another team:
interventions, urgent check-ins, complaints (the complainant's identity reaching only the leader's laptop),
complaint replies, 抄告 replies entered on the platform, grid tier changes applied by the platform; the centre's
supervision endpoints; nothing crosses to the other township."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app import changes
from app import models as m
from app.loops.complaints import ComplaintService
from app.loops.interventions import InterventionInput, InterventionService
from app.loops.notices import chain_for_target
from app.loops.urgent import UrgentService
from app.planning.patrols import GridTierService
from sync.protocol import MutationResults
from sync.server import admin, loops_admin
from sync.server.storage import Record, read_session
from sync.transport import ForbiddenError
from tests.sync.helpers import PASSWORD, Laptop, synced

LOOP_ENTITIES = (m.Intervention, m.ResponseCheckin, m.Complainant, m.ComplaintReply, m.NoticeReply, m.GridTierChange)


def _count(lap: Laptop, model: type[m.Base]) -> int:
    with lap.store.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _centre_get(server: Any, path: str) -> Any:
    token = httpx.post(f"{server.url}/api/v1/auth/token", json={
        "username": "centre.admin", "password": PASSWORD, "device_id": "centre-desk-01"}).json()["access_token"]
    response = httpx.get(f"{server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def team(laptop_factory: Callable[..., Laptop], server: Any) -> dict[str, Any]:
    target = _target(server, "xindeng")
    urgent = admin.create_task(server.engine, "xindeng", "紧急：城南路燃气泄漏处置", priority=2, target=target)
    complaint = loops_admin.create_complaint(
        server.engine, "xindeng", "关于餐饮油烟扰民的投诉", name="王秀英", phone="13905710001", target=target)
    officer = laptop_factory("officer", "xindeng.officer")
    leader = laptop_factory("leader", "xindeng.leader")
    other = laptop_factory("other", "yinhu.leader")
    for lap in (officer, leader, other):
        synced(lap.sync())
    return {"officer": officer, "leader": leader, "other": other, "urgent": urgent["id"],
            "complaint": complaint["id"], "target": target}


def _target(server: Any, township: str) -> str:
    with read_session(server.engine) as s:
        return next(r.id for r in s.scalars(select(Record).where(Record.entity == "target",
                                                                   Record.township_id == township)))


def test_loop_records_round_trip_with_team_isolation(team: dict[str, Any], server: Any) -> None:
    officer, leader, other = team["officer"], team["leader"], team["other"]
    # the complainant's identity reaches the leader's laptop only
    assert _count(leader, m.Complainant) == 1 and _count(officer, m.Complainant) == 0
    assert ComplaintService(leader.store, leader.user).complainant(team["complaint"]).name == "王秀英"

    now = datetime.now(UTC)
    UrgentService(officer.store, officer.user).check_in(team["urgent"], "respond", location="新登镇城南路",
                                                        location_source="typed")
    InterventionService(officer.store, officer.user).record(InterventionInput(
        "李某", "某局副局长", now - timedelta(minutes=10), "phone", "要求对该店从轻处理", "已告知依法办理并记录在案",
        task_id=team["complaint"]))
    ComplaintService(officer.store, officer.user).record_reply(
        team["complaint"], replied_at=now, channel="phone", content="已责令整改，油烟净化器已安装")
    with officer.store.write() as s:  # a 抄告 from a finding on the target (as the follow-up service makes it)
        dept = s.scalars(select(m.Department.id)).first()
        notice = m.Referral(id=m.new_id(), kind="notice", township_id=officer.user.township_id,
                            to_department_id=dept, subject="油烟净化设施监管漏洞", facts="未安装油烟净化设施",
                            reason="请加强监管", reply_due=(now - timedelta(days=2)).date(), status="open",
                            created_by=officer.user.actor)
        inspection = m.Inspection(id=m.new_id(), township_id=officer.user.township_id, target_id=team["target"],
                                  started_at=now, created_by=officer.user.actor)
        changes.record_create(s, inspection, actor=officer.user.actor)
        notice.inspection_id = inspection.id
        changes.record_create(s, notice, actor=officer.user.actor)
    rep = synced(officer.sync())
    assert rep.rejected == 0 and rep.applied >= 5

    overdue = _centre_get(server, "/supervision/notice-replies/overdue?township=xindeng")["notices"]
    assert notice.id in {n["referral_id"] for n in overdue}
    loops_admin.notice_reply(server.engine, notice.id, "已约谈经营者并开展行业排查", replier="区市场监管局 张科长")
    overdue = _centre_get(server, "/supervision/notice-replies/overdue?township=xindeng")["notices"]
    assert notice.id not in {n["referral_id"] for n in overdue}
    with leader.store.read() as s:
        grid_id = s.scalars(select(m.Target.grid_id).where(m.Target.id == team["target"])).one()
    applied = GridTierService(leader.store, leader.user).apply(grid_id, 3, "近三月违法 6 起，研判建议强化巡查",
                                                               score=6.0)
    assert len(applied.plans) == 13
    synced(leader.sync())
    synced(officer.sync())
    for lap in (officer, leader):
        assert _count(lap, m.Intervention) == 1 and _count(lap, m.ResponseCheckin) == 1
        assert _count(lap, m.ComplaintReply) == 1 and _count(lap, m.NoticeReply) == 1
        assert _count(lap, m.GridTierChange) == 1
        with lap.store.read() as s:
            assert s.get(m.Grid, grid_id).patrol_tier == 3
            [link] = chain_for_target(s, team["target"], now.date())
            assert link.notice.id == notice.id and link.answered and not link.overdue
    with read_session(server.engine) as s:
        assert s.get(Record, ("grid", grid_id)).data["patrol_tier"] == 3
    # the other township's laptop got none of it
    for model in LOOP_ENTITIES:
        assert _count(other, model) == 0, model.__name__

    summary = _centre_get(server, "/supervision/interventions/summary")["months"]
    assert [(r["township_id"], r["count"]) for r in summary] == [("xindeng", 1)]
    [row] = _centre_get(server, "/supervision/interventions")["interventions"]
    assert (row["intervener_name"], row["channel_label"]) == ("李某", "电话")
    urgent = _centre_get(server, "/supervision/urgent-responses?all=true")["responses"]
    assert team["urgent"] in {r["task_id"] for r in urgent}


def test_other_team_cannot_attach_records_and_officers_cannot_supervise(team: dict[str, Any], server: Any) -> None:
    other = team["other"]
    batch = {"device_id": other.auth.device_id, "mutations": [{
        "mutation_id": m.new_id(), "device_seq": 1, "entity": "intervention", "entity_id": m.new_id(),
        "op": "create", "base_version": 0, "data": {
            "township_id": "yinhu", "task_id": team["complaint"], "intervener_name": "某人", "channel": "phone",
            "request": "打招呼", "occurred_at": datetime.now(UTC).isoformat()}}]}
    [result] = other.auth.call("POST", "/sync/mutations", MutationResults, json_body=batch).results
    assert (result.status, result.code) == ("rejected", "forbidden")
    with pytest.raises(ForbiddenError, match="指挥中心"):  # a team leader's token is refused by supervision
        other.auth.request("GET", "/supervision/interventions")


def test_intervention_is_append_only_on_the_platform(team: dict[str, Any], server: Any) -> None:
    officer = team["officer"]
    service = InterventionService(officer.store, officer.user)
    first = service.record(InterventionInput("李某", "", datetime.now(UTC), "visit", "要求撤案", "拒绝",
                                             task_id=team["urgent"]))
    synced(officer.sync())
    batch = {"device_id": officer.auth.device_id, "mutations": [{
        "mutation_id": m.new_id(), "device_seq": 99, "entity": "intervention", "entity_id": first.id,
        "op": "update", "base_version": 1, "data": {"fields": {"request": "（删改）"}, "base": {"request": "要求撤案"}}}]}
    [result] = officer.auth.call("POST", "/sync/mutations", MutationResults, json_body=batch).results
    assert (result.status, result.code) == ("rejected", "append_only")
    correction = service.record(InterventionInput("李某", "某局副局长", datetime.now(UTC), "visit", "要求撤案并删除照片",
                                                  "拒绝", task_id=team["urgent"], corrects_id=first.id))
    synced(officer.sync())
    with read_session(server.engine) as s:
        stored = s.get(Record, ("intervention", correction.id))
        assert stored is not None and stored.data["corrects_id"] == first.id
        assert s.get(Record, ("intervention", first.id)).data["request"] == "要求撤案"


def test_admin_exports_interventions_and_identity_never_logged(
    team: dict[str, Any], server: Any, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    import csv
    import logging

    from openpyxl import load_workbook

    from sync.server.__main__ import admin_main

    caplog.set_level(logging.DEBUG)
    officer, leader = team["officer"], team["leader"]
    InterventionService(officer.store, officer.user).record(InterventionInput(
        "赵某", "村委会主任", datetime.now(UTC), "visit", "要求不要拍照", "告知依法全程记录", task_id=team["urgent"]))
    synced(officer.sync())
    synced(leader.sync())
    assert _count(leader, m.Complainant) == 1
    assert "王秀英" not in caplog.text and "13905710001" not in caplog.text
    data_dir = server.settings.data_dir
    server.stop()  # the CLI opens the platform's database itself
    for name in ("out.csv", "out.xlsx"):
        assert admin_main(["--data-dir", str(data_dir), "export-interventions", "--out", str(tmp_path / name)]) == 0
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["乡镇（街道）", "干预时间", "干预人"] and rows[1][2] == "赵某" and rows[1][4] == "当面"
    book = load_workbook(tmp_path / "out.xlsx")
    assert book["干预留痕"]["C2"].value == "赵某"
    assert [c.value for c in book["月度汇总"][2]][2:] == [1, 0]


def test_admin_cli_complaint_and_notice_reply(server: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from sync.server.__main__ import admin_main
    from sync.server.records import create_record
    from sync.server.storage import write_session

    with write_session(server.engine) as s:
        for rid, kind in (("cli-notice", "notice"), ("cli-transfer", "transfer")):
            create_record(s, "referral", rid, {"kind": kind, "township_id": "xindeng", "subject": "监管漏洞",
                                               "to_department_id": "x", "reply_due": None, "status": "open"},
                          township_id="xindeng")
    data_dir = str(server.settings.data_dir)
    server.stop()
    base = ["--data-dir", data_dir]
    assert admin_main([*base, "create-complaint", "--township", "xindeng", "--title", "噪声扰民投诉",
                       "--name", "张三", "--phone", "13800000000"]) == 0
    assert "已派发投诉举报件" in capsys.readouterr().out
    assert admin_main([*base, "create-complaint", "--township", "xindeng", "--title", "张三投诉噪声",
                       "--name", "张三"]) == 1
    assert "不能包含投诉举报人的身份信息" in capsys.readouterr().err
    assert admin_main([*base, "notice-reply", "--referral", "cli-transfer", "--content", "已处理"]) == 1
    assert "不是抄告单" in capsys.readouterr().err
    assert admin_main([*base, "notice-reply", "--referral", "cli-notice", "--content", "已整改",
                       "--replier", "区市场监管局"]) == 0
    assert "已录入抄告反馈" in capsys.readouterr().out

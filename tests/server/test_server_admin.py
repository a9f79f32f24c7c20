"""Centre administration: the importable functions and the `python -m sync.server admin` command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from server_helpers import XD, YH, login, pull_all, push, update
from starlette.testclient import TestClient

from sync.server import admin
from sync.server.__main__ import main
from sync.server.admin import AdminError
from sync.server.storage import Record, User, read_session


def _where(settings) -> list[str]:
    return ["--data-dir", str(settings.data_dir), *(["--db-url", settings.db_url] if settings.db_url else [])]


def test_create_task_reaches_the_township_only(client: TestClient, engine) -> None:
    xd, yh = login(client, "xindeng.leader"), login(client, "yinhu.leader")
    _, xd_cursor = pull_all(client, xd)
    _, yh_cursor = pull_all(client, yh)
    task = admin.create_task(
        engine,
        XD,
        "核查占道经营",
        target="tgt-xd-1",
        matters=["330217001"],
        deadline="2026-03-09T17:00",
        priority=2,
        source="网格上报",
        task_type="核查",
    )
    assert task["status"] == "pending" and task["grid_id"] == "grid-xd-1" and task["version"] == 1
    assert (
        task["deadline"] == "2026-03-09T17:00:00+08:00"
        and task["number"].startswith("FYZH-")
        and len(task["number"]) == 16
    )
    page = client.get("/api/v1/sync/changes", headers=xd, params={"cursor": xd_cursor}).json()
    assert [c["id"] for c in page["changes"]] == [task["id"]]
    assert (
        client.get("/api/v1/sync/changes", headers=yh, params={"cursor": yh_cursor}).json()["changes"] == []
    )


def test_create_task_validation(engine) -> None:
    with pytest.raises(AdminError):
        admin.create_task(engine, "nowhere", "x")
    with pytest.raises(AdminError):
        admin.create_task(engine, YH, "x", target="tgt-xd-1")
    with pytest.raises(AdminError):
        admin.create_task(engine, XD, "x", matters=["999"])


def test_set_deadline_set_field_and_a_laptop_conflict(client: TestClient, engine) -> None:
    t = admin.set_deadline(engine, "task-xd-002", "2026-05-01T12:00:00+08:00")
    assert t["version"] == 2
    admin.set_field(engine, "task-xd-002", "notes", "中心补充说明")
    res = push(
        client,
        login(client, "xindeng.officer"),
        update("task", "task-xd-002", {"notes": "队员"}, {"notes": ""}),
    )
    assert res[0]["status"] == "conflict"


def test_empower_and_deempower_publish_new_editions(client: TestClient, engine) -> None:
    row = admin.empower(engine, XD, "330217002")
    assert row["version"] == 2 and row["empowered"] is True
    row = admin.deempower(engine, XD, "330217002")
    assert row["version"] == 3 and row["empowered"] is False
    state, _ = pull_all(client, login(client, "xindeng.leader"))
    editions = {c["id"]: c for (e, _i), c in state.items() if e == "catalogue_version"}
    assert set(editions) == {"1", "2", "3"} and editions["3"]["version"] == 3
    rows = [c for (e, _i), c in state.items() if e == "matter_empowerment"]
    assert sorted((c["version"], c["data"]["matter_code"], c["data"]["empowered"]) for c in rows) == [
        (1, "330217001", True),
        (2, "330217002", True),
        (3, "330217002", False),
    ]
    yh_state, _ = pull_all(client, login(client, "yinhu.leader"))
    assert not [k for k in yh_state if k[0] == "matter_empowerment"]
    assert {k[1] for k in yh_state if k[0] == "catalogue_version"} == {"1", "2", "3"}


def test_add_user_then_login(client: TestClient, engine) -> None:
    admin.add_user(engine, "yinhu.officer", "secret-123", "officer", YH, name="周队员")
    with pytest.raises(AdminError):
        admin.add_user(engine, "yinhu.officer", "secret-123", "officer", YH)
    with pytest.raises(AdminError):
        admin.add_user(engine, "bad.role", "secret-123", "mayor", YH)
    resp = client.post(
        "/api/v1/auth/token",
        json={"username": "yinhu.officer", "password": "secret-123", "device_id": "device-zzzz-9"},
    )
    assert resp.status_code == 200 and resp.json()["user"]["township_id"] == YH


def test_cli_commands(settings, capsys) -> None:
    assert (
        main(
            [
                "admin",
                *_where(settings),
                "create-task",
                "--township",
                XD,
                "--title",
                "专项检查",
                "--matter",
                "330217001",
                "--priority",
                "1",
                "--type",
                "专项检查",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.strip()
    assert out.startswith("已派发任务 created task id=") and "\n" not in out
    task_id = out.split("id=")[1].split()[0]
    commands = [
        ["set-deadline", "--task", task_id, "--deadline", "2026-06-01T17:00:00+08:00"],
        ["set-field", "--task", task_id, "--field", "notes", "--value", "中心备注"],
        ["set-field", "--task", task_id, "--field", "priority", "--value", "2", "--json"],
        ["reassign", "--task", task_id, "--township", YH],
        ["empower", "--township", YH, "--matter", "330217002"],
        ["deempower", "--township", YH, "--matter", "330217002"],
        [
            "add-user",
            "--username",
            "cli.user",
            "--password",
            "password-1",
            "--role",
            "clerk",
            "--township",
            XD,
        ],
        ["delete", "--entity", "target", "--id", "tgt-xd-1"],
        ["compact", "--keep-last", "0"],
    ]
    for cmd in commands:
        assert main(["admin", *_where(settings), *cmd]) == 0, cmd
        line = capsys.readouterr().out.strip()
        assert line and "\n" not in line and not line.isascii(), line
    assert main(["admin", *_where(settings), "close", "--task", task_id]) == 1
    assert "错误 error:" in capsys.readouterr().err
    from sync.server.storage import init_db, make_engine

    engine = make_engine(settings.database_url)
    init_db(engine)
    with read_session(engine) as s:
        task = s.get(Record, ("task", task_id))
        assert task.township_id == YH and task.data["priority"] == 2 and task.data["notes"] == "中心备注"
        assert s.get(User, "cli.user") is not None
    engine.dispose()


def test_cli_reject_and_close(engine, settings, capsys) -> None:
    assert main(["admin", *_where(settings), "reject", "--task", "task-xd-003", "--reason", "材料不全"]) == 0
    assert "已驳回" in capsys.readouterr().out
    admin.set_field(engine, "task-xd-003", "status", "reported")
    assert main(["admin", *_where(settings), "close", "--task", "task-xd-003"]) == 0
    assert "已办结" in capsys.readouterr().out


def test_module_entry_point_help() -> None:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-m", "sync.server", "admin", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "create-task" in out.stdout and "compact" in out.stdout

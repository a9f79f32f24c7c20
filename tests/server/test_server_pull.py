"""Pull: scoping by township, paging and cursors, tombstones, reassignment and the 410 horizon."""

from __future__ import annotations

from server_helpers import XD, YH, login, pull_all
from starlette.testclient import TestClient

from sync.protocol import MAX_PAGE, ChangesPage
from sync.server import admin
from sync.server.storage import max_seq as _max_seq
from sync.server.storage import read_session


def _ids(state: dict, entity: str) -> set[str]:
    return {i for (e, i) in state if e == entity}


def test_yinhu_sees_only_its_own_and_global_records(client: TestClient) -> None:
    state, _ = pull_all(client, login(client, "yinhu.leader"))
    assert _ids(state, "task") == {"task-yh-001"}
    assert _ids(state, "target") == {"tgt-yh-1"}
    assert _ids(state, "evidence") == set() and _ids(state, "document") == set()
    assert _ids(state, "officer") == {"off-yh-leader"}
    assert _ids(state, "officer_interest") == set() and _ids(state, "matter_empowerment") == set()
    assert _ids(state, "township") == {XD, YH}  # global
    assert _ids(state, "matter") == {"mat-330217001", "mat-330217002"}
    assert all(
        (c["data"].get("township_id") in (None, YH)) or c["entity"] in ("township", "unit")
        for c in state.values()
    )


def test_xindeng_sees_its_records_centre_sees_all(client: TestClient) -> None:
    xd, _ = pull_all(client, login(client, "xindeng.officer"))
    assert _ids(xd, "task") == {"task-xd-001", "task-xd-002", "task-xd-003", "task-xd-004"}
    assert _ids(xd, "officer_interest") == {"oi-1"}  # township taken from its officer
    centre, _ = pull_all(client, login(client, "centre.admin"))
    assert _ids(centre, "task") == _ids(xd, "task") | {"task-yh-001"}


def test_change_shape_and_versions(client: TestClient) -> None:
    resp = client.get("/api/v1/sync/changes", headers=login(client, "xindeng.leader"), params={"cursor": 0})
    page = ChangesPage.model_validate(resp.json())
    task = next(c for c in page.changes if c.id == "task-xd-001")
    assert task.op == "upsert" and task.version == 1 and task.data is not None
    assert task.data["id"] == "task-xd-001" and "version" not in task.data
    assert task.data["assignee_ids"] == [] and task.data["events"] == []
    edition = next(c for c in page.changes if c.entity == "catalogue_version")
    assert edition.id == "1" and edition.version == 1 and edition.data["version"] == 1


def test_paging_follows_the_commit_sequence(client: TestClient) -> None:
    headers = login(client, "xindeng.leader")
    full, end = pull_all(client, headers, limit=MAX_PAGE)
    seen: list[tuple[str, str]] = []
    cursor, pages = 0, 0
    while True:
        page = client.get(
            "/api/v1/sync/changes", headers=headers, params={"cursor": cursor, "limit": 3}
        ).json()
        assert len(page["changes"]) <= 3
        seen += [(c["entity"], c["id"]) for c in page["changes"]]
        pages += 1
        if not page["has_more"]:
            break
        assert page["next_cursor"] > cursor
        cursor = page["next_cursor"]
    assert pages > 3 and len(seen) == len(set(seen)) == len(full)
    assert page["next_cursor"] == end
    # nothing new: same cursor back, no changes
    again = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": end}).json()
    assert again == {"changes": [], "next_cursor": end, "has_more": False, "head": end}


def test_limit_is_capped(client: TestClient) -> None:
    resp = client.get(
        "/api/v1/sync/changes",
        headers=login(client, "centre.admin"),
        params={"cursor": 0, "limit": 10 * MAX_PAGE},
    )
    assert resp.status_code == 200


def test_an_update_moves_the_record_to_the_end_once(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.leader")
    _, cursor = pull_all(client, headers)
    admin.set_deadline(engine, "task-xd-002", "2026-04-01T17:00:00+08:00")
    admin.set_deadline(engine, "task-xd-002", "2026-04-02T17:00:00+08:00")
    page = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": cursor}).json()
    assert [(c["id"], c["version"]) for c in page["changes"]] == [("task-xd-002", 3)]
    assert page["changes"][0]["data"]["deadline"] == "2026-04-02T17:00:00+08:00"
    # a yinhu laptop does not even see that something happened
    yh = login(client, "yinhu.leader")
    _, yh_cursor = pull_all(client, yh)
    assert (
        client.get("/api/v1/sync/changes", headers=yh, params={"cursor": yh_cursor}).json()["changes"] == []
    )


def test_tombstones_and_410_after_compaction(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.leader")
    _, cursor = pull_all(client, headers)
    assert admin.compact(engine, keep_last=0) == (0, 0)  # no tombstones: the horizon stays
    admin.delete(engine, "target", "tgt-xd-1")
    page = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": cursor}).json()
    assert page["changes"] == [
        {"entity": "target", "id": "tgt-xd-1", "version": 2, "op": "delete", "data": None}
    ]
    for i in range(3):
        admin.set_field(engine, "task-xd-001", "notes", f"n{i}")
    dropped, horizon = admin.compact(engine, keep_last=2)
    assert dropped == 1 and horizon > cursor
    resp = client.get("/api/v1/sync/changes", headers=headers, params={"cursor": cursor})
    assert resp.status_code == 410 and resp.json()["code"] == "cursor_expired"
    # a cursor at/after the horizon still works, and a full resync from 0 does not show the deleted target
    assert client.get("/api/v1/sync/changes", headers=headers, params={"cursor": horizon}).status_code == 200
    state, _ = pull_all(client, headers)
    assert ("target", "tgt-xd-1") not in state


def test_cursor_beyond_the_server_sequence_is_expired(client: TestClient, engine) -> None:
    with read_session(engine) as s:
        top = _max_seq(s)
    resp = client.get(
        "/api/v1/sync/changes", headers=login(client, "xindeng.leader"), params={"cursor": top + 50}
    )
    assert resp.status_code == 410


def test_reassigned_task_leaves_a_tombstone_for_the_old_township(client: TestClient, engine) -> None:
    xd, yh = login(client, "xindeng.leader"), login(client, "yinhu.leader")
    _, xd_cursor = pull_all(client, xd)
    _, yh_cursor = pull_all(client, yh)
    admin.reassign(engine, "task-xd-001", YH)
    xd_page = client.get("/api/v1/sync/changes", headers=xd, params={"cursor": xd_cursor}).json()
    assert [(c["id"], c["op"]) for c in xd_page["changes"]] == [("task-xd-001", "delete")]
    yh_page = client.get("/api/v1/sync/changes", headers=yh, params={"cursor": yh_cursor}).json()
    [moved] = yh_page["changes"]
    assert moved["op"] == "upsert" and moved["data"]["township_id"] == YH
    assert moved["data"]["target_id"] is None  # the old township's target is not visible there
    centre, _ = pull_all(client, login(client, "centre.admin"))
    assert centre[("task", "task-xd-001")]["data"]["township_id"] == YH

"""Number blocks: never overlapping, whatever the interleaving of devices and counters."""

from __future__ import annotations

import threading

import httpx
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from server_helpers import PASSWORD, XD, YH, login
from starlette.testclient import TestClient

from app.rules.numbering import NumberBlock, blocks_overlap
from sync.server.embedded import start_server
from sync.server.storage import NumberBlockRow, read_session


def _req(
    body: str = XD,
    doc_type: str = "correction_order",
    size: int = 10,
    device: str = "device-aaaa-1",
    year: int = 2026,
) -> dict:
    return {"body_id": body, "doc_type": doc_type, "year": year, "size": size, "device_id": device}


def _all_blocks(engine) -> list[NumberBlock]:
    with read_session(engine) as s:
        return [NumberBlock(r.body_id, r.doc_type, r.year, r.start, r.end) for r in s.query(NumberBlockRow)]


def _assert_disjoint(blocks: list[NumberBlock]) -> None:
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            assert not blocks_overlap(a, b), (a, b)


def test_blocks_start_after_numbers_already_printed(client: TestClient) -> None:
    headers = login(client, "xindeng.clerk")
    first = client.post("/api/v1/number-blocks", headers=headers, json=_req(size=5)).json()
    assert (first["start"], first["end"]) == (4, 8)  # the dataset printed 〔2026〕3号 already
    second = client.post(
        "/api/v1/number-blocks", headers=headers, json=_req(size=5, device="device-bbbb-2")
    ).json()
    assert (second["start"], second["end"]) == (9, 13)
    other = client.post(
        "/api/v1/number-blocks", headers=headers, json=_req(doc_type="onsite_record", size=5)
    ).json()
    assert (other["start"], other["end"]) == (1, 5)


def test_bodies_a_team_may_draw_for(client: TestClient) -> None:
    xd = login(client, "xindeng.clerk")
    assert client.post("/api/v1/number-blocks", headers=xd, json=_req(body="dept-zhj")).status_code == 200
    resp = client.post("/api/v1/number-blocks", headers=xd, json=_req(body=YH))
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden"
    resp = client.post("/api/v1/number-blocks", headers=xd, json=_req(body="nowhere"))
    assert resp.status_code == 404 and resp.json()["code"] == "unknown_body"
    resp = client.post("/api/v1/number-blocks", headers=xd, json=_req(doc_type="poem"))
    assert resp.status_code == 400 and resp.json()["code"] == "unknown_doc_type"
    yh = login(client, "yinhu.leader")
    assert client.post("/api/v1/number-blocks", headers=yh, json=_req(body="dept-zhj")).json()["start"] > 10


_LOGINS: dict[int, dict[str, str]] = {}


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["device-aaaa-1", "device-bbbb-2", "device-cccc-3"]),
            st.sampled_from([XD, "dept-zhj"]),
            st.sampled_from(["correction_order", "onsite_record"]),
            st.integers(1, 50),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_interleaved_requests_never_overlap(client: TestClient, engine, requests: list) -> None:
    headers = _LOGINS.get(id(client)) or _LOGINS.setdefault(id(client), login(client, "xindeng.clerk"))
    for device, body, doc_type, size in requests:
        resp = client.post("/api/v1/number-blocks", headers=headers, json=_req(body, doc_type, size, device))
        assert resp.status_code == 200 and resp.json()["end"] - resp.json()["start"] + 1 == size
    _assert_disjoint(_all_blocks(engine))


def test_concurrent_devices_over_real_http(settings) -> None:
    # the fixture's database is already seeded (SQLite file or PostgreSQL)
    with start_server(settings.data_dir, db_url=settings.db_url, seed_demo=False) as server:
        got: list[dict] = []
        errors: list[BaseException] = []

        def device(n: int) -> None:
            try:
                with httpx.Client(base_url=server.api_url, timeout=30) as http:
                    tok = http.post(
                        "/auth/token",
                        json={
                            "username": "xindeng.clerk",
                            "password": PASSWORD,
                            "device_id": f"device-{n:04d}-x",
                        },
                    ).json()["access_token"]
                    for _ in range(8):
                        resp = http.post(
                            "/number-blocks",
                            headers={"Authorization": f"Bearer {tok}"},
                            json=_req(size=7, device=f"device-{n:04d}-x"),
                        )
                        resp.raise_for_status()
                        got.append(resp.json())
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=device, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert len(got) == 48
        blocks = [NumberBlock(g["body_id"], g["doc_type"], g["year"], g["start"], g["end"]) for g in got]
        _assert_disjoint(blocks)
        numbers = sorted(n for b in blocks for n in range(b.start, b.end + 1))
        assert numbers == list(range(4, 4 + 48 * 7))  # contiguous, after the printed 3号

"""Several laptops pushing and pulling at once over real HTTP: no lost update, no 5xx, no skipped change."""

from __future__ import annotations

import threading
import uuid

import httpx
from server_helpers import PASSWORD, XD

from sync.server.embedded import start_server


def _token(http: httpx.Client, user: str, device: str) -> dict[str, str]:
    resp = http.post("/auth/token", json={"username": user, "password": PASSWORD, "device_id": device})
    resp.raise_for_status()
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def test_concurrent_pushes_and_pulls(settings) -> None:
    devices, rounds = 4, 6
    with start_server(settings.data_dir, db_url=settings.db_url, seed_demo=False) as server:
        errors: list[BaseException] = []
        applied: list[dict] = []

        def laptop(n: int) -> None:
            device = f"laptop-{n:04d}-c"
            try:
                with httpx.Client(base_url=server.api_url, timeout=60) as http:
                    headers = _token(http, "xindeng.leader", device)
                    for r in range(rounds):
                        fid = uuid.uuid4().hex
                        muts = [
                            {
                                "mutation_id": uuid.uuid4().hex,
                                "device_seq": r,
                                "entity": "finding",
                                "entity_id": fid,
                                "op": "create",
                                "base_version": 0,
                                "data": {
                                    "township_id": XD,
                                    "note": f"{n}-{r}",
                                    "found_at": "2026-03-02T09:00:00+08:00",
                                },
                            },
                            {
                                "mutation_id": uuid.uuid4().hex,
                                "device_seq": r,
                                "entity": "task",
                                "entity_id": "task-xd-002",
                                "op": "update",
                                "base_version": 1,
                                "data": {"fields": {"notes": f"{n}-{r}"}, "base": {"notes": ""}},
                            },
                        ]
                        resp = http.post(
                            "/sync/mutations", headers=headers, json={"device_id": device, "mutations": muts}
                        )
                        resp.raise_for_status()
                        applied.extend(resp.json()["results"])
                        pulled = http.get(
                            "/sync/changes", headers=headers, params={"cursor": 0, "limit": 2000}
                        )
                        pulled.raise_for_status()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=laptop, args=(n,)) for n in range(devices)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        findings = [r for r in applied if r["version"] == 1 and r["status"] == "applied"]
        assert len(findings) == devices * rounds
        task_results = [r for r in applied if r not in findings]
        # exactly one laptop wins the notes field from base ""; every other edit is a reported conflict
        assert sorted(r["status"] for r in task_results).count("applied") == 1
        assert all(r["status"] == "conflict" for r in task_results if r["status"] != "applied")
        with httpx.Client(base_url=server.api_url, timeout=60) as http:
            headers = _token(http, "centre.admin", "centre-device-01")
            page = http.get("/sync/changes", headers=headers, params={"cursor": 0, "limit": 2000}).json()
        seqs = [(c["entity"], c["id"]) for c in page["changes"]]
        assert len(seqs) == len(set(seqs))
        task = next(c for c in page["changes"] if c["id"] == "task-xd-002")
        assert task["version"] == 2
        assert sum(1 for c in page["changes"] if c["entity"] == "finding") == devices * rounds

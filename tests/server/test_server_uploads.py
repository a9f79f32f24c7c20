"""Resumable evidence uploads: create, chunked PATCH with checksums, offsets, verification, dedup, scoping."""

from __future__ import annotations

import base64
import hashlib
import os

from server_helpers import XD, login, mutation, pull_all, push
from starlette.testclient import TestClient

from sync.protocol import UploadState
from sync.server.security import verify_receipt
from sync.server.storage import Record, read_session, receipt_secret

DATA = os.urandom(100_000) + b"end"
SHA = hashlib.sha256(DATA).hexdigest()


def _checksum(chunk: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()


def _create(client: TestClient, headers: dict, data: bytes = DATA, evidence_id: str | None = None):
    return client.post(
        "/api/v1/uploads",
        headers=headers,
        json={"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "evidence_id": evidence_id},
    )


def _patch(
    client: TestClient, headers: dict, upload_id: str, offset: int, chunk: bytes, checksum: str | None = None
):
    return client.patch(
        f"/api/v1/uploads/{upload_id}",
        content=chunk,
        headers={
            **headers,
            "Upload-Offset": str(offset),
            "Upload-Checksum": checksum or _checksum(chunk),
            "Content-Type": "application/offset+octet-stream",
        },
    )


def _upload_all(client: TestClient, headers: dict, data: bytes = DATA, chunk: int = 30_000) -> UploadState:
    created = _create(client, headers, data)
    state = UploadState.model_validate(created.json())
    offset = state.offset
    while offset < len(data):
        resp = _patch(client, headers, state.upload_id, offset, data[offset : offset + chunk])
        if resp.status_code == 200:
            return UploadState.model_validate(resp.json())
        assert resp.status_code == 204, resp.text
        offset = int(resp.headers["Upload-Offset"])
    raise AssertionError("never completed")


def test_chunked_upload_with_receipt_and_download(client: TestClient, engine, settings) -> None:
    headers = login(client, "xindeng.officer")
    created = _create(client, headers)
    assert created.status_code == 201
    state = UploadState.model_validate(created.json())
    assert state.upload_id and state.offset == 0 and not state.complete
    assert _patch(client, headers, state.upload_id, 0, DATA[:40_000]).status_code == 204
    head = client.head(f"/api/v1/uploads/{state.upload_id}", headers=headers)
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == "40000" and head.headers["Upload-Length"] == str(len(DATA))
    assert client.get(f"/api/v1/uploads/{state.upload_id}", headers=headers).json()["offset"] == 40_000
    done = _patch(client, headers, state.upload_id, 40_000, DATA[40_000:])
    assert done.status_code == 200
    final = UploadState.model_validate(done.json())
    assert final.complete and final.receipt is not None and final.receipt.sha256 == SHA
    with read_session(engine) as s:
        secret = receipt_secret(s)
    r = final.receipt
    assert verify_receipt(secret, r.sha256, r.size, r.received_at, r.signature)
    assert not verify_receipt(secret, r.sha256, r.size + 1, r.received_at, r.signature)
    blob = client.get(f"/api/v1/blobs/{SHA}", headers=headers)
    assert blob.status_code == 200 and blob.content == DATA
    assert (settings.blob_dir / SHA[:2] / SHA).exists() and not any(settings.upload_dir.iterdir())
    # GET of a finished upload carries the receipt too
    assert (
        client.get(f"/api/v1/uploads/{state.upload_id}", headers=headers).json()["receipt"]["sha256"] == SHA
    )


def test_already_have_it(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    _upload_all(client, headers)
    again = _create(client, login(client, "xindeng.leader"))
    assert again.status_code == 200
    state = UploadState.model_validate(again.json())
    assert state.complete and state.upload_id is None and state.receipt and state.offset == len(DATA)


def test_recreate_returns_the_unfinished_upload(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    first = _create(client, headers).json()
    _patch(client, headers, first["upload_id"], 0, DATA[:10_000])
    second = _create(client, login(client, "xindeng.leader", device="laptop-bbbb-2"))
    assert second.status_code == 201
    assert second.json()["upload_id"] == first["upload_id"] and second.json()["offset"] == 10_000


def test_wrong_offset_is_409_with_the_server_offset(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    up = _create(client, headers).json()["upload_id"]
    _patch(client, headers, up, 0, DATA[:1000])
    resp = _patch(client, headers, up, 0, DATA[:1000])
    assert resp.status_code == 409 and resp.json()["code"] == "offset_mismatch"
    assert resp.headers["Upload-Offset"] == "1000" and resp.json()["offset"] == 1000


def test_bad_chunk_checksum_appends_nothing(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    up = _create(client, headers).json()["upload_id"]
    _patch(client, headers, up, 0, DATA[:1000])
    resp = _patch(client, headers, up, 1000, DATA[1000:2000], checksum=_checksum(b"something else"))
    assert resp.status_code == 460 and resp.json()["code"] == "checksum_mismatch"
    for bad in ("md5 AAAA", "sha256 not-base64!!"):
        assert _patch(client, headers, up, 1000, DATA[1000:2000], checksum=bad).status_code == 460
    missing = client.patch(
        f"/api/v1/uploads/{up}", content=b"x", headers={**headers, "Upload-Offset": "1000"}
    )
    assert missing.status_code == 400 and missing.json()["code"] == "checksum_required"
    head = client.head(f"/api/v1/uploads/{up}", headers=headers)
    assert head.headers["Upload-Offset"] == "1000"
    assert _patch(client, headers, up, 1000, DATA[1000:]).status_code == 200


def test_whole_file_hash_mismatch_resets_the_upload(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    claimed = hashlib.sha256(b"the real file").hexdigest()
    up = client.post("/api/v1/uploads", headers=headers, json={"sha256": claimed, "size": 13}).json()[
        "upload_id"
    ]
    resp = _patch(client, headers, up, 0, b"a forged file")
    assert resp.status_code == 422 and resp.json()["code"] == "hash_mismatch"
    assert client.head(f"/api/v1/uploads/{up}", headers=headers).headers["Upload-Offset"] == "0"
    assert _patch(client, headers, up, 0, b"the real file").status_code == 200


def test_chunk_larger_than_the_rest_of_the_file_is_refused(client: TestClient) -> None:
    headers = login(client, "xindeng.officer")
    up = _create(client, headers, b"0123456789").json()["upload_id"]
    resp = _patch(client, headers, up, 0, b"0123456789-and-more")
    assert resp.status_code == 413 and resp.json()["code"] == "chunk_too_large"
    assert client.head(f"/api/v1/uploads/{up}", headers=headers).headers["Upload-Offset"] == "0"


def test_other_team_cannot_see_uploads_or_blobs(client: TestClient) -> None:
    xd = login(client, "xindeng.officer")
    up = _create(client, xd).json()["upload_id"]
    _patch(client, xd, up, 0, DATA[:500])
    yh = login(client, "yinhu.leader")
    assert client.head(f"/api/v1/uploads/{up}", headers=yh).status_code == 404
    assert client.get(f"/api/v1/uploads/{up}", headers=yh).status_code == 404
    assert _patch(client, yh, up, 500, DATA[500:1000]).status_code == 404
    _patch(client, xd, up, 500, DATA[500:])
    assert client.get(f"/api/v1/blobs/{SHA}", headers=yh).status_code == 404
    assert client.get(f"/api/v1/blobs/{SHA}", headers=login(client, "centre.admin")).status_code == 200
    # knowing the hash is not enough: yinhu must upload the bytes itself, then it gets access
    again = _create(client, yh)
    assert again.status_code == 201
    state = _upload_all(client, yh)
    assert state.complete and client.get(f"/api/v1/blobs/{SHA}", headers=yh).content == DATA


def test_zero_size_and_too_large(client: TestClient, settings) -> None:
    headers = login(client, "xindeng.officer")
    empty = _create(client, headers, b"")
    assert empty.status_code == 200 and empty.json()["complete"] is True
    huge = client.post(
        "/api/v1/uploads", headers=headers, json={"sha256": SHA, "size": settings.max_upload_size + 1}
    )
    assert huge.status_code == 413


def test_verified_blob_marks_the_evidence_uploaded(client: TestClient, engine) -> None:
    headers = login(client, "xindeng.officer")
    ev = {
        "township_id": XD,
        "sha256": SHA,
        "size": len(DATA),
        "media_type": "image/jpeg",
        "kind": "photo",
        "original_name": "b.jpg",
        "imported_by": "李队员",
        "imported_at": "2026-03-02T09:00:00+08:00",
        "uploaded": False,
        "voided": False,
    }
    assert push(client, headers, mutation("evidence", "ev-new", "create", ev))[0]["status"] == "applied"
    _upload_all(client, headers)
    state, _ = pull_all(client, headers)
    assert state[("evidence", "ev-new")]["data"]["uploaded"] is True
    assert state[("evidence", "ev-new")]["version"] == 2
    # evidence created after its blob arrived is marked at once
    res = push(client, headers, mutation("evidence", "ev-later", "create", ev))[0]
    with read_session(engine) as s:
        assert s.get(Record, ("evidence", "ev-later")).data["uploaded"] is True
    assert res["version"] == 1

"""Public verification of printed documents (what the QR code points to)."""

from __future__ import annotations

from server_helpers import DOC_SHA, XD, login, mutation, push
from starlette.testclient import TestClient

NUMBER = "新登镇综执责改〔2026〕3号"


def _verify(client: TestClient, number: str = NUMBER, sha: str = DOC_SHA, body: str = XD) -> dict:
    resp = client.get("/api/v1/documents/verify", params={"body_id": body, "number": number, "sha256": sha})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_genuine_document_without_login(client: TestClient) -> None:
    got = _verify(client)
    assert got["genuine"] is True and got["status"] == "issued" and got["number"] == NUMBER
    assert (
        got["body_legal_name"] == "杭州市富阳区新登镇人民政府"
        and got["issued_at"]
        and "真实有效" in got["message"]
    )
    assert set(got) == {"genuine", "status", "body_legal_name", "number", "issued_at", "message"}


def test_tampered_unknown_and_wrong_body(client: TestClient) -> None:
    assert "篡改" in _verify(client, sha="00" * 32)["message"]
    assert _verify(client, sha="00" * 32)["genuine"] is False
    unknown = _verify(client, number="新登镇综执责改〔2026〕99号")
    assert unknown["genuine"] is False and unknown["status"] is None and "伪造" in unknown["message"]
    assert _verify(client, body="dept-zhj")["genuine"] is False


def test_voided_document_is_not_genuine(client: TestClient) -> None:
    push(
        client,
        login(client, "xindeng.clerk"),
        mutation("document", "doc-xd-1", "void", {"reason": "送达对象错误"}),
    )
    got = _verify(client)
    assert got["genuine"] is False and got["status"] == "voided" and "送达对象错误" in got["message"]


def test_bad_query_is_a_json_error(client: TestClient) -> None:
    resp = client.get("/api/v1/documents/verify", params={"body_id": XD, "number": NUMBER, "sha256": "short"})
    assert resp.status_code == 422 and resp.json()["code"] == "bad_request"

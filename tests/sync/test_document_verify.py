"""`sync.document_verify`: the platform's answer reaches the verdict; an unreachable platform is a clear Chinese
refusal, never a confirmation."""

from __future__ import annotations

import socket

from app.documents.verify import PlatformUnreachable, Verdict, _check_platform
from sync.document_verify import platform_check


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_platform_is_reported_and_confirms_nothing() -> None:
    check = platform_check(f"http://127.0.0.1:{_closed_port()}", timeout=2)
    payload = {"body_id": "xindeng", "number": "新登镇综执责改〔2026〕1号", "content_sha256": "0" * 64}
    try:
        check(payload)
    except PlatformUnreachable as exc:
        assert str(exc)
    else:
        raise AssertionError("a closed port answered")
    verdict = Verdict()
    _check_platform(verdict, check, payload)
    assert verdict.confirmations == 0 and verdict.problems == 1
    assert verdict.lines[-1].startswith("✘ 无法连接平台核验")


def test_the_platform_is_asked_about_the_payload(tmp_path) -> None:
    from sync.server.embedded import start_server

    with start_server(tmp_path / "platform", seed_demo=False) as server:
        answer = platform_check(server.url)({"body_id": "xindeng", "number": "无此文号", "content_sha256": "0" * 64})
        same = platform_check(server.api_url + "/")({"body_id": "xindeng", "number": "无此文号",
                                                      "content_sha256": "0" * 64})
    assert answer["genuine"] is False and answer.get("message")
    assert same == answer  # the base URL with or without /api/v1

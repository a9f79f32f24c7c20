"""The platform's side of `verify-doc`: ask `GET /api/v1/documents/verify` whether a document's verification
payload (body, number, content hash) is registered and in force. `app.documents.verify` does every offline check
and calls this through its `PlatformCheck` hook, so the core never talks to the network."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from app.documents.verify import PlatformCheck, PlatformUnreachable
from sync.protocol import API_PREFIX


def platform_check(server: str, timeout: float = 10.0) -> PlatformCheck:
    """A `PlatformCheck` against the platform at `server` (its base URL, with or without /api/v1)."""
    base = server.rstrip("/")
    if not base.endswith(API_PREFIX):
        base += API_PREFIX

    def ask(payload: dict[str, Any]) -> dict[str, Any]:
        query = urllib.parse.urlencode(
            {
                "body_id": payload.get("body_id", ""),
                "number": payload.get("number", ""),
                "sha256": payload.get("content_sha256", ""),
            }
        )
        try:
            with urllib.request.urlopen(f"{base}/documents/verify?{query}", timeout=timeout) as resp:
                answer = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PlatformUnreachable(str(exc)) from exc
        return answer if isinstance(answer, dict) else {"genuine": False, "message": "平台答复格式不正确"}

    return ask

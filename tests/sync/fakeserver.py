"""A tiny scripted HTTP server on 127.0.0.1 for fault injection: each request to a path takes the next scripted
answer (status, body, headers) for that path; the last answer repeats. Requests are recorded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Answer = tuple[int, bytes, dict[str, str]]


def answer(status: int, body: Any = b"", headers: dict[str, str] | None = None) -> Answer:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return status, raw, {"Content-Type": "application/json", **(headers or {})}


@dataclass
class FakePlatform:
    scripts: dict[str, list[Answer]] = field(default_factory=dict)
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    url: str = ""

    def script(self, path: str, *answers: Answer) -> None:
        self.scripts["/api/v1" + path] = list(answers)

    def count(self, path: str) -> int:
        return sum(1 for _m, p, _b in self.requests if p == "/api/v1" + path)

    def _next(self, path: str) -> Answer:
        queue = self.scripts.get(path)
        if not queue:
            return answer(404, {"code": "not_found", "message": "未找到"})
        return queue.pop(0) if len(queue) > 1 else queue[0]


@contextmanager
def fake_platform() -> Iterator[FakePlatform]:
    fake = FakePlatform()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            fake.requests.append((self.command, path, body))
            status, raw, headers = fake._next(path)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(raw)

        do_GET = do_POST = do_PATCH = do_HEAD = _handle

        def log_message(self, *_args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()

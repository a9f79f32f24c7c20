"""A threaded TCP proxy on 127.0.0.1 that can cut connections after N bytes, for fault-injection tests.

`CuttingProxy(target_port)` forwards every connection to 127.0.0.1:target_port. `cut(after, direction, times)`
arms it: counting from the moment it is armed, the connection that carries byte number `after` in `direction`
("up" = client → server, "down" = server → client) is reset (both sides, abruptly) right there — kept-alive
connections included; then the count starts again for the next of `times` cuts. Byte counters per direction
let a test measure what was sent again after a cut.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class _Rule:
    after: int
    direction: str
    times: int
    flowed: int = 0


@dataclass
class CuttingProxy:
    target_port: int
    target_host: str = "127.0.0.1"
    up_bytes: int = 0
    down_bytes: int = 0
    connections: int = 0
    cuts_done: int = 0
    _rule: _Rule | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _sock: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> CuttingProxy:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        t = threading.Thread(target=self._accept_loop, name="cutting-proxy", daemon=True)
        t.start()
        self._threads.append(t)
        return self

    @property
    def port(self) -> int:
        assert self._sock is not None
        return int(self._sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self, after: int, direction: str = "down", times: int = 1) -> None:
        """Arm: reset the connection that carries byte `after` (counted from now) in `direction`, `times` times."""
        assert direction in ("up", "down")
        with self._lock:
            self._rule = _Rule(after, direction, times)

    def disarm(self) -> None:
        with self._lock:
            self._rule = None

    def reset_counters(self) -> None:
        with self._lock:
            self.up_bytes = self.down_bytes = 0

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()
        for t in self._threads:
            t.join(2)

    def __enter__(self) -> CuttingProxy:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # ---- internals ---------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                client, _addr = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection((self.target_host, self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
            t = threading.Thread(target=self._pump, args=(client, upstream), daemon=True)
            t.start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        pairs = {client: (upstream, "up"), upstream: (client, "down")}
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select(list(pairs), [], [], 0.2)
                for src in readable:
                    dst, direction = pairs[src]
                    data = src.recv(65536)
                    if not data:
                        return
                    keep = self._admit(direction, len(data))
                    if keep < len(data):
                        if keep:
                            dst.sendall(data[:keep])
                        return
                    dst.sendall(data)
        except OSError:
            return
        finally:
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
                s.close()

    def _admit(self, direction: str, n: int) -> int:
        """How many of `n` bytes may pass; fewer than `n` means: cut this connection after them."""
        with self._lock:
            keep = n
            rule = self._rule
            if rule is not None and rule.direction == direction:
                room = rule.after - rule.flowed
                if n > room:
                    keep = max(room, 0)
                    self.cuts_done += 1
                    rule.flowed, rule.times = 0, rule.times - 1
                    if rule.times <= 0:
                        self._rule = None
                else:
                    rule.flowed += n
            if direction == "up":
                self.up_bytes += keep
            else:
                self.down_bytes += keep
            return keep

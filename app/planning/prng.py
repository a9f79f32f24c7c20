"""A tiny deterministic PRNG for 双随机 draws: SHA-256 in counter mode, with unbiased integers by rejection and a
Fisher–Yates shuffle. Defined here byte for byte so a draw re-runs identically on any Python version or
platform (Python's `random` makes no such promise across versions).

    block_i = SHA-256( b"lxt-draw\\x00" || utf8(seed) || b"\\x00" || uint64_be(i) ),  i = 0, 1, 2, …
    the stream is block_0 || block_1 || …, consumed 8 bytes at a time as big-endian unsigned 64-bit integers;
    randbelow(n): draw x until x < 2^64 − (2^64 mod n), return x mod n;
    shuffle: for i from len−1 down to 1: j = randbelow(i + 1); swap items i and j.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableSequence
from typing import TypeVar

ALGORITHM = "sha256-ctr-fisher-yates-v1"
_DOMAIN = b"lxt-draw\x00"
_U64 = 1 << 64

T = TypeVar("T")


class Sha256CounterRng:
    def __init__(self, seed: str) -> None:
        if not seed:
            raise ValueError("seed must not be empty")
        self._prefix = _DOMAIN + seed.encode("utf-8") + b"\x00"
        self._counter = 0
        self._buffer = b""

    def _refill(self) -> None:
        self._buffer += hashlib.sha256(self._prefix + self._counter.to_bytes(8, "big")).digest()
        self._counter += 1

    def next_u64(self) -> int:
        while len(self._buffer) < 8:
            self._refill()
        chunk, self._buffer = self._buffer[:8], self._buffer[8:]
        return int.from_bytes(chunk, "big")

    def randbelow(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _U64 - (_U64 % n)
        while True:
            x = self.next_u64()
            if x < limit:
                return x % n

    def shuffle(self, items: MutableSequence[T]) -> None:
        """Fisher–Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.randbelow(i + 1)
            items[i], items[j] = items[j], items[i]

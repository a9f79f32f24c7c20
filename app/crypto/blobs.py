"""Encrypted evidence blobs: AES-256-GCM in 64 KiB chunks, authenticated, seekable.

File format (version 1)::

    magic "LXTEVID1" (8 bytes) | salt (16 bytes) | chunk 0 | chunk 1 | … | chunk n-1

Each chunk is AES-GCM(file key, nonce, plaintext ≤ 64 KiB, aad=header) = ciphertext ‖ 16-byte tag. The file key is
HKDF-SHA256(blob key, salt), so every file has its own key and the nonce can be the chunk counter: 11 bytes of
chunk index, big-endian, then one byte that is 1 for the last chunk and 0 otherwise (the STREAM construction) —
a truncated, extended or re-ordered file fails authentication. Every chunk but the last holds exactly 64 KiB, so
the plaintext offset of a chunk is known and `BlobReader.seek` reads only the chunks it needs. An empty plaintext
is one empty last chunk.

The content address of a blob stays the SHA-256 of its plaintext (computed by the writer while it encrypts).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"LXTEVID1"
SALT = 16
HEADER = len(MAGIC) + SALT
CHUNK = 64 * 1024
TAG = 16


class BlobCorrupt(OSError):
    """The file is not an encrypted blob of this store, or its bytes were changed (authentication failed);
    an `OSError`, so that every reader's I/O error path also covers it."""


def _file_key(blob_key: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"lianxuntong evidence blob v1")
    return AESGCM(hkdf.derive(blob_key))


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def sealed_size(plain_size: int) -> int:
    """The size on disk of a blob holding `plain_size` bytes."""
    chunks = max(1, -(-plain_size // CHUNK))
    return HEADER + plain_size + chunks * TAG


def plain_size(sealed: int) -> int:
    """The plaintext size of a blob whose file is `sealed` bytes long (ValueError when no such blob exists)."""
    body = sealed - HEADER
    if body < TAG:
        raise ValueError("too short for an encrypted blob")
    chunks = -(-body // (CHUNK + TAG))
    size = body - chunks * TAG
    if sealed_size(size) != sealed:
        raise ValueError("not the size of an encrypted blob")
    return size


def is_sealed(path: Path) -> bool:
    """Whether `path` starts with the encrypted-blob magic (a plaintext blob from before encryption does not)."""
    try:
        with path.open("rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


class BlobWriter:
    """Encrypts what is written to it into `out` (a binary file opened for writing); `close()` seals the last
    chunk. Written data is buffered up to one chunk, so any write sizes may be used."""

    def __init__(self, out: BinaryIO, blob_key: bytes) -> None:
        self._out = out
        salt = os.urandom(SALT)
        self._header = MAGIC + salt
        self._aead = _file_key(blob_key, salt)
        self._buf = bytearray()
        self._index = 0
        self._closed = False
        out.write(self._header)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self._buf += view
        while len(self._buf) > CHUNK:  # keep at least one byte back: the last chunk is sealed differently
            self._seal(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]
        return len(view)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._index, last), plain, self._header))
        self._index += 1

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buf), last=True)
            self._buf.clear()
            self._closed = True


class BlobReader(io.RawIOBase):
    """A read-only, seekable file object over the plaintext of an encrypted blob (usable by Pillow, hashing
    loops and chunked uploads). Raises `BlobCorrupt` when a chunk it reads fails authentication."""

    def __init__(self, path: Path, blob_key: bytes) -> None:
        super().__init__()
        self._f = path.open("rb")
        try:
            header = self._f.read(HEADER)
            if len(header) != HEADER or not header.startswith(MAGIC):
                raise BlobCorrupt(f"not an encrypted blob: {path.name[:12]}")
            self._header = header
            self._aead = _file_key(blob_key, header[len(MAGIC):])
            self.size = plain_size(os.fstat(self._f.fileno()).st_size)
        except (ValueError, OSError) as exc:
            self._f.close()
            raise BlobCorrupt(f"not an encrypted blob: {path.name[:12]}") from exc
        except BaseException:
            self._f.close()
            raise
        self._chunks = max(1, -(-self.size // CHUNK))
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None
        if self.size == 0:
            try:  # nothing will ever be read: authenticate the one empty chunk now
                self._chunk(0)
            except BaseException:
                self._f.close()
                raise

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        self._f.seek(HEADER + index * (CHUNK + TAG))
        sealed = self._f.read(CHUNK + TAG)
        try:
            plain = self._aead.decrypt(_nonce(index, index == self._chunks - 1), sealed, self._header)
        except InvalidTag as exc:
            raise BlobCorrupt(f"chunk {index} failed authentication") from exc
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self.size:
            index, skip = divmod(self._pos, CHUNK)
            plain = self._chunk(index)
            n = min(len(view) - done, len(plain) - skip)
            view[done:done + n] = plain[skip:skip + n]
            done += n
            self._pos += n
        return done

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = max(0, self.size - self._pos)
        buf = bytearray(min(size, max(0, self.size - self._pos)))
        n = self.readinto(buf)
        return bytes(buf[:n])

    def readall(self) -> bytes:
        return self.read(-1)

    def close(self) -> None:
        if not self.closed:
            self._f.close()
            self._cached = None
        super().close()

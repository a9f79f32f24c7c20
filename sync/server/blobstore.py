"""Where verified evidence files live: the `BlobStore` interface and its local-directory implementation.

The database stores a blob's *key* (relative, `ab/ab12…` for SHA-256 `ab12…`), never a path, so the data
directory can move and the store can be swapped. `LocalBlobStore` keeps files under one root directory:
`put` moves a verified temp file in with an atomic rename and fsyncs the directory; `response` serves it as a
file. An S3-compatible store (docs/platform.md: MinIO or SeaweedFS) implements the same four methods —
`put` as a (multipart) PUT of the verified file under the key, `exists` as HEAD, `response` as a redirect to
a short-lived presigned GET URL, `delete` as DELETE — and is chosen by `ServerSettings.blob_store`.
Keys written by version 1 were absolute paths; the local store still resolves those as they are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from starlette.responses import FileResponse, Response


def blob_key(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256}"


class BlobStore(Protocol):
    """Content-addressed storage of verified files."""

    def put(self, source: Path, sha256: str) -> str:
        """Take ownership of the verified file `source` (moved, not copied) and return its key."""
        ...

    def exists(self, key: str) -> bool: ...

    def response(self, key: str, sha256: str) -> Response:
        """The HTTP answer that delivers the blob's bytes to an authorised caller."""
        ...

    def delete(self, key: str) -> None: ...


class LocalBlobStore:
    """Blobs as files under `root` (same file system as the upload directory: `put` is a rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        """The file of `key` (an absolute v1 key is taken as it is; a relative key must stay inside root)."""
        candidate = Path(key)
        if candidate.is_absolute():
            return candidate
        resolved = (self.root / candidate).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise ValueError(f"blob key outside the store: {key!r}")
        return resolved

    def put(self, source: Path, sha256: str) -> str:
        key = blob_key(sha256)
        dest = self.root / key
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, dest)  # atomic within one file system
        _fsync_dir(dest.parent)
        return key

    def exists(self, key: str) -> bool:
        return self.path(key).exists()

    def response(self, key: str, sha256: str) -> Response:
        return FileResponse(
            self.path(key), media_type="application/octet-stream", headers={"X-Content-SHA256": sha256}
        )

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

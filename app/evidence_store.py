"""Content-addressed evidence files: streaming SHA-256 + atomic encrypted copy, EXIF time/GPS, and `verify`.

A blob lives at `evidence/<aa>/<bb>/<sha256>`, written to a temp file in the same directory, fsynced, then
renamed into place, so a crash never leaves a half-written blob under a real name. The DB row (and its outbox
row and upload job) is committed only after the blob is in place; an orphan temp file is harmless and swept.

Every blob (and every staged temp file) is encrypted (`app.crypto.blobs`, the key of the store whose data
directory holds it); the name stays the SHA-256 of the plaintext. `open_blob` / `open_sealed` is the one reader
of blob bytes: previews, thumbnails, PDF embedding, uploads and `verify` all go through it.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import select

from app import changes
from app.crypto.blobs import BlobCorrupt, BlobReader, BlobWriter, sealed_size
from app.crypto.keys import fsync_dir as _fsync_dir
from app.crypto.keys import keys_for
from app.models import Evidence, Upload, new_id, utcnow
from app.store import Store

CHUNK = 1024 * 1024
DEFAULT_MAX_BYTES = 4 * 1024**3
CHINA_TZ = timezone(timedelta(hours=8))

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The person cancelled an import; nothing was recorded."""


KIND_BY_MAJOR = {"image": "photo", "video": "video", "audio": "audio"}


def blob_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def open_sealed(path: Path) -> BinaryIO:
    """The plaintext of an encrypted file of an open store (a blob, a staged import, a cached thumbnail) as a
    seekable read-only file; `BlobCorrupt` when it is not one or was altered."""
    # a BlobReader is an io.RawIOBase with read/seek/tell: the binary file protocol Pillow, hashing and
    # uploads use; typeshed's RawIOBase is not declared an IO[bytes], hence the cast
    return cast(BinaryIO, sealed_reader(path))


def sealed_reader(path: Path) -> BlobReader:
    """`open_sealed` as the BlobReader itself (its `size` is the plaintext's), for Qt's media device."""
    return BlobReader(path, keys_for(path).blob_key)


def open_blob(root: Path, sha256: str) -> BinaryIO:
    return open_sealed(blob_path(root, sha256))


def read_blob(root: Path, sha256: str) -> bytes:
    return read_sealed(blob_path(root, sha256))


def read_sealed(path: Path) -> bytes:
    with open_sealed(path) as f:
        return f.read()


def write_sealed(path: Path, data: bytes) -> None:
    """Encrypt `data` into `path` atomically (temp file in the same folder, fsync, rename): stored documents
    are kept like blobs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".tmp-{new_id()}{path.suffix}")
    try:
        with tmp.open("wb") as raw:
            writer = BlobWriter(raw, keys_for(path).blob_key)
            writer.write(data)
            writer.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def hash_sealed(path: Path) -> str:
    """SHA-256 of the plaintext of an encrypted file (raises `BlobCorrupt` when it fails authentication)."""
    digest = hashlib.sha256()
    with open_sealed(path) as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def guess_kind(path: Path) -> tuple[str, str]:
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return media_type, KIND_BY_MAJOR.get(media_type.split("/")[0], "document")


def stage_stream(
    read: Callable[[int], bytes], root: Path, *, total: int, progress: Progress | None = None,
    cancel: threading.Event | None = None, tmp_name: str | None = None,
) -> tuple[Path, str, int]:
    """Encrypt what `read` yields into a `.incoming-*` temp file under `root`, hashing the plaintext as it goes;
    fsynced. Returns (temp path, sha256, bytes). The temp file is removed on any error or a cancel."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / (tmp_name or f".incoming-{new_id()}")
    digest = hashlib.sha256()
    done = 0
    blob_key = keys_for(root).blob_key
    try:
        with tmp.open("wb") as raw:
            fout = BlobWriter(raw, blob_key)
            while True:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                chunk = read(CHUNK)
                if not chunk:
                    break
                digest.update(chunk)
                fout.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            fout.close()
            raw.flush()
            os.fsync(raw.fileno())
        return tmp, digest.hexdigest(), done
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def place_staged(tmp: Path, root: Path, sha: str, size: int) -> Path:
    """Move a staged temp file to its content address (or drop it when that blob is already there);
    `size` is the plaintext size."""
    dest = blob_path(root, sha)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and dest.stat().st_size == sealed_size(size):
        tmp.unlink(missing_ok=True)
    else:
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    return dest


@dataclass(frozen=True)
class PhotoMeta:
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None


def read_photo_meta(path: Path) -> PhotoMeta:
    """EXIF DateTimeOriginal (local time, taken as UTC+8 when the camera gives no offset) and GPS position of
    an encrypted staged file or blob."""
    try:
        from PIL import ExifTags, Image

        with open_sealed(path) as f, Image.open(f) as img:
            exif = img.getexif()
            sub = exif.get_ifd(ExifTags.IFD.Exif)
            raw = sub.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
            offset = sub.get(ExifTags.Base.OffsetTimeOriginal)
            taken = _exif_time(raw, offset)
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            lat = _gps_coord(gps.get(2), gps.get(1))
            lon = _gps_coord(gps.get(4), gps.get(3))
            return PhotoMeta(taken, lat, lon)
    except Exception:  # not a photo, or EXIF unreadable: no metadata, never an import failure
        return PhotoMeta()


def _exif_time(raw: Any, offset: Any) -> datetime | None:
    if not raw:
        return None
    try:
        dt = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    tz = CHINA_TZ
    if isinstance(offset, str) and len(offset) == 6:
        sign = -1 if offset[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
    return dt.replace(tzinfo=tz).astimezone(UTC)


def _gps_coord(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError):
        return None
    coord = d + m / 60 + s / 3600
    return -coord if ref in ("S", "W") else coord


@dataclass(frozen=True)
class ImportResult:
    evidence: Evidence
    duplicate: bool  # the same content was already attached to this record


def import_file(
    store: Store,
    src: Path,
    *,
    actor: str,
    inspection_id: str | None = None,
    finding_id: str | None = None,
    task_id: str | None = None,
    kind: str | None = None,
    caption: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Import one file as evidence. Same content on the same record → the existing row (duplicate=True).
    The source is checked and staged by `app.evidence_intake`; blob and row are one unit."""
    from app.evidence_intake import as_one_unit, stage_source

    staged = stage_source(src, store.paths.evidence, max_bytes=max_bytes, progress=progress, cancel=cancel)
    sha, size = staged.sha256, staged.size
    media_type, guessed = guess_kind(src)
    meta = read_photo_meta(staged.tmp) if guessed == "photo" else PhotoMeta()
    with as_one_unit(staged, store.paths.evidence), store.write() as session:
        existing = session.scalar(
            select(Evidence).where(
                Evidence.sha256 == sha,
                Evidence.inspection_id.is_not_distinct_from(inspection_id),
                Evidence.finding_id.is_not_distinct_from(finding_id),
                Evidence.task_id.is_not_distinct_from(task_id),
                Evidence.voided.is_(False),
            )
        )
        if existing is not None:
            return ImportResult(existing, True)
        ev = Evidence(
            id=new_id(), sha256=sha, size=size, media_type=media_type, kind=kind or guessed,
            original_name=staged.name, inspection_id=inspection_id, finding_id=finding_id, task_id=task_id,
            imported_by=actor, imported_at=utcnow(), exif_time=meta.taken_at, gps_lat=meta.lat,
            gps_lon=meta.lon, caption=caption,
        )
        changes.record_create(session, ev, actor=actor)
        if session.get(Upload, sha) is None:
            session.add(Upload(sha256=sha, size=size, state="pending"))
        return ImportResult(ev, False)


@dataclass(frozen=True)
class BlobProblem:
    sha256: str
    problem: str  # "missing" / "mismatch"
    message: str


def verify_blob(root: Path, sha256: str) -> BlobProblem | None:
    """Re-hash one stored blob: None when its bytes still match its SHA-256, else what is wrong."""
    path = blob_path(root, sha256)
    if not path.exists():
        return BlobProblem(sha256, "missing", f"证据文件缺失：{sha256}")
    try:
        found = hash_sealed(path)
    except BlobCorrupt:
        found = ""
    if found != sha256:
        return BlobProblem(sha256, "mismatch", f"证据文件内容已被改动：{sha256}")
    return None


def verify_blobs(store: Store, *, progress: Progress | None = None) -> tuple[int, list[BlobProblem]]:
    """Re-hash every referenced blob; report missing files and content that no longer matches its name."""
    with store.read() as session:
        hashes = sorted(set(session.scalars(select(Evidence.sha256))))
    problems: list[BlobProblem] = []
    for i, sha in enumerate(hashes, 1):
        problem = verify_blob(store.paths.evidence, sha)
        if problem is not None:
            problems.append(problem)
        if progress:
            progress(i, len(hashes))
    return len(hashes), problems


def sweep_incoming(store: Store) -> int:
    """Remove temp files left by an import that was killed half-way (never referenced by any row)."""
    n = 0
    root = store.paths.evidence
    if root.exists():
        for tmp in root.glob(".incoming-*"):
            tmp.unlink(missing_ok=True)
            n += 1
    return n

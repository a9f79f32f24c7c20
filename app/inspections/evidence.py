"""Evidence of an inspection, split in two steps so that the slow part never holds the store's writer:

1. `prepare_blob` (any thread, the io pool): size limit, streaming SHA-256 + atomic copy into the content-
   addressed store (`app.evidence_store.store_blob`), EXIF time/GPS. The blob is in place when it returns.
2. `record_blob` (inside a write transaction, the store worker): the Evidence row, its audit + outbox rows
   (`app.changes.record_create`) and the upload job. Content already on the inspection is recognised as a
   duplicate ("该文件已导入") and nothing is written.

A crash between the two leaves an unreferenced blob (harmless, re-used by the next import of that content);
a crash inside 1 leaves only a `.incoming-*` temp file, removed by `sweep_incoming`.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app.errors import DomainError, StoreError
from app.evidence_store import DEFAULT_MAX_BYTES, PhotoMeta, read_photo_meta, store_blob
from app.models import Evidence, Upload, new_id, utcnow

Progress = Callable[[int, int], None]

PHOTO_EXT = frozenset({".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".bmp", ".tif", ".tiff", ".gif"})
VIDEO_EXT = frozenset({".mp4", ".mov", ".avi", ".mkv", ".3gp", ".m4v", ".mts", ".wmv"})
AUDIO_EXT = frozenset({".mp3", ".m4a", ".wav", ".amr", ".aac", ".ogg", ".flac", ".wma"})
DOC_EXT = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".ofd", ".wps"})
MEDIA_EXT = PHOTO_EXT | VIDEO_EXT | AUDIO_EXT | DOC_EXT
DUPLICATE_MESSAGE = "该文件已导入"
DELETED_PREFIX = "定稿前删除"
DEFAULT_EXIF_TOLERANCE = timedelta(hours=2)


def kind_of(path: Path) -> tuple[str, str]:
    """(media type, kind) by extension: photo / video / audio / document."""
    ext = path.suffix.lower()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if ext in PHOTO_EXT:
        return (media_type if media_type.startswith("image/") else "image/" + ext[1:]), "photo"
    if ext in VIDEO_EXT:
        return (media_type if media_type.startswith("video/") else "video/" + ext[1:]), "video"
    if ext in AUDIO_EXT:
        return (media_type if media_type.startswith("audio/") else "audio/" + ext[1:]), "audio"
    return media_type, "document"


def collect_media_files(folder: Path) -> list[Path]:
    """Every photo/video/audio/document file under `folder` (a camera card: recursive, hidden files and
    folders skipped), in path order."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in MEDIA_EXT:
            found.append(path)
    return found


@dataclass(frozen=True)
class PreparedBlob:
    sha256: str
    size: int
    media_type: str
    kind: str
    original_name: str
    meta: PhotoMeta


def too_large_message(name: str, size: int, max_bytes: int) -> str:
    return (f"文件「{name}」大小为 {size / 1024**2:.1f} MB，超过单个证据 {max_bytes / 1024**2:.0f} MB 的上限，"
            "未导入。请压缩或截取后再导入。")


def prepare_blob(
    src: Path, evidence_root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> PreparedBlob:
    """Check the size, hash and copy `src` into the evidence store, read EXIF. Raises DomainError (too large),
    StoreError (disk full, unreadable) or `app.evidence_store.Cancelled`."""
    try:
        size = src.stat().st_size
    except OSError as exc:
        raise StoreError(f"找不到或无法读取文件：{src.name}", code="evidence_io") from exc
    if size > max_bytes:
        raise DomainError(too_large_message(src.name, size, max_bytes), code="too_large")
    sha, size = store_blob(src, evidence_root, progress=progress, cancel=cancel)
    media_type, kind = kind_of(src)
    meta = read_photo_meta(src) if kind == "photo" else PhotoMeta()
    return PreparedBlob(sha, size, media_type, kind, src.name, meta)


def find_duplicate(session: Session, sha256: str, inspection_id: str | None) -> Evidence | None:
    """Live (not voided) evidence of the same content on the same inspection."""
    return session.scalar(
        select(Evidence).where(
            Evidence.sha256 == sha256, Evidence.inspection_id.is_not_distinct_from(inspection_id),
            Evidence.voided.is_(False),
        ).limit(1)
    )


def record_blob(
    session: Session, blob: PreparedBlob, *, actor: str, inspection_id: str | None, finding_id: str | None = None,
    task_id: str | None = None, kind: str | None = None, caption: str = "", dedup: bool = True,
) -> tuple[Evidence, bool]:
    """The Evidence row (+ audit, outbox, upload job) in the caller's transaction: (evidence, duplicate).
    `dedup=False` (signatures: one row per signer) skips the duplicate check."""
    existing = find_duplicate(session, blob.sha256, inspection_id) if dedup else None
    if existing is not None:
        return existing, True
    ev = Evidence(
        id=new_id(), sha256=blob.sha256, size=blob.size, media_type=blob.media_type, kind=kind or blob.kind,
        original_name=blob.original_name, inspection_id=inspection_id, finding_id=finding_id, task_id=task_id,
        imported_by=actor, imported_at=utcnow(), exif_time=blob.meta.taken_at, gps_lat=blob.meta.lat,
        gps_lon=blob.meta.lon, caption=caption,
    )
    changes.record_create(session, ev, actor=actor)
    if session.get(Upload, blob.sha256) is None:
        session.add(Upload(sha256=blob.sha256, size=blob.size, state="pending"))
    return ev, False


def exif_time_warning(exif_time: datetime | None, inspection_time: datetime | None,
                      tolerance: timedelta = DEFAULT_EXIF_TOLERANCE) -> str | None:
    """A Chinese warning when the photo was taken far from the inspection time, else None."""
    if exif_time is None or inspection_time is None:
        return None
    gap = abs(exif_time - inspection_time)
    if gap <= tolerance:
        return None
    hours = gap.total_seconds() / 3600
    when = "之前" if exif_time < inspection_time else "之后"
    span = f"{hours:.1f} 小时" if hours < 48 else f"{hours / 24:.0f} 天"
    limit = f"{tolerance.total_seconds() / 3600:g}"
    return f"照片拍摄时间（EXIF）在检查{when} {span}，与检查时间相差超过 {limit} 小时，请核实"


def is_deleted(ev: Evidence | Any) -> bool:
    """Removed before finalisation (a void with the automatic reason): hidden from the gallery."""
    return bool(ev.voided and (ev.void_reason or "").startswith(DELETED_PREFIX))

"""Evidence of an inspection, split in two steps so that the slow part never holds the store's writer:

1. `prepare_blob` (any thread, the io pool): the source checked and staged by `app.evidence_intake` (regular
   file only, no foreign links, size limit, free space, unchanged during the copy; streaming SHA-256), EXIF
   time/GPS read from the staged copy. The blob waits under a temp name.
2. `record_blob` (inside a write transaction, the store worker): the Evidence row, its audit + outbox rows
   (`app.changes.record_create`) and the upload job. Content already on the inspection is recognised as a
   duplicate ("该文件已导入") and nothing is written. The caller wraps that transaction in
   `app.evidence_intake.as_one_unit`, which moves the blob into place after the commit (or drops it).

A crash anywhere leaves only `.incoming-*` temp files, handled at the next start-up (`app.evidence_hygiene`).
"""

from __future__ import annotations

import mimetypes
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app.evidence_intake import Staged, stage_source
from app.evidence_store import DEFAULT_MAX_BYTES, PhotoMeta, read_photo_meta
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
    """Every photo/video/audio/document entry under `folder` (a camera card: recursive, hidden files and
    folders skipped, linked folders not entered), in path order. Entries that are not regular files (links,
    FIFOs …) are listed too, so that the import refuses them by name instead of skipping them silently."""
    found = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in MEDIA_EXT:
                found.append(Path(top) / name)
    return sorted(found)


@dataclass(frozen=True)
class PreparedBlob:
    sha256: str
    size: int
    media_type: str
    kind: str
    original_name: str
    meta: PhotoMeta
    staged: Staged | None = None  # the staged copy, placed when its row commits (None: already in place)


def prepare_blob(
    src: Path, evidence_root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
    cancel: threading.Event | None = None, folder: Path | None = None,
) -> PreparedBlob:
    """Check and stage `src` (see the module doc), read EXIF. Raises DomainError (refused: not a regular
    file, a link, too large, changed while copied), StoreError (disk full, unreadable) or
    `app.evidence_store.Cancelled`. `folder`: the folder of a folder import (links inside it are followed)."""
    staged = stage_source(src, evidence_root, folder=folder, max_bytes=max_bytes, progress=progress,
                          cancel=cancel)
    media_type, kind = kind_of(src)
    meta = read_photo_meta(staged.tmp) if kind == "photo" else PhotoMeta()
    return PreparedBlob(staged.sha256, staged.size, media_type, kind, staged.name, meta, staged)


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

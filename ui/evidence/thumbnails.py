"""Thumbnails of evidence photos (and signatures), made off the GUI thread and cached on disk, encrypted.

`make_thumbnail` is plain Pillow (JPEG draft mode decodes at 1/2…1/8 scale, EXIF orientation applied) on the
decrypted blob and runs on the io pool; the PNG is encrypted like a blob (`app.crypto.blobs`) and written
atomically to `<data dir>/cache/thumbnails/<sha256>.png`, so a thumbnail is made once per content, survives
restarts and is never on disk in plaintext. The cached PNG is decoded on the io pool too; the GUI thread only wraps its pixels in a QPixmap.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageOps
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from app.crypto.blobs import BlobWriter
from app.crypto.keys import keys_for
from app.evidence_store import blob_path, open_sealed
from app.models import new_id
from ui.context import AppContext

THUMB_SIZE = 120  # the gallery's icon size: painted without rescaling
THUMB_KINDS = frozenset({"photo", "signature"})


def thumbnail_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.png"


def make_thumbnail(src: Path, dest: Path, size: int = THUMB_SIZE) -> Path:
    """Write a `size`-bounded PNG thumbnail of the image at `src` to `dest` (atomically); returns `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open_sealed(src) as f, Image.open(f) as opened:
        opened.draft("RGB", (size * 2, size * 2))  # JPEG: decode at a reduced scale, much faster
        img = ImageOps.exif_transpose(opened)
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            back = Image.new("RGBA", img.size, (255, 255, 255, 255))
            back.alpha_composite(img)
            img = back.convert("RGB")
        elif img.mode != "RGB":
            img = img.convert("RGB")
        img.thumbnail((size, size), Image.Resampling.BILINEAR)
        tmp = dest.with_name(f".tmp-{new_id()}.png")
        png = io.BytesIO()
        img.save(png, "PNG", optimize=False)
        try:
            with tmp.open("wb") as out:
                writer = BlobWriter(out, keys_for(dest).blob_key)
                writer.write(png.getbuffer())
                writer.close()
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
    return dest


def load_thumbnail(src: Path, dest: Path) -> tuple[int, int, bytes]:
    """Make the cached thumbnail if it is missing, then return it as (width, height, RGBA bytes) — decoded here,
    on the io pool, so that the GUI thread only wraps the bytes in a QImage."""
    if not dest.exists():
        make_thumbnail(src, dest)
    with open_sealed(dest) as f, Image.open(f) as img:
        rgba = img.convert("RGBA")
        return rgba.width, rgba.height, rgba.tobytes()


class ThumbnailCache(QObject):
    """`pixmap(sha, kind)` returns the thumbnail if it is in memory; otherwise None, and it is made (or read
    from the disk cache) on the io pool — `ready(sha)` says when it can be fetched. A paint never waits on disk."""

    ready = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cache_dir = ctx.store.paths.thumbnails
        self._pixmaps: dict[str, QPixmap] = {}
        self._pending: set[str] = set()
        self._failed: set[str] = set()

    def pixmap(self, sha256: str, kind: str) -> QPixmap | None:
        if kind not in THUMB_KINDS or sha256 in self._failed:
            return None
        found = self._pixmaps.get(sha256)
        if found is None:
            self._schedule(sha256)
        return found

    def _schedule(self, sha256: str) -> None:
        if sha256 in self._pending:
            return
        self._pending.add(sha256)
        src = blob_path(self.ctx.store.paths.evidence, sha256)
        dest = thumbnail_path(self.cache_dir, sha256)
        self.ctx.runner.run_io("thumbnail", lambda _j: load_thumbnail(src, dest),
                               on_done=lambda res: self._done(sha256, res),
                               on_error=lambda _exc: self._fail(sha256))

    def _done(self, sha256: str, result: tuple[int, int, bytes]) -> None:
        w, h, data = result
        self._pending.discard(sha256)
        image = QImage(data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
        self._pixmaps[sha256] = QPixmap.fromImage(image)
        self.ready.emit(sha256)

    def _fail(self, sha256: str) -> None:
        self._pending.discard(sha256)
        self._failed.add(sha256)

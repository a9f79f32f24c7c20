"""Start-up hygiene of the evidence directory, run by `Store.open`: temp files left by a killed import are
swept (or, when a committed row needs the staged blob, moved into place), and blobs no row refers to are
collected once they are older than a safe age (logged; the whole tree is walked at most every 6 hours). `find_orphans` lists unreferenced blobs for `verify`.

A temp file of an import still running in another process of this data directory (its pid is alive) is left
alone unless it is older than `STALE_AFTER`.
"""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.crypto.blobs import BlobCorrupt, plain_size
from app.evidence_intake import INCOMING
from app.evidence_store import blob_path, hash_sealed, place_staged
from app.models import Evidence, Upload

if TYPE_CHECKING:
    from app.store import Store

log = logging.getLogger(__name__)

ORPHAN_SAFE_AGE = 24 * 3600.0  # seconds: an unreferenced blob younger than this is kept
STALE_AFTER = 24 * 3600.0  # seconds: a temp file this old is swept even when its pid looks alive
ORPHAN_SWEEP_EVERY = 6 * 3600.0  # seconds between walks of the whole evidence tree (a walk costs ~30 µs a blob)
MARKER = "orphan-sweep"  # in <data dir>/cache; its mtime: the last walk
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
STAGED_RE = re.compile(r"^\.incoming-(\d+)-[^.]+\.([0-9a-f]{64})$")
PART_RE = re.compile(r"^\.incoming-(\d+)-")


@dataclass(frozen=True)
class Hygiene:
    temps_removed: int = 0
    blobs_recovered: int = 0  # staged blobs of committed rows moved into place
    orphans_removed: int = 0


def referenced(store: Store) -> set[str]:
    with store.read() as session:
        return set(session.scalars(select(Evidence.sha256))) | set(session.scalars(select(Upload.sha256)))


def blobs_on_disk(root: Path) -> list[Path]:
    """Every file at a content address `aa/bb/<sha256>` under `root`."""
    found: list[Path] = []
    if not root.is_dir():
        return found
    for a in os.scandir(root):
        if len(a.name) != 2 or not a.is_dir(follow_symlinks=False):
            continue
        for b in os.scandir(a.path):
            if len(b.name) != 2 or not b.is_dir(follow_symlinks=False):
                continue
            found += [Path(f.path) for f in os.scandir(b.path)
                      if SHA_RE.match(f.name) and f.name.startswith(a.name + b.name)]
    return found


def find_orphans(store: Store) -> list[Path]:
    """Blobs no evidence row or upload job refers to (any age)."""
    refs = referenced(store)
    return sorted(p for p in blobs_on_disk(store.paths.evidence) if p.name not in refs)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process has not started an import yet
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _hash_file(path: Path) -> str:
    try:
        return hash_sealed(path)
    except (BlobCorrupt, ValueError):
        return ""  # not a sealed file of this store: never moved into place


def run(store: Store, *, orphan_age: float = ORPHAN_SAFE_AGE) -> Hygiene:
    """Sweep temp files, place staged blobs that committed rows need, collect old orphans."""
    root = store.paths.evidence
    if not root.is_dir():
        return Hygiene()
    refs: set[str] | None = None  # read only when needed: a staged file to judge, or an orphan walk
    now = time.time()
    removed = recovered = 0
    for entry in os.scandir(root):
        if not entry.name.startswith(INCOMING) or not entry.is_file(follow_symlinks=False):
            continue
        path = Path(entry.path)
        owner = PART_RE.match(entry.name)
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if owner and _pid_alive(int(owner.group(1))) and age < STALE_AFTER:
            continue
        staged = STAGED_RE.match(entry.name)
        if staged and refs is None:
            refs = referenced(store)
        try:
            if staged and refs is not None and staged.group(2) in refs and not blob_path(root, staged.group(2)).exists() \
                    and _hash_file(path) == staged.group(2):
                place_staged(path, root, staged.group(2), plain_size(path.stat().st_size))
                recovered += 1
                log.info("start-up: staged evidence %s… moved into place", staged.group(2)[:12])
            else:
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:
            log.warning("start-up: could not clear %s", entry.name)
    orphans = 0
    marker = store.paths.root / "cache" / MARKER
    try:
        due = now - marker.stat().st_mtime >= ORPHAN_SWEEP_EVERY
    except OSError:
        due = True
    if due:
        orphans = _collect_orphans(root, referenced(store) if refs is None else refs, now, orphan_age)
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            log.warning("start-up: orphan sweep marker not written")
    if removed:
        log.info("start-up: %d temp file(s) of interrupted imports removed", removed)
    return Hygiene(removed, recovered, orphans)


def _collect_orphans(root: Path, refs: set[str], now: float, orphan_age: float) -> int:
    orphans = 0
    for blob in blobs_on_disk(root):
        if blob.name in refs:
            continue
        try:
            if now - blob.stat().st_mtime < orphan_age:
                continue
            blob.unlink()
            orphans += 1
            log.info("start-up: unreferenced evidence blob %s… removed", blob.name[:12])
        except OSError:
            log.warning("start-up: could not remove unreferenced blob %s…", blob.name[:12])
    return orphans

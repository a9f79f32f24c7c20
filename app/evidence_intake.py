"""Evidence intake that trusts nothing: which source files are accepted, how they are read, and how a blob
and its row become one unit.

* A source is opened once, without blocking and without following a link (`O_NONBLOCK | O_NOFOLLOW`), and
  accepted only when `fstat` says it is a regular file: FIFOs, devices, sockets and directories are refused
  with a Chinese message and never read. A symbolic link is refused, except in a folder import, where it is
  followed when its target lies inside the chosen folder.
* Every check (type, size limit, free disk space) is made before a byte is written; the copy is then hashed
  into a staged temp file, and a source whose size or modification time changed meanwhile is refused.
* File names that are not valid UTF-8 are kept losslessly in an escaped, readable form (`record_name`).
* The staged file keeps its temp name (`.incoming-<pid>-<id>.<sha256>`) until the evidence row is committed;
  only then is it moved to its content address (`as_one_unit`). Any failure before the commit discards it, so
  no blob without a row is ever left; a crash leaves only temp files, which `app.evidence_hygiene` sweeps (or
  moves into place, when a committed row needs it) at the next start-up.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.errors import DomainError, StoreError
from app.evidence_store import Cancelled, place_staged, stage_stream
from app.models import new_id

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_BINARY = getattr(os, "O_BINARY", 0)
DISK_MARGIN = 16 * 1024**2  # bytes kept free beyond the file itself
INCOMING = ".incoming-"


@dataclass(frozen=True)
class Staged:
    """A hashed copy waiting for its row: `tmp` is moved to the content address after the commit."""

    tmp: Path
    sha256: str
    size: int
    name: str  # the original file name in record form (see `record_name`)


# ---- names -----------------------------------------------------------------------------------------------

def record_name(name: str) -> str:
    """The file name as stored and shown: unchanged when it is valid UTF-8 without a backslash; otherwise
    each undecodable byte becomes `\\xNN` and a backslash `\\\\` — readable, and `raw_name` gives the bytes back."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.replace(b"\\", b"\\\\").decode("utf-8", errors="backslashreplace")
    return text.replace("\\", "\\\\") if "\\" in text else text


def raw_name(stored: str) -> bytes:
    """The original bytes of a name kept by `record_name`."""
    out = bytearray()
    i = 0
    while i < len(stored):
        ch = stored[i]
        if ch == "\\" and stored[i + 1:i + 2] == "\\":
            out += b"\\"
            i += 2
        elif ch == "\\" and stored[i + 1:i + 2] == "x" and len(stored) >= i + 4:
            out.append(int(stored[i + 2:i + 4], 16))
            i += 4
        else:
            out += ch.encode("utf-8")
            i += 1
    return bytes(out)


# ---- opening a source ------------------------------------------------------------------------------------

def too_large_message(name: str, size: int, max_bytes: int) -> str:
    return (f"文件「{name}」大小为 {size / 1024**2:.1f} MB，超过单个证据 {max_bytes / 1024**2:.0f} MB 的上限，"
            "未导入。请压缩或截取后再导入。")


def _refuse(message: str, code: str) -> DomainError:
    return DomainError(message, code=code)


def _inside(target: Path, folder: Path) -> bool:
    try:
        target.relative_to(folder)
    except ValueError:
        return False
    return True


def source_to_open(path: Path, folder: Path | None = None) -> Path:
    """The path to open for `path`: itself, or — in a folder import — the target of a link that stays inside
    `folder`. Links elsewhere are refused."""
    name = record_name(path.name)
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise _source_error(exc, name) from exc
    if not stat.S_ISLNK(st.st_mode):
        return path
    if folder is None:
        raise _refuse(f"「{name}」是一个符号链接（快捷方式），为防止导入其他位置的文件，未导入。请直接选择原文件。",
                      code="symlink")
    target = Path(os.path.realpath(path))
    if not _inside(target, Path(os.path.realpath(folder))):
        raise _refuse(f"「{name}」是指向所选文件夹以外的符号链接，未导入。", code="symlink_outside")
    return target


def open_source(path: Path, folder: Path | None = None) -> tuple[int, os.stat_result]:
    """Open without blocking and without following a link; only a regular file is accepted. (fd, fstat)."""
    name = record_name(path.name)
    target = source_to_open(path, folder)
    try:
        fd = os.open(target, os.O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_BINARY)
    except OSError as exc:
        raise _source_error(exc, name) from exc
    try:
        st = os.fstat(fd)
        kind = _not_regular(st.st_mode)
        if kind:
            raise _refuse(f"「{name}」是{kind}，不是普通文件，未导入。", code="not_regular")
        if O_NONBLOCK:  # a regular file: back to ordinary blocking reads
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道（FIFO）"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def _source_error(exc: OSError, name: str) -> DomainError | StoreError:
    if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW on a link (EMLINK on FreeBSD)
        return _refuse(f"「{name}」是一个符号链接（快捷方式），未导入。请直接选择原文件。", code="symlink")
    if exc.errno == errno.ENXIO:
        return _refuse(f"「{name}」是套接字或设备，不是普通文件，未导入。", code="not_regular")
    if exc.errno == errno.EISDIR:
        return _refuse(f"「{name}」是文件夹，不是普通文件，未导入。", code="not_regular")
    if exc.errno == errno.ENOENT:
        return StoreError(f"找不到文件「{name}」，未导入。", code="evidence_io")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StoreError(f"没有读取文件「{name}」的权限，未导入。", code="evidence_io")
    return StoreError(f"无法读取文件「{name}」：{exc.strerror or '读取错误'}，未导入。", code="evidence_io")


def _store_error(exc: OSError) -> StoreError:
    if exc.errno == errno.ENOSPC:
        return StoreError("磁盘空间不足，证据未能导入。请清理磁盘后重试。", code="disk_full")
    if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return StoreError("证据目录不可写，证据未能导入。请检查数据目录权限。", code="read_only")
    return StoreError(f"导入证据失败：{exc.strerror or '读写错误'}", code="evidence_io")


# ---- staging ---------------------------------------------------------------------------------------------

def stage_source(
    src: Path, root: Path, *, folder: Path | None = None, max_bytes: int, progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Staged:
    """Check `src` (type, link, size limit, free space), then hash and copy it into a staged temp file under
    `root`. Raises DomainError (refused), StoreError (I/O) or `Cancelled`; nothing is left behind on error."""
    name = record_name(src.name)
    fd, st = open_source(src, folder)
    try:
        if st.st_size > max_bytes:
            raise _refuse(too_large_message(name, st.st_size, max_bytes), code="too_large")
        try:
            root.mkdir(parents=True, exist_ok=True)
            free = shutil.disk_usage(root).free
        except OSError as exc:
            raise _store_error(exc) from exc
        if free < st.st_size + DISK_MARGIN:
            raise StoreError(f"磁盘剩余空间不足以导入「{name}」（需要约 {st.st_size / 1024**2:.0f} MB），"
                             "未导入。请清理磁盘后重试。", code="disk_full")
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        stem = f"{INCOMING}{os.getpid()}-{new_id()}"
        try:
            tmp, sha, done = stage_stream(lambda n: os.read(fd, n), root, total=st.st_size, progress=progress,
                                          cancel=cancel, tmp_name=stem + ".part")
        except OSError as exc:
            raise _store_error(exc) from exc
        after = os.fstat(fd)
        if done != st.st_size or after.st_size != st.st_size or after.st_mtime_ns != st.st_mtime_ns:
            tmp.unlink(missing_ok=True)
            raise _refuse(f"文件「{name}」在复制过程中发生了变化（大小或修改时间改变），未导入。"
                          "请等文件写完后重新导入。", code="source_changed")
        staged = tmp.with_name(f"{stem}.{sha}")
        os.replace(tmp, staged)
        return Staged(staged, sha, done, name)
    finally:
        os.close(fd)


def place(staged: Staged, root: Path) -> None:
    """Move a staged blob to its content address. Runs after the row's commit: a failure here is logged and
    left to the next start-up (which moves it into place), never reported as a failed import."""
    try:
        place_staged(staged.tmp, root, staged.sha256, staged.size)
    except OSError:
        log.warning("staged evidence %s… not placed; the next start-up places it", staged.sha256[:12])


def discard(staged: Staged | None) -> None:
    if staged is not None:
        try:
            staged.tmp.unlink(missing_ok=True)
        except OSError:
            log.warning("staged evidence %s… not removed; the next start-up sweeps it", staged.sha256[:12])


@contextmanager
def as_one_unit(staged: Staged | None, root: Path) -> Iterator[None]:
    """Wrap the write transaction that records `staged`: placed after a normal exit (the commit), discarded
    on any exception — there is never a blob without a row, nor a row without its blob after start-up."""
    try:
        yield
    except BaseException:
        discard(staged)
        raise
    if staged is not None:
        place(staged, root)

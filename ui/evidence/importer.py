"""`EvidenceImporter`: import files and whole folders (a camera card) into an inspection without ever blocking
the GUI thread.

Folders are expanded and files measured on the io pool; each file is hashed and copied into the evidence store
on the io pool (two at a time, cancellable mid-file), then its row is recorded on the store worker — the single
writer. Progress is reported in bytes over the whole import. The summary says what was imported, what had been
imported before ("该文件已导入"), what was too large or unreadable, and whether the person cancelled.
"""

from __future__ import annotations

import stat
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import DomainError, StoreError
from app.evidence_intake import record_name
from app.evidence_store import DEFAULT_MAX_BYTES, Cancelled
from app.inspections import InspectionService
from app.inspections.evidence import DUPLICATE_MESSAGE, PreparedBlob, collect_media_files
from ui.context import AppContext
from ui.runner import JobControl, JobHandle

PARALLEL = 2
NOTHING_FOUND = "未找到可导入的照片、视频、录音或文档"


@dataclass
class ImportSummary:
    imported: list[str] = field(default_factory=list)  # evidence ids
    names: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # file names already on the record
    errors: list[str] = field(default_factory=list)  # Chinese messages
    cancelled: bool = False
    skipped: int = 0  # files not started because of the cancel

    def message(self) -> str:
        """One short Chinese paragraph for a message box or the status line."""
        if not self.imported and len(self.duplicates) == 1 and not self.errors and not self.cancelled:
            return f"{DUPLICATE_MESSAGE}：{self.duplicates[0]}"
        parts = []
        if self.imported:
            parts.append(f"已导入 {len(self.imported)} 个文件")
        if self.duplicates:
            shown = "、".join(self.duplicates[:3]) + (" 等" if len(self.duplicates) > 3 else "")
            parts.append(f"{len(self.duplicates)} 个文件此前已导入（{DUPLICATE_MESSAGE}）：{shown}")
        parts += self.errors
        if self.cancelled:
            parts.append(f"已取消导入，{self.skipped} 个文件未导入" if self.skipped else "已取消导入")
        return "；".join(parts) or NOTHING_FOUND


def expand(paths: list[Path]) -> list[tuple[Path, int, Path | None]]:
    """Files as given (any type) and the media files under given folders, with their sizes and the folder
    they were found in (None for a file given directly), in order. Nothing is opened here: the checks are
    made when each file is staged (`app.evidence_intake`)."""
    out: list[tuple[Path, int, Path | None]] = []
    seen: set[Path] = set()
    for p in paths:
        folder = p if p.is_dir() and not p.is_symlink() else None
        files = collect_media_files(p) if folder is not None else [p]
        for f in files:
            key = f.resolve()
            if key in seen:
                continue
            seen.add(key)
            try:
                st = f.lstat()
                size = st.st_size if stat.S_ISREG(st.st_mode) else 0
            except OSError:
                size = 0
            out.append((f, size, folder))
    return out


class EvidenceImporter(QObject):
    """Signals: `progressed(done_bytes, total_bytes, text)`, `imported(evidence_id)` as each file lands,
    `finished(ImportSummary)` once."""

    progressed = Signal(object, object, str)
    imported = Signal(str)
    finished = Signal(object)

    def __init__(self, ctx: AppContext, service: InspectionService, inspection_id: str, *,
                 item_key: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, parallel: int = PARALLEL,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.service, self.inspection_id = ctx, service, inspection_id
        self.item_key, self.max_bytes, self.parallel = item_key, max_bytes, max(1, parallel)
        self.summary = ImportSummary()
        self.running = False
        self._queue: deque[tuple[Path, int, Path | None]] = deque()
        self._handles: dict[Path, JobHandle] = {}
        self._done_bytes: dict[Path, int] = {}
        self._total = 0
        self._bytes = 0
        self._count = 0
        self._records = 0  # store jobs in flight

    def start(self, paths: list[Path]) -> None:
        self.running = True
        self.progressed.emit(0, 0, self.tr("Looking for files…"))
        self.ctx.runner.run_io("collect evidence", lambda _job: expand([Path(p) for p in paths]),
                               on_done=self._collected, on_error=self._collect_failed)

    def cancel(self) -> None:
        if not self.running:
            return
        self.summary.cancelled = True
        self.summary.skipped += len(self._queue)
        self._queue.clear()
        for handle in self._handles.values():
            handle.cancel()
        self._maybe_finish()

    def _collected(self, files: list[tuple[Path, int, Path | None]]) -> None:
        if self.summary.cancelled:
            self._maybe_finish()
            return
        if not files:
            self.summary.errors.append(NOTHING_FOUND)
        self._queue.extend(files)
        self._total = sum(size for _, size, _folder in files)
        self._count = len(files)
        for _ in range(self.parallel):
            self._next()
        self._maybe_finish()

    def _collect_failed(self, exc: BaseException) -> None:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        self.summary.errors.append(f"无法读取所选文件夹（{detail}），请检查文件夹是否存在及读取权限")
        self._maybe_finish()

    def _next(self) -> None:
        if not self._queue or self.summary.cancelled:
            return
        path, _size, folder = self._queue.popleft()
        service, max_bytes, shown = self.service, self.max_bytes, record_name(path.name)

        def job(control: JobControl) -> PreparedBlob:
            return service.prepare_evidence(path, max_bytes=max_bytes, cancel=control.cancel_event, folder=folder,
                                            progress=lambda d, t: control.progress(d, t, shown))

        handle = self.ctx.runner.run_io(
            "import evidence", job, on_done=lambda blob: self._prepared(path, blob),
            on_error=lambda exc: self._failed(path, exc),
            on_progress=lambda d, _t, name: self._progress(path, d, name),
        )
        self._handles[path] = handle

    def _progress(self, path: Path, done: int, name: str) -> None:
        self._bytes += done - self._done_bytes.get(path, 0)
        self._done_bytes[path] = done
        index = len(self.summary.imported) + len(self.summary.duplicates) + len(self.summary.errors) + 1
        text = self.tr("Importing %1 of %2: %3").replace("%1", str(min(index, self._count))).replace(
            "%2", str(self._count)).replace("%3", name)
        self.progressed.emit(self._bytes, self._total, text)

    def _prepared(self, path: Path, blob: PreparedBlob) -> None:
        self._handles.pop(path, None)
        self._records += 1
        service, iid, key = self.service, self.inspection_id, self.item_key
        self.ctx.runner.run_store(
            "record evidence", lambda _job: service.record_evidence(iid, blob, item_key=key),
            on_done=lambda res: self._recorded(path, res), on_error=lambda exc: self._record_failed(path, exc),
        )
        self._next()

    def _recorded(self, path: Path, result: tuple[str, bool]) -> None:
        self._records -= 1
        evidence_id, duplicate = result
        if duplicate:
            self.summary.duplicates.append(record_name(path.name))
        else:
            self.summary.imported.append(evidence_id)
            self.summary.names.append(record_name(path.name))
            self.imported.emit(evidence_id)
        self._maybe_finish()

    def _record_failed(self, path: Path, exc: BaseException) -> None:
        self._records -= 1
        self.summary.errors.append(f"{record_name(path.name)}：{exc}")
        self._maybe_finish()

    def _failed(self, path: Path, exc: BaseException) -> None:
        self._handles.pop(path, None)
        if isinstance(exc, Cancelled):
            self.summary.cancelled = True
            self.summary.skipped += 1
        elif isinstance(exc, DomainError | StoreError):
            self.summary.errors.append(str(exc))
        else:
            self.summary.errors.append(f"{record_name(path.name)}：导入失败（{type(exc).__name__}）")
        self._next()
        self._maybe_finish()

    def _maybe_finish(self) -> None:
        if not self.running or self._handles or self._records or (self._queue and not self.summary.cancelled):
            return
        self.running = False
        self.finished.emit(self.summary)


def progress_dialog(importer: EvidenceImporter, parent: QWidget | None) -> QProgressDialog:
    """A progress dialog with 取消 bound to `importer` (closed when it finishes). It is modeless on purpose:
    a modal QProgressDialog runs a nested event loop in every `setValue`; updates are throttled to 20 a second."""
    dlg = QProgressDialog(importer.tr("Importing evidence…"), importer.tr("Cancel"), 0, 1000, parent)
    dlg.setWindowTitle(importer.tr("Import evidence"))
    dlg.setWindowModality(Qt.WindowModality.NonModal)
    dlg.setMinimumDuration(300)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)
    dlg.setMinimumWidth(420)
    clock = QElapsedTimer()
    clock.start()

    def on_progress(done: int, total: int, text: str) -> None:
        if clock.elapsed() < 50 and done < total:
            return
        clock.restart()
        dlg.setLabelText(text)
        dlg.setValue(int(done * 1000 / total) if total else 0)

    importer.progressed.connect(on_progress)
    dlg.canceled.connect(importer.cancel)
    importer.finished.connect(lambda _s: dlg.close())
    return dlg



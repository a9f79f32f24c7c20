"""Printing and exporting without widgets (safe on the task runner's workers).

* `prepare(store, doc)` builds the render input and lays the document out (a worker), moving the laid-out
  QTextDocument to the GUI thread so a print preview can paint the ready pages;
* `print_batch(printer, items, …)` paints many documents into ONE print job on a configured QPrinter (Qt allows
  QPainter on a QPrinter outside the GUI thread; only the dialog that configured it must run on the GUI thread);
* `export_pdf(store, doc, dest)` writes the PDF: an issued document's stored file (its hash checked against
  `pdf_sha256`, so what leaves the office is byte-identical to what was issued), else a fresh rendering.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter

from app import models as m
from app.documents.render_input import build
from app.errors import DomainError
from app.store import Store
from ui.documents.renderer import PHOTO_APPENDIX_TYPES, Cancelled, Laid, layout, paint, render_pdf

Photos = bool | frozenset[str]


def wants_photos(doc: m.Document, photos: Photos) -> bool:
    return photos if isinstance(photos, bool) else doc.doc_type in photos


Progress = Callable[[int, int, str], None]


def prepare(store: Store, doc: m.Document, *, photos: Photos = PHOTO_APPENDIX_TYPES) -> Laid:
    """Lay out `doc` (any thread); the result is handed to the GUI thread."""
    laid = layout(build(store, doc, photos=wants_photos(doc, photos)))
    app = QCoreApplication.instance()
    if app is not None:
        laid.doc.moveToThread(app.thread())
        laid.writer_keepalive.moveToThread(app.thread())
    return laid


def stored_pdf(store: Store, doc: m.Document) -> Path | None:
    """The issued PDF on disk when it is intact (hash equals `pdf_sha256`); `DomainError` when it was altered."""
    if not doc.pdf_sha256:
        return None
    path = store.paths.documents / f"{doc.id}.pdf"
    if not path.exists():
        return None
    if hashlib.sha256(path.read_bytes()).hexdigest() != doc.pdf_sha256:
        raise DomainError(
            f"签发时保存的 PDF（{doc.number}）已被改动，文件哈希与登记不一致，请核查", code="pdf_altered"
        )
    return path


def export_pdf(store: Store, doc: m.Document, dest: Path, *, photos: Photos = PHOTO_APPENDIX_TYPES) -> Path:
    """Write `doc` as PDF to `dest` (issued: the stored, hash-checked file; otherwise a rendering)."""
    dest = Path(dest)
    source = stored_pdf(store, doc) if doc.status in ("issued", "served") else None
    if source is not None:
        shutil.copyfile(source, dest)
    else:
        dest.write_bytes(render_pdf(build(store, doc, photos=wants_photos(doc, photos))))
    return dest


def print_batch(
    printer: QPrinter,
    store: Store,
    docs: Sequence[m.Document],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    photos: Photos = PHOTO_APPENDIX_TYPES,
) -> int:
    """Lay out and paint every document into one job on `printer`; returns the pages printed. On cancel the
    job is aborted (nothing half-printed is sent) and `Cancelled` is raised."""
    painter = QPainter()
    if not painter.begin(printer):
        raise DomainError("无法开始打印，请检查打印机是否可用", code="printer_unavailable")
    pages = 0
    try:
        for index, doc in enumerate(docs):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(index, len(docs), f"正在排版 {doc.number or '草稿'}")
            laid = layout(build(store, doc, photos=wants_photos(doc, photos)))
            paint(laid, painter, printer, first=index == 0, cancelled=cancelled)
            pages += laid.pages
        if progress is not None:
            progress(len(docs), len(docs), "正在发送到打印机")
    except BaseException:
        printer.abort()
        painter.end()
        raise
    painter.end()
    return pages

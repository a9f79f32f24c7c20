"""Printing and exporting without widgets (safe on the task runner's workers).

The issued PDF is the document: preview, print and export all start from `document_pdf(store, doc)` — an issued
document's stored file (its hash checked against `pdf_sha256`), a draft's or voided one's fresh rendering — and
print/preview draw that PDF's own pages (`ui.documents.pdfpages`), so the paper is the exported page by
construction, at any printer resolution.

* `preview_pages(store, doc)` renders the pages for the print preview (a worker; the dialog paints the images);
* `print_batch(printer, store, docs, …)` paints many documents into ONE print job on a configured QPrinter (Qt
  allows QPainter on a QPrinter outside the GUI thread; only the dialog that configured it runs on the GUI thread);
* `export_pdf(store, doc, dest)` writes the PDF.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from app import models as m
from app.documents.render_input import build
from app.errors import DomainError
from app.evidence_store import read_sealed
from app.store import Store
from ui.documents.pdfpages import Cancelled, draw_pdf, page_images
from ui.documents.renderer import PHOTO_APPENDIX_TYPES, render_pdf

Photos = bool | frozenset[str]


def wants_photos(doc: m.Document, photos: Photos) -> bool:
    return photos if isinstance(photos, bool) else doc.doc_type in photos


Progress = Callable[[int, int, str], None]


def stored_pdf(store: Store, doc: m.Document) -> bytes | None:
    """The issued PDF (decrypted) when it is intact (hash equals `pdf_sha256`); `DomainError` when altered."""
    if not doc.pdf_sha256:
        return None
    path = store.paths.documents / f"{doc.id}.pdf"
    if not path.exists():
        return None
    try:
        data = read_sealed(path)
    except OSError:  # fails authentication
        data = b""
    if hashlib.sha256(data).hexdigest() != doc.pdf_sha256:
        raise DomainError(
            f"签发时保存的 PDF（{doc.number}）已被改动，文件哈希与登记不一致，请核查", code="pdf_altered"
        )
    return data


def document_pdf(store: Store, doc: m.Document, *, photos: Photos = PHOTO_APPENDIX_TYPES) -> bytes:
    """The PDF that is `doc` on paper: issued or served — the stored, hash-checked file; otherwise a rendering
    (a draft or voided document carries its watermark)."""
    source = stored_pdf(store, doc) if doc.status in ("issued", "served") else None
    if source is not None:
        return source
    return render_pdf(build(store, doc, photos=wants_photos(doc, photos)))


def export_pdf(store: Store, doc: m.Document, dest: Path, *, photos: Photos = PHOTO_APPENDIX_TYPES) -> Path:
    """Write `doc` as PDF to `dest` (issued: the stored, hash-checked file; otherwise a rendering)."""
    dest = Path(dest)
    source = stored_pdf(store, doc) if doc.status in ("issued", "served") else None
    if source is not None:
        dest.write_bytes(source)
    else:
        dest.write_bytes(document_pdf(store, doc, photos=photos))
    return dest


Pages = list[tuple[QImage, QSizeF]]


def preview_pages(
    store: Store, doc: m.Document, *, cancelled: Callable[[], bool] | None = None
) -> Pages:
    """The document's PDF pages as images for the print preview (any thread)."""
    return page_images(document_pdf(store, doc), cancelled=cancelled)


def print_batch(
    printer: QPrinter,
    store: Store,
    docs: Sequence[m.Document],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    photos: Photos = PHOTO_APPENDIX_TYPES,
) -> int:
    """Draw every document's PDF pages into one job on `printer`; returns the pages printed. On cancel the job
    is aborted (nothing half-printed is sent) and `Cancelled` is raised."""
    painter = QPainter()
    if not painter.begin(printer):
        raise DomainError("无法开始打印，请检查打印机是否可用", code="printer_unavailable")
    pages = 0
    try:
        for index, doc in enumerate(docs):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(index, len(docs), f"正在准备 {doc.number or '草稿'}")
            pdf = document_pdf(store, doc, photos=photos)
            pages += draw_pdf(painter, printer, pdf, first=index == 0, cancelled=cancelled)
        if progress is not None:
            progress(len(docs), len(docs), "正在发送到打印机")
    except BaseException:
        printer.abort()
        painter.end()
        raise
    painter.end()
    return pages

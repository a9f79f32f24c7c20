"""Draw a PDF's own pages on a printer: the printed and previewed page is the PDF page by construction.

`draw_pdf(painter, printer, pdf)` rasterises every page of `pdf` with Qt PDF (PDFium) at the printer's
resolution (at most MAX_RENDER_DPI) and draws it 1:1 where the page lies on the paper — no second layout, no
scaling of the page. A page is rendered
in horizontal bands, so memory stays bounded at any resolution the print dialog may choose (a 1200 dpi A4 page
would be a 560 MB image in one piece); bands with no colour are sent as 8-bit grey (a third of the data).

`page_images(pdf, dpi)` renders whole pages for the print preview (a worker makes them; the preview dialog only
paints the ready images on the GUI thread).

Thread use: QPdfDocument, QImage and QPainter on a QPrinter work outside the GUI thread (the document object is
created, used and dropped in the calling thread).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPagedPaintDevice, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

from app.errors import DomainError
from ui.documents.renderer import Cancelled

BAND_PIXELS = 16_000_000  # ~64 MB of ARGB per band at most
#: above this the page is rendered at 600 dpi and drawn at the printer's resolution (the geometry is exact; a
#: 1200 dpi raster of an A4 page is 140 M pixels that no printed text needs, and the job would be 4× larger)
MAX_RENDER_DPI = 600
PREVIEW_DPI = 200


@contextmanager
def opened(pdf: bytes) -> Iterator[QPdfDocument]:
    """`pdf` loaded in Qt PDF (synchronously, from memory); `DomainError` when it cannot be read."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            raise DomainError("文书的 PDF 无法读取，不能打印或预览", code="pdf_unreadable")
        yield document
    finally:
        document.close()
        buffer.close()
        document.deleteLater()


def _pixels(points: QSizeF, dpi: float) -> QSize:
    return QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))


def _compact(image: QImage) -> QImage:
    """PDFium leaves the paper transparent: put it on white, then drop to 8-bit grey when nothing is coloured."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8) if paper.allGray() else paper


def _origin(device: QPagedPaintDevice) -> QPointF:
    """Where the paper's top-left corner is in the painter's coordinates (not 0,0 when the printer is not in
    full-page mode: then the origin is the printable area's corner)."""
    if isinstance(device, QPrinter) and not device.fullPage():
        page = device.pageRect(QPrinter.Unit.DevicePixel)
        paper = device.paperRect(QPrinter.Unit.DevicePixel)
        return QPointF(paper.left() - page.left(), paper.top() - page.top())
    return QPointF(0, 0)


def draw_pdf(
    painter: QPainter,
    device: QPagedPaintDevice,
    pdf: bytes,
    *,
    first: bool = True,
    dpi: float | None = None,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Paint every page of `pdf` on `device` (already begun by `painter`) at the device's resolution (or `dpi`);
    `first=False` starts with a new page. Returns the pages drawn; raises `Cancelled` between bands."""
    device_dpi = float(device.logicalDpiX())
    render_dpi = float(dpi or min(device_dpi, MAX_RENDER_DPI))
    scale = device_dpi / render_dpi
    origin = _origin(device)
    with opened(pdf) as document:
        pages = document.pageCount()
        for index in range(pages):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if index or not first:
                device.newPage()
            full = _pixels(document.pagePointSize(index), render_dpi)
            band = max(64, BAND_PIXELS // full.width())
            for top in range(0, full.height(), band):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                height = min(band, full.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(full)
                options.setScaledClipRect(QRect(0, top, full.width(), height))
                image = document.render(index, QSize(full.width(), height), options)
                target = QRectF(
                    origin.x(), origin.y() + top * scale, full.width() * scale, height * scale
                )
                painter.drawImage(target, _compact(image))
            if progress is not None:
                progress(index + 1, pages)
    return pages


def page_images(
    pdf: bytes, dpi: float = PREVIEW_DPI, cancelled: Callable[[], bool] | None = None
) -> list[tuple[QImage, QSizeF]]:
    """Every page as an image at `dpi`, with its size in points (for the preview)."""
    out: list[tuple[QImage, QSizeF]] = []
    with opened(pdf) as document:
        for index in range(document.pageCount()):
            if cancelled is not None and cancelled():
                raise Cancelled()
            size = document.pagePointSize(index)
            out.append((_compact(document.render(index, _pixels(size, dpi))), size))
    return out


def draw_images(painter: QPainter, device: QPagedPaintDevice, pages: list[tuple[QImage, QSizeF]]) -> None:
    """Paint pre-rendered pages 1:1 on the paper (the preview's paint request)."""
    dpi = float(device.logicalDpiX())
    origin = _origin(device)
    for index, (image, points) in enumerate(pages):
        if index:
            device.newPage()
        painter.drawImage(
            QRectF(origin.x(), origin.y(), points.width() / 72 * dpi, points.height() / 72 * dpi), image
        )

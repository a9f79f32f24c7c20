"""Render a document to A4 PDF (QTextDocument laid out page by page, painted with QPainter on QPdfWriter or a
QPrinter), with per-page header/footer: QR code on page 1 of an issued document, "第 X 页 共 Y 页" on every page
and, for records (笔录), the party's signature line on every page; a dashed seal circle where the seal goes.

Thread use: everything here touches only QTextDocument, QPdfWriter/QPrinter, QPainter and QImage — no widgets —
so it runs on the task runner's workers. `layout()` may be called on a worker and the result painted on any
thread (the preview paints pre-laid-out pages on the GUI thread).

Determinism: the same document renders to identical bytes. QPdfWriter gets a document id derived from the
document (uuid5) and a fixed XMP packet (dates = issue time); the Info dictionary's /CreationDate and /ModDate,
which Qt always stamps with the current time, are overwritten in place (same length, so the xref stays valid)
with the issue time. The issued PDF is also stored and reprints/exports copy the stored file.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl, QUuid
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from app.documents.render_input import RenderInput, encode_qr, xmp_packet
from app.documents.verify import add_self_hash
from ui.documents.fonts import document_family, document_font
from ui.documents.html import SEAL_MARK, build_html
from ui.documents.qr import draw_qr

LAYOUT_DPI = 300
MM = LAYOUT_DPI / 25.4
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 26.0, 24.0, 25.0, 20.0
QR_MM = 20.0
DOC_NAMESPACE = uuid.UUID("6f1c8a52-6c8e-4f5e-9b8a-4c1a3c7e2d10")


class Cancelled(Exception):
    """Rendering or printing was cancelled by the user."""


@dataclass
class Laid:
    """A document laid out into pages (in layout pixels at LAYOUT_DPI)."""

    inp: RenderInput
    doc: QTextDocument
    pages: int
    writer_keepalive: QPdfWriter
    sink_keepalive: QBuffer

    @property
    def content_size(self) -> QSizeF:
        return self.doc.pageSize()


def layout(inp: RenderInput) -> Laid:
    family = document_family()
    doc = QTextDocument()
    doc.setUseDesignMetrics(True)
    sink = QBuffer()
    measure = QPdfWriter(sink)  # never painted on: gives the layout print (design) metrics at LAYOUT_DPI
    measure.setResolution(LAYOUT_DPI)
    doc.documentLayout().setPaintDevice(measure)
    font = QFont(family)
    font.setPointSizeF(12)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(f'body, p, td, th {{ font-family: "{family}"; }}')
    doc.setDocumentMargin(0)
    built = build_html(inp, MM)
    for name, data in built.images.items():
        image = QImage.fromData(data)
        if not image.isNull():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    width = (PAGE_W_MM - MARGIN_LEFT - MARGIN_RIGHT) * MM
    height = (PAGE_H_MM - MARGIN_TOP - MARGIN_BOTTOM) * MM
    doc.setPageSize(QSizeF(width, height))
    doc.setHtml(built.html)
    _space_lines(doc)
    _split_at_page_breaks(doc, height)
    _keep_seal_together(doc, height)
    return Laid(inp, doc, max(1, doc.pageCount()), measure, sink)


LINE_GAP_PT = 2.0  # extra space between lines (Qt's proportional line height breaks pagination)


def _space_lines(doc: QTextDocument) -> None:
    """Add a fixed gap between the lines of every body paragraph (not table cells) for readable spacing."""
    gap = LINE_GAP_PT / 72 * LAYOUT_DPI
    block = doc.begin()
    cursor = QTextCursor(doc)
    while block.isValid():
        cursor.setPosition(block.position())
        if cursor.currentTable() is None:
            fmt = block.blockFormat()
            fmt.setLineHeight(gap, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value)
            cursor.setBlockFormat(fmt)
        block = block.next()


def _seal_blocks(doc: QTextDocument) -> list[QTextBlock]:
    mark = doc.find(SEAL_MARK)
    if mark.isNull():
        return []
    first = mark.block()
    return [first, first.next(), first.next().next()]


def _page_of(y: float, page_height: float) -> int:
    """The page a layout y belongs to; Qt puts a line pushed to the next page at exactly k × height, which in
    floating point may come out a hair below the boundary."""
    return int((y + 0.5) // page_height)


def _split_at_page_breaks(doc: QTextDocument, page_height: float, rounds: int = 200) -> None:
    """Split every body paragraph that runs over a page boundary into two blocks at that boundary.

    QTextLayout::draw always draws the last line above the clip rectangle too (clipped on paper, but still in
    the PDF's text layer), so a paragraph spanning two pages would put its last page-N line into page N+1's
    text. With no block spanning a boundary, every line is drawn on exactly one page."""
    for _ in range(rounds):
        block = doc.begin()
        split = False
        while block.isValid() and not split:
            lay = block.layout()
            cursor = QTextCursor(block)
            if lay is not None and lay.lineCount() > 1 and cursor.currentTable() is None:
                top = lay.position().y()
                for i in range(1, lay.lineCount()):
                    before, line = lay.lineAt(i - 1), lay.lineAt(i)
                    if _page_of(top + line.y(), page_height) != _page_of(top + before.y(), page_height):
                        cont = QTextBlockFormat(block.blockFormat())
                        cont.setTextIndent(0)
                        cont.setTopMargin(0)
                        cursor.setPosition(block.position() + line.textStart())
                        cursor.insertBlock(cont, cursor.charFormat())
                        split = True
                        break
            block = block.next()
        if not split:
            return


NO_BODY_TEXT = "（此页无正文）"


def _keep_seal_together(doc: QTextDocument, page_height: float) -> None:
    """The seal block (seal mark, body name, date) must not be split over two pages; when it stands on a page of
    its own it gets "（此页无正文）" on top, as official documents do."""
    blocks = _seal_blocks(doc)
    if not blocks:
        return
    lay = doc.documentLayout()
    top, bottom = lay.blockBoundingRect(blocks[0]).top(), lay.blockBoundingRect(blocks[-1]).bottom()
    first_page = _page_of(top, page_height)
    before = blocks[0].previous()
    alone = (
        before.isValid() and _page_of(lay.blockBoundingRect(before).bottom() - 1, page_height) < first_page
    )
    if alone or first_page != _page_of(bottom - 1, page_height):
        # on a page of its own (moved there whole): headed by the customary "（此页无正文）"
        cursor = QTextCursor(blocks[0])
        mark_format = blocks[0].blockFormat()
        head = QTextBlockFormat()
        head.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.insertBlock(head, cursor.charFormat())
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        head.setTextIndent(24 / 72 * LAYOUT_DPI)
        cursor.setBlockFormat(head)
        plain = QTextCharFormat()
        plain.setFontPointSize(12)
        plain.setForeground(QColor("black"))
        cursor.insertText(NO_BODY_TEXT, plain)
        cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
        cursor.setBlockFormat(mark_format)


def _seal_rect(laid: Laid) -> QRectF | None:
    blocks = _seal_blocks(laid.doc)
    if not blocks:
        return None
    lay = laid.doc.documentLayout()
    name, date = lay.blockBoundingRect(blocks[1]), lay.blockBoundingRect(blocks[2])
    line = blocks[1].layout().lineAt(0)
    x = name.left() + (line.naturalTextRect().center().x() if line.isValid() else name.width() / 2)
    centre = QPointF(x, (name.top() + date.bottom()) / 2)
    r = 20 * MM
    return QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)


def paint(
    laid: Laid,
    painter: QPainter,
    device: QPagedPaintDevice,
    *,
    first: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> None:
    """Paint every page of `laid` on `device` (already begun by `painter`); `first=False` starts with a new
    page (batch printing several documents into one job)."""
    scale = device.logicalDpiX() / LAYOUT_DPI
    size = laid.content_size
    seal = _seal_rect(laid)
    for index in range(laid.pages):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if index or not first:
            device.newPage()
        painter.save()
        painter.scale(scale, scale)
        painter.save()
        painter.translate(MARGIN_LEFT * MM, MARGIN_TOP * MM - index * size.height())
        clip = QRectF(0, index * size.height(), size.width(), size.height())
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        # Qt draws every line whose box (with the added line gap) touches the clip, and a clipped copy would
        # still be in the PDF's text layer: inset the clip so a line belongs to exactly one page
        ctx.clip = clip.adjusted(0, LINE_GAP_PT / 72 * LAYOUT_DPI + 1, 0, -0.5)
        laid.doc.documentLayout().draw(painter, ctx)
        painter.setClipping(False)
        if seal is not None and clip.contains(seal.center()):
            pen = QPen(QColor("#999999"), 0.25 * MM, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(seal)
        painter.restore()
        _decorate(laid.inp, painter, index, laid.pages)
        painter.restore()
        if progress is not None:
            progress(index + 1, laid.pages)


def _decorate(inp: RenderInput, painter: QPainter, index: int, pages: int) -> None:
    width = PAGE_W_MM * MM
    left, right = MARGIN_LEFT * MM, width - MARGIN_RIGHT * MM
    bottom = PAGE_H_MM * MM - MARGIN_BOTTOM * MM
    painter.setPen(QColor("black"))
    if inp.template.record and inp.template.footer:
        painter.setFont(document_font(10.5))
        painter.drawText(
            QRectF(left, bottom + 4 * MM, right - left, 7 * MM),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            inp.template.footer,
        )
    elif inp.template.copies_note and index == pages - 1:  # "本文书一式两份…" at the foot of the last page
        painter.setFont(document_font(9))
        painter.drawText(
            QRectF(left, bottom + 4 * MM, right - left, 7 * MM),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            inp.template.copies_note,
        )
    painter.setFont(document_font(10))
    painter.drawText(
        QRectF(left, bottom + 13 * MM, right - left, 6 * MM),
        Qt.AlignmentFlag.AlignCenter,
        f"第 {index + 1} 页 共 {pages} 页",
    )
    payload = inp.payload()
    if payload is not None and index == 0:
        rect = QRectF(right - QR_MM * MM, 4 * MM, QR_MM * MM, QR_MM * MM)
        draw_qr(painter, rect, encode_qr(payload))
        painter.setFont(document_font(7))
        painter.drawText(
            QRectF(rect.x() - 6 * MM, rect.bottom() + 0.5 * MM, rect.width() + 12 * MM, 3.5 * MM),
            Qt.AlignmentFlag.AlignCenter,
            "扫码核验真伪",
        )
    if inp.status in ("draft", "voided"):
        painter.save()
        painter.setPen(QColor(200, 200, 200))
        font = document_font(72, bold=True)
        painter.setFont(font)
        painter.translate(width / 2, PAGE_H_MM * MM / 2)
        painter.rotate(-35)
        text = "草稿" if inp.status == "draft" else "作废"
        painter.drawText(QRectF(-80 * MM, -20 * MM, 160 * MM, 40 * MM), Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def setup_pdf_writer(writer: QPdfWriter, inp: RenderInput) -> None:
    writer.setResolution(LAYOUT_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
        )
    )
    title = f"{inp.template.title} {inp.number}" if inp.number else inp.template.title
    writer.setTitle(title)
    writer.setCreator("联巡通")
    writer.setAuthor(inp.body_legal_name)
    key = f"{inp.doc_id}|{inp.number or ''}|{inp.content_sha256 or ''}"
    writer.setDocumentId(QUuid(str(uuid.uuid5(DOC_NAMESPACE, key))))
    created = _stamp(inp).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    xmp = xmp_packet(
        title=title,
        author=inp.body_legal_name,
        created=created,
        payload=inp.payload(),
        content=inp.content() if inp.issued else None,
    )
    writer.setDocumentXmpMetadata(QByteArray(xmp))


def _stamp(inp: RenderInput) -> datetime:
    return (inp.issued_at or datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC)


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")


def fix_dates(pdf: bytes, when: datetime) -> bytes:
    """Overwrite Qt's wall-clock /CreationDate and /ModDate with `when` (UTC), keeping every byte offset."""
    stamp = when.astimezone(UTC).strftime("%Y%m%d%H%M%S").encode("ascii")

    def one(match: re.Match[bytes]) -> bytes:
        tail = match.group(3)
        new_tail = b"Z" if tail == b"Z" else (b"+00'00'" if len(tail) == 7 else tail)
        if len(new_tail) != len(tail):
            new_tail = tail
        return b"/" + match.group(1) + b" (D:" + stamp + new_tail + b")"

    return _PDF_DATE.sub(one, pdf)


def render_pdf(
    inp: RenderInput,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The document as PDF bytes (deterministic for the same input)."""
    laid = layout(inp)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    setup_pdf_writer(writer, inp)
    painter = QPainter(writer)
    try:
        paint(laid, painter, writer, progress=progress, cancelled=cancelled)
    finally:
        painter.end()
    buffer.close()
    pdf = fix_dates(bytes(buffer.data().data()), _stamp(inp))
    return add_self_hash(pdf) if inp.issued else pdf


PHOTO_APPENDIX_TYPES = frozenset({"onsite_record", "transfer_letter"})


def pdf_bytes_fn(
    store: object, *, photos: bool | frozenset[str] = PHOTO_APPENDIX_TYPES
) -> Callable[[object], bytes]:
    """An `issue(pdf_bytes_fn=…)` callback rendering the numbered document with its signatures and, for the
    types in `photos` (or all / none for True / False), the photo appendix."""
    from app.documents.render_input import build

    def render(doc: object) -> bytes:
        want = photos if isinstance(photos, bool) else getattr(doc, "doc_type", "") in photos
        return render_pdf(build(store, doc, photos=want))  # type: ignore[arg-type]  # issue() passes its Store and an m.Document

    return render

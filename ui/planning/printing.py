"""Rendering planning HTML (inspection notice + checklist, the 抽查结果公示) with QTextDocument: A4 PDF written
off the GUI thread (QPdfWriter and QTextDocument are reentrant: each job builds its own), and print preview
through QPrintPreviewDialog on the GUI thread. The CJK face is one whose PDF text layer extracts exactly (AR PL
UMing, then WenQuanYi Micro Hei — see DESIGN.md)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

PRINT_FONTS = ("AR PL UMing CN", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "SimSun", "Songti SC")


def print_font() -> QFont:
    families = set(QFontDatabase.families())
    family = next((f for f in PRINT_FONTS if f in families), None)
    font = QFont(family) if family else QFont()
    font.setPointSizeF(10.5)
    return font


def make_document(html: str, page_width_pt: float | None = None) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(print_font())
    doc.setHtml(html)
    if page_width_pt:
        doc.setPageSize(QSizeF(page_width_pt, doc.pageSize().height()))
    return doc


def render_pdf(html: str, path: Path, *, title: str = "") -> Path:
    """Write `html` as an A4 PDF at `path`. Safe on a worker thread."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("联巡通")
    doc = make_document(html)
    doc.print_(writer)
    return path


def print_preview(html: str, parent: QWidget | None = None, *, title: str = "") -> int:
    """Show the print preview (GUI thread); returns the dialog result."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title or dialog.windowTitle())
    dialog.resize(900, 700)
    doc = make_document(html)
    dialog.paintRequested.connect(doc.print_)
    return dialog.exec()

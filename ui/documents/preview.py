"""Preview, print and export from the GUI: dialogs on the GUI thread, PDF rendering and painting on the runner.

All three start from the document's PDF (`printing.document_pdf`: the issued file), so what is previewed and
printed is the exported page. Preview: a worker renders the PDF's pages to images, then QPrintPreviewDialog
paints them 1:1 on its page. Print (one or many documents, one job): the system print dialog configures a
QPrinter on the GUI thread; `print_on(printer, docs)` — what the accepted dialog calls — then has a worker draw
every PDF page onto it at the printer's resolution, with progress and cancel. Export: a worker writes the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app import APP_NAME
from app import models as m
from ui.context import AppContext
from ui.documents import printing
from ui.documents.pdfpages import draw_images
from ui.documents.renderer import Cancelled
from ui.widgets import file_dialogs


def make_printer() -> QPrinter:
    """A4 portrait, full page: the PDF pages carry their own margins and are drawn 1:1 on the paper."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    return printer


class DocumentPrinter(QObject):
    """Runs preview / print / export jobs for one parent widget."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent
        self._progress: QProgressDialog | None = None

    # ---- helpers -------------------------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, Cancelled):
            return
        QMessageBox.warning(self.parent_widget, self.tr("Documents"), str(exc))

    def _open_progress(self, title: str, total: int) -> QProgressDialog:
        dlg = QProgressDialog(title, self.tr("Cancel"), 0, max(total, 1), self.parent_widget)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)
        self._progress = dlg
        return dlg

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _on_progress(self, done: int, total: int, text: str) -> None:
        dlg = self._progress
        if dlg is None:  # the job ended (or failed) before its last progress report arrived
            return
        dlg.setMaximum(max(total, 1))
        dlg.setValue(done)
        if text and self._progress is dlg:  # setValue may run the event loop, which can close the dialog
            dlg.setLabelText(text)

    # ---- preview -----------------------------------------------------------------------------------------

    def preview(
        self, doc: m.Document, *, on_shown: Callable[[QPrintPreviewDialog], None] | None = None
    ) -> None:
        store = self.ctx.store
        title = doc.number or self.tr("Draft")
        self.ctx.runner.run_io(
            "document-preview",
            lambda job: printing.preview_pages(store, doc, cancelled=lambda: job.cancelled),
            on_done=lambda pages: self._show_preview(pages, title, on_shown),
            on_error=self._error,
        )

    def _show_preview(
        self,
        pages: printing.Pages,
        title: str,
        on_shown: Callable[[QPrintPreviewDialog], None] | None,
    ) -> None:
        printer = make_printer()
        dlg = QPrintPreviewDialog(printer, self.parent_widget)
        dlg.setWindowTitle(self.tr("Print preview — %1").replace("%1", title))

        def paint_pages(target: QPrinter) -> None:
            painter = QPainter(target)
            try:
                draw_images(painter, target, pages)
            finally:
                painter.end()

        dlg.paintRequested.connect(paint_pages)
        self._preview_pages = pages  # kept alive with the dialog
        self._preview_printer = printer
        if on_shown is not None:
            on_shown(dlg)
        else:
            dlg.exec()

    # ---- print -------------------------------------------------------------------------------------------

    def print_documents(
        self,
        docs: Sequence[m.Document],
        *,
        printer: QPrinter | None = None,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        """Ask for the printer (unless one is given), then print every document as one job on a worker."""
        if not docs:
            return
        if printer is None:
            printer = make_printer()
            dialog = QPrintDialog(printer, self.parent_widget)
            dialog.setWindowTitle(self.tr("Print %n document(s)", "", len(docs)))
            if dialog.exec() != QPrintDialog.DialogCode.Accepted:
                return
        self.print_on(printer, docs, on_done=on_done)

    def print_on(
        self, printer: QPrinter, docs: Sequence[m.Document], *, on_done: Callable[[int], None] | None = None
    ) -> None:
        """Print `docs` as one job on the configured `printer` (what the accepted print dialog leads to): a
        worker draws each document's PDF pages at the printer's resolution, with progress and cancel."""
        docs = list(docs)
        if not printer.docName():  # the job's name in the print queue
            many = self.tr("%1 documents").replace("%1", str(len(docs)))
            name = (docs[0].number or self.tr("Draft")) if len(docs) == 1 else many
            printer.setDocName(f"{APP_NAME} {name}")
        store = self.ctx.store
        progress = self._open_progress(self.tr("Printing…"), len(docs))
        handle = self.ctx.runner.run_io(
            "print-documents",
            lambda job: printing.print_batch(
                printer, store, docs, progress=job.progress, cancelled=lambda: job.cancelled
            ),
            on_done=lambda pages: self._printed(pages, on_done),
            on_error=self._error,
            on_progress=self._on_progress,
        )
        progress.canceled.connect(handle.cancel)
        self._printer = printer  # the job paints on it; keep it alive until done

    def _printed(self, pages: int, on_done: Callable[[int], None] | None) -> None:
        self._close_progress()
        if on_done is not None:
            on_done(pages)

    # ---- export ------------------------------------------------------------------------------------------

    def export(
        self, doc: m.Document, dest: Path | None = None, on_done: Callable[[Path], None] | None = None
    ) -> None:
        if dest is None:
            name = f"{doc.number or doc.id}.pdf".replace("/", "-")
            chosen = file_dialogs.save_file(
                self.parent_widget, self.tr("Export PDF"), name, self.tr("PDF files (*.pdf)")
            )
            if not chosen:
                return
            dest = Path(chosen)
        store = self.ctx.store
        self.ctx.runner.run_io(
            "export-document",
            lambda job: printing.export_pdf(store, doc, dest),
            on_done=on_done,
            on_error=self._error,
        )

"""案卷评查 self-check results: one case or every open case, with the score and verdict per file and every defect
(standard, kind, document, field, problem, how to fix it, points) in a table; exports to XLSX and PDF. The check
runs on the store worker, the workbook and the PDF (QTextDocument → QPdfWriter) on an io worker: the GUI
thread only shows results."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.cases.review_export import review_html, write_xlsx
from app.cases.self_check import CaseReview
from app.rules.case_review import ScoredDefect
from ui.context import AppContext
from ui.planning.printing import render_pdf
from ui.widgets.table_model import Column, ColumnsModel

WRAP_WIDTH = 330


def export_pdf(reviews: Sequence[CaseReview], path: Path) -> Path:
    """The self-check report as an A4 PDF (safe on a worker thread)."""
    return render_pdf(review_html(reviews), Path(path), title="行政执法案卷评查自查表")


class SelfCheckDialog(QDialog):
    def __init__(self, ctx: AppContext, reviews: Sequence[CaseReview], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reviews = list(reviews)
        self.setWindowTitle(self.tr("Case file self-check"))
        self.resize(1100, 600)
        rows: list[tuple[CaseReview, ScoredDefect]] = [(r, s) for r in self.reviews for s in r.score.defects]
        self.model = ColumnsModel(
            [Column(self.tr("Case number"), lambda x: x[0].number),
             Column(self.tr("Standard"), lambda x: x[1].section_label),
             Column(self.tr("Defect"), lambda x: x[1].defect.label),
             Column(self.tr("Document"), lambda x: x[1].defect.document),
             Column(self.tr("Field"), lambda x: x[1].defect.field),
             Column(self.tr("Problem"), lambda x: x[1].defect.problem),
             Column(self.tr("How to fix"), lambda x: x[1].defect.fix),
             Column(self.tr("Points"), lambda x: x[1].points, align_right=True)],
            self, key=lambda x: id(x[1]),
            foreground=lambda x, c: "#b00020" if x[1].section == "basic" else None,
            tooltip=lambda x, c: x[1].defect.fix if c == 6 else x[1].defect.problem,
        )
        self.model.set_rows(rows)
        self.summary = QLabel(self._summary_text())
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setWordWrap(True)
        self.status = QLabel()
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"))
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        close = QPushButton(self.tr("Close"))
        self.xlsx_button.clicked.connect(self._ask_xlsx)
        self.pdf_button.clicked.connect(self._ask_pdf)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.resizeColumnsToContents()
        for column in (5, 6):  # the problem and the fix wrap instead of running off the screen
            self.table.setColumnWidth(column, WRAP_WIDTH)
        self.table.resizeRowsToContents()

    def _summary_text(self) -> str:
        if not self.reviews:
            return self.tr("No open cases to check.")
        lines = []
        for r in self.reviews:
            s = r.score
            line = self.tr("%1 %2: score %3, %4 (file form %5, content %6), %7 defects")
            for i, value in enumerate((r.number, r.title, s.total, s.verdict, s.form, s.content, len(s.defects)), 1):
                line = line.replace(f"%{i}", str(value))
            if s.basic_failed:
                line += self.tr(" — a basic standard failed: the file is unacceptable")
            lines.append(line)
        lines.append(self.tr("The weights are illustrative configuration (resources/config/case_review.json)."))
        return "\n".join(lines)

    def _default_name(self, suffix: str) -> str:
        stem = self.reviews[0].number if len(self.reviews) == 1 else "在办案件"
        return f"案卷评查-{stem}.{suffix}"

    def _ask_xlsx(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export XLSX"), self._default_name("xlsx"),
                                              "Excel (*.xlsx)")
        if path:
            self.export_xlsx(Path(path))

    def _ask_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export PDF"), self._default_name("pdf"), "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))

    def export_xlsx(self, path: Path) -> None:
        reviews = self.reviews
        self._run("review-xlsx", lambda job: write_xlsx(reviews, path))

    def export_pdf(self, path: Path) -> None:
        reviews = self.reviews
        self._run("review-pdf", lambda job: export_pdf(reviews, path))

    def _run(self, name: str, fn: Any) -> None:
        self.status.setText(self.tr("Exporting…"))
        for b in (self.xlsx_button, self.pdf_button):
            b.setEnabled(False)
        self.ctx.runner.run_io(name, fn, on_done=self._exported, on_error=self._failed)

    def _exported(self, path: Path) -> None:
        self._enable()
        self.status.setText(self.tr("Written: %1").replace("%1", str(path)))

    def _failed(self, exc: BaseException) -> None:
        self._enable()
        self.status.setText(self.tr("Export failed: %1").replace("%1", str(exc)))

    def _enable(self) -> None:
        for b in (self.xlsx_button, self.pdf_button):
            b.setEnabled(True)

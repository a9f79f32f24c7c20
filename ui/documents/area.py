"""文书 area for clerks: the document list with a status filter, the field editor of a draft with the Chinese
list of what blocks issuing, and the actions — new (from an inspection or instruction), save, issue (confirmed
first: body, the number of this laptop's blocks that will be spent, party, date, a body change), preview, print,
export PDF, void with a reason, record service, batch print — with a compact number-block indicator
("文号：余 18 个", each series on click). Every store or rendering job runs on
the task runner; the GUI thread only shows results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import models as m
from app.documents import DocumentService
from app.documents.choices import document_choices
from app.documents.issuing import IssuePlan
from app.documents.lifecycle import DocStatus
from app.documents.numbers import CounterStatus
from app.documents.templates import available_doc_types
from app.readmodels.documents import document_detail, load_rows
from app.topics import Changes, Topic
from ui.context import AppContext
from ui.documents.dialogs import NewDocumentDialog, ServiceDialog, VoidDialog
from ui.documents.editor import FieldEditor
from ui.documents.issue_dialog import IssueConfirmDialog
from ui.documents.models import DocumentTableModel
from ui.documents.preview import DocumentPrinter
from ui.widgets.common import PageHeader

LOW_NUMBERS = 5  # a series with fewer numbers left is flagged (sync to receive the next block)

STATUS_FILTERS: tuple[tuple[str | None, str], ...] = (
    (None, "全部"),
    ("draft", "草稿"),
    ("issued", "已签发"),
    ("served", "已送达"),
    ("voided", "已作废"),
)


class DocumentsArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = DocumentService(ctx.store, ctx.user)
        self.printer = DocumentPrinter(ctx, self)
        self.current: m.Document | None = None
        self.issue_dialog: IssueConfirmDialog | None = None
        self.model = DocumentTableModel(self)
        self._build()
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    # ---- layout --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_filter = QComboBox()
        for key, label in STATUS_FILTERS:
            self.status_filter.addItem(label, key)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.numbers = QToolButton()  # compact: "文号：余 17 个"; the per-counter detail on click / hover
        self.numbers.setObjectName("numbersIndicator")
        self.numbers.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.numbers.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.numbers_menu = QMenu(self.numbers)
        self.numbers.setMenu(self.numbers_menu)
        top = PageHeader(self.tr("Documents"), self)
        self.count = top.note
        top.add(QLabel(self.tr("Status")), self.status_filter, self.numbers)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setVisible(False)
        for column, width in enumerate((150, 210, 200, 70, 200)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, slot in (
            ("new", self.tr("New…"), self.new_document),
            ("save", self.tr("Save draft"), self.save_draft),
            ("issue", self.tr("Issue"), self.issue),
            ("preview", self.tr("Preview"), self.preview),
            ("print", self.tr("Print"), self.print_selected),
            ("export", self.tr("Export PDF"), self.export),
            ("void", self.tr("Void…"), self.void),
            ("serve", self.tr("Record service…"), self.record_service),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.clocks = QLabel()
        self.clocks.setWordWrap(True)
        self.editor = FieldEditor()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.addWidget(self.heading)
        dl.addWidget(self.clocks)
        dl.addWidget(self.problems)
        dl.addWidget(scroll, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([640, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self._update_buttons()

    # ---- loading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        store, township, status = self.ctx.store, self.ctx.user.township_id, self.status_filter.currentData()

        def load(job: Any) -> tuple[list[Any], list[CounterStatus]]:
            return load_rows(store, township, status), self.service.number_status()

        self.ctx.runner.run_store("documents-list", load, on_done=self._loaded, on_error=self._error)

    def _loaded(self, result: tuple[list[Any], list[CounterStatus]]) -> None:
        rows, counters = result
        keep = self.current.id if self.current else None
        self.model.set_rows(rows)
        self.count.setText(self.tr("%1 documents").replace("%1", str(len(rows))))
        self._show_numbers(counters)
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.view.selectRow(row)
        else:
            self._show(None)

    def _show_numbers(self, counters: list[CounterStatus]) -> None:
        """One short line (numbers left in all, and how many series run low) with the detail on demand."""
        low = [c for c in counters if c.remaining < LOW_NUMBERS]
        total = sum(c.remaining for c in counters)
        if not counters or total == 0:
            text = self.tr("Numbers: none left — sync to receive a block")
        elif low:
            text = self.tr("Numbers: %1 left · %2 series running low").replace("%1", str(total)).replace(
                "%2", str(len(low)))
        else:
            text = self.tr("Numbers: %1 left").replace("%1", str(total))
        self.numbers.setText(text + " ▾")
        self.numbers.setProperty("warn", bool(low) or not counters or total == 0)
        self.numbers.style().unpolish(self.numbers)
        self.numbers.style().polish(self.numbers)
        details = [c.label for c in counters] or [self.tr("none")]
        self.numbers.setToolTip(self.tr("Numbers left on this laptop: %1").replace("%1", "\n".join(details)))
        self.numbers_menu.clear()
        for counter in counters:
            action = self.numbers_menu.addAction(("⚠ " if counter.remaining < LOW_NUMBERS else "") + counter.label)
            action.setEnabled(False)
        if not counters:
            self.numbers_menu.addAction(self.tr("none")).setEnabled(False)

    def number_details(self) -> list[str]:
        return [a.text() for a in self.numbers_menu.actions()]

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Topic.DOCUMENTS, Topic.INSPECTIONS):
            self.refresh()

    def _selected_ids(self) -> list[str]:
        return [
            row.id
            for i in self.view.selectionModel().selectedRows()
            if (row := self.model.row_at(i.row())) is not None
        ]

    def _on_selection(self) -> None:
        ids = self._selected_ids()
        if len(ids) != 1:
            self._show(None)
            self._update_buttons()
            return
        svc = self.service
        self.ctx.runner.run_store(
            "document-load",
            lambda job: document_detail(svc, ids[0]),
            on_done=lambda r: self._show(*r),
            on_error=self._error,
        )

    def _show(
        self, doc: m.Document | None, problems: list[str] | None = None, clocks: list[str] | None = None
    ) -> None:
        self.current = doc
        if doc is None:
            self.heading.setText(self.tr("Select a document."))
            self.editor.clear()
            self.problems.clear()
            self.clocks.clear()
        else:
            status = DocStatus(doc.status).label
            number = doc.number or self.tr("(numbered when issued)")
            void_label = self.tr("Void reason")
            heading = (
                f"<b>{doc.body_legal_name}</b>　{self.service.template(doc).title}　{number}　[{status}]"
            )
            if doc.void_reason:
                heading += f"<br>{void_label}：{doc.void_reason}"
            self.heading.setText(heading)
            self.editor.load(self.service.template(doc), doc.fields, draft=doc.status == DocStatus.DRAFT)
            self.problems.setText("\n".join(f"• {p}" for p in problems or []))
            self.clocks.setText("\n".join(clocks or []))
        self._update_buttons()

    def _update_buttons(self) -> None:
        doc = self.current
        status = doc.status if doc else None
        many = len(self._selected_ids()) if hasattr(self, "view") else 0
        self.buttons["save"].setEnabled(status == DocStatus.DRAFT)
        self.buttons["issue"].setEnabled(status == DocStatus.DRAFT)
        self.buttons["preview"].setEnabled(doc is not None)
        self.buttons["print"].setEnabled(many >= 1)
        self.buttons["export"].setEnabled(doc is not None)
        self.buttons["void"].setEnabled(status in (DocStatus.DRAFT, DocStatus.ISSUED, DocStatus.SERVED))
        self.buttons["serve"].setEnabled(status == DocStatus.ISSUED)

    def _error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Documents"), str(exc))

    # ---- actions -------------------------------------------------------------------------------------------

    def new_document(self) -> None:
        """Load the choice lists on the store worker, then ask (the GUI thread never queries the store)."""
        store, township = self.ctx.store, self.ctx.user.township_id
        self.ctx.runner.run_store(
            "document-choices",
            lambda job: document_choices(store, township),
            on_done=self._ask_new,
            on_error=self._error,
        )

    def _ask_new(self, choices: tuple[list[Any], list[Any], list[Any]]) -> None:
        inspections, tasks, matters = choices
        dialog = NewDocumentDialog(available_doc_types(), inspections, tasks, matters, self)
        if dialog.exec() != NewDocumentDialog.DialogCode.Accepted:
            return
        values, township, svc = dialog.values(), self.ctx.user.township_id, self.service
        self.ctx.runner.run_store(
            "document-create",
            lambda job: svc.create_draft(township_id=township or "", **values),
            on_done=self._created,
            on_error=self._error,
        )

    def _created(self, doc: m.Document) -> None:
        self.current = doc  # the bus brings the refresh (what the job wrote)

    def save_draft(self) -> None:
        if self.current is None:
            return
        changes, doc_id, svc = self.editor.changed_values(), self.current.id, self.service
        if not changes:
            return
        self.ctx.runner.run_store(
            "document-save",
            lambda job: svc.update_draft(doc_id, changes),
            on_error=self._error,
        )

    def issue(self) -> None:
        """签发 asks first: save the editor's changes and prepare the plan on the store worker, then show the
        confirmation (body, number, party, date, a body change since the draft); nothing is spent before the
        clerk confirms."""
        if self.current is None:
            return
        changes, doc_id, svc = self.editor.changed_values(), self.current.id, self.service

        def work(job: Any) -> IssuePlan:
            if changes:
                svc.update_draft(doc_id, changes)
            return svc.prepare_issue(doc_id)

        self.ctx.runner.run_store("document-prepare-issue", work, on_done=self._confirm_issue, on_error=self._error)

    def _confirm_issue(self, plan: IssuePlan) -> None:
        dialog = IssueConfirmDialog(plan, self)
        self.issue_dialog = dialog
        dialog.accepted.connect(lambda: self._issue_confirmed(plan))
        dialog.finished.connect(lambda _result: setattr(self, "issue_dialog", None))
        dialog.open()

    def _issue_confirmed(self, plan: IssuePlan) -> None:
        from ui.documents.renderer import pdf_bytes_fn

        svc, store = self.service, self.ctx.store
        self.ctx.runner.run_store(
            "document-issue",
            lambda job: svc.issue(plan.doc_id, pdf_bytes_fn=pdf_bytes_fn(store), confirmed=plan),
            on_done=self._issued,
            on_error=self._error,
        )

    def _issued(self, doc: m.Document) -> None:
        QMessageBox.information(
            self, self.tr("Issued"), self.tr("Issued as %1.").replace("%1", doc.number or "")
        )

    def preview(self) -> None:
        if self.current is not None:
            self.printer.preview(self.current)

    def print_selected(self) -> None:
        ids = self._selected_ids()
        svc = self.service
        self.ctx.runner.run_store(
            "documents-for-print",
            lambda job: [svc.get(i) for i in ids],
            on_done=self.printer.print_documents,
            on_error=self._error,
        )

    def export(self) -> None:
        if self.current is not None:
            self.printer.export(self.current)

    def void(self) -> None:
        if self.current is None:
            return
        dialog = VoidDialog(self.current.number or self.tr("this draft"), self)
        if dialog.exec() != VoidDialog.DialogCode.Accepted:
            return
        doc_id, reason, svc = self.current.id, dialog.text(), self.service
        self.ctx.runner.run_store(
            "document-void", lambda job: svc.void(doc_id, reason), on_error=self._error
        )

    def record_service(self) -> None:
        if self.current is None:
            return
        fields = self.current.fields or {}
        dialog = ServiceDialog(str(fields.get("party_name") or fields.get("receiver") or ""), self)
        if dialog.exec() != ServiceDialog.DialogCode.Accepted:
            return
        doc_id, values, svc = self.current.id, dialog.values(), self.service
        self.ctx.runner.run_store(
            "document-serve",
            lambda job: svc.record_service(doc_id, **values),
            on_error=self._error,
        )

"""案件 area: the case list (number, 案由, party, stage, the most urgent deadline), the case view, and actions —
file a case (Ctrl+N), take the next legal step or any step the stage allows (Ctrl+Return), draft one of the
case's documents; 自查 (Ctrl+Shift+C) the case file, or every open case, before the district's review. Every
store job runs on the task runner; a refused step shows the rule's Chinese message (naming the article) in the
step dialog, which keeps what was typed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import models as m
from app.cases.self_check import CaseReview, SelfCheckService
from app.cases.service import CaseService, CaseView
from app.errors import DomainError
from app.readmodels.cases import CaseRow, FindingChoice, MatterChoice, case_choices, case_rows
from app.rules.case_history import CHINA_TZ
from app.rules.case_states import ENDED, CaseAction
from app.rules.numbering import doc_type_name
from app.topics import Changes, Topic
from ui.cases.detail import CaseDetail
from ui.cases.dialogs import NewCaseDialog
from ui.cases.self_check import SelfCheckDialog
from ui.cases.steps import StepDialog
from ui.context import AppContext
from ui.widgets.common import PageHeader
from ui.widgets.table_model import Column, ColumnsModel

CASE_DOC_TYPES = ("interview_record", "preservation_notice", "seizure_decision", "penalty_notice",
                  "penalty_decision", "service_receipt")


class CasesArea(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = CaseService(ctx.store, ctx.user)
        self.current: CaseView | None = None
        self.dialog: Any = None
        self.model = ColumnsModel(
            [Column(self.tr("Case number"), lambda r: r.number), Column(self.tr("Case title"), lambda r: r.title),
             Column(self.tr("Party"), lambda r: r.party), Column(self.tr("Stage"), lambda r: r.stage),
             Column(self.tr("Deadline"), lambda r: r.urgent)],
            self, foreground=lambda r, c: "#b00020" if r.overdue and c == 4 else None,
        )
        self._build()
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _build(self) -> None:
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Open cases"), True)
        self.scope.addItem(self.tr("All cases"), False)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.buttons: dict[str, QPushButton] = {}
        self.steps = QComboBox()
        self.doc_type = QComboBox()
        for kind in CASE_DOC_TYPES:
            self.doc_type.addItem(doc_type_name(kind), kind)
        head = PageHeader(self.tr("Cases"), self)
        self.count = head.note
        head.add(QLabel(self.tr("Show")), self.scope)
        for key, text, slot in (("file", self.tr("File case…"), self.new_case),
                                ("check_open", self.tr("Self-check open cases"), self.self_check_open)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            head.add(button)
            self.buttons[key] = button
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Step")))
        actions.addWidget(self.steps, 1)
        self.buttons["step"] = QPushButton(self.tr("Take step…"))
        self.buttons["step"].clicked.connect(self.take_step)
        actions.addWidget(self.buttons["step"])
        actions.addWidget(self.doc_type)
        self.buttons["document"] = QPushButton(self.tr("Draft document"))
        self.buttons["document"].clicked.connect(self.draft_document)
        actions.addWidget(self.buttons["document"])
        self.buttons["check"] = QPushButton(self.tr("Self-check"))
        self.buttons["check"].setToolTip(self.tr("Case file self-check before the district's review (Ctrl+Shift+C)"))
        self.buttons["check"].clicked.connect(self.self_check)
        actions.addWidget(self.buttons["check"])
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.self_check)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_case)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.take_step)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setVisible(False)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.detail = CaseDetail()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(actions)
        rl.addWidget(scroll, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(right)
        split.setSizes([560, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(split, 1)
        self._update_actions()

    @staticmethod
    def today() -> date:
        return datetime.now(CHINA_TZ).date()

    # ---- loading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        store, township, open_only = self.ctx.store, self.ctx.user.township_id, bool(self.scope.currentData())
        today = self.today()
        self.ctx.runner.run_store("cases-list", lambda job: case_rows(store, township, open_only, today),
                                  on_done=self._loaded, on_error=self._error)

    def _loaded(self, rows: list[CaseRow]) -> None:
        keep = self.current.case.id if self.current else None
        self.model.set_rows(rows)
        self.count.setText(self.tr("%1 cases").replace("%1", str(len(rows))))
        row = self.model.row_of_key(keep) if keep else -1
        if keep and row >= 0:
            self.view.selectRow(row)
            self._load(keep)
        else:
            self._show(None)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(Topic.CASES, Topic.DOCUMENTS):
            self.refresh()

    def _on_selection(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = self.model.row_object(rows[0].row()) if rows else None
        if row is None:
            self._show(None)
            return
        self._load(row.id)

    def _load(self, case_id: str) -> None:
        svc, today = self.service, self.today()
        self.ctx.runner.run_store("case-view", lambda job: svc.view(case_id, today), on_done=self._show,
                                  on_error=self._error)

    def _show(self, view: CaseView | None) -> None:
        self.current = view
        self.detail.show_view(view, self.today())
        self.steps.clear()
        if view is not None:
            blocked_word = self.tr("blocked")
            for action, blocked in view.steps:
                label = action.label + (f"（{blocked_word}）" if blocked else "")
                self.steps.addItem(label, action.value)
                if blocked:
                    self.steps.setItemData(self.steps.count() - 1, blocked, Qt.ItemDataRole.ToolTipRole)
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.current is not None
        self.buttons["step"].setEnabled(has and self.steps.count() > 0)
        self.buttons["check"].setEnabled(has)
        self.buttons["document"].setEnabled(has and self.current is not None
                                            and self.current.stage not in ENDED)

    def _error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Cases"), str(exc))

    # ---- filing ---------------------------------------------------------------------------------------------

    def new_case(self) -> None:
        store, township = self.ctx.store, self.ctx.user.township_id
        self.ctx.runner.run_store("case-choices", lambda job: case_choices(store, township), on_done=self._ask_new,
                                  on_error=self._error)

    def _ask_new(self, choices: tuple[list[FindingChoice], list[MatterChoice]]) -> None:
        dialog = NewCaseDialog(*choices, self.today(), self)
        dialog.accepted.connect(lambda: self._file(dialog))
        self.dialog = dialog
        dialog.open()

    def _file(self, dialog: NewCaseDialog) -> None:
        source, finding_id, filing = dialog.request()
        svc = self.service

        def work(job: Any) -> Any:
            if source == "finding":
                if not finding_id:
                    raise DomainError("没有可立案的检查发现", code="no_finding")
                return svc.file_from_finding(finding_id, filing)
            if source == "transfer":
                return svc.file_from_transfer(filing)
            return svc.file_from_complaint(filing)

        def refused(exc: BaseException) -> None:
            dialog.show_problem(str(exc))
            dialog.open()  # what was typed stays

        self.ctx.runner.run_store("case-file", work, on_done=self._filed, on_error=refused)

    def _filed(self, filed: Any) -> None:
        self.dialog = None
        if filed.warnings:
            QMessageBox.warning(self, self.tr("Cases"), "\n".join(filed.warnings))
        self.current = None
        self._load(filed.case.id)

    # ---- steps ----------------------------------------------------------------------------------------------

    def take_step(self) -> None:
        if self.current is None or self.steps.count() == 0:
            return
        action = CaseAction(self.steps.currentData())
        blocked = dict(self.current.steps).get(action)
        dialog = StepDialog(action, self.today(), blocked, self)
        dialog.accepted.connect(lambda: self._submit(dialog))
        self.dialog = dialog
        dialog.open()

    def _submit(self, dialog: StepDialog) -> None:
        assert self.current is not None
        case_id, svc = self.current.case.id, self.service
        on, reason, data = dialog.values()

        def refused(exc: BaseException) -> None:
            dialog.show_problem(str(exc))
            dialog.open()

        self.ctx.runner.run_store(
            "case-step", lambda job: svc.step(case_id, dialog.action, on=on, reason=reason, data=data),
            on_done=lambda _event: self._stepped(case_id), on_error=refused,
        )

    def _stepped(self, case_id: str) -> None:
        self.dialog = None

    # ---- 案卷评查 self-check -----------------------------------------------------------------------------------

    def self_check(self) -> None:
        if self.current is None:
            return
        case_id, checker, today = self.current.case.id, self._checker(), self.today()
        self.ctx.runner.run_store("case-self-check", lambda job: [checker.check(case_id, today)],
                                  on_done=self._checked, on_error=self._error)

    def self_check_open(self) -> None:
        checker, today = self._checker(), self.today()
        self.buttons["check_open"].setEnabled(False)
        self.ctx.runner.run_store(
            "cases-self-check", lambda job: checker.check_open(today, progress=job.progress),
            on_done=self._checked, on_error=self._check_failed,
            on_progress=lambda done, total, _text: self.buttons["check_open"].setText(
                self.tr("Checking %1/%2…").replace("%1", str(done)).replace("%2", str(total))))

    def _check_failed(self, exc: BaseException) -> None:
        self._reset_check_open()
        self._error(exc)

    def _reset_check_open(self) -> None:
        self.buttons["check_open"].setEnabled(True)
        self.buttons["check_open"].setText(self.tr("Self-check open cases"))

    def _checker(self) -> SelfCheckService:
        return SelfCheckService(self.ctx.store, self.ctx.user)

    def _checked(self, reviews: list[CaseReview]) -> None:
        self._reset_check_open()
        dialog = SelfCheckDialog(self.ctx, reviews, self)
        self.dialog = dialog
        dialog.open()

    # ---- documents ------------------------------------------------------------------------------------------

    def draft_document(self) -> None:
        if self.current is None:
            return
        case_id, kind, svc = self.current.case.id, str(self.doc_type.currentData()), self.service
        self.ctx.runner.run_store("case-document", lambda job: svc.create_document(case_id, kind),
                                  on_done=self._drafted, on_error=self._error)

    def _drafted(self, doc: m.Document) -> None:
        QMessageBox.information(self, self.tr("Cases"),
                                self.tr("Draft created; edit and issue it in Documents.") + f"\n{doc_type_name(doc.doc_type)}")

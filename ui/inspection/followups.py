"""The follow-up dialog shown after finalisation: for each violation, the options its matter allows (责令改正
with a deadline and a re-check, 立案建议, 移送 where required, 抄告 with a reply deadline), pre-filled from the
record. Required transfers and corrections are pre-selected; what was already created is marked and skipped."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.inspections import FollowUpOption, InspectionService
from ui.context import AppContext
from ui.runner import JobControl


class FollowUpDialog(QDialog):
    def __init__(self, ctx: AppContext, service: InspectionService, inspection_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.service, self.inspection_id = ctx, service, inspection_id
        self.options: list[FollowUpOption] = []
        self.created: list[dict[str, str]] = []
        self.setWindowTitle(self.tr("Follow-ups of the violations found"))
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr("Choose what follows from each violation. Transfers the rules require are "
                                    "selected; what was created before is marked done."), self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("followups")
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Matter"), self.tr("Violation"),
                                              self.tr("To"), self.tr("Why / details"), self.tr("State")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col, width in ((1, 250), (2, 190)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        label = QLabel(self.tr("Correction &deadline:"), self)
        self.deadline = QDateEdit(self)
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        label.setBuddy(self.deadline)
        row.addWidget(label)
        row.addWidget(self.deadline)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText(self.tr("&Create selected"))
        self.buttons.accepted.connect(self.create_selected)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(1100, 520)
        self.reload()

    def reload(self) -> None:
        iid, service = self.inspection_id, self.service
        self.ctx.runner.run_store("follow-ups", lambda _j: service.follow_ups(iid), on_done=self._show,
                                  on_error=lambda exc: self.status.setText(str(exc)))

    def _show(self, options: list[FollowUpOption]) -> None:
        self.options = options
        self.table.setRowCount(len(options))
        deadline: date | None = None
        for r, o in enumerate(options):
            first = QTableWidgetItem(o.label)
            first.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            preselect = (o.required or o.kind == "correction") and not o.done
            first.setCheckState(Qt.CheckState.Checked if preselect else Qt.CheckState.Unchecked)
            if o.done:
                first.setFlags(Qt.ItemFlag.ItemIsSelectable)
            details = o.reason or str(o.defaults.get("reason") or o.defaults.get("requirement") or "")
            if o.kind == "notice" and o.defaults.get("reply_due"):
                details += self.tr(" Reply by %1.").replace("%1", o.defaults["reply_due"].isoformat())
            cells = [first, QTableWidgetItem(f"{o.matter_code} {o.matter_name}"), QTableWidgetItem(o.check_point),
                     QTableWidgetItem(o.to_department_name if o.kind != "correction" else "—"),
                     QTableWidgetItem(details),
                     QTableWidgetItem(self.tr("done") if o.done else (self.tr("required") if o.required else ""))]
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, cell)
            if o.kind == "correction" and deadline is None:
                deadline = o.defaults.get("deadline")
        self.table.resizeRowsToContents()
        if deadline is not None:
            self.deadline.setMinimumDate(QDate.currentDate())
            self.deadline.setDate(QDate(deadline.year, deadline.month, deadline.day))
        if not options:
            self.status.setText(self.tr("No violation was found: nothing needs to follow."))
        self.create_button.setEnabled(any(not o.done for o in options))

    def selected(self) -> list[FollowUpOption]:
        return [o for r, o in enumerate(self.options)
                if not o.done and (item := self.table.item(r, 0)) is not None
                and item.checkState() == Qt.CheckState.Checked]

    def set_checked(self, kind: str, checked: bool = True) -> None:
        for r, o in enumerate(self.options):
            if o.kind == kind and not o.done and (item := self.table.item(r, 0)) is not None:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def create_selected(self) -> None:
        chosen = self.selected()
        if not chosen:
            self.status.setText(self.tr("Nothing selected."))
            return
        qd = self.deadline.date()
        deadline = date(qd.year(), qd.month(), qd.day())
        service, iid = self.service, self.inspection_id
        self.create_button.setEnabled(False)
        self.status.setText(self.tr("Creating…"))

        def job(_: JobControl) -> list[dict[str, Any]]:
            out = []
            for o in chosen:
                extra = {"deadline": deadline} if o.kind == "correction" else {}
                out.append(service.create_follow_up(iid, o, **extra))
            return out

        def done(results: list[dict[str, str]]) -> None:
            self.created.extend(results)
            self.status.setText(self.tr("Created %1 follow-ups: drafts are in the Documents area, re-checks in "
                                        "Plans, transfers and notices are queued for the platform.")
                                .replace("%1", str(len(results))))
            self.reload()

        def failed(exc: BaseException) -> None:
            self.status.setText(str(exc))
            self.create_button.setEnabled(True)
            self.reload()

        self.ctx.runner.run_store("create follow-ups", job, on_done=done, on_error=failed)

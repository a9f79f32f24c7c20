"""Dialogs for task actions that need input: 退回 (a reason is required), 反馈 (what was done, plus optional
attachments imported as evidence on the io pool with progress and cancel) and 指派 (leader picks officers)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.evidence_store import import_file
from ui.context import AppContext
from ui.qt_guard import alive
from ui.runner import JobControl, JobHandle
from ui.widgets import file_dialogs

ROLE_LABELS = {"leader": "队长", "officer": "执法队员", "clerk": "内勤"}


class ReturnDialog(QDialog):
    """退回: the reason is required (the platform shows it to the command centre)."""

    def __init__(self, task_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Return task"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Return %1 to the command centre. Please give the reason:").replace("%1", task_label)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText(self.tr("e.g. not within this township's jurisdiction"))
        self.reason.setTabChangesFocus(True)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Return"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.reason.toPlainText().strip())
        )

    def text(self) -> str:
        return self.reason.toPlainText().strip()


class ReportDialog(QDialog):
    """反馈: what was done; attachments are imported (hashed and copied) before the dialog closes."""

    def __init__(self, ctx: AppContext, task_id: str, task_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task_id = task_id
        self.evidence_ids: list[str] = []
        self._job: JobHandle | None = None
        self.setWindowTitle(self.tr("Report back"))
        self.setMinimumSize(520, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Report to the command centre how %1 was handled:").replace("%1", task_label))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.feedback = QPlainTextEdit(self)
        self.feedback.setPlaceholderText(self.tr("What was found on site and what was done"))
        self.feedback.setTabChangesFocus(True)
        layout.addWidget(self.feedback, 2)
        layout.addWidget(QLabel(self.tr("Attachments (optional, imported as evidence):")))
        self.files = QListWidget(self)
        self.files.setMaximumHeight(110)
        layout.addWidget(self.files, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add files…"), self)
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self._remove_selected)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar(self)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Submit report"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self._cancel)
        layout.addWidget(self.buttons)
        self.feedback.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.feedback.toPlainText().strip()

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.files.count())]

    def add_paths(self, paths: list[Path]) -> None:
        known = {str(p) for p in self.paths()}
        for path in paths:
            if str(path) not in known:
                item = QListWidgetItem(path.name)
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                item.setToolTip(str(path))
                self.files.addItem(item)

    def _choose_files(self) -> None:
        names = file_dialogs.open_files(self, self.tr("Choose attachments"), kind="attachment")
        self.add_paths([Path(n) for n in names])

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.text()) and self._job is None)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.feedback, self.files, self.add_button, self.remove_button):
            w.setEnabled(not busy)
        self.progress.setVisible(busy)
        self._update()

    def _submit(self) -> None:
        paths = self.paths()
        if not paths:
            self.accept()
            return
        self.error.hide()
        store, actor, task_id = self.ctx.store, self.ctx.user.actor, self.task_id
        sizes = [p.stat().st_size if p.exists() else 0 for p in paths]
        total = max(1, sum(sizes))

        def job(control: JobControl) -> list[str]:
            ids: list[str] = []
            before = 0
            for path, size in zip(paths, sizes, strict=True):

                def progress(done: int, _total: int, base: int = before, name: str = path.name) -> None:
                    control.progress(base + done, total, name)

                result = import_file(
                    store, path, actor=actor, task_id=task_id, progress=progress, cancel=control.cancel_event
                )
                ids.append(result.evidence.id)
                before += size
            return ids

        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self._job = self.ctx.runner.run_io(
            "import-attachments",
            job,
            on_done=self._imported,
            on_error=self._import_failed,
            on_progress=self._progress,
        )
        self._set_busy(True)

    def _progress(self, done: int, total: int, name: str) -> None:
        if not alive(self):
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{name}  %p%")

    def _imported(self, ids: list[str]) -> None:
        if not alive(self):
            return
        self._job = None
        self.evidence_ids = ids
        self.accept()

    def _import_failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        cancelled = type(exc).__name__ == "Cancelled"
        self._job = None
        self._set_busy(False)
        self.error.setText(
            self.tr("Import cancelled; nothing was attached.")
            if cancelled
            else self.tr("Attachments could not be imported: %1").replace("%1", str(exc))
        )
        self.error.show()

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            return
        self.reject()


class AssignDialog(QDialog):
    """指派 (leader only): tick the officers of the team who handle the task."""

    def __init__(
        self,
        officers: list[tuple[str, str, str]],
        current: list[str],
        task_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign officers"))
        self.setMinimumSize(380, 380)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Choose who handles %1:").replace("%1", task_label))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        for oid, name, role in officers:
            item = QListWidgetItem(f"{name}（{ROLE_LABELS.get(role, role)}）")
            item.setData(Qt.ItemDataRole.UserRole, oid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if oid in current else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Assign"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(self._update)
        self._update()

    def selected_ids(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_selected(self, ids: list[str]) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in ids
                else Qt.CheckState.Unchecked
            )

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.selected_ids()))

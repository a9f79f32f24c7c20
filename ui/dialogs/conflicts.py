"""The conflicts dialog: every open conflict, and for the selected one the value before the edits (原值), this
laptop's (本机) and the platform's (平台) side by side; the person keeps one, the other, or an edited merge.
The decision goes through `sync.conflicts.resolve_conflict` (via the sync controller) and is synced."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.readmodels.conflicts import ConflictView, load_conflicts
from app.topics import Changes, Topic
from ui.context import AppContext
from ui.qt_guard import alive
from ui.widgets.common import EmptyState


def field_name(field: str) -> str:
    names = {
        "notes": QCoreApplication.translate("Conflicts", "Officer notes"),
        "feedback": QCoreApplication.translate("Conflicts", "Report"),
        "assignee_ids": QCoreApplication.translate("Conflicts", "Assignees"),
        "deadline": QCoreApplication.translate("Conflicts", "Deadline"),
        "priority": QCoreApplication.translate("Conflicts", "Priority"),
        "title": QCoreApplication.translate("Conflicts", "Title"),
        "description": QCoreApplication.translate("Conflicts", "Description"),
        "status": QCoreApplication.translate("Conflicts", "Status"),
        "*": QCoreApplication.translate("Conflicts", "Whole record"),
    }
    return names.get(field, field)


def show_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return QCoreApplication.translate("Conflicts", "(empty)")
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "、".join(value)
    return json.dumps(value, ensure_ascii=False, indent=1)


class ConflictsDialog(QDialog):
    """Emits `resolved(str)` with the conflict id after each decision has been saved."""

    resolved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[ConflictView] = []
        self.setWindowTitle(self.tr("Conflicts with the platform"))
        self.resize(1040, 560)
        outer = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The same field was changed on this laptop and on the platform. Nothing has been "
                "lost: choose which value to keep, or edit a merged text."
            ),
            self,
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(self)
        self.list.setMinimumWidth(230)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        split.addWidget(self.list)
        self.detail = QWidget(self)
        grid = QGridLayout(self.detail)
        grid.setContentsMargins(8, 0, 0, 0)
        self.heading = QLabel(self.detail)
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        grid.addWidget(self.heading, 0, 0, 1, 3)
        self.explain = QLabel(self.detail)
        self.explain.setWordWrap(True)
        self.explain.setObjectName("muted")
        grid.addWidget(self.explain, 1, 0, 1, 3)
        self.boxes: dict[str, QPlainTextEdit] = {}
        for col, (key, title) in enumerate(
            (
                ("base", self.tr("Before both edits")),
                ("local", self.tr("This laptop")),
                ("server", self.tr("Platform")),
            )
        ):
            grid.addWidget(QLabel(f"<b>{title}</b>", self.detail), 2, col)
            box = QPlainTextEdit(self.detail)
            box.setReadOnly(True)
            self.boxes[key] = box
            grid.addWidget(box, 3, col)
        merged_title = self.tr("Merged text (editable)")
        self.merge_label = QLabel(f"<b>{merged_title}</b>", self.detail)
        grid.addWidget(self.merge_label, 4, 0, 1, 3)
        self.merged = QPlainTextEdit(self.detail)
        self.merged.setMaximumHeight(120)
        grid.addWidget(self.merged, 5, 0, 1, 3)
        grid.setRowStretch(3, 2)
        grid.setRowStretch(5, 1)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 3)
        self.empty = EmptyState(
            self.tr("No open conflicts"), self.tr("Everything agrees with the platform."), self
        )
        outer.addWidget(split, 1)
        outer.addWidget(self.empty, 1)
        self.split = split
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        row = QHBoxLayout()
        self.keep_local = QPushButton(self.tr("Keep this laptop's value"), self)
        self.keep_server = QPushButton(self.tr("Use the platform's value"), self)
        self.save_merged = QPushButton(self.tr("Save merged text"), self)
        self.save_merged.setObjectName("primary")
        close = QPushButton(self.tr("Close"), self)
        for b in (self.keep_local, self.keep_server, self.save_merged):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        outer.addLayout(row)
        self.keep_local.clicked.connect(lambda: self.decide("local"))
        self.keep_server.clicked.connect(lambda: self.decide("server"))
        self.save_merged.clicked.connect(lambda: self.decide("merged"))
        close.clicked.connect(self.accept)
        self.list.currentRowChanged.connect(self._show)
        ctx.bus.changed.connect(self._bus_changed)
        self.reload()

    def _bus_changed(self, changes: Changes) -> None:
        if changes.touches(Topic.CONFLICTS):
            self.reload()

    def reload(self) -> None:
        current = self.current()
        with self.ctx.store.read() as session:
            self.items = load_conflicts(session)
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.items:
            item = QListWidgetItem(f"{c.label}\n{field_name(c.field)}")
            item.setToolTip(c.label)
            self.list.addItem(item)
        self.list.blockSignals(False)
        has = bool(self.items)
        self.split.setVisible(has)
        self.empty.setVisible(not has)
        for b in (self.keep_local, self.keep_server, self.save_merged):
            b.setVisible(has)
        if has:
            ids = [c.id for c in self.items]
            self.list.setCurrentRow(ids.index(current.id) if current and current.id in ids else 0)
            self._show(self.list.currentRow())

    def current(self) -> ConflictView | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def select(self, conflict_id: str) -> None:
        for i, c in enumerate(self.items):
            if c.id == conflict_id:
                self.list.setCurrentRow(i)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            return
        c = self.items[row]
        self.error.hide()
        self.heading.setText(f"{c.label} — {field_name(c.field)}")
        self.boxes["base"].setPlainText(show_value(c.base))
        self.boxes["local"].setPlainText(show_value(c.local))
        self.boxes["server"].setPlainText(show_value(c.server))
        text_field = isinstance(c.local, str | None) and isinstance(c.server, str | None) and c.kind == "edit"
        self.merged.setPlainText(c.local if isinstance(c.local, str) else "")
        for w in (self.merged, self.merge_label, self.save_merged):
            w.setVisible(text_field)
        if c.kind == "server_wins":
            self.explain.setText(
                self.tr(
                    "This field is managed by the command platform, so the platform's value "
                    "is in force. Your value is kept here for reference; choosing it sends "
                    "it to the platform as a new change."
                )
            )
        elif c.kind == "deleted":
            self.explain.setText(
                self.tr(
                    "The platform deleted this record while this laptop still had changes "
                    "to it. Keep it on this laptop, or remove it here as well."
                )
            )
            self.keep_local.setText(self.tr("Keep on this laptop"))
            self.keep_server.setText(self.tr("Delete here too"))
            return
        else:
            self.explain.setText(self.tr("Both sides edited this field since the last sync."))
        self.keep_local.setText(self.tr("Keep this laptop's value"))
        self.keep_server.setText(self.tr("Use the platform's value"))

    def decide(self, choice: str) -> None:
        c = self.current()
        if c is None:
            return
        merged = self.merged.toPlainText() if choice == "merged" else None
        for b in (self.keep_local, self.keep_server, self.save_merged):
            b.setEnabled(False)
        conflict_id = c.id

        def done() -> None:
            if not alive(self):
                return
            self._enable()
            self.resolved.emit(conflict_id)
            self.reload()

        def failed(exc: BaseException) -> None:
            if not alive(self):
                return
            self._enable()
            self.error.setText(self.tr("Could not save the decision: %1").replace("%1", str(exc)))
            self.error.show()

        if self.ctx.sync is not None:
            self.ctx.sync.resolve(conflict_id, choice, merged, self.ctx.user, on_done=done, on_error=failed)
        else:
            from sync.conflicts import resolve_conflict

            store, user = self.ctx.store, self.ctx.user
            self.ctx.runner.run_store(  # the bus hears what the decision wrote (ui.runner)
                "resolve-conflict",
                lambda _c: resolve_conflict(store, conflict_id, choice, merged, actor=user),  # type: ignore[arg-type]  # `choice` comes from the dialog's fixed choices
                on_done=lambda _r: done(), on_error=failed,
            )

    def _enable(self) -> None:
        for b in (self.keep_local, self.keep_server, self.save_merged):
            b.setEnabled(True)

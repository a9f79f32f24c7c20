"""Target picker: type part of a name, an address or a credit code; matches (bigram full-text search via
`app.planning.reference.search_targets`) are fetched on the task runner and listed below; Enter or a click
chooses one."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.planning.reference import TargetInfo, search_targets
from ui.context import AppContext
from ui.latest import Latest
from ui.planning.lists import wrap_items

RESULT_ROWS = 6  # the search results show about this many targets without scrolling


class TargetPicker(QWidget):
    chosen = Signal(object)  # TargetInfo

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.target: TargetInfo | None = None
        self._latest = Latest(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Search target by name, credit code or address"))
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
        self.results = QListWidget(self)
        self.results.setMinimumHeight(RESULT_ROWS * self.results.fontMetrics().height() * 2)  # ~6 entries
        wrap_items(self.results)
        self.results.hide()
        layout.addWidget(self.results)
        self.label = QLabel(self.tr("No target chosen"), self)
        self.label.setWordWrap(True)
        self.label.setObjectName("muted")
        layout.addWidget(self.label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._search)
        self.edit.textEdited.connect(lambda _t: self._timer.start())
        self.edit.returnPressed.connect(self._enter)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)

    def _search(self) -> None:
        query, store = self.edit.text(), self.ctx.store
        township = self.ctx.user.township_id or ""
        self._latest.run_store(self.ctx.runner, "search targets",
                               lambda _job: search_targets(store, township, query), on_done=self._show)

    def _show(self, rows: list[TargetInfo]) -> None:
        self.results.clear()
        for t in rows:
            item = QListWidgetItem(f"{t.name}　{t.credit_code or ''}　{t.address}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.results.addItem(item)
        if not rows and self.edit.text().strip():
            self.results.addItem(QListWidgetItem(self.tr("No matching target")))
        self.results.setVisible(bool(self.edit.text().strip()))

    def _enter(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._search()
            return
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._pick(item)

    def _pick(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(target, TargetInfo):
            self.set_target(target)
            self.chosen.emit(target)

    def set_target(self, target: TargetInfo | None) -> None:
        self.target = target
        self.results.hide()
        if target is None:
            self.label.setText(self.tr("No target chosen"))
            self.edit.clear()
            return
        self.edit.setText(target.name)
        industry = self.tr("industry: %1").replace("%1", target.industry) if target.industry else ""
        self.label.setText("　".join(p for p in (target.credit_code or "", target.address, industry) if p))

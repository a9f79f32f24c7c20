"""The inbox filter bar: status tabs with live counts (plus 逾期), priority / source / grid / field choices,
"mine only", and the search box (debounced; Chinese 2-character words work through the bigram index)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.readmodels.task_inbox import PRIORITY_LABELS, FilterOptions, TaskFilter
from app.rules.task_states import TaskStatus
from ui import theme

SEARCH_DEBOUNCE_MS = 300
TAB_KEYS = ("all", *(s.value for s in TaskStatus), "overdue")


class FilterBar(QWidget):
    """Emits `filter_changed(TaskFilter)` whenever the person changes a filter."""

    filter_changed = Signal(object)

    def __init__(self, officer_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.officer_id = officer_id
        self._filter = TaskFilter()
        self._counts: dict[str, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        tabs = QHBoxLayout()
        tabs.setSpacing(4)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.tabs: dict[str, QToolButton] = {}
        for key in TAB_KEYS:
            button = QToolButton(self)
            button.setObjectName("filterTab")
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if key == "overdue":
                button.setIcon(theme.icon("overdue"))
            self.group.addButton(button)
            self.tabs[key] = button
            tabs.addWidget(button)
            button.clicked.connect(lambda _=False, k=key: self._tab_clicked(k))
        self.tabs["all"].setChecked(True)
        tabs.addStretch(1)
        layout.addLayout(tabs)

        row = QHBoxLayout()
        row.setSpacing(6)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search number, title, description, notes… (Ctrl+F)"))
        self.search.setMinimumWidth(220)
        row.addWidget(self.search, 2)
        self.priority = self._combo(
            self.tr("All priorities"), [(str(k), v) for k, v in PRIORITY_LABELS.items()]
        )
        self.source = self._combo(self.tr("All sources"), [])
        self.grid = self._combo(self.tr("All grids"), [])
        self.field = self._combo(self.tr("All fields"), [])
        for combo in (self.priority, self.source, self.grid, self.field):
            row.addWidget(combo, 1)
        self.mine = QCheckBox(self.tr("Mine only"), self)
        self.mine.setVisible(bool(officer_id))
        self.mine.toggled.connect(self._changed)
        row.addWidget(self.mine)
        self.case_due = QCheckBox(self.tr("Case deadlines"), self)
        self.case_due.setToolTip(self.tr("Only tasks whose case has a statutory deadline overdue or due within 3 days"))
        self.case_due.toggled.connect(self._changed)
        row.addWidget(self.case_due)
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.clear_button)
        layout.addLayout(row)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.set_counts({})

    def _combo(self, all_text: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(all_text, None)
        for value, text in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self._changed())
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return combo

    def set_options(self, options: FilterOptions) -> None:
        for combo, items in (
            (self.source, [(s, s) for s in options.sources]),
            (self.grid, options.grids),
            (self.field, [(f, f) for f in options.fields]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value, text in items:
                combo.addItem(text, value)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def set_counts(self, counts: dict[str, int]) -> None:
        self._counts = counts
        names = {"all": self.tr("All"), "overdue": self.tr("Overdue")}
        for key, button in self.tabs.items():
            name = names.get(key) or TaskStatus(key).label
            n = counts.get(key)
            button.setText(f"{name} {n}" if n is not None else name)
            button.setToolTip(self.tr("%1 tasks").replace("%1", str(n)) if n is not None else "")

    def current(self) -> TaskFilter:
        return self._filter

    def select_tab(self, key: str) -> None:
        self.tabs[key].setChecked(True)
        self._tab_clicked(key)

    def _tab_clicked(self, _key: str) -> None:
        self._changed()

    def _search_now(self) -> None:
        self._search_timer.stop()
        self._changed()

    def clear(self) -> None:
        for combo in (self.priority, self.source, self.grid, self.field):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for box in (self.mine, self.case_due):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.tabs["all"].setChecked(True)
        self._changed()

    def _changed(self) -> None:
        self._search_timer.stop()
        key = next((k for k, b in self.tabs.items() if b.isChecked()), "all")
        priority = self.priority.currentData()
        new = replace(
            self._filter,
            status=key if key not in ("all", "overdue") else None,
            overdue=key == "overdue",
            priority=int(priority) if priority is not None else None,
            source=self.source.currentData(),
            grid_id=self.grid.currentData(),
            field=self.field.currentData(),
            text=self.search.text().strip(),
            assignee_id=self.officer_id if self.mine.isChecked() else None,
            case_due=self.case_due.isChecked(),
        )
        if new != self._filter:
            self._filter = new
            self.filter_changed.emit(new)

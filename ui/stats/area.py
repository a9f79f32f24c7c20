"""The 统计 area: a period picker; per-grid table with the suggested patrol tier; violations-per-grid and
matter-ranking charts; the high-frequency matters table; overdue instructions by grid; CSV / XLSX export.
The analysis runs on the task runner (SQL aggregates), never on the GUI thread."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.planning.analysis import Analysis, Period, analyse
from app.planning.config import load_config
from app.planning.exports import STATUS_LABELS, export_csv, export_xlsx
from app.planning.patrols import TierApplied
from ui.context import AppContext
from ui.loops.tiers import TierControls
from ui.qt_guard import alive_slot
from ui.stats.charts import GridChart, RankingChart
from ui.widgets import file_dialogs
from ui.widgets.common import EmptyHint, PageHeader
from ui.widgets.qtypes import py_date
from ui.widgets.table_model import SORT_ROLE, Column, ColumnsModel, Index

TIER_COLOURS = {1: None, 2: "#fff4ce", 3: "#ffe0b2", 4: "#f8c9c4"}
PRESETS = (30, 90, 180, 365)


def _table(model: ColumnsModel, parent: QWidget, stretch: int) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the analysis's own order until a header is clicked
    return view


class GridModel(ColumnsModel):
    """Per-grid rows; the tier column shows "tier · label" and sorts by the tier number."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() == 6:
            g = self.rows[index.row()]
            return f"{g.tier} · {g.tier_label}"
        return super().data(index, role)


class StatsArea(QWidget):
    analysed = Signal(object)  # Analysis

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.config = load_config()
        self.analysis: Analysis | None = None
        self.note = ""  # what the last tier change did, shown with the next analysis
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        head = PageHeader(self.tr("Grid patrol analysis"), self)
        self.preset = QComboBox(self)
        for days in PRESETS:
            self.preset.addItem(self.tr("Last %1 days").replace("%1", str(days)), days)
        self.preset.addItem(self.tr("This year"), "year")
        self.preset.addItem(self.tr("Custom"), None)
        head.add(self.preset)
        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        head.add(self.start, QLabel("—", self), self.end)
        self.run_button = QPushButton(self.tr("Analyse"), self)
        self.run_button.setObjectName("primary")
        self.csv_button = QPushButton(self.tr("Export CSV…"), self)
        self.xlsx_button = QPushButton(self.tr("Export Excel…"), self)
        head.add(self.run_button, self.csv_button, self.xlsx_button)
        layout.addWidget(head)
        self.summary = QLabel(self)
        self.summary.setObjectName("muted")
        layout.addWidget(self.summary)

        self.grid_model = GridModel([
            Column(self.tr("Grid"), lambda g: g.name),
            Column(self.tr("Findings"), lambda g: g.findings, align_right=True),
            Column(self.tr("Violations"), lambda g: g.violations, align_right=True),
            Column(self.tr("Overdue"), lambda g: g.overdue, align_right=True),
            Column(self.tr("Top matters"), lambda g: g.top_matters_text),
            Column(self.tr("Index / month"), lambda g: round(g.score, 2), align_right=True),
            Column(self.tr("Suggested patrol"), lambda g: g.tier, lambda _v: ""),
            Column(self.tr("Current tier"), lambda g: g.current_tier or ""),
        ], self, key=lambda g: g.grid_id, background=lambda g, c: TIER_COLOURS.get(g.tier) if c == 6 else None)
        self.rank_model = ColumnsModel([
            Column(self.tr("Rank"), lambda r: r.rank, align_right=True),
            Column(self.tr("Matter"), lambda r: f"{r.code} {r.name}"),
            Column(self.tr("Department"), lambda r: r.department),
            Column(self.tr("Violations"), lambda r: r.violations, align_right=True),
            Column(self.tr("Findings"), lambda r: r.findings, align_right=True),
            Column(self.tr("Grids"), lambda r: r.grids, align_right=True),
            Column(self.tr("Share"), lambda r: r.share, lambda v: f"{v:.1%}", align_right=True),
        ], self, key=lambda r: r.code)
        self.overdue_model = ColumnsModel([
            Column(self.tr("Grid"), lambda t: t.grid_name),
            Column(self.tr("Number"), lambda t: t.number),
            Column(self.tr("Title"), lambda t: t.title),
            Column(self.tr("Deadline"), lambda t: timefmt.fmt(t.deadline)),
            Column(self.tr("Status"), lambda t: STATUS_LABELS.get(t.status, t.status)),
            Column(self.tr("Days overdue"), lambda t: t.days_overdue, align_right=True),
        ], self)

        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        overview = QSplitter(Qt.Orientation.Vertical)
        self.grid_table = _table(self.grid_model, overview, 4)
        overview.addWidget(self.grid_table)
        charts = QSplitter(Qt.Orientation.Horizontal)
        self.grid_chart = GridChart(self.tr("Findings and violations per grid"),
                                    (self.tr("Findings"), self.tr("Violations")))
        self.rank_chart = RankingChart(self.tr("High-frequency matters (violations)"), self.tr("Violations"))
        charts.addWidget(self.grid_chart)
        charts.addWidget(self.rank_chart)
        charts.setSizes([600, 700])
        overview.addWidget(charts)
        overview.setSizes([230, 330])
        self.tier_controls = TierControls(  # 动态调整网格化巡查频率: confirm a tier, produce patrol plans
            ctx, self.grid_table, [(t.tier, t.label) for t in self.config.tier_rule.tiers], self._tier_applied, self)
        layout.insertWidget(2, self.tier_controls)
        self.tabs.addTab(overview, self.tr("Grids and tiers"))
        self.rank_table = _table(self.rank_model, self, 1)
        self.rank_hint = EmptyHint(
            self.rank_table,
            self.tr("No violations in this period"),
            self.tr("Choose a longer period above and click Analyse, or record findings in inspections first."),
        )
        self.tabs.addTab(self.rank_table, self.tr("High-frequency matters"))
        self.overdue_table = _table(self.overdue_model, self, 2)
        self.overdue_hint = EmptyHint(
            self.overdue_table, self.tr("No overdue instructions"), self.tr("Every open instruction is within its deadline.")
        )
        self.tabs.addTab(self.overdue_table, self.tr("Overdue by grid"))

        self.preset.currentIndexChanged.connect(self._preset)
        self.run_button.clicked.connect(self.run)
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self._preset(0)
        self.run()

    def _preset(self, _i: int) -> None:
        value = self.preset.currentData()
        custom = value is None
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if custom:
            return
        today = date.today()
        start = date(today.year, 1, 1) if value == "year" else today - timedelta(days=int(value) - 1)
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(today.year, today.month, today.day))

    def period(self) -> Period:
        return Period(py_date(self.start.date()), py_date(self.end.date()))

    def run(self) -> None:
        period, township = self.period(), self.ctx.user.township_id or ""
        if period.end < period.start:
            self.summary.setText(self.tr("The period ends before it starts."))
            return
        self.run_button.setEnabled(False)
        self.summary.setText(self.tr("Analysing…"))

        def job(_job: object) -> Analysis:
            with self.ctx.store.read() as s:
                return analyse(s, township, period, self.config)

        self.ctx.runner.run_store("grid analysis", job, on_done=self._done, on_error=self._failed)

    @alive_slot
    def _done(self, a: Analysis) -> None:
        self.analysis = a
        self.run_button.setEnabled(True)
        self.grid_model.set_rows(a.grids)
        self.rank_model.set_rows(a.ranking)
        self.overdue_model.set_rows(a.overdue)
        self.grid_table.resizeColumnsToContents()
        self.grid_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.grid_chart.show_analysis(a)
        self.rank_chart.show_analysis(a)
        self.tier_controls.set_analysis(a)
        t = a.totals
        self.summary.setText(self.tr("%1 to %2: %3 findings, %4 violations, %5 overdue instructions in %6 grids "
                                     "(computed in %7 ms)")
                             .replace("%1", a.period.start.isoformat()).replace("%2", a.period.end.isoformat())
                             .replace("%3", str(t["findings"])).replace("%4", str(t["violations"]))
                             .replace("%5", str(t["overdue"])).replace("%6", str(t["grids"]))
                             .replace("%7", str(round(a.elapsed * 1000))))
        if self.note:
            self.summary.setText(f"{self.note}　{self.summary.text()}")
            self.note = ""
        self.analysed.emit(a)

    @alive_slot
    def _tier_applied(self, result: TierApplied) -> None:
        self.note = (self.tr("Tier %1 applied: %2 patrol plans for next month (%3 replaced)")
                     .replace("%1", str(result.change.to_tier)).replace("%2", str(len(result.plans)))
                     .replace("%3", str(result.cancelled)))
        self.run()

    @alive_slot
    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.summary.setText(str(exc))

    def _ask_export(self, kind: str) -> None:
        if self.analysis is None:
            return
        name = f"网格巡查研判_{self.analysis.period.start:%Y%m%d}-{self.analysis.period.end:%Y%m%d}.{kind}"
        filt = "Excel (*.xlsx)" if kind == "xlsx" else "CSV (*.csv)"
        path = file_dialogs.save_file(self, self.tr("Export"), name, filt)
        if path:
            self.export(Path(path), kind)

    def export(self, path: Path, kind: str) -> None:
        a = self.analysis
        assert a is not None
        fn = export_xlsx if kind == "xlsx" else export_csv
        self.ctx.runner.run_io("export analysis", lambda job: fn(a, path),
                               on_done=lambda r: self.summary.setText(self.tr("Exported: %1").replace("%1", str(r))),
                               on_error=self._failed)

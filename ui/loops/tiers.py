"""Applying a grid's patrol tier from the 统计 area: `TierControls` (a 调整巡查频率… button, leader only, and the
selected grid's tier history) attached to the analysis's grid table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTableView, QWidget

from app.planning.analysis import NO_GRID, Analysis, GridRow
from app.planning.patrols import GridTierService, TierApplied
from app.rules.task_states import Role
from ui.context import AppContext
from ui.loops.dialogs import TierDialog
from ui.qt_guard import alive
from ui.widgets.table_model import ROW_ROLE


class TierControls(QWidget):
    def __init__(self, ctx: AppContext, table: QTableView, tiers: list[tuple[int, str]], on_applied: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.table, self.tiers, self.on_applied = ctx, table, tiers, on_applied
        self.analysis: Analysis | None = None
        self.dialog: QDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(self.tr("Apply patrol &tier…"), self)
        self.button.setToolTip(self.tr("Confirm the selected grid's tier and produce next month's patrol plans"))
        self.button.setVisible(ctx.user.role is Role.LEADER)
        self.history = QLabel(self)
        self.history.setObjectName("muted")
        self.history.setWordWrap(True)
        row.addWidget(self.button)
        row.addWidget(self.history, 1)
        self.button.clicked.connect(self.open_dialog)
        self.button.setEnabled(False)

    def set_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        if not getattr(self, "_connected", False):
            self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
            self._connected = True
        self._selected()

    def grid(self) -> GridRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or self.analysis is None:
            return None
        row = self.table.model().index(index.row(), 0).data(ROW_ROLE)
        return row if isinstance(row, GridRow) and row.grid_id != NO_GRID else None

    def _selected(self) -> None:
        g = self.grid()
        self.button.setEnabled(g is not None)
        if g is None:
            self.history.setText("")
            return
        service = GridTierService(self.ctx.store, self.ctx.user)
        self.ctx.runner.run_store("tier-history", lambda _c: service.history(g.grid_id),
                                  on_done=lambda rows: self._show_history(g, rows), on_error=lambda _e: None)

    def _show_history(self, g: GridRow, rows: list[Any]) -> None:
        if not alive(self) or self.grid() is not g:
            return
        if not rows:
            self.history.setText(self.tr("%1: no tier change recorded").replace("%1", g.name))
            return
        text = "；".join(f"{r.changed_at.astimezone():%Y-%m-%d} {r.from_tier or '—'}→{r.to_tier}（{r.changed_by}：{r.reason}）"
                        for r in rows[-3:])
        self.history.setText(f"{g.name}：{text}")

    def open_dialog(self) -> None:
        g = self.grid()
        if g is None or self.analysis is None:
            return
        p = self.analysis.period
        dlg = TierDialog(self.ctx, g.grid_id, g.name, g.current_tier, g.tier, self.tiers, g.score, (p.start, p.end),
                         self)
        dlg.saved.connect(self._applied)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dlg
        dlg.open()

    def _applied(self, result: TierApplied) -> None:
        if not alive(self):
            return
        self.on_applied(result)

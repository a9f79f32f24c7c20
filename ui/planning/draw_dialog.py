"""The 双随机 draw dialog: define (items, target pool filter, count or proportion, inspectors, exclusions, seed),
preview the pool size, draw, show the result with its seed and snapshot hash, re-run to verify, create the
plans, and export the 抽查结果公示 (PDF rendered on a worker, and CSV)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import timefmt
from app.models import RandomDraw
from app.planning.draw_plans import publication, write_publication_csv
from app.planning.draws import DrawService, DrawSpec, PoolPreview, rerun
from app.planning.planner import CST
from app.planning.reference import Reference, load_reference
from ui.context import AppContext
from ui.planning.lists import _checkable, _checked, wrap_items
from ui.planning.printing import render_pdf
from ui.qt_guard import alive_slot
from ui.widgets import file_dialogs
from ui.widgets.qtypes import py_date
from ui.widgets.table_model import Column, ColumnsModel


class DrawDialog(QDialog):
    plans_created = Signal()
    drawn = Signal(object)  # RandomDraw

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = DrawService(ctx.store, ctx.user)
        self.draw: RandomDraw | None = None
        self.setWindowTitle(self.tr("Random inspection draw (double random, one public)"))
        self.resize(1260, 700)
        outer = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(split, 1)

        left = QWidget()
        form = QFormLayout(left)
        self.title = QLineEdit(left)
        self.title.setText(f"{datetime.now(CST):%Y}年双随机抽查")
        form.addRow(self.tr("Title"), self.title)
        self.items = QListWidget(left)
        self.items.setMinimumHeight(150)
        wrap_items(self.items)
        form.addRow(self.tr("Items (random list)"), self.items)
        self.grids = QListWidget(left)
        self.grids.setMaximumHeight(80)
        form.addRow(self.tr("Grids (none = all)"), self.grids)
        self.industries = QListWidget(left)
        self.industries.setMaximumHeight(80)
        form.addRow(self.tr("Industries (none = all)"), self.industries)
        grades = QHBoxLayout()
        self.grades = {g: QCheckBox(g, left) for g in "ABCD"}
        for box in self.grades.values():
            grades.addWidget(box)
        form.addRow(self.tr("Risk grades (none = all)"), grades)
        size = QHBoxLayout()
        self.by_count = QRadioButton(self.tr("Count"), left)
        self.by_count.setChecked(True)
        self.count = QSpinBox(left)
        self.count.setRange(1, 100000)
        self.count.setValue(5)
        self.by_share = QRadioButton(self.tr("Proportion"), left)
        self.share = QDoubleSpinBox(left)
        self.share.setRange(0.01, 1.0)
        self.share.setSingleStep(0.05)
        self.share.setValue(0.1)
        for w in (self.by_count, self.count, self.by_share, self.share):
            size.addWidget(w)
        form.addRow(self.tr("How many"), size)
        self.per_target = QSpinBox(left)
        self.per_target.setRange(2, 6)
        self.per_target.setValue(self.service.config.inspectors_per_target)
        form.addRow(self.tr("Inspectors per target"), self.per_target)
        self.own_grid = QCheckBox(self.tr("Exclude inspectors posted to the target's grid"), left)
        self.own_grid.setChecked(self.service.config.exclude_own_grid)
        self.own_unit = QCheckBox(self.tr("Exclude the units posted to the target's grid"), left)
        self.own_unit.setChecked(self.service.config.exclude_own_unit)
        form.addRow(self.own_grid)
        form.addRow(self.own_unit)
        self.day = QDateEdit(left)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate().addDays(7))
        form.addRow(self.tr("Inspection date"), self.day)
        self.seed = QLineEdit(left)
        self.seed.setPlaceholderText(self.tr("empty: a fresh random seed"))
        form.addRow(self.tr("Seed"), self.seed)
        row = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Preview pool"), left)
        self.draw_button = QPushButton(self.tr("Draw"), left)
        self.draw_button.setObjectName("primary")
        row.addWidget(self.preview_button)
        row.addWidget(self.draw_button)
        form.addRow(row)
        self.pool_label = QLabel(left)
        self.pool_label.setWordWrap(True)
        form.addRow(self.pool_label)
        split.addWidget(left)

        right = QWidget()
        rv = QVBoxLayout(right)
        self.summary = QTextBrowser(right)
        self.summary.setMaximumHeight(130)
        rv.addWidget(self.summary)
        self.model = ColumnsModel([
            Column(self.tr("No."), lambda r: r["order"], align_right=True),
            Column(self.tr("Target"), lambda r: r["target"]),
            Column(self.tr("Grid"), lambda r: r["grid"]),
            Column(self.tr("Inspectors"), lambda r: r["inspectors"]),
        ], self, key=lambda r: r["target_id"], background=lambda r, _c: "#fde7e7" if r["shortfall"] else None)
        self.table = QTableView(right)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rv.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("Re-run and verify"), right)
        self.plans_button = QPushButton(self.tr("Create inspection plans"), right)
        self.pdf_button = QPushButton(self.tr("Publication PDF…"), right)
        self.csv_button = QPushButton(self.tr("Publication CSV…"), right)
        for b in (self.verify_button, self.plans_button, self.pdf_button, self.csv_button):
            b.setEnabled(False)
            actions.addWidget(b)
        rv.addLayout(actions)
        split.addWidget(right)
        split.setSizes([470, 790])

        self.preview_button.clicked.connect(self.preview)
        self.draw_button.clicked.connect(self.do_draw)
        self.verify_button.clicked.connect(self.verify)
        self.plans_button.clicked.connect(self.create_plans)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.csv_button.clicked.connect(self._ask_csv)
        self.draw_button.setEnabled(ctx.user.is_leader)
        township = ctx.user.township_id or ""
        ctx.runner.run_store("draw reference", lambda job: load_reference(ctx.store, township),
                             on_done=self._reference)

    @alive_slot
    def _reference(self, ref: Reference) -> None:
        for mi in ref.matters:
            if mi.random_item:
                _checkable(self.items, f"{mi.code}　{mi.name}", mi.code, mi.department_name)
        for gid, name in ref.grids:
            _checkable(self.grids, name, gid)
        for ind in ref.industries:
            _checkable(self.industries, ind, ind)
        self.grid_names = dict(ref.grids)

    def spec(self) -> DrawSpec:
        return DrawSpec(
            township_id=self.ctx.user.township_id or "", title=self.title.text(), item_codes=_checked(self.items),
            on_date=py_date(self.day.date()), count=self.count.value() if self.by_count.isChecked() else None,
            proportion=None if self.by_count.isChecked() else self.share.value(), grid_ids=_checked(self.grids),
            industries=_checked(self.industries), risk_grades=[g for g, b in self.grades.items() if b.isChecked()],
            inspectors_per_target=self.per_target.value(), exclude_own_grid=self.own_grid.isChecked(),
            exclude_own_unit=self.own_unit.isChecked(), seed=self.seed.text().strip() or None,
        )

    @alive_slot
    def _error(self, exc: BaseException) -> None:
        self.pool_label.setText(f"<span style='color:#b3261e'>{exc}</span>")

    def preview(self) -> None:
        spec = self.spec()
        self.ctx.runner.run_store("draw preview", lambda job: self.service.preview(spec), on_done=self._previewed,
                                  on_error=self._error)

    @alive_slot
    def _previewed(self, p: PoolPreview) -> None:
        text = self.tr("Pool: %1 targets, %2 certified inspectors; %3 targets will be drawn.")
        text = text.replace("%1", str(p.targets)).replace("%2", str(p.inspectors)).replace("%3", str(p.draw_size))
        if p.excluded_inspectors:
            text += "<br/>" + self.tr("Left out:") + " " + "；".join(
                f"{e['name']}（{e['reason']}）" for e in p.excluded_inspectors)
        self.pool_label.setText(text)

    def do_draw(self) -> None:
        spec = self.spec()
        self.draw_button.setEnabled(False)
        self.ctx.runner.run_store("draw", lambda job: self.service.draw(spec), on_done=self._drawn,
                                  on_error=self._draw_failed)

    @alive_slot
    def _draw_failed(self, exc: BaseException) -> None:
        self._error(exc)
        self.draw_button.setEnabled(True)

    @alive_slot
    def _drawn(self, draw: RandomDraw) -> None:
        self.draw = draw
        self.draw_button.setEnabled(self.ctx.user.is_leader)
        snap = draw.pool_snapshot
        names = {t["id"]: t["name"] for t in snap["targets"]}
        grid_of = {t["id"]: t.get("grid_id") for t in snap["targets"]}
        people = {i["id"]: i["name"] for i in snap["inspectors"]}
        grids = getattr(self, "grid_names", {})
        short = self.tr("not enough inspectors")
        drawn_word, algorithm, seed_word = self.tr("drawn"), self.tr("Algorithm"), self.tr("Seed")
        hash_word, pool_word, excl_word = self.tr("Pool snapshot SHA-256"), self.tr("Pool"), self.tr("exclusions recorded")
        how = self.tr("Drawn by computer from a recorded pool snapshot; Re-run and verify repeats it exactly")
        self.model.set_rows([
            {"order": e["order"], "target_id": e["target_id"], "target": names.get(e["target_id"], e["target_id"]),
             "grid": grids.get(grid_of.get(e["target_id"]) or "", ""), "shortfall": e["shortfall"],
             "inspectors": "、".join(people.get(o, o) for o in e["officer_ids"])
             + (f"（{short}）" if e["shortfall"] else "")}
            for e in draw.result])
        self.table.resizeColumnsToContents()
        self.summary.setHtml(
            f"<b>{draw.title}</b>　{drawn_word} {timefmt.fmt(draw.drawn_at)}<br/>"
            f"{pool_word}: {len(snap['targets'])} / {drawn_word}: {len(draw.result)} / "
            f"{excl_word}: {len(draw.exclusions)}<br/>"
            f"{how}")
        self.summary.setToolTip(  # the technical record, for auditors: hover or the publication PDF
            f"{algorithm}: {draw.algorithm}\n{seed_word}: {draw.seed}\n{hash_word}: {draw.snapshot_sha256}")
        for b in (self.verify_button, self.plans_button, self.pdf_button, self.csv_button):
            b.setEnabled(True)
        self.plans_button.setEnabled(self.ctx.user.is_leader)
        self.drawn.emit(draw)

    def verify(self) -> None:
        draw = self.draw
        assert draw is not None
        self.ctx.runner.run_store("verify draw", lambda job: rerun(self.service.get(draw.id)) == draw.result,
                                  on_done=self._verified, on_error=self._error)

    @alive_slot
    def _verified(self, same: bool) -> None:
        self.pool_label.setText(self.tr("Re-run from the snapshot and seed: identical result.") if same
                                else self.tr("Re-run gives a DIFFERENT result!"))

    def create_plans(self) -> None:
        draw = self.draw
        assert draw is not None
        day = py_date(self.day.date())
        t = self.service.config.default_start_time
        start = datetime(day.year, day.month, day.day, t.hour, t.minute, tzinfo=CST)
        self.ctx.runner.run_store("draw plans", lambda job: self.service.create_plans(draw.id, start),
                                  on_done=self._plans_made, on_error=self._error)

    @alive_slot
    def _plans_made(self, result: tuple[list[str], list[str]]) -> None:
        ids, problems = result
        text = self.tr("%1 inspection plans created.").replace("%1", str(len(ids)))
        if problems:
            text += "<br/>" + "<br/>".join(problems)
        self.pool_label.setText(text)
        self.plans_created.emit()

    def _publication(self, then: Callable[[tuple[str, list]], None]) -> None:
        draw = self.draw
        assert draw is not None

        store, draw_id = self.ctx.store, draw.id
        self.ctx.runner.run_store("publication", lambda _job: publication(store, draw_id), on_done=then,
                                  on_error=self._error)

    def _ask_pdf(self) -> None:
        path = file_dialogs.save_file(self, self.tr("Publication PDF"), "抽查结果公示.pdf", "PDF (*.pdf)")
        if path:
            self.export_pdf(Path(path))

    def export_pdf(self, path: Path) -> None:
        def render(result: tuple[str, list]) -> None:
            self.ctx.runner.run_io("publication pdf", lambda job: render_pdf(result[0], path, title="抽查结果公示"),
                                   on_done=lambda p: self.pool_label.setText(str(p)), on_error=self._error)

        self._publication(render)

    def _ask_csv(self) -> None:
        path = file_dialogs.save_file(self, self.tr("Publication CSV"), "抽查结果公示.csv", "CSV (*.csv)")
        if path:
            self._publication(lambda r: self.pool_label.setText(str(write_publication_csv(r[1], Path(path)))))


"""QtCharts views of an analysis: violations per grid (vertical bars, coloured by suggested tier) and the ranking
of high-frequency matters (horizontal bars)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from app.planning.analysis import Analysis

BAR = QColor("#2f6fb2")
VIOLATION = QColor("#c0504d")


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _setup(chart: QChart) -> None:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.layout().setContentsMargins(0, 0, 0, 0)


def integer_ticks(maximum: float, max_ticks: int = 6) -> tuple[int, int]:
    """(top, step) of a count axis: whole-number steps of 1, 2, 5, 10, 20, 50 … with at most `max_ticks`
    intervals, the top a multiple of the step at or above `maximum` — so no two ticks show the same number."""
    top = max(1, int(-(-maximum // 1)))
    step, scale = 1, 1
    while True:
        for base in (1, 2, 5):
            step = base * scale
            if -(-top // step) <= max_ticks:
                return int(-(-top // step)) * step, step
        scale *= 10


def integer_axis(maximum: float) -> QValueAxis:
    """A value axis for counts: integer ticks only (see `integer_ticks`)."""
    top, step = integer_ticks(maximum)
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setTickType(QValueAxis.TickType.TicksFixed)
    axis.setTickCount(top // step + 1)
    axis.setMinorTickCount(0)
    axis.setLabelFormat("%d")
    return axis


def _grid_label(name: str) -> str:
    """"新登镇第6网格（荷花村）" → "第6网格": the township and the community are in the table."""
    short = name.split("（")[0]
    for mark in ("镇", "街道", "乡"):
        if mark in short and short.index(mark) < len(short) - 1:
            short = short.split(mark, 1)[1]
            break
    return short


class GridChart(QChartView):
    """Findings and violations per grid."""

    def __init__(self, title: str, labels: tuple[str, str], parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setTitle(title)
        super().__init__(chart, parent)
        self._labels = labels
        _setup(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)

    def show_analysis(self, a: Analysis) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in list(chart.axes()):
            chart.removeAxis(axis)
        findings, violations = QBarSet(self._labels[0]), QBarSet(self._labels[1])
        findings.setColor(QColor("#9db7d3"))
        violations.setColor(VIOLATION)
        cats = []
        for g in a.grids:
            cats.append(_short(_grid_label(g.name), 8))
            findings.append(g.findings)
            violations.append(g.violations)
        series = QBarSeries()
        series.append(findings)
        series.append(violations)
        series.setLabelsVisible(len(cats) <= 8)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(cats)
        x.setLabelsAngle(-30 if len(cats) > 6 else 0)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        y = integer_axis(max([g.findings for g in a.grids] + [1]))
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)


class RankingChart(QChartView):
    """Top matters by violations (the highest at the top)."""

    def __init__(self, title: str, label: str, parent: QWidget | None = None, top: int = 10) -> None:
        chart = QChart()
        chart.setTitle(title)
        super().__init__(chart, parent)
        self._label = label
        self._top = top
        _setup(chart)
        chart.legend().hide()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)

    def show_analysis(self, a: Analysis) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in list(chart.axes()):
            chart.removeAxis(axis)
        ranked = [r for r in a.ranking if r.violations][: self._top]
        bars = QBarSet(self._label)
        bars.setColor(BAR)
        cats = []
        for r in reversed(ranked):
            cats.append(_short(r.name.removeprefix("对").removesuffix("的行政处罚"), 16))
            bars.append(r.violations)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append(cats)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y)
        x = integer_axis(max([r.violations for r in ranked] + [1]))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)

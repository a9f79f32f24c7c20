"""Exports of a grid analysis: CSV (one table per file, UTF-8 with BOM for Excel) and XLSX (one sheet per table,
with openpyxl, imported lazily so the rest of the app works without it). Qt-free."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from app.errors import DomainError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet
from app.planning.analysis import Analysis
from app.planning.planner import CST

GRID_HEADERS = ("网格编号", "网格名称", "检查发现数", "违法问题数", "违法率", "逾期指令数", "主要问题事项",
                "研判指数（/月）", "建议巡查档位", "建议巡查频次", "当前档位")
RANKING_HEADERS = ("排名", "事项代码", "事项名称", "领域", "实施部门", "违法问题数", "检查发现数", "涉及网格数",
                   "占比")
OVERDUE_HEADERS = ("指令编号", "标题", "网格", "办理时限", "状态", "逾期天数")
STATUS_LABELS = {"pending": "待签收", "accepted": "已签收", "in_progress": "处理中"}


def grid_rows(a: Analysis) -> list[tuple[Any, ...]]:
    return [(g.code, g.name, g.findings, g.violations, f"{g.violation_rate:.1%}", g.overdue, g.top_matters_text,
             round(g.score, 2), g.tier, g.tier_label, g.current_tier if g.current_tier is not None else "")
            for g in a.grids]


def ranking_rows(a: Analysis) -> list[tuple[Any, ...]]:
    return [(r.rank, r.code, r.name, r.field, r.department, r.violations, r.findings, r.grids, f"{r.share:.1%}")
            for r in a.ranking]


def overdue_rows(a: Analysis) -> list[tuple[Any, ...]]:
    return [(t.number, t.title, t.grid_name, t.deadline.astimezone(CST).strftime("%Y-%m-%d %H:%M"),
             STATUS_LABELS.get(t.status, t.status), t.days_overdue) for t in a.overdue]


TABLES = {
    "grids": ("网格研判", GRID_HEADERS, grid_rows),
    "matters": ("高频事项", RANKING_HEADERS, ranking_rows),
    "overdue": ("逾期指令", OVERDUE_HEADERS, overdue_rows),
}


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)


def export_csv(a: Analysis, path: Path) -> list[Path]:
    """The per-grid table to `path`; the ranking and overdue tables beside it (`…-高频事项.csv`, `…-逾期指令.csv`)."""
    written = []
    for key, (title, headers, rows) in TABLES.items():
        target = path if key == "grids" else path.with_name(f"{path.stem}-{title}{path.suffix or '.csv'}")
        _write_csv(target, headers, rows(a))
        written.append(target)
    return written


def export_xlsx(a: Analysis, path: Path) -> Path:
    """One workbook: a sheet per table, a header row in bold, frozen panes, sensible column widths."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise DomainError("未安装 openpyxl，无法导出 Excel 文件，请改用 CSV 导出", code="no_openpyxl") from exc
    wb = Workbook()
    wb.remove(cast("Worksheet", wb.active))  # a new workbook's one sheet, replaced by ours
    period = f"{a.period.start.isoformat()} 至 {a.period.end.isoformat()}"
    for _key, (title, headers, rows) in TABLES.items():
        ws = wb.create_sheet(title)
        ws.append([f"{title}（{period}）"])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append(list(headers))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        data = rows(a)
        for r in data:
            ws.append(list(r))
        ws.freeze_panes = "A3"
        for i, h in enumerate(headers, start=1):
            width = max([len(str(h)) * 2] + [min(60, len(str(r[i - 1])) * 2) for r in data[:200]])
            ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = max(8, min(60, width))
    wb.save(path)
    return path

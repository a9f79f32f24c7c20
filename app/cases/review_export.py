"""Exports of 案卷评查 self-check results: an XLSX workbook (sheets 评查汇总 and 问题清单, openpyxl) and the HTML
the UI renders to PDF (`ui.cases.review_print`). Pure functions of `CaseReview`s; the workbook is written to a
temporary file and renamed, so a failed export never leaves half a file."""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from app.cases.self_check import CaseReview
from app.errors import ValidationError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_HEADER = ("案件编号", "案由", "当事人", "阶段", "得分", "结论", "卷面", "内容", "问题数", "评查日期")
DEFECT_HEADER = ("案件编号", "标准", "问题类别", "文书", "字段", "问题", "整改方法", "扣分")
#: the PDF table's columns (header, width in percent): the problem and the fix get the room
PDF_COLUMNS = (("标准", 6), ("问题类别", 10), ("文书", 16), ("字段", 12), ("问题", 26), ("整改方法", 25), ("扣分", 5))
NOTE = "分值为示例配置（resources/config/case_review.json），以区级评查标准为准。"


def defect_rows(review: CaseReview) -> list[tuple[str, str, str, str, str, str, str, int]]:
    return [(review.number, s.section_label, s.defect.label, s.defect.document, s.defect.field, s.defect.problem,
             s.defect.fix, s.points) for s in review.score.defects]


def write_xlsx(reviews: Sequence[CaseReview], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = cast("Worksheet", book.active)  # a new workbook's one sheet is a worksheet
    summary.title = "评查汇总"
    summary.append(SUMMARY_HEADER)
    for r in reviews:
        s = r.score
        summary.append((r.number, r.title, r.party, r.stage, s.total, s.verdict, s.form, s.content,
                        len(s.defects), r.checked_on.isoformat()))
    summary.append(())
    summary.append((NOTE,))
    defects = book.create_sheet("问题清单")
    defects.append(DEFECT_HEADER)
    for r in reviews:
        for row in defect_rows(r):
            defects.append(row)
    for sheet, widths in ((summary, (26, 24, 28, 10, 8, 8, 8, 8, 8, 12)),
                          (defects, (26, 10, 18, 34, 22, 48, 48, 6))):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = width
        sheet.freeze_panes = "A2"
    for row in defects.iter_rows(min_row=2):
        for cell in row[3:7]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".xlsx")
        os.close(fd)
        try:
            book.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ValidationError(f"无法写入评查表 {path.name}：{exc.strerror or exc}", code="export_failed") from exc
    return path


def review_html(reviews: Sequence[CaseReview]) -> str:
    """The printable report: per case the score, verdict and every defect with its document, field and fix."""
    e = html.escape
    parts = ["<html><body>", "<h2 align='center'>行政执法案卷评查自查表</h2>"]
    for r in reviews:
        s = r.score
        parts.append(
            f"<h3>{e(r.number)}　{e(r.title)}</h3>"
            f"<p>当事人：{e(r.party)}　执法主体：{e(r.body)}　阶段：{e(r.stage)}　评查日期：{r.checked_on.isoformat()}</p>"
            f"<p><b>得分：{s.total}　结论：{e(s.verdict)}</b>　（卷面 {s.form}，内容 {s.content}"
            f"{'；基本标准不符合，案卷不合格' if s.basic_failed else ''}）</p>"
        )
        if not s.defects:
            parts.append("<p>未发现问题。</p>")
            continue
        parts.append("<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>" + "".join(
            f"<th width='{w}%'>{h}</th>" for h, w in PDF_COLUMNS) + "</tr>")
        for row in defect_rows(r):
            parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row[1:]) + "</tr>")
        parts.append("</table>")
    parts.append(f"<p><small>{e(NOTE)}</small></p></body></html>")
    return "".join(parts)

"""The 案件 area's 自查 offscreen: click 自查 on a case with a seeded defect, see the score, verdict and the defect
with its document, field and fix; export XLSX and PDF (off the GUI thread) and read both back; the 在办案件自查 run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from app import models as m
from app.store import Store
from tests.cases.district import OFFICER
from tests.cases.review_file import complete_case

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("chinese")]


@pytest.fixture
def ctx(cases_store: Store, ui_context: Any) -> Any:
    return ui_context(cases_store, OFFICER)


def test_click_self_check_and_export(ctx: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    from ui.cases.area import CasesArea

    f = complete_case(ctx.store, tmp_path / "files")
    with ctx.store.write() as s:  # the notice as if issued under a stale catalogue: the wrong body for its date
        s.execute(update(m.Document).where(m.Document.id == f.notice_id).values(
            body_id="dept_zf", body_legal_name="杭州市富阳区综合行政执法局", number_prefix="富综执"))
    area = CasesArea(ctx)
    qtbot.addWidget(area)
    area.show()
    area.scope.setCurrentIndex(1)  # all cases: the file is closed
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=5000)
    area.view.selectRow(0)
    qtbot.waitUntil(lambda: area.buttons["check"].isEnabled(), timeout=5000)
    assert area.buttons["check"].text() == "自查"
    qtbot.mouseClick(area.buttons["check"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.dialog is not None and area.dialog.isVisible(), timeout=10000)
    dialog = area.dialog
    assert "得分 90" in dialog.summary.text() and "优秀" in dialog.summary.text()
    assert dialog.model.rowCount() == 1
    cells = [dialog.model.index(0, c).data() for c in range(dialog.model.columnCount())]
    assert cells[2] == "文书执法主体与日期不符" and cells[3].startswith("行政处罚事先告知书 ")
    assert cells[4] == "执法主体" and "重新出具" in cells[6]

    xlsx, pdf = tmp_path / "out" / "评查.xlsx", tmp_path / "out" / "评查.pdf"
    answers = iter([(str(xlsx), ""), (str(pdf), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    qtbot.mouseClick(dialog.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.xlsx_button.isEnabled() and xlsx.exists(), timeout=10000)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf_button.isEnabled() and pdf.exists(), timeout=20000)
    assert "已写入" in dialog.status.text()

    rows = list(load_workbook(xlsx, read_only=True)["问题清单"].iter_rows(values_only=True))
    assert rows[1][2:5] == ("文书执法主体与日期不符", cells[3], "执法主体") and rows[1][7] == 10
    text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    number = area.model.row_object(0).number
    for expected in ("行政执法案卷评查自查表", number, "得分：90", "文书执法主体与日期不符", "执法主体"):
        assert "".join(expected.split()) in "".join(text.split()), expected
    dialog.accept()

    area.scope.setCurrentIndex(0)
    qtbot.waitUntil(lambda: area.model.rowCount() == 0, timeout=5000)
    qtbot.mouseClick(area.buttons["check_open"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.dialog is not dialog and area.dialog is not None and area.dialog.isVisible(),
                    timeout=10000)
    assert area.dialog.summary.text() == "没有需要自查的在办案件。"

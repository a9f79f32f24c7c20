"""The 文书 area (offscreen): list with status filter, number-block status, editor, dialogs, preview, export,
batch print to a PDF printer — all through the task runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.documents import DocumentService
from app.evidence_store import read_sealed
from app.store import Store
from tests.documents.conftest import AT, CLERK, add_blocks, stub_pdf
from tests.documents.raster import SAME_PAGE, page_differences
from tests.support.rawdb import plain_pdf

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("chinese")]


@pytest.fixture
def ctx(district: Store, ui_context: Any) -> Any:
    return ui_context(district, CLERK)


def _area(ctx: Any, qtbot: Any) -> Any:
    from ui.documents.area import DocumentsArea

    area = DocumentsArea(ctx)
    qtbot.addWidget(area)
    return area


def test_model(qtmodeltester: Any, district: Store) -> None:
    from app.readmodels.documents import load_rows
    from ui.documents.models import DocumentTableModel

    svc = DocumentService(district, CLERK)
    svc.create_draft(doc_type="correction_order", township_id="xd", inspection_id="insp1")
    model = DocumentTableModel()
    model.set_rows(load_rows(district, "xd"))
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.index(0, 3).data() == "草稿"


def test_list_filter_editor_and_numbers(ctx: Any, qtbot: Any) -> None:
    add_blocks(ctx.store, "xd", "correction_order", 1, 18)
    svc = DocumentService(ctx.store, CLERK)
    draft = svc.create_draft(
        doc_type="correction_order",
        township_id="xd",
        inspection_id="insp1",
        fields={"requirement": "立即撤除", "deadline": "2026-03-20"},
    )
    issued = svc.issue(
        svc.create_draft(
            doc_type="correction_order",
            township_id="xd",
            inspection_id="insp1",
            fields={"requirement": "限期", "deadline": "2026-03-20"},
        ).id,
        pdf_bytes_fn=stub_pdf,
        at=AT,
    )
    area = _area(ctx, qtbot)
    qtbot.waitUntil(lambda: area.model.rowCount() == 2, timeout=5000)
    assert area.numbers.text().startswith("文号：余 17 个")  # compact: one short line
    assert "新登镇综执责改 2026：17 个" in area.number_details()  # the detail on demand (menu, tooltip)
    assert "新登镇综执责改 2026：17 个" in area.numbers.toolTip()
    area.status_filter.setCurrentIndex(2)  # 已签发
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=5000)
    assert area.model.row_at(0).number == issued.number
    area.status_filter.setCurrentIndex(1)  # 草稿
    qtbot.waitUntil(lambda: area.model.rowCount() == 1 and area.model.row_at(0).id == draft.id, timeout=5000)
    area.view.selectRow(0)
    qtbot.waitUntil(lambda: area.current is not None and area.current.id == draft.id, timeout=5000)
    assert area.buttons["issue"].isEnabled() and not area.buttons["serve"].isEnabled()
    assert "新登镇人民政府" in area.heading.text()


def test_save_and_issue_from_the_area(ctx: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    add_blocks(ctx.store, "xd", "correction_order", 7, 9)
    svc = DocumentService(ctx.store, CLERK)
    draft = svc.create_draft(doc_type="correction_order", township_id="xd", inspection_id="insp1")
    area = _area(ctx, qtbot)
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=5000)
    area.view.selectRow(0)
    qtbot.waitUntil(lambda: area.current is not None, timeout=5000)
    assert "「改正内容及要求」为必填项" in area.problems.text()
    area.editor._widgets["requirement"].setPlainText("立即撤除占道桌椅")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    area.editor._widgets["deadline"].setDate(area.editor._widgets["deadline"].date().addDays(30))
    area.issue()  # 签发 asks first (tests/documents/test_issue_confirm.py); the clerk confirms
    qtbot.waitUntil(lambda: area.issue_dialog is not None, timeout=10000)
    area.issue_dialog.accept()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0].startswith("已签发") or "新登镇综执责改〔" in shown[0], shown
    doc = svc.get(draft.id)
    assert doc.status == "issued" and doc.fields["requirement"] == "立即撤除占道桌椅"
    assert read_sealed(svc.pdf_path(doc)).startswith(b"%PDF")


def test_service_dialog_requires_a_witness_for_leaving(qtbot: Any) -> None:
    from ui.documents.dialogs import ServiceDialog, VoidDialog

    dlg = ServiceDialog("周建国")
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dlg.method.setCurrentIndex(dlg.method.findData("留置"))
    assert not ok.isEnabled() and "见证人" in dlg.problem.text()
    dlg.witness.setText("王小明")
    assert ok.isEnabled()
    assert dlg.values()["witness"] == "王小明"
    void = VoidDialog("新登镇综执责改〔2026〕1号")
    qtbot.addWidget(void)
    assert not void.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    void.reason.setPlainText("当事人名称错误")
    assert void.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_preview_export_and_batch_print(ctx: Any, qtbot: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from ui.documents.renderer import pdf_bytes_fn

    add_blocks(ctx.store, "xd", "correction_order", 1, 5)
    svc = DocumentService(ctx.store, CLERK)
    docs = [
        svc.issue(
            svc.create_draft(
                doc_type="correction_order",
                township_id="xd",
                inspection_id="insp1",
                fields={"requirement": f"整改{i}", "deadline": "2026-03-20"},
            ).id,
            pdf_bytes_fn=pdf_bytes_fn(ctx.store),
            at=AT,
        )
        for i in range(3)
    ]
    area = _area(ctx, qtbot)
    dialogs: list[Any] = []
    area.printer.preview(docs[0], on_shown=dialogs.append)
    qtbot.waitUntil(lambda: bool(dialogs), timeout=10000)
    # what the preview paints is the issued PDF's page: let it paint on a 600 dpi PDF printer and compare
    shown = QPrinter(QPrinter.PrinterMode.HighResolution)
    shown.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    shown.setOutputFileName(str(tmp_path / "preview.pdf"))
    shown.setFullPage(True)
    shown.setResolution(600)
    dialogs[0].paintRequested.emit(shown)
    dialogs[0].close()
    issued = plain_pdf(svc.pdf_path(docs[0]), tmp_path / "issued-0.pdf")
    assert page_differences(tmp_path / "preview.pdf", 0, issued, 1, tmp_path) < [SAME_PAGE]

    exported: list[Path] = []
    area.printer.export(docs[0], tmp_path / "out.pdf", on_done=exported.append)
    qtbot.waitUntil(lambda: bool(exported), timeout=10000)
    assert exported[0].read_bytes() == read_sealed(svc.pdf_path(docs[0]))  # the issued bytes, not a re-render

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "batch.pdf"))
    printer.setFullPage(True)
    pages: list[int] = []
    area.printer.print_documents(docs, printer=printer, on_done=pages.append)
    qtbot.waitUntil(lambda: bool(pages), timeout=20000)
    assert pages[0] == 3 == len(PdfReader(str(tmp_path / "batch.pdf")).pages)  # three documents, one job
    for index, doc in enumerate(docs):  # each printed page is that document's issued page
        issued_copy = plain_pdf(svc.pdf_path(doc), tmp_path / f"issued-{index}.pdf")
        diff = page_differences(tmp_path / "batch.pdf", index, issued_copy, 1, tmp_path)
        assert diff < [SAME_PAGE], (index, diff)


def test_new_document_lists_inspections_by_party_and_date_with_their_matters_first(ctx: Any, qtbot: Any) -> None:
    from app.documents.choices import document_choices
    from ui.documents.dialogs import NewDocumentDialog

    inspections, tasks, matters = document_choices(ctx.store, "xd")
    assert inspections[0][1] == "杭州富阳新登味道餐饮有限公司 2026-03-01（新登镇城南路88号店门前）"
    assert inspections[0][2] == ["M-EMP"]  # the violation's matter
    dlg = NewDocumentDialog(["correction_order"], inspections, tasks, matters)
    qtbot.addWidget(dlg)
    assert dlg.matter.itemData(1) != "M-EMP" or dlg.inspection.currentData() is not None
    dlg.inspection.setCurrentIndex(1)
    assert dlg.matter.itemData(1) == "M-EMP" and dlg.matter.itemText(1).startswith("★")
    assert dlg.matter.currentData() is None  # still "from the record" unless the clerk picks one
    assert [dlg.matter.itemData(i) for i in range(dlg.matter.count())].count("M-EMP") == 1

"""签发 asks first (pytest-qt, offscreen): the confirmation shows body, the number that will be spent, party and
date; cancel spends nothing; empty required fields refuse, empty "should have" fields warn; a body change since
the draft is shown old → new and issued only when confirmed; issued documents reprint byte-identical."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app import models as m
from app.documents import DocumentService
from app.evidence_store import read_sealed
from app.store import Store
from tests.documents.conftest import CLERK, add_blocks

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("chinese")]

FIELDS = {"requirement": "立即撤除占道桌椅", "deadline": "2099-06-30"}


@pytest.fixture
def ctx(district: Store, ui_context: Any) -> Any:
    return ui_context(district, CLERK)


def _open_dialog(ctx: Any, qtbot: Any, doc_id: str) -> tuple[Any, Any]:
    from ui.documents.area import DocumentsArea

    area = DocumentsArea(ctx)
    qtbot.addWidget(area)
    qtbot.waitUntil(lambda: area.model.row_of(doc_id) >= 0, timeout=5000)
    area.view.selectRow(area.model.row_of(doc_id))
    qtbot.waitUntil(lambda: area.current is not None and area.current.id == doc_id, timeout=5000)
    area.issue()
    qtbot.waitUntil(lambda: area.issue_dialog is not None, timeout=10000)
    return area, area.issue_dialog


def _shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    return shown


def test_confirmation_shows_body_number_party_date_and_cancel_spends_nothing(
    ctx: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_blocks(ctx.store, "xd", "correction_order", 7, 9)
    svc = DocumentService(ctx.store, CLERK)
    draft = svc.create_draft(doc_type="correction_order", township_id="xd", matter_code="M-EMP",
                             inspection_id="insp1", fields=FIELDS)
    shown = _shown(monkeypatch)
    area, dialog = _open_dialog(ctx, qtbot, draft.id)
    text = dialog.summary.text()
    year = dialog.plan.day.year
    assert "杭州市富阳区新登镇人民政府" in text and f"新登镇综执责改〔{year}〕7号" in text
    assert "杭州富阳新登味道餐饮有限公司" in text and f"{year}年" in text
    assert not dialog.change.isVisible() and dialog.plan.change is None
    assert dialog.issue_button.isEnabled()
    assert any("联系电话" in w for w in dialog.plan.warnings)  # printed blank: the clerk is warned
    assert "联系电话" in dialog.warnings.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: area.issue_dialog is None, timeout=5000)
    doc = svc.get(draft.id)
    assert (doc.status, doc.number, doc.seq) == ("draft", None, None) and not shown
    assert svc.prepare_issue(draft.id).number == f"新登镇综执责改〔{year}〕7号"  # number 7 still unspent


def test_required_field_empty_disables_issue(ctx: Any, qtbot: Any) -> None:
    add_blocks(ctx.store, "xd", "correction_order", 1, 5)
    svc = DocumentService(ctx.store, CLERK)
    draft = svc.create_draft(doc_type="correction_order", township_id="xd", matter_code="M-EMP",
                             inspection_id="insp1", fields={"deadline": "2099-06-30"})
    _area, dialog = _open_dialog(ctx, qtbot, draft.id)
    assert not dialog.issue_button.isEnabled()
    assert "「改正内容及要求」为必填项" in dialog.problems.text()
    dialog.reject()


def test_body_change_since_the_draft_is_confirmed_then_issued_in_the_new_body(
    ctx: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """M-DEEMP was taken back from 新登镇 by edition 2 (2026-01-01): a draft made on 2025-12-31 is in the
    township's name; issued now, it must go out in the department's name with the department's number."""
    add_blocks(ctx.store, "xd", "correction_order", 1, 5)
    add_blocks(ctx.store, "dept_zf", "correction_order", 31, 40)
    svc = DocumentService(ctx.store, CLERK)
    draft = svc.create_draft(doc_type="correction_order", township_id="xd", matter_code="M-DEEMP",
                             inspection_id="insp1", fields=FIELDS, day=date(2025, 12, 31))
    assert (draft.body_id, draft.jurisdiction_reason, draft.catalogue_edition) == ("xd", "empowered", 1)
    shown = _shown(monkeypatch)
    _area, dialog = _open_dialog(ctx, qtbot, draft.id)
    assert dialog.change.isVisible()
    change = dialog.change.text()
    assert "杭州市富阳区新登镇人民政府" in change and "杭州市富阳区综合行政执法局" in change
    assert "第 2 版" in change and "未赋权" in change
    year = dialog.plan.day.year
    assert f"富综执责改〔{year}〕31号" in dialog.summary.text()
    qtbot.mouseClick(dialog.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    doc = svc.get(draft.id)
    assert (doc.status, doc.body_id, doc.number) == ("issued", "dept_zf", f"富综执责改〔{year}〕31号"), shown
    assert (doc.catalogue_edition, doc.jurisdiction_reason) == (2, "not_empowered")
    with ctx.store.read() as s:
        assert s.get(m.Document, draft.id).body_legal_name == "杭州市富阳区综合行政执法局"
    with ctx.store.read() as s:  # the township's counter was not touched
        from app.documents.numbers import used_numbers

        assert used_numbers(s, "xd", "correction_order", year) == set()


def test_issued_documents_reprint_byte_identical_after_a_de_empowerment(
    ctx: Any, qtbot: Any, tmp_path: Path
) -> None:
    from ui.documents.printing import export_pdf
    from ui.documents.renderer import pdf_bytes_fn

    add_blocks(ctx.store, "xd", "correction_order", 1, 5)
    svc = DocumentService(ctx.store, CLERK)
    draft = svc.create_draft(doc_type="correction_order", township_id="xd", matter_code="M-EMP",
                             inspection_id="insp1", fields=FIELDS)
    doc = svc.issue(draft.id, pdf_bytes_fn=pdf_bytes_fn(ctx.store))
    stored = read_sealed(svc.pdf_path(doc))
    with ctx.store.write() as s:  # an edition takes M-EMP back, and the township is renamed
        s.add(m.CatalogueVersion(version=3, effective_date=date(2026, 2, 1), note="收回"))
        s.add(m.MatterEmpowerment(township_id="xd", matter_code="M-EMP", version=3, empowered=False))
        s.get(m.Township, "xd").legal_name = "杭州市富阳区新登镇人民政府（更名）"
    again = svc.get(doc.id)
    assert (again.body_id, again.body_legal_name, again.number) == ("xd", doc.body_legal_name, doc.number)
    for i in range(2):
        out = export_pdf(ctx.store, again, tmp_path / f"reprint-{i}.pdf")
        assert out.read_bytes() == stored

"""Rendering: the PDF text layer holds exactly the filled characters (AR PL UMing, not Noto), the CJK font is
embedded, records number every page and carry the party's signature line, renders are deterministic."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.documents.render_input import from_document
from app.documents.samples import CREDIT_CODE
from app.documents.templates import available_doc_types, displayed_keys, load_template
from app.documents.values import display
from app.rules.numbering import DOC_TYPES

pytestmark = pytest.mark.usefixtures("qapp")


def _text(path: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("doc_type", list(DOC_TYPES))
def test_text_layer_holds_the_filled_characters(rendered: dict[str, Any], doc_type: str) -> None:
    doc = rendered["docs"][doc_type]
    text = _squash(_text(rendered["pdf"][doc_type]))
    assert doc.body_legal_name == "杭州市富阳区新登镇人民政府"
    for needle in (doc.body_legal_name, doc.number, load_template(doc_type).title):
        assert needle in text, needle
    template = load_template(doc_type)
    shown = displayed_keys(template)
    if "party_name" in shown:
        assert "杭州富阳新登味道餐饮有限公司" in text
    if "party_id_code" in shown:
        assert CREDIT_CODE in text  # digits inside a Latin run survive (the Noto failure mode)
    for spec in template.fields:  # every short single-line value the layout prints, exactly
        value = doc.fields.get(spec.key)
        if spec.key in shown and spec.kind in ("text", "choice", "date", "money") and value:
            printed = _squash(display(spec, value))
            if len(printed) <= 30:
                assert printed in text, (spec.key, printed)
    assert "⼈" not in text and "⺠" not in text


def test_kangxi_radicals_never_replace_common_characters(rendered: dict[str, Any]) -> None:
    text = _text(rendered["pdf"]["correction_order"])
    assert "人民政府" in text and "人民法院" in text
    assert not re.search("[\u2f00-\u2fdf\u2e80-\u2eff]", text)  # Kangxi radicals / CJK radicals supplement


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) not installed")
@pytest.mark.parametrize("doc_type", ["onsite_record", "summary_penalty", "notice_sheet"])
def test_cjk_font_is_embedded(rendered: dict[str, Any], doc_type: str) -> None:
    out = subprocess.run(
        ["pdffonts", str(rendered["pdf"][doc_type])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert out, "no fonts"
    for line in out:
        assert "UMing" in line.split()[0], line  # only the document face, never a Noto fallback
        assert line.split()[-5] == "yes", line  # emb
    if shutil.which("pdftotext"):
        poppler = subprocess.run(
            ["pdftotext", str(rendered["pdf"][doc_type]), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert rendered["docs"][doc_type].number in poppler


def test_every_page_of_a_record_is_numbered_and_signed(rendered: dict[str, Any]) -> None:
    for doc_type in ("onsite_record", "interview_record"):
        reader = PdfReader(str(rendered["pdf"][doc_type]))
        total = len(reader.pages)
        assert total >= 2, f"{doc_type} sample should run over pages"
        footer = load_template(doc_type).footer.split("：")[0]
        for i, page in enumerate(reader.pages, start=1):
            text = _squash(page.extract_text())
            assert f"第{i}页共{total}页" in text, (doc_type, i)
            assert _squash(footer) in text, (doc_type, i)


def test_long_onsite_record_numbers_every_page(qapp: Any, district: Any) -> None:
    """Many findings make a multi-page record: 第 X 页 共 Y 页 and the party signature line on each."""
    from app.documents import DocumentService
    from app.models import Finding
    from tests.documents.conftest import CLERK
    from ui.documents.renderer import render_pdf

    with district.write() as s:
        base = s.get(Finding, "f1")
        for i in range(40):
            s.add(
                Finding(
                    inspection_id="insp1",
                    township_id="xd",
                    target_id="tg1",
                    matter_code="M-EMP",
                    check_point=f"检查要点{i}：占道经营、乱堆物料、店招店牌设置情况",
                    result="violation",
                    note="现场发现店外摆放桌椅，已拍照取证并告知当事人依法整改",
                    found_at=base.found_at,
                )
            )
    doc = DocumentService(district, CLERK).create_draft(
        doc_type="onsite_record", township_id="xd", inspection_id="insp1"
    )
    path = district.paths.root / "long.pdf"
    path.write_bytes(render_pdf(from_document(doc)))
    reader = PdfReader(str(path))
    total = len(reader.pages)
    assert total >= 3
    seen: list[str] = []
    for i, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"第{i}页共{total}页" in _squash(text)
        assert "被检查人（签名）：" in text
        seen += [line for line in text.splitlines() if "检查要点" in line]
    assert len(seen) == len(set(seen)), "a line printed on two pages"  # no clipped copies in the text layer


def test_rendering_is_deterministic_and_the_stored_pdf_is_the_issued_one(rendered: dict[str, Any]) -> None:
    from app.documents.render_input import build
    from ui.documents.renderer import PHOTO_APPENDIX_TYPES, render_pdf

    store = rendered["store"]
    for doc_type in ("correction_order", "onsite_record"):
        doc, path = rendered["docs"][doc_type], rendered["pdf"][doc_type]
        stored = path.read_bytes()
        assert hashlib.sha256(stored).hexdigest() == doc.pdf_sha256
        again = render_pdf(build(store, doc, photos=doc.doc_type in PHOTO_APPENDIX_TYPES))
        assert again == stored  # a reprint is byte-identical: no wall-clock dates, no random ids
        assert b"/CreationDate (D:20260302013000" in stored


def test_qr_payload_and_content_in_metadata(rendered: dict[str, Any]) -> None:
    from app.documents.verify import read_pdf

    doc = rendered["docs"]["summary_penalty"]
    payload, content, _text = read_pdf(rendered["pdf"]["summary_penalty"].read_bytes())
    assert payload == {
        "app": "lianxuntong",
        "v": 1,
        "body_id": doc.body_id,
        "number": doc.number,
        "content_sha256": doc.content_sha256,
    }
    assert content is not None and content["fields"] == doc.fields


def test_drafts_show_missing_fields_and_no_qr(qapp: Any, district: Any) -> None:
    from app.documents import DocumentService
    from app.documents.verify import read_pdf
    from tests.documents.conftest import CLERK
    from ui.documents.renderer import render_pdf

    doc = DocumentService(district, CLERK).create_draft(
        doc_type="correction_order", township_id="xd", inspection_id="insp1"
    )
    pdf = render_pdf(from_document(doc))
    payload, content, text = read_pdf(pdf)
    assert payload is None and content is None
    assert "（签发时编号）" in text and "草稿" in _squash(text)


def test_every_template_renders(qapp: Any) -> None:
    from app.documents.render_input import RenderInput
    from ui.documents.renderer import render_pdf

    for doc_type in available_doc_types():
        inp = RenderInput(
            template=load_template(doc_type),
            values={},
            doc_id="x",
            status="draft",
            body_id="b",
            body_legal_name="杭州市富阳区综合行政执法局",
            seal_name="杭州市富阳区综合行政执法局",
        )
        assert render_pdf(inp).startswith(b"%PDF")

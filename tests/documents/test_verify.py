"""`python -m lianxuntong verify-doc`: genuine files pass; a flipped byte, a re-rendered forgery, a void and an unknown
number fail; the platform's verify endpoint confirms a synced document."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from app.documents.render_input import RenderInput, build
from app.documents.verify import check_self_hash, verify_bytes, verify_file
from lianxuntong.cli import main
from tests.support.rawdb import plain_pdf

pytestmark = pytest.mark.usefixtures("qapp")


@dataclasses.dataclass(frozen=True)
class _SameMetadata(RenderInput):
    """Prints its own values but embeds another document's content (a hand-edited text layer)."""

    original: dict[str, Any] = dataclasses.field(default_factory=dict)

    def content(self) -> dict[str, Any]:
        return self.original


def _copy(rendered: dict[str, Any], doc_type: str, tmp_path: Path) -> Path:
    dest = tmp_path / f"{doc_type}.pdf"
    dest.write_bytes(rendered["pdf"][doc_type].read_bytes())
    return dest


def test_genuine_against_the_local_store(
    rendered: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(rendered["store"].paths.root)
    for doc_type in ("correction_order", "onsite_record", "service_receipt"):
        path = _copy(rendered, doc_type, tmp_path)
        assert main(["verify-doc", str(path), "--data-dir", data_dir]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "结论：真实有效" in out and "与本地登记一致" in out


def test_without_an_authority_it_is_not_confirmed(rendered: dict[str, Any], tmp_path: Path) -> None:
    verdict = verify_file(_copy(rendered, "notice_sheet", tmp_path))
    assert verdict.problems == 0 and not verdict.genuine  # consistent, but nobody vouched for it


def test_a_flipped_byte_is_detected(rendered: dict[str, Any], tmp_path: Path) -> None:
    path = _copy(rendered, "correction_order", tmp_path)
    data = bytearray(path.read_bytes())
    at = len(data) // 2
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    assert check_self_hash(bytes(data)) is False
    assert main(["verify-doc", str(path), "--data-dir", str(rendered["store"].paths.root)]) == 1


def test_a_forged_rerender_is_detected(rendered: dict[str, Any], tmp_path: Path) -> None:
    """A forger re-renders the document with another amount, keeping the genuine number and QR payload."""
    from ui.documents.renderer import render_pdf

    store, doc = rendered["store"], rendered["docs"]["summary_penalty"]
    inp = build(store, doc)
    forged = dataclasses.replace(inp, values={**inp.values, "fine_amount": "20"})
    data = render_pdf(forged)
    verdict = verify_bytes(data, store=store)
    assert not verdict.genuine
    assert any("内容校验码与二维码不一致" in line for line in verdict.lines)
    assert any("文件与签发时保存的 PDF 不一致" in line for line in verdict.lines)
    path = tmp_path / "forged.pdf"
    path.write_bytes(data)
    assert main(["verify-doc", str(path), "--data-dir", str(store.paths.root)]) == 1


def test_changed_text_is_detected(rendered: dict[str, Any]) -> None:
    """Same payload and content, but the printed party name differs: the text layer check fails."""
    from ui.documents.renderer import render_pdf

    store, doc = rendered["store"], rendered["docs"]["correction_order"]
    inp = build(store, doc)
    kept = {f.name: getattr(inp, f.name) for f in dataclasses.fields(inp)}
    forged = _SameMetadata(
        **{**kept, "values": {**inp.values, "party_name": "另一家公司"}}, original=inp.content()
    )
    data = render_pdf(forged)
    verdict = verify_bytes(data)
    assert any("打印文字与登记内容不一致" in line for line in verdict.lines), verdict.lines


def test_voided_document_is_not_genuine(tmp_path: Path, rendered: dict[str, Any]) -> None:
    from app.documents import DocumentService
    from app.documents.samples import CLERK, add_demo_blocks, draft_sample, prepare
    from app.paths import DataPaths
    from app.store import Store
    from ui.documents.renderer import pdf_bytes_fn

    store = Store.open(DataPaths(tmp_path / "data"))
    try:
        sample = prepare(store)
        doc = draft_sample(store, sample, "notice_sheet")
        add_demo_blocks(store, doc.body_id, "notice_sheet", 2026)
        from app.documents.samples import ISSUED_AT

        svc = DocumentService(store, CLERK)
        doc = svc.issue(doc.id, pdf_bytes_fn=pdf_bytes_fn(store), at=ISSUED_AT)
        pdf = plain_pdf(svc.pdf_path(doc), tmp_path / "issued.pdf")
        assert verify_file(pdf, store=store).genuine
        svc.void(doc.id, "抄告单位写错")
        verdict = verify_file(pdf, store=store)
        assert not verdict.genuine and any("已作废" in line for line in verdict.lines)
    finally:
        store.close()


def test_not_a_system_document(tmp_path: Path) -> None:
    path = tmp_path / "other.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert main(["verify-doc", str(path)]) == 1
    assert main(["verify-doc", str(tmp_path / "missing.pdf")]) == 1

"""投诉举报: every document type issued for a complaint task, with the complainant's name and phone planted in the
task's description (the worst case), carries neither in its fields nor in its rendered PDF; a hand edit that
types them in is refused and the draft stays as it was."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app import models as m
from app.documents.samples import CLERK, draft_sample, issue_samples, prepare
from app.documents.service import DocumentService
from app.errors import ValidationError
from app.evidence_store import read_sealed
from app.loops.complaints import REDACTED
from app.paths import DataPaths
from app.store import Store

NAME, PHONE = "王秀英", "13905710001"


def _complaint_sample(store: Store) -> Any:
    sample = prepare(store)
    assert sample.task_id is not None
    with store.write() as s:
        task = s.get(m.Task, sample.task_id)
        assert task is not None
        task.source = "投诉举报"
        task.description = f"群众{NAME}（电话{PHONE}）反映该店油烟扰民，请核查"
        s.add(m.Complainant(id=m.new_id(), township_id=task.township_id, task_id=task.id, name=NAME, phone=PHONE,
                            version=1))
    return sample


def test_no_document_type_discloses_the_complainant(tmp_path: Path, qapp: Any) -> None:
    from ui.documents.renderer import pdf_bytes_fn

    store = Store.open(DataPaths(tmp_path / "data"))
    try:
        sample = _complaint_sample(store)
        docs = issue_samples(store, pdf_bytes_fn(store, photos=False), sample=sample)
        assert len(docs) >= 11
        for doc in docs:
            fields = json.dumps(doc.fields, ensure_ascii=False)
            assert NAME not in fields and PHONE not in fields, doc.doc_type
            reader = PdfReader(io.BytesIO(read_sealed(store.paths.documents / f"{doc.id}.pdf")))
            text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))
            assert NAME not in text and PHONE not in text, doc.doc_type
        # values handed to a new draft (copied from the complaint, say) are scrubbed the same way
        service = DocumentService(store, CLERK)
        draft = draft_sample(store, sample, "correction_order")
        key = next(iter(service.template(draft).editable_keys))
        redo = service.create_draft(doc_type="correction_order", township_id=draft.township_id,
                                    matter_code=draft.matter_code, inspection_id=sample.inspection_id,
                                    task_id=sample.task_id, fields={key: f"据{NAME}（{PHONE}）反映"})
        assert redo.fields[key] == f"据{REDACTED}（{REDACTED}）反映"
    finally:
        store.close()


def test_typing_the_complainant_into_a_draft_is_refused(tmp_path: Path) -> None:
    store = Store.open(DataPaths(tmp_path / "data"))
    try:
        sample = _complaint_sample(store)
        doc = draft_sample(store, sample, "correction_order")
        service = DocumentService(store, CLERK)
        key = next(k for k in service.template(doc).editable_keys)
        with pytest.raises(ValidationError, match="投诉举报人") as err:
            service.update_draft(doc.id, {key: f"经{NAME}举报"})
        assert err.value.code == "complainant_disclosed"
        assert service.get(doc.id).fields == doc.fields
    finally:
        store.close()

"""A transfer (移送) from a case produces its 案件移送函 with the attachment list and the evidence list with every
file's SHA-256, and is tracked sent → received → answered."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from app import models as m
from app.cases.filing import Filing
from app.cases.service import CaseService
from app.cases.transfer import TransferService
from app.documents.service import DocumentService
from app.errors import DomainError, ValidationError
from app.store import Store
from tests.cases.district import CLERK, LEADER, OFFICER, at, day


def _photo(store: Store) -> str:
    sha = hashlib.sha256(b"photo-bytes").hexdigest()
    with store.write() as s:
        s.add(m.Evidence(id="ev1", sha256=sha, size=11, media_type="image/jpeg", kind="photo",
                         original_name="IMG_0001.jpg", caption="占道摆放的餐桌", inspection_id="insp1",
                         finding_id="f1", imported_by="李明", imported_at=datetime(2026, 3, 1, 2, tzinfo=UTC)))
    return sha


def test_case_transfer_makes_the_letter_and_is_tracked(cases_store: Store) -> None:
    sha = _photo(cases_store)
    case = CaseService(cases_store, OFFICER).file_from_finding("f1", Filing("占道案", [], day(-40)), on=day(-39)).case
    transfers = TransferService(cases_store, LEADER)
    with pytest.raises(ValidationError, match="原因"):
        transfers.transfer_case(case.id, to_department_id="dept_zf", reason=" ")
    referral = transfers.transfer_case(case.id, to_department_id="dept_zf", reason="拟吊销许可证件，超出乡镇赋权范围",
                                       on=day(-30))
    assert CaseService(cases_store, OFFICER).get(case.id).status == "transferred"
    letter = transfers.letter(referral.id)
    assert transfers.letter(referral.id).id == letter.id  # asked again: the same letter
    fields = letter.fields
    assert fields["receiver"] == "杭州市富阳区综合行政执法局"
    assert fields["evidence_list"][0]["sha"] == sha and len(fields["evidence_list"][0]["sha"]) == 64
    assert "照片 1 份" in fields["attachments"] and "SHA-256" in fields["attachments"]
    assert letter.case_id == case.id

    with pytest.raises(DomainError, match="签发后"):
        transfers.track(referral.id, "sent")
    docs = DocumentService(cases_store, CLERK)
    issued = docs.issue(letter.id, pdf_bytes_fn=lambda d: f"%PDF-1.4 {d.number}".encode(), at=at(-29))
    assert issued.number and "移" in issued.number
    with pytest.raises(DomainError, match="不能登记「已回复」"):
        transfers.track(referral.id, "answered", note="已立案查处")
    transfers.track(referral.id, "sent", on=day(-29))
    transfers.track(referral.id, "received", on=day(-27))
    with pytest.raises(ValidationError, match="回复"):
        transfers.track(referral.id, "answered")
    done = transfers.track(referral.id, "answered", on=day(-10), note="已立案查处，罚款五万元")
    assert done.status == "answered" and [t["status"] for t in done.tracking] == ["sent", "received", "answered"]

"""An edition published with a future effective date, synced at once over real HTTP, takes effect on its date:
a document dated the day before keeps the township body, one dated that day gets the department; a draft made
before the date is not issued in the old body without the clerk confirming the change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.audit import verify_chain
from app.documents import DocumentService
from app.documents.issuing import BodyChangedError
from app.documents.values import CHINA_TZ
from app.law.jurisdiction import resolve_jurisdiction
from app.models import AuditEvent, Document

MATTER = "FY-SR-001"  # empowered to 新登镇 in the demo catalogue, owned by 区综合行政执法局
EFFECTIVE = date(2027, 1, 1)
FIELDS = {"party_name": "富阳区新登镇测试商店", "facts": "经查，当事人在店外占道堆放货物约6平方米。",
          "legal_basis": "《城市道路管理条例》第三十一条", "requirement": "立即清除占道物品",
          "deadline": "2027-03-01"}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), CHINA_TZ)


def _pdf(doc: Document) -> bytes:
    return f"%PDF-1.4 {doc.body_id} {doc.number}".encode()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Any]:
    from sync.server.embedded import start_server
    from tests.documents.test_two_laptops import Laptop

    server = start_server(tmp_path / "platform")
    lap = Laptop(tmp_path / "laptop", server.url)
    lap.server = server
    try:
        yield lap
    finally:
        lap.close()
        server.stop()


def test_future_edition_takes_effect_on_its_date_not_at_sync(laptop: Any) -> None:
    from sync.numbers import ensure_blocks
    from sync.server import admin

    laptop.sync()
    row = admin.deempower(laptop.server.engine, "xindeng", MATTER, effective=EFFECTIVE)
    laptop.sync()  # the edition is on the laptop weeks before it takes effect
    edition = row["version"]
    with laptop.store.read() as s:
        before = resolve_jurisdiction(s, "xindeng", MATTER, date(2026, 12, 31))
        after = resolve_jurisdiction(s, "xindeng", MATTER, EFFECTIVE)
    assert before.body.id == "xindeng" and before.edition < edition and before.reason_label == "赋权"
    assert (after.body.id, after.edition, after.reason_label) == ("dept_zf", edition, "未赋权")

    keys = [("xindeng", "correction_order", 2026), ("dept_zf", "correction_order", 2027)]
    ensure_blocks(laptop.store, laptop.auth, keys, 5, device_id=laptop.auth.device_id or "", block_size=5)
    user = laptop.auth.current_user()
    svc = DocumentService(laptop.store, user)

    old = svc.create_draft(doc_type="correction_order", township_id="xindeng", matter_code=MATTER,
                           fields=FIELDS, day=date(2026, 12, 31))
    old = svc.issue(old.id, pdf_bytes_fn=_pdf, at=_at(date(2026, 12, 31)))
    new = svc.create_draft(doc_type="correction_order", township_id="xindeng", matter_code=MATTER,
                           fields=FIELDS, day=EFFECTIVE)
    new = svc.issue(new.id, pdf_bytes_fn=_pdf, at=_at(EFFECTIVE))
    assert (old.body_id, old.jurisdiction_reason, old.catalogue_edition) == ("xindeng", "empowered", before.edition)
    assert old.number.startswith("新登镇综执责改〔2026〕")
    assert (new.body_id, new.jurisdiction_reason, new.catalogue_edition) == ("dept_zf", "not_empowered", edition)
    assert new.number.startswith("富综执责改〔2027〕")

    # a draft made on 12-31 (township body), issued on 01-01: the clerk must see the change first
    draft = svc.create_draft(doc_type="correction_order", township_id="xindeng", matter_code=MATTER,
                             fields=FIELDS, day=date(2026, 12, 31))
    assert draft.body_id == "xindeng"
    with pytest.raises(BodyChangedError) as err:
        svc.issue(draft.id, pdf_bytes_fn=_pdf, at=_at(EFFECTIVE))
    change = err.value.change
    assert (change.old.body.id, change.new.body.id, change.new.edition) == ("xindeng", "dept_zf", edition)
    assert "杭州市富阳区新登镇人民政府" in change.message and "杭州市富阳区综合行政执法局" in change.message
    unchanged = svc.get(draft.id)
    assert (unchanged.status, unchanged.number, unchanged.body_id) == ("draft", None, "xindeng")

    plan = svc.prepare_issue(draft.id, at=_at(EFFECTIVE))
    assert plan.change is not None and plan.number.startswith("富综执责改〔2027〕") and plan.can_issue
    issued = svc.issue(draft.id, pdf_bytes_fn=_pdf, at=_at(EFFECTIVE), confirmed=plan)
    assert (issued.body_id, issued.number, issued.jurisdiction_reason) == ("dept_zf", plan.number, "not_empowered")
    assert issued.body_legal_name == "杭州市富阳区综合行政执法局"
    with laptop.store.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == draft.id, AuditEvent.action == "issue")
                          ).one()
        assert verify_chain(s).ok
    assert event.detail["catalogue_edition"] == edition and event.detail["jurisdiction_reason"] == "not_empowered"
    assert event.detail["body_changed_from"]["body_id"] == "xindeng"

    report = laptop.sync()  # the platform takes the documents with their edition and reason
    assert report.rejected == 0 and report.conflicts == 0
    with laptop.server.engine.connect() as conn:
        from sync.server.storage import Record

        rec = conn.execute(select(Record.data).where(Record.entity == "document", Record.id == draft.id)).scalar_one()
    assert (rec["body_id"], rec["catalogue_edition"], rec["jurisdiction_reason"]) == ("dept_zf", edition,
                                                                                      "not_empowered")

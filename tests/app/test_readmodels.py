"""The read models behind the views, without Qt: a real SQLite store with the case district (a task, its
target, officers, an inspection with a violation finding), changed through the services, then read back."""

from __future__ import annotations

import pytest

from app import models as m
from app.cases.service import CaseService
from app.documents.service import DocumentService
from app.readmodels import cases, conflicts, documents, sync_status, task_detail, task_inbox
from app.services.tasks import TaskService
from app.store import Store
from tests.cases.district import CLERK, OFFICER, TODAY, day
from tests.cases.test_case_service import _filing


@pytest.fixture
def district(store: Store) -> Store:
    from tests.cases import district as case_district

    case_district.build(store)
    return store


def test_inbox_ids_counts_rows_and_filter_choices(district: Store) -> None:
    with district.read() as s:
        everything = task_inbox.run_query(s, task_inbox.TaskFilter(), task_inbox.Sort("number"))
        rows = task_inbox.fetch_rows(s, everything.ids)
        in_progress = task_inbox.query_ids(s, task_inbox.TaskFilter(status="in_progress"), task_inbox.Sort())
        pending = task_inbox.count_tasks(s, task_inbox.TaskFilter(status="pending"))
        options = task_inbox.filter_options(s, "xd")
        total = s.query(m.Task).count()
    assert len(everything.ids) == total == everything.counts["all"]
    assert "t1" in in_progress and everything.counts["in_progress"] == len(in_progress)
    assert pending == everything.counts.get("pending", 0)
    assert rows["t1"].number == "FYZH-2026-000001" and rows["t1"].target == "杭州富阳新登味道餐饮有限公司"
    assert "投诉举报" in options.sources


def test_task_detail_names_the_target_assignees_and_body(district: Store) -> None:
    with district.read() as s:
        detail = task_detail.load_detail(s, "t1")
        team = task_detail.team_officers(s, "xd")
    assert (detail.number, detail.status, detail.township_id) == ("FYZH-2026-000001", "in_progress", "xd")
    assert detail.target is not None and detail.target.legal_rep == "周建国"
    assert sorted(name for _id, name in detail.assignees) == ["周红", "李明"]
    assert {o[0] for o in team} >= {"o-1", "o-2"}


def test_outbox_rows_carry_a_readable_label_and_the_true_total(district: Store) -> None:
    tasks = TaskService(district, OFFICER)
    tasks.edit_text("t1", notes="第一次")
    tasks.edit_text("t1", feedback="已核查")
    with district.read() as s:
        rows, total = sync_status.outbox(s, ("pending", "sending"))
        capped, capped_total = sync_status.outbox(s, ("pending", "sending"), limit=1)
        parked, parked_total = sync_status.outbox(s, ("parked",))
        uploads, upload_total = sync_status.uploads(s)
    task_rows = [r for r in rows if r.entity == "任务"]
    assert task_rows and all(r.record == "FYZH-2026-000001 占道经营投诉核查" for r in task_rows)
    assert task_rows[-1].op.startswith("修改（")
    assert len(capped) == 1 and capped_total == total == len(rows)
    assert (parked, parked_total, uploads, upload_total) == ([], 0, [], 0)


def test_open_conflicts_with_the_task_as_label(district: Store) -> None:
    with district.write() as s:
        s.add(m.Conflict(id="c1", entity="task", entity_id="t1", field="notes", kind="both_edited",
                         base_value="", local_value="本机", server_value="平台", status="open"))
        s.add(m.Conflict(id="c2", entity="task", entity_id="t1", field="feedback", kind="both_edited",
                         base_value="", local_value="a", server_value="b", status="resolved"))
    with district.read() as s:
        found = conflicts.load_conflicts(s)
    assert [(c.id, c.field, c.local, c.server) for c in found] == [("c1", "notes", "本机", "平台")]
    assert found[0].label == "FYZH-2026-000001 占道经营投诉核查"


def test_document_rows_and_the_selected_document(district: Store) -> None:
    svc = DocumentService(district, CLERK)
    draft = svc.create_draft(doc_type="correction_order", township_id="xd", inspection_id="insp1")
    rows = documents.load_rows(district, "xd")
    assert [(r.id, r.status, r.title) for r in rows] == [(draft.id, "draft", svc.template(draft).title)]
    assert documents.load_rows(district, "xd", status="issued") == []
    assert documents.load_rows(district, "elsewhere") == []
    doc, problems, clocks = documents.document_detail(svc, draft.id)
    assert doc.id == draft.id and problems == svc.validate(doc)
    assert all("前（" in line for line in clocks)


def test_case_rows_and_filing_choices(district: Store) -> None:
    findings, matters = cases.case_choices(district, "xd")
    assert [f.id for f in findings] == ["f1"] and "是否占用城市道路" in findings[0].label
    with district.read() as s:
        assert [mt.code for mt in matters] == sorted(mt.code for mt in s.query(m.Matter))
    assert cases.case_rows(district, "xd", True, TODAY) == []
    filed = CaseService(district, OFFICER).file_from_finding("f1", _filing(), on=day(-39))
    rows = cases.case_rows(district, "xd", True, TODAY)
    assert [(r.id, r.number, r.party) for r in rows] == [
        (filed.case.id, filed.case.number, "杭州富阳新登味道餐饮有限公司")]
    assert rows[0].stage and cases.case_choices(district, "xd")[0] == []  # a filed finding is no longer offered
    assert cases.case_rows(district, "other", False, TODAY) == []

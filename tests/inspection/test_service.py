"""InspectionService: starting, saving fields (durable, coalesced), the team rule, party validation, answers
as draft findings, evidence and its void/delete rules, signatures and refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import DomainError, ValidationError
from app.inspections import InspectionService
from app.inspections.checklist import item_key
from app.inspections.service import clean_fields
from app.models import AuditEvent, Evidence, Finding, Inspection, OutboxEntry
from app.store import Store
from tests.inspection.district import CREDIT, ID_MALE, SHARED_POINT, exif_photo, png_signature


def _outbox(store: Store, entity: str | None = None) -> list[OutboxEntry]:
    with store.read() as s:
        q = select(OutboxEntry).order_by(OutboxEntry.seq)
        if entity:
            q = q.where(OutboxEntry.entity == entity)
        return list(s.scalars(q))


def test_start_from_plan_prefills_and_is_idempotent(service: InspectionService, district: Store) -> None:
    iid = service.start_from_plan("p1")
    assert service.start_from_plan("p1") == iid
    snap = service.load(iid)
    assert snap.target_id == "tg1" and snap.place == "新登镇城南路1号" and snap.officer_ids == ["o-1", "o-2"]
    assert snap.party == {"type": "organisation", "name": "新登镇老王餐饮店", "credit_code": CREDIT,
                          "legal_rep": "王老板", "address": "新登镇城南路1号", "phone": ""}
    assert len(snap.items) == 6 and snap.team.ok
    assert [o.op for o in _outbox(district, "inspection")] == ["create"]


def test_start_from_task_uses_its_matters_assignees_and_person_party(service: InspectionService) -> None:
    iid = service.start_from_task("t1")
    snap = service.load(iid)
    assert snap.task_id == "t1" and snap.party["type"] == "person" and snap.party["name"] == "张三"
    assert snap.officer_ids == ["o-1", "o-2"]  # the signed-in officer first, then the other assignee
    assert snap.items[0].text == "是否取得临时占用城市道路许可"
    assert service.start_from_task("t1") == iid


def test_plan_of_another_township_is_refused(district: Store) -> None:
    from tests.inspection.district import OFFICER

    other = InspectionService(district, OFFICER.__class__("yh.x", "某", OFFICER.role, "yh", None))
    with pytest.raises(DomainError, match="其他乡镇"):
        other.start_from_plan("p1")


def test_save_fields_is_durable_audited_and_coalesced(service: InspectionService, district: Store,
                                                       started: str) -> None:
    for text in ("城南", "城南路", "城南路1号门前"):
        res = service.save_fields(started, place=text)
        assert res.changed and res.saved_at.tzinfo is not None
    assert not service.save_fields(started, place="城南路1号门前").changed  # no-op
    with district.read() as s:
        assert s.get(Inspection, started).place == "城南路1号门前"
        audits = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_id == started))
    assert audits == 4  # create + three updates, each audited
    updates = [o for o in _outbox(district, "inspection") if o.op == "update"]
    assert len(updates) == 1  # coalesced into one pending mutation
    assert updates[0].payload["fields"]["place"] == "城南路1号门前"
    assert updates[0].payload["base"]["place"] == "新登镇城南路1号"  # earliest base kept


def test_save_refuses_unknown_fields_and_naive_times(service: InspectionService, started: str) -> None:
    with pytest.raises(ValidationError):
        service.save_fields(started, status="finalised")
    with pytest.raises(ValidationError, match="时区"):
        service.save_fields(started, ended_at=datetime(2026, 1, 1, 10))
    res = service.save_fields(started, ended_at=datetime.now(UTC) - timedelta(days=1))
    assert res.problems["ended_at"] == "结束时间早于开始时间"


def test_team_rule_counts_valid_certificates_and_recusal(service: InspectionService, started: str) -> None:
    check = service.set_officers(started, ["o-1", "o-3"])  # o-3's certificate expired yesterday
    assert not check.ok and "至少需要两名持有效执法证" in check.refusals[0]
    assert any("已于" in w and "到期" in w for w in check.warnings)
    check = service.set_officers(started, ["o-1", "o-2", "o-4"])  # o-4 declared an interest in the target
    assert any("须回避" in r for r in check.refusals)
    check = service.set_officers(started, ["o-1", "o-2", "o-2"])
    assert check.ok and service.load(started).officer_ids == ["o-1", "o-2"]


def test_party_validation_keeps_what_was_typed(service: InspectionService, started: str) -> None:
    problems = service.set_party(started, type="person", name="张三", sex="女", id_number="33018319800101")
    assert "身份证号码应为18位" in problems["id_number"]
    assert service.load(started).party["id_number"] == "33018319800101"  # kept as typed
    problems = service.set_party(started, type="person", name="张三", sex="女", id_number=ID_MALE.lower())
    assert "性别与身份证号码不一致" in problems["sex"]
    problems = service.set_party(started, type="person", name="张三", sex="男", id_number=ID_MALE)
    assert problems == {}
    bad = CREDIT[:-1] + ("0" if CREDIT[-1] != "0" else "1")
    problems = service.set_party(started, type="organisation", name="老王餐饮店", credit_code=bad.lower())
    assert "校验位错误" in problems["credit_code"]
    assert service.set_party(started, type="organisation", name="老王餐饮店", credit_code=CREDIT.lower()) == {}
    assert service.load(started).party["credit_code"] == CREDIT  # normalised when valid
    assert "phone" in service.set_onsite_person(started, name="王五", position="店长", phone="12345")
    probs = service.set_witnesses(started, [{"name": "赵六", "phone": "13800000000"}, {}, {"name": "钱七",
                                                                                        "id_number": "1"}])
    assert list(probs) == ["1.id_number"] and len(service.load(started).witnesses) == 2


def test_answers_are_draft_findings_until_finalised(service: InspectionService, district: Store,
                                                    started: str) -> None:
    key = item_key(SHARED_POINT)
    fid = service.answer(started, key, "violation", "执照已过期")
    assert service.answer(started, key, "compliant", "") == fid  # changing an answer keeps one finding
    snap = service.load(started)
    assert snap.answers[key].result == "compliant" and snap.answers[key].matter_code == "FY-SR-001"
    with district.read() as s:
        assert s.scalar(select(func.count()).select_from(Finding)) == 1
    assert _outbox(district, "finding") == []  # the platform keeps findings append-only: queued at finalise
    with pytest.raises(ValidationError):
        service.answer(started, key, "maybe")
    with pytest.raises(DomainError, match="没有该检查项"):
        service.answer(started, "cp:nope", "compliant")
    service.set_note(started, key, "已核对原件")
    assert service.load(started).answers[key].note == "已核对原件"


def test_evidence_import_duplicate_size_limit_delete(service: InspectionService, district: Store, started: str,
                                                     tmp_path: Path) -> None:
    photo = exif_photo(tmp_path / "现场1.jpg", datetime.now(UTC))
    eid, dup = service.import_evidence(started, photo, item_key=item_key(SHARED_POINT))
    assert not dup
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(photo.read_bytes())
    again, dup = service.import_evidence(started, copy)
    assert dup and again == eid  # "该文件已导入"
    with pytest.raises(DomainError, match="上限") as err:
        service.import_evidence(started, photo, max_bytes=100)
    assert err.value.code == "too_large"
    snap = service.load(started)
    ev = snap.evidence[0]
    assert ev.kind == "photo" and ev.exif_time is not None and ev.gps_lat == pytest.approx(30.06)
    assert ev.finding_id == snap.answers[item_key(SHARED_POINT)].finding_id
    service.delete_evidence(eid)
    with district.read() as s:
        row = s.get(Evidence, eid)
        assert row.voided and row.void_reason.startswith("定稿前删除")
    assert [o.op for o in _outbox(district, "evidence")] == ["create", "void"]


def test_signatures_and_refusals(service: InspectionService, district: Store, started: str) -> None:
    eid = service.add_signature(started, "party", png_signature())
    with district.read() as s:
        ev = s.get(Evidence, eid)
        assert ev.kind == "signature" and ev.media_type == "image/png" and len(ev.sha256) == 64
    sigs = service.load(started).signatures
    assert sigs["party"]["evidence_id"] == eid and sigs["party"]["name"] == "新登镇老王餐饮店"
    import io

    from PIL import Image

    other = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 255)).save(other, "PNG")
    eid2 = service.add_signature(started, "party", other.getvalue())
    with district.read() as s:
        assert s.get(Evidence, eid).voided  # re-signing voids the first signature, which is kept
    assert service.load(started).signatures["party"]["evidence_id"] == eid2
    with pytest.raises(ValidationError, match="签名角色"):
        service.add_signature(started, "officer:o-3", png_signature())  # not on this inspection's team
    with pytest.raises(ValidationError, match="PNG"):
        service.add_signature(started, "party", b"GIF89a")
    with pytest.raises(ValidationError, match="原因"):
        service.refuse_signature(started, "party", "", "赵六")
    with pytest.raises(ValidationError, match="见证人"):
        service.refuse_signature(started, "party", "拒不配合", "")
    service.refuse_signature(started, "party", "拒不配合", "赵六")
    assert service.load(started).signatures["party"]["refused"] is True


def test_a_task_needing_a_plan_or_assigned_to_another_officer_is_refused(district: Store) -> None:
    from sqlalchemy import delete, update

    from app.models import Task, TaskAssignee
    from tests.inspection.district import OFFICER

    service = InspectionService(district, OFFICER)
    with district.write() as s:
        s.execute(update(Task).where(Task.id == "t1").values(task_type="巡查", source="指挥中心"))
    with pytest.raises(DomainError, match="无计划不检查"):
        service.start_from_task("t1")
    with district.write() as s:
        s.execute(update(Task).where(Task.id == "t1").values(task_type="核查"))
        s.execute(delete(TaskAssignee).where(TaskAssignee.task_id == "t1", TaskAssignee.officer_id == "o-1"))
    with pytest.raises(DomainError, match="未指派给您"):
        service.start_from_task("t1")
    assert not _outbox(district, "inspection")  # nothing was recorded


def test_clean_fields_cleans_each_kind_and_prefixes_problems_of_people() -> None:
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    clean, problems = clean_fields({
        "place": None, "observations": 7, "recusal_told": 1, "started_at": when, "ended_at": None,
        "officer_ids": ["o-2", "o-1", "o-2"], "party": {"type": "person", "name": "张三", "id_number": "123"},
        "onsite_person": {"name": "王五", "phone": "12345"}, "witnesses": [{}, {"name": "钱七", "id_number": "1"}],
    }, date(2026, 3, 2))
    assert clean["place"] == "" and clean["observations"] == "7" and clean["recusal_told"] is True
    assert clean["started_at"] == when and clean["ended_at"] is None and clean["officer_ids"] == ["o-2", "o-1"]
    assert clean["party"]["type"] == "person" and clean["party"]["id_number"] == "123"  # kept as typed
    assert len(clean["witnesses"]) == 1  # the empty row is dropped
    assert set(problems) == {"party.id_number", "onsite.phone", "witness.0.id_number"}
    assert all(problems.values())
    assert clean_fields({"status": "finalised"}, date(2026, 3, 2)) == ({}, {})
    with pytest.raises(ValidationError, match="时区"):
        clean_fields({"started_at": datetime(2026, 3, 2, 9, 30)}, date(2026, 3, 2))
    with pytest.raises(ValidationError, match="时区"):
        clean_fields({"ended_at": "2026-03-02 09:30"}, date(2026, 3, 2))

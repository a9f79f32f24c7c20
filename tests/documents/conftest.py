"""Fixtures of the document tests: a small district (empowered 新登镇, dispatched 银湖街道, two departments, an
empowered, a de-empowered and a department-only matter), an inspection with findings, and a rendered set of
every document type (made once per session)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import ui.documents  # noqa: F401  (the None-refcount guard, before any rendering)
from app.identity import CurrentUser
from app.models import (
    CatalogueVersion,
    Department,
    Finding,
    Inspection,
    Matter,
    MatterEmpowerment,
    NumberBlock,
    Officer,
    Target,
    Task,
    TaskMatter,
    Township,
    new_id,
)
from app.paths import DataPaths
from app.rules.task_states import Role
from app.store import Store
from tests.support.rawdb import plain_pdf

CLERK = CurrentUser("xd.clerk", "赵内勤", Role.CLERK, "xd", "o-clerk")
YH_CLERK = CurrentUser("yh.clerk", "钱内勤", Role.CLERK, "yh", None)
CREDIT = "91330183MA2H2X0B2E"
YEAR = 2026
AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def build_district(store: Store) -> dict[str, Any]:
    with store.write() as s:
        s.add(
            Township(
                id="xd",
                name="新登镇",
                mode="empowered",
                legal_name="杭州市富阳区新登镇人民政府",
                seal_name="杭州市富阳区新登镇人民政府",
                number_prefix="新登镇综执",
                team_name="综合行政执法队",
                version=1,
            )
        )
        s.add(
            Township(
                id="yh",
                name="银湖街道",
                kind="街道",
                mode="dispatched",
                legal_name="杭州市富阳区银湖街道办事处",
                seal_name="杭州市富阳区银湖街道办事处",
                number_prefix="",
                team_name="联合巡查执法队",
                version=1,
            )
        )
        s.add(
            Department(
                id="dept_zf",
                name="区综合行政执法局",
                short_name="综合执法",
                field="市容环卫",
                kind="bureau",
                legal_name="杭州市富阳区综合行政执法局",
                seal_name="杭州市富阳区综合行政执法局",
                number_prefix="富综执",
                version=1,
            )
        )
        s.add(
            Department(
                id="dept_scjg",
                name="区市场监管局",
                short_name="市场监管",
                field="市场监管",
                legal_name="杭州市富阳区市场监督管理局",
                seal_name="杭州市富阳区市场监督管理局",
                number_prefix="富市监",
                version=1,
            )
        )
        s.flush()
        for code, owner, name in (
            ("M-EMP", "dept_zf", "对擅自占用城市道路的行政处罚"),
            ("M-DEEMP", "dept_zf", "对建设单位未取得施工许可证擅自施工的行政处罚"),
            ("M-DEPT", "dept_scjg", "对未取得食品经营许可从事食品经营活动的行政处罚"),
        ):
            s.add(
                Matter(
                    code=code,
                    name=name,
                    field="市容环卫",
                    owner_department_id=owner,
                    legal_basis=f"《测试条例》第{len(code)}条",
                    penalty_basis=f"《测试条例》第{len(code) + 10}条",
                    version=1,
                )
            )
        # edition 2 (in force since 2026-01-01) takes M-DEEMP back from 新登镇
        s.add(CatalogueVersion(version=1, effective_date=date(2025, 7, 1), note="2025年版"))
        s.add(CatalogueVersion(version=2, effective_date=date(2026, 1, 1), note="动态调整"))
        s.add(MatterEmpowerment(township_id="xd", matter_code="M-EMP", version=1, empowered=True))
        s.add(MatterEmpowerment(township_id="xd", matter_code="M-DEEMP", version=1, empowered=True))
        s.add(MatterEmpowerment(township_id="xd", matter_code="M-DEEMP", version=2, empowered=False))
        valid = date(2030, 1, 1)
        for oid, name in (("o-1", "李明"), ("o-2", "周红")):
            s.add(
                Officer(
                    id=oid,
                    name=name,
                    role="officer",
                    township_id="xd",
                    certificate_no=f"浙A01-2021-{oid[-1]}0088",
                    cert_valid_until=valid,
                    version=1,
                )
            )
        s.add(
            Target(
                id="tg1",
                name="杭州富阳新登味道餐饮有限公司",
                credit_code=CREDIT,
                kind="企业",
                township_id="xd",
                address="新登镇城南路88号",
                legal_rep="周建国",
                contact_phone="13905710088",
                version=1,
            )
        )
        s.add(
            Target(id="tg2", name="张三", kind="自然人", township_id="xd", address="新登镇北街2号", version=1)
        )
        s.flush()
        s.add(
            Task(
                id="t1",
                number="FYZH-2026-000001",
                title="占道经营投诉核查",
                task_type="核查",
                source="投诉举报",
                township_id="xd",
                target_id="tg1",
                version=1,
            )
        )
        s.flush()
        s.add(TaskMatter(task_id="t1", matter_code="M-EMP"))
        start = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
        s.add(
            Inspection(
                id="insp1",
                township_id="xd",
                target_id="tg1",
                task_id="t1",
                started_at=start,
                ended_at=start + timedelta(minutes=40),
                place="新登镇城南路88号店门前",
                officer_ids=["o-1", "o-2"],
                certificates_shown=True,
                recusal_told=True,
                party={"type": "organisation", "name": "杭州富阳新登味道餐饮有限公司", "credit_code": CREDIT},
                onsite_person={"name": "周建国", "relation": "法定代表人"},
                status="finalised",
            )
        )
        s.flush()
        s.add(
            Finding(
                id="f1",
                inspection_id="insp1",
                township_id="xd",
                target_id="tg1",
                matter_code="M-EMP",
                check_point="是否占用城市道路",
                result="violation",
                note="店外占道摆放餐桌6张",
                found_at=start,
            )
        )
    return {"township": "xd"}


def add_blocks(store: Store, body_id: str, doc_type: str, start: int, end: int, year: int = YEAR) -> None:
    with store.write() as s:
        s.add(
            NumberBlock(
                id=new_id(),
                body_id=body_id,
                doc_type=doc_type,
                year=year,
                start=start,
                end=end,
                device_id="test",
            )
        )


def stub_pdf(doc: Any) -> bytes:
    return f"%PDF-1.4 stub {doc.number}".encode()


@pytest.fixture
def district(store: Store) -> Store:
    build_district(store)
    return store


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> Iterator[dict[str, Any]]:
    """Every document type issued from the sample inspection and rendered (photo appendix on the on-site record
    and the transfer letter), once per session."""
    from app.documents.samples import issue_samples
    from ui.documents.renderer import pdf_bytes_fn

    store = Store.open(DataPaths(tmp_path_factory.mktemp("rendered") / "data"))
    docs = issue_samples(store, pdf_bytes_fn(store))
    yield {
        "store": store,
        "docs": {d.doc_type: d for d in docs},
        "pdf": {d.doc_type: plain_pdf(store.paths.documents / f"{d.id}.pdf",  # decrypted copies: the stored
                                      store.paths.root.parent / "pdf" / f"{d.id}.pdf")  # files are encrypted
                for d in docs},
    }
    store.close()

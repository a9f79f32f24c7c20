"""A small hand-made district for field-recording tests: an empowered township (xd) and a dispatched one (yh),
two departments, four matters (one shared check point across departments, one not empowered, one needing a
major penalty), officers with valid, expired and conflicted certificates, a target and a joint plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image

from app.identity import CurrentUser
from app.models import (
    CatalogueVersion,
    Department,
    InspectionPlan,
    Matter,
    MatterEmpowerment,
    Officer,
    OfficerInterest,
    Target,
    Task,
    TaskAssignee,
    TaskMatter,
    Township,
)
from app.rules.task_states import Role
from app.rules.validators import make_credit_code, make_id_number
from app.store import Store

OFFICER = CurrentUser("xd.officer", "李队员", Role.OFFICER, "xd", "o-1")
CREDIT = make_credit_code("91330183MA2B3C4D5")
ID_MALE = make_id_number("33018319800101001")  # 17th digit 1 → 男
SHARED_POINT = "营业执照是否在有效期内并悬挂"


def seed_district(store: Store) -> None:
    today = date.today()
    valid, expired = today + timedelta(days=365), today - timedelta(days=1)
    with store.write() as s:
        s.add(Township(id="xd", name="新登镇", mode="empowered", legal_name="杭州市富阳区新登镇人民政府",
                       seal_name="新登镇人民政府", number_prefix="新登镇综执", team_name="综合行政执法队", version=1))
        s.add(Township(id="yh", name="银湖街道", mode="dispatched", legal_name="杭州市富阳区银湖街道办事处",
                       seal_name="银湖街道办事处", number_prefix="", team_name="联合巡查执法队", version=1))
        for did, name, field, prefix in (("dept_zf", "区综合行政执法局", "市容环卫", "富综执"),
                                         ("dept_scjg", "区市场监管局", "市场监管", "富市监")):
            s.add(Department(id=did, name=name, short_name=name, field=field, kind="specialised",
                             legal_name=f"杭州市富阳{name}", seal_name=name, number_prefix=prefix, version=1))
        s.flush()
        matters = (
            ("FY-SR-001", "对擅自占用城市道路的行政处罚", "dept_zf", "市容环卫", False,
             ["是否取得临时占用城市道路许可", "占道位置、面积、期限是否与许可一致", SHARED_POINT]),
            ("FY-SR-002", "对出店经营影响市容的行政处罚", "dept_zf", "市容环卫", False,
             ["是否超出门窗外墙出店经营", "门前三包责任是否落实。"]),
            ("FY-SJ-001", "对无照经营的行政处罚", "dept_scjg", "市场监管", True,
             [SHARED_POINT, "许可证件是否在醒目位置公示"]),
            ("FY-SR-009", "对违规设置大型户外广告的行政处罚", "dept_zf", "市容环卫", True,
             ["广告设施是否牢固、有无安全隐患"]),
        )
        s.add(CatalogueVersion(version=1, effective_date=date(2025, 7, 1), note="2025年版"))
        for code, name, dept, field, major, points in matters:
            s.add(Matter(id=f"m-{code}", code=code, name=name, field=field, owner_department_id=dept,
                         legal_basis=f"《条例》第{len(points)}条", penalty_basis="《条例》第四十二条",
                         check_points=points, major_penalty=major, version=1))
        for code in ("FY-SR-001", "FY-SR-002", "FY-SR-009"):
            s.add(MatterEmpowerment(id=f"e-{code}", township_id="xd", matter_code=code, version=1, empowered=True))
        for oid, name, until in (("o-1", "李队员", valid), ("o-2", "周队员", valid), ("o-3", "吴队员", expired),
                                 ("o-4", "郑队员", valid)):
            s.add(Officer(id=oid, name=name, role="officer", township_id="xd", certificate_no=f"33010020{oid[-1]}",
                          cert_valid_until=until, fields=["市容环卫", "市场监管"], version=1))
        s.add(Target(id="tg1", name="新登镇老王餐饮店", kind="个体工商户", township_id="xd", address="新登镇城南路1号",
                     credit_code=CREDIT, legal_rep="王老板", industry="餐饮", version=1))
        s.add(Target(id="tg2", name="张三", kind="自然人", township_id="xd", address="新登镇北街2号", version=1))
        s.flush()
        s.add(OfficerInterest(id="int-1", officer_id="o-4", target_id="tg1", reason="亲属经营", version=1))
        s.add(InspectionPlan(id="p1", township_id="xd", target_id="tg1", kind="joint",
                             scheduled_at=datetime.now(UTC), lead_department_id="dept_zf",
                             matter_codes=["FY-SR-001", "FY-SJ-001", "FY-SR-002"], officer_ids=["o-1", "o-2"],
                             status="planned", version=1))
        s.add(InspectionPlan(id="p2", township_id="xd", target_id="tg1", kind="joint",
                             scheduled_at=datetime.now(UTC), lead_department_id="dept_zf",
                             matter_codes=["FY-SR-009"], officer_ids=["o-1", "o-2"], status="planned", version=1))
        task = Task(id="t1", number="FYZH-2026-000001", title="城南路占道经营投诉核查", task_type="核查",
                    source="投诉举报", township_id="xd", target_id="tg2", version=1)
        task.assignees = [TaskAssignee(officer_id="o-2")]
        task.matters = [TaskMatter(matter_code="FY-SR-001")]
        s.add(task)


def png_signature() -> bytes:
    import io

    img = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    for x in range(5, 35):
        img.putpixel((x, 10), (0, 0, 0, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def exif_photo(path: Path, when: datetime, size: tuple[int, int] = (320, 240), color: tuple[int, int, int] = (200, 80, 40)
               ) -> Path:
    """A JPEG with EXIF DateTimeOriginal (Beijing time) and a GPS position near Xindeng."""
    local = when.astimezone(UTC) + timedelta(hours=8)
    stamp = local.strftime("%Y:%m:%d %H:%M:%S")
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x0132] = stamp
    exif.get_ifd(0x8769)[0x9003] = stamp
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 3.0, 36.0)
    gps[3], gps[4] = "E", (119.0, 57.0, 0.0)
    img.save(path, exif=exif, quality=85)
    return path

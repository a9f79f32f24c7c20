"""The jurisdiction authority: edition by effective date, body and reason, refusals in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import DomainError
from app.law.jurisdiction import JurisdictionAuthority, Reason, resolve_jurisdiction
from app.store import Store
from tests.law.district import ADDED, DEEMPOWERED, DEPT_ONLY, EMPOWERED, build


@pytest.fixture
def district(store: Store) -> Store:
    build(store)
    return store


@pytest.mark.parametrize(
    ("township", "code", "day", "edition", "body_id", "reason"),
    [
        ("xd", DEEMPOWERED, date(2026, 12, 31), 1, "xd", Reason.EMPOWERED),
        ("xd", DEEMPOWERED, date(2027, 1, 1), 2, "dept_zj", Reason.NOT_EMPOWERED),
        ("xd", EMPOWERED, date(2027, 1, 1), 2, "xd", Reason.EMPOWERED),
        ("xd", DEPT_ONLY, date(2026, 1, 1), 1, "dept_scjg", Reason.NOT_EMPOWERED),
        ("xd", ADDED, date(2027, 1, 1), 2, "xd", Reason.EMPOWERED),
        ("yh", EMPOWERED, date(2026, 1, 1), 1, "dept_zf", Reason.DISPATCHED),
        ("yh", DEEMPOWERED, date(2027, 6, 1), 2, "dept_zj", Reason.DISPATCHED),
        ("xd", EMPOWERED, date(2025, 7, 1), 1, "xd", Reason.EMPOWERED),
    ],
)
def test_body_edition_and_reason_on_the_day(
    district: Store, township: str, code: str, day: date, edition: int, body_id: str, reason: Reason
) -> None:
    with district.read() as s:
        j = resolve_jurisdiction(s, township, code, day)
    assert (j.edition, j.body.id, j.reason) == (edition, body_id, reason)
    assert j.day == day and j.matter_code == code and j.township_id == township
    assert j.reason_label == {"empowered": "赋权", "dispatched": "派驻", "not_empowered": "未赋权"}[reason.value]
    assert j.number_series == (j.body.id, j.body.number_prefix)


def test_matter_absent_from_the_edition_is_refused(district: Store) -> None:
    with district.read() as s:
        authority = JurisdictionAuthority.load(s, "xd")
    with pytest.raises(DomainError) as err:
        authority.resolve(ADDED, date(2026, 12, 31))
    assert err.value.code == "matter_not_in_edition"
    assert "不在2025年7月1日施行的第 1 版事项目录中" in err.value.message
    assert not authority.has_matter(ADDED, date(2026, 12, 31))
    assert authority.has_matter(ADDED, date(2027, 1, 1))
    assert ADDED not in authority.matter_codes_on(date(2026, 12, 31))


def test_day_before_the_first_edition_and_no_edition_are_refused(district: Store, tmp_path) -> None:
    with district.read() as s, pytest.raises(DomainError) as err:
        resolve_jurisdiction(s, "xd", EMPOWERED, date(2025, 6, 30))
    assert err.value.code == "no_catalogue_edition" and "2025年6月30日尚无施行的事项目录" in err.value.message


def test_unknown_matter_and_unknown_mode_are_errors(district: Store) -> None:
    from app import models as m

    with district.read() as s, pytest.raises(DomainError) as err:
        resolve_jurisdiction(s, "xd", "NOPE", date(2026, 1, 1))
    assert err.value.code == "unknown_matter"
    with district.write() as s:
        s.get(m.Township, "yh").mode = "joint"
    with district.read() as s, pytest.raises(DomainError) as err:
        JurisdictionAuthority.load(s, "yh")
    assert err.value.code == "unknown_township_mode" and "joint" in err.value.message


def test_edition_order_is_by_effective_date_not_version_or_sync(district: Store) -> None:
    """An edition recorded later (higher version, synced last) with an earlier effective date than another
    still takes effect on its own date only."""
    from app import models as m

    with district.write() as s:
        s.add(m.CatalogueVersion(version=3, effective_date=date(2026, 10, 1), note="补充"))
    with district.read() as s:
        a = JurisdictionAuthority.load(s, "xd")
    assert a.edition_on(date(2026, 9, 30)).version == 1
    assert a.edition_on(date(2026, 10, 1)).version == 3
    assert a.edition_on(date(2027, 1, 1)).version == 2


def test_sender_and_number_block_bodies(district: Store) -> None:
    with district.read() as s:
        xd, yh = JurisdictionAuthority.load(s, "xd"), JurisdictionAuthority.load(s, "yh")
    assert xd.sender().id == "xd" and yh.sender().id == "dept_zf"
    # before edition 2: township + the never-empowered department; edition 2 adds the builder (de-empowered)
    assert set(xd.bodies_from(date(2026, 12, 1))) == {"xd", "dept_scjg", "dept_zj"}
    assert set(xd.bodies_from(date(2027, 2, 1))) == {"xd", "dept_scjg", "dept_zj"}
    assert set(yh.bodies_from(date(2026, 12, 1))) == {"dept_zf", "dept_zj", "dept_scjg"}
    with pytest.raises(DomainError) as err:
        yh.own_name(date(2026, 1, 1))
    assert err.value.code == "matter_required"
    assert xd.own_name(date(2026, 1, 1)).body.id == "xd"

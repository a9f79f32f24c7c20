"""Tests for the enforcing body rule (赋权/派驻 × matter empowered or not) and the versioned catalogue."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.rules.enforcing_body import (
    Body,
    Catalogue,
    CatalogueRow,
    DepartmentRef,
    TownshipMode,
    TownshipRef,
    enforcing_body,
    resolve,
)

XINDENG = TownshipRef(
    "t-xd", "新登镇", TownshipMode.EMPOWERED, "杭州市富阳区新登镇人民政府", "新登镇人民政府", "新登镇综执"
)
DONGZHOU = TownshipRef(
    "t-dz", "东洲街道", TownshipMode.DISPATCHED, "杭州市富阳区东洲街道办事处", "东洲街道办事处", "东洲综执"
)
ZFJ = DepartmentRef(
    "d-zfj", "区综合行政执法局", "杭州市富阳区综合行政执法局", "富阳区综合行政执法局", "富综执"
)
SCJG = DepartmentRef("d-scjg", "区市场监管局", "杭州市富阳区市场监督管理局", "富阳区市场监督管理局", "富市监")
DEPARTMENTS = {d.id: d for d in (ZFJ, SCJG)}

TOWNSHIP_BODY = Body("township", "t-xd", XINDENG.legal_name, XINDENG.seal_name, "新登镇综执")
ZFJ_BODY = Body("department", "d-zfj", ZFJ.legal_name, ZFJ.seal_name, "富综执")

CATALOGUE = Catalogue(
    [
        CatalogueRow("M001", 1, "d-zfj", frozenset({"t-xd", "t-dz"})),  # 占道经营: empowered
        ("M002", 1, "d-zfj", frozenset()),  # plain tuple, not empowered anywhere
        ("M003", 1, "d-scjg", frozenset({"t-xd"})),  # v1 empowers …
        ("M003", 3, "d-scjg", frozenset()),  # … v3 takes it back
        ("M004", 2, "d-zfj", frozenset({"t-xd"})),  # first published in v2
    ]
)


@pytest.mark.parametrize(
    ("township", "empowered", "expected"),
    [
        (XINDENG, True, TOWNSHIP_BODY),
        (XINDENG, False, ZFJ_BODY),
        (DONGZHOU, True, ZFJ_BODY),  # dispatched: always the department, even if listed
        (DONGZHOU, False, ZFJ_BODY),
    ],
)
def test_four_combinations(township: TownshipRef, empowered: bool, expected: Body) -> None:
    assert enforcing_body(township, ZFJ, empowered=empowered) == expected


@pytest.mark.parametrize(
    ("township", "matter", "version", "expected_id"),
    [
        (XINDENG, "M001", None, "t-xd"),
        (DONGZHOU, "M001", None, "d-zfj"),
        (XINDENG, "M002", None, "d-zfj"),
        (DONGZHOU, "M002", None, "d-zfj"),
        (XINDENG, "M003", 1, "t-xd"),
        (XINDENG, "M003", 2, "t-xd"),  # no v2 row: v1 still in force
        (XINDENG, "M003", 3, "d-scjg"),  # de-empowered in v3
        (XINDENG, "M003", None, "d-scjg"),
        (DONGZHOU, "M003", 1, "d-scjg"),
        (XINDENG, "M004", 2, "t-xd"),
    ],
)
def test_resolve(township: TownshipRef, matter: str, version: int | None, expected_id: str) -> None:
    assert resolve(CATALOGUE, township, DEPARTMENTS, matter, version).id == expected_id


def test_body_changes_between_catalogue_versions() -> None:
    before = resolve(CATALOGUE, XINDENG, DEPARTMENTS, "M003", 1)
    after = resolve(CATALOGUE, XINDENG, DEPARTMENTS, "M003", 3)
    assert (before.kind, before.number_prefix) == ("township", "新登镇综执")
    assert (after.kind, after.number_prefix) == ("department", "富市监")
    assert before.is_township and not after.is_township


@pytest.mark.parametrize(
    ("township_id", "matter", "version", "expected"),
    [
        ("t-xd", "M003", None, False),
        ("t-xd", "M003", 1, True),
        ("t-dz", "M001", 1, True),
        ("t-other", "M001", None, False),
    ],
)
def test_is_empowered(township_id: str, matter: str, version: int | None, expected: bool) -> None:
    assert CATALOGUE.is_empowered(township_id, matter, version) is expected


@pytest.mark.parametrize(
    ("matter", "version", "code"),
    [
        ("M999", None, "unknown_matter"),
        ("M999", 1, "unknown_matter"),
        ("M004", 1, "unknown_matter_version"),  # M004 not yet published in v1
    ],
)
def test_unknown_matter_or_version(matter: str, version: int | None, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        CATALOGUE.is_empowered("t-xd", matter, version)
    assert info.value.code == code


def test_unknown_department() -> None:
    with pytest.raises(ValidationError, match="实施部门"):
        resolve(CATALOGUE, XINDENG, {"d-zfj": ZFJ}, "M003")


def test_duplicate_rows_refused() -> None:
    with pytest.raises(ValidationError):
        Catalogue([("M1", 1, "d", frozenset()), ("M1", 1, "d", frozenset({"t"}))])


def test_versions_listing() -> None:
    assert CATALOGUE.versions("M003") == [1, 3]
    assert CATALOGUE.matter_codes() == ["M001", "M002", "M003", "M004"]
    assert CATALOGUE.owner_department_id("M003") == "d-scjg"


@pytest.mark.parametrize(
    ("township_id", "version", "expected"),
    [
        ("t-xd", 1, False),  # base version: nothing empowered yet
        ("t-xd", 2, True),
        ("t-xd", 4, True),
        ("t-xd", 5, False),
        ("t-xd", None, False),
        ("t-dz", 2, False),
        ("t-dz", 4, True),
        ("t-dz", None, True),
    ],
)
def test_from_empowerments(township_id: str, version: int | None, expected: bool) -> None:
    catalogue = Catalogue.from_empowerments(
        {"M1": "d-zfj", "M2": "d-zfj"},
        [("t-xd", "M1", 2, True), ("t-dz", "M1", 4, True), ("t-xd", "M1", 5, False)],
    )
    assert catalogue.is_empowered(township_id, "M1", version) is expected
    assert catalogue.is_empowered(township_id, "M2", version) is False

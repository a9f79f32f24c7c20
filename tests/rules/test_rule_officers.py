"""Tests for the officer rules: valid certificates, two certified officers, recusal, draw eligibility."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import OfficerRuleError
from app.rules.officers import (
    TWO_OFFICERS_MESSAGE,
    OfficerRef,
    certificate_valid_on,
    check_team,
    eligible_inspectors,
    require_team,
)

DAY = date(2026, 3, 2)
MARKET = frozenset({"市场监管"})


def officer(
    oid: str,
    name: str,
    cert: str | None = "33010001",
    until: date | None = date(2027, 12, 31),
    fields: frozenset[str] = MARKET,
    interests: frozenset[str] = frozenset(),
) -> OfficerRef:
    return OfficerRef(oid, name, cert, until, fields, interests)


ZHANG = officer("o1", "张伟")
LI = officer("o2", "李娜", until=DAY)  # valid through the day itself
WANG_EXPIRED = officer("o3", "王强", until=date(2026, 3, 1))
ZHAO_NO_CERT = officer("o4", "赵敏", cert=None)
QIAN_NO_DATE = officer("o5", "钱军", until=None)
SUN_BLANK = officer("o6", "孙丽", cert="  ")
ZHOU_INTEREST = officer("o7", "周涛", interests=frozenset({"tgt-1"}))
WU_OTHER_FIELD = officer("o8", "吴昊", fields=frozenset({"生态环境"}))


@pytest.mark.parametrize(
    ("who", "valid"),
    [
        (ZHANG, True),
        (LI, True),
        (WANG_EXPIRED, False),
        (ZHAO_NO_CERT, False),
        (QIAN_NO_DATE, False),
        (SUN_BLANK, False),
    ],
)
def test_certificate_valid_on(who: OfficerRef, valid: bool) -> None:
    assert certificate_valid_on(who, DAY) is valid


@pytest.mark.parametrize(
    ("team", "target", "fields", "refusals", "warnings"),
    [
        ([ZHANG, LI], "tgt-1", MARKET, [], []),
        ([ZHANG, ZHANG], "tgt-1", MARKET, ["仅有 1 名"], []),  # the same person twice counts once
        ([ZHANG], "tgt-1", frozenset(), ["仅有 1 名"], []),
        ([], "tgt-1", frozenset(), ["仅有 0 名"], []),
        ([ZHANG, WANG_EXPIRED], "tgt-1", MARKET, ["仅有 1 名"], ["王强的执法证已于 2026-03-01 到期"]),
        ([ZHANG, ZHAO_NO_CERT], "tgt-1", MARKET, ["仅有 1 名"], ["赵敏未登记执法证号"]),
        ([ZHANG, QIAN_NO_DATE], "tgt-1", MARKET, ["仅有 1 名"], ["钱军的执法证未登记有效期"]),
        ([ZHANG, LI, WANG_EXPIRED], "tgt-1", MARKET, [], ["王强的执法证已于 2026-03-01 到期"]),
        ([ZHANG, LI, ZHOU_INTEREST], "tgt-1", MARKET, ["周涛与检查对象存在利害关系，须回避"], []),
        ([ZHANG, LI, ZHOU_INTEREST], "tgt-2", MARKET, [], []),
        ([ZHANG, ZHOU_INTEREST], "tgt-1", MARKET, ["仅有 1 名", "周涛与检查对象存在利害关系"], []),
        ([ZHANG, WU_OTHER_FIELD], "tgt-1", MARKET, [], ["吴昊的执法领域不涵盖本事项所属领域（市场监管）"]),
        ([ZHANG, WU_OTHER_FIELD], "tgt-1", frozenset(), [], []),  # no matter fields given: no field check
        ([ZHANG, WU_OTHER_FIELD], "tgt-1", frozenset({"市场监管", "生态环境"}), [], []),
    ],
)
def test_check_team(
    team: list[OfficerRef], target: str, fields: frozenset[str], refusals: list[str], warnings: list[str]
) -> None:
    check = check_team(team, DAY, target, matter_fields=fields)
    assert len(check.refusals) == len(refusals)
    for got, fragment in zip(check.refusals, refusals, strict=True):
        assert fragment in got
    assert len(check.warnings) == len(warnings)
    for got, fragment in zip(check.warnings, warnings, strict=True):
        assert fragment in got
    assert check.ok is (not refusals)


def test_refusal_texts_cite_the_law() -> None:
    check = check_team([ZHANG, ZHOU_INTEREST, WANG_EXPIRED], DAY, "tgt-1")
    assert check.refusals == [
        f"{TWO_OFFICERS_MESSAGE}，当前仅有 1 名",
        "周涛与检查对象存在利害关系，须回避（《行政处罚法》第四十三条）",
    ]
    assert "（《行政处罚法》第四十二条）" in check.refusals[0]


def test_require_team() -> None:
    assert require_team([ZHANG, LI, WU_OTHER_FIELD], DAY, "tgt-1", matter_fields=MARKET).warnings
    with pytest.raises(OfficerRuleError) as info:
        require_team([ZHANG, ZHOU_INTEREST], DAY, "tgt-1")
    assert "；" in str(info.value)
    assert info.value.code == "team_refused"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("tgt-1", ["o1", "o2", "o8"]),
        ("tgt-2", ["o1", "o2", "o7", "o8"]),
        (None, ["o1", "o2", "o7", "o8"]),
    ],
)
def test_eligible_inspectors(target: str | None, expected: list[str]) -> None:
    pool = [
        ZHANG,
        LI,
        WANG_EXPIRED,
        ZHAO_NO_CERT,
        QIAN_NO_DATE,
        SUN_BLANK,
        ZHOU_INTEREST,
        WU_OTHER_FIELD,
        ZHANG,
    ]
    assert [o.id for o in eligible_inspectors(pool, DAY, target)] == expected


def test_certificate_expires_the_next_day() -> None:
    assert eligible_inspectors([LI], date(2026, 3, 3), None) == []

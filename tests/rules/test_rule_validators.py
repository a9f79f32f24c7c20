"""Tests for credit code, ID number and phone validators (tables + hypothesis properties)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.validators import (
    CREDIT_CODE_CHARSET,
    ID_CHECK_CHARS,
    make_credit_code,
    make_id_number,
    mask_id_number,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)

GOOD_CREDIT = make_credit_code("91330183MA2H00001")
GOOD_ID = make_id_number("33018319900101123")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91350100M000100Y43", "91350100M000100Y43"),  # widely published valid example
        ("  91350100m000100y43 ", "91350100M000100Y43"),  # strip + upper
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width input
        (GOOD_CREDIT, GOOD_CREDIT),
    ],
)
def test_credit_code_good(raw: str, expected: str) -> None:
    assert validate_credit_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "credit_code_empty", "不能为空"),
        ("9135010", "credit_code_length", "应为18位，当前为 7 位"),
        ("91350100M000100Y431", "credit_code_length", "当前为 19 位"),
        ("91350100I000100Y43", "credit_code_char", "第 9 位「I」不是有效字符"),
        ("91350100M000100O43", "credit_code_char", "第 16 位「O」"),
        ("91350100M000100Y4-", "credit_code_char", "第 18 位「-」"),
        ("91350100M000100Y44", "credit_code_check", "最后一位应为「3」，当前为「4」"),
        ("91350100M000100Y53", "credit_code_check", "校验位错误"),
    ],
)
def test_credit_code_bad(raw: str, code: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code(raw)
    assert info.value.code == code
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("body", "code"), [("9133018", "credit_code_length"), ("91330183MA2H0000I", "credit_code_char")]
)
def test_make_credit_code_bad(body: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_credit_code(body)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002X", "11010519491231002X"),  # GB 11643 example
        ("11010519491231002x", "11010519491231002X"),  # lower-case x normalised
        (" 440524188001010014 ", "440524188001010014"),
        (GOOD_ID, GOOD_ID),
    ],
)
def test_id_number_good(raw: str, expected: str) -> None:
    assert validate_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("", "id_number_empty", "不能为空"),
        ("33018319900101123", "id_number_length", "当前为 17 位"),
        ("330183199001011234567", "id_number_length", "当前为 21 位"),
        ("3301831990A101123X", "id_number_char", "第 11 位「A」"),
        ("11010519491231002Y", "id_number_char", "只能是数字或 X"),
        ("110105194912310021", "id_number_check", "最后一位应为「X」，当前为「1」"),
        (make_id_number("33018319900101123")[:-1] + "0", "id_number_check", "校验位错误"),
        ("330183" + "19990231" + "1230", "id_number_birth", "出生日期"),  # 31 Feb
        ("330183" + "19901301" + "1230", "id_number_birth", "出生日期"),  # month 13
        ("330183" + "00000101" + "1230", "id_number_birth", "出生日期"),  # year 0
    ],
)
def test_id_number_bad(raw: str, code: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id_number(raw)
    assert info.value.code == code
    assert fragment in str(info.value)
    assert not raw or raw not in str(info.value)  # messages never repeat the number


def test_id_number_future_birth() -> None:
    future = make_id_number("33018320300101123")
    assert validate_id_number(future) == future
    with pytest.raises(ValidationError, match="晚于今天"):
        validate_id_number(future, today=date(2026, 3, 2))


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("330183199001011234", "330183********1234"),
        ("33018319900101123x", "330183********123X"),
        ("330183900101123", "330183*****1123"),  # old 15-digit number
        ("1234567890", "**********"),
        ("", ""),
    ],
)
def test_mask_id_number(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0571-63312345", "0571-63312345"),
        ("057163312345", "0571-63312345"),
        ("(0571)6331234", "0571-6331234"),
        ("（0571）63312345", "0571-63312345"),
        ("0571 63312345", "0571-63312345"),
        ("010-12345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0571-63312345-801", "0571-63312345-801"),
        ("0571-63312345转801", "0571-63312345-801"),
        ("400-123-4567", "400-123-4567"),
        ("8001234567", "800-123-4567"),
    ],
)
def test_phone_good(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone_empty"),
        ("   ", "phone_empty"),
        ("1381234567", "phone_invalid"),  # 10 digits
        ("138123456789", "phone_invalid"),  # 12 digits
        ("23812345678", "phone_invalid"),
        ("63312345", "phone_invalid"),  # landline without area code
        ("0571-123456", "phone_invalid"),  # local part too short
        ("电话13812345678", "phone_invalid"),
    ],
)
def test_phone_bad(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(raw)
    assert info.value.code == code


credit_bodies = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17)
id_bodies = st.builds(
    lambda area, birth, seq: f"{area:06d}{birth:%Y%m%d}{seq:03d}",
    st.integers(110000, 829999),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(0, 999),
)


@given(credit_bodies)
def test_make_credit_code_always_validates(body: str) -> None:
    code = make_credit_code(body)
    assert validate_credit_code(code) == code
    for wrong in CREDIT_CODE_CHARSET:
        if wrong != code[-1]:
            with pytest.raises(ValidationError):
                validate_credit_code(code[:-1] + wrong)


@given(id_bodies)
def test_make_id_number_always_validates(body: str) -> None:
    number = make_id_number(body)
    assert validate_id_number(number.lower()) == number
    for wrong in ID_CHECK_CHARS:
        if wrong != number[-1]:
            with pytest.raises(ValidationError):
                validate_id_number(number[:-1] + wrong)


@given(credit_bodies, st.integers(0, 16), st.sampled_from(CREDIT_CODE_CHARSET))
def test_single_body_change_breaks_credit_code(body: str, position: int, char: str) -> None:
    code = make_credit_code(body)
    changed = code[:position] + char + code[position + 1 :]
    if changed != code:  # MOD 31 with these weights catches every single substitution
        with pytest.raises(ValidationError):
            validate_credit_code(changed)

"""Validators for identifiers on enforcement documents: 统一社会信用代码 (GB 32100-2015), 居民身份证号码
(GB 11643-1999, ISO 7064 MOD 11-2) and phone numbers; plus masking of ID numbers for logs and lists.

Each `validate_*` normalises (strip, full-width → half-width, upper case) and returns the normalised value, or
raises `ValidationError` with a Chinese message saying what is wrong. Messages never repeat a whole ID number.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.errors import ValidationError

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


# ── 统一社会信用代码 ─────────────────────────────────────────────────────────────────────────────────


def _credit_check_char(body17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(body17, CREDIT_CODE_WEIGHTS, strict=True))
    check = 31 - total % 31
    return CREDIT_CODE_CHARSET[0 if check == 31 else check]


def _check_credit_chars(text: str) -> None:
    for position, char in enumerate(text, start=1):
        if char not in CREDIT_CODE_CHARSET:
            raise ValidationError(
                f"统一社会信用代码第 {position} 位「{char}」不是有效字符"
                "（只能是数字和除 I、O、Z、S、V 以外的大写字母）",
                code="credit_code_char",
            )


def make_credit_code(body17: str) -> str:
    """Append the check character to the first 17 characters (for demo data and tests)."""
    body = _normalise(body17)
    if len(body) != 17:
        raise ValidationError(
            f"统一社会信用代码主体应为17位，当前为 {len(body)} 位", code="credit_code_length"
        )
    _check_credit_chars(body)
    return body + _credit_check_char(body)


def validate_credit_code(code: str) -> str:
    """Return the normalised 18-character code, or raise `ValidationError`."""
    text = _normalise(code)
    if not text:
        raise ValidationError("统一社会信用代码不能为空", code="credit_code_empty")
    if len(text) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，当前为 {len(text)} 位", code="credit_code_length")
    _check_credit_chars(text)
    expected = _credit_check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(
            f"统一社会信用代码校验位错误：最后一位应为「{expected}」，当前为「{text[17]}」",
            code="credit_code_check",
        )
    return text


# ── 居民身份证号码 ─────────────────────────────────────────────────────────────────────────────────


def _id_check_char(body17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def _check_id_body(body: str, today: date | None) -> None:
    for position, char in enumerate(body, start=1):
        if not char.isascii() or not char.isdigit():
            raise ValidationError(
                f"身份证号码第 {position} 位「{char}」不是数字（前17位必须是数字）", code="id_number_char"
            )
    try:
        birth = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1850:
        raise ValidationError("身份证号码中的出生日期（第7–14位）不是有效日期", code="id_number_birth")
    if today is not None and birth > today:
        raise ValidationError("身份证号码中的出生日期（第7–14位）晚于今天", code="id_number_birth")


def make_id_number(body17: str) -> str:
    """Append the MOD 11-2 check character to 17 digits (for demo data and tests)."""
    body = _normalise(body17)
    if len(body) != 17:
        raise ValidationError(f"身份证号码主体应为17位，当前为 {len(body)} 位", code="id_number_length")
    _check_id_body(body, None)
    return body + _id_check_char(body)


def validate_id_number(number: str, *, today: date | None = None) -> str:
    """Return the normalised 18-character number (a lower-case x becomes X), or raise `ValidationError`.
    With `today`, a birth date in the future is refused too."""
    text = _normalise(number)
    if not text:
        raise ValidationError("身份证号码不能为空", code="id_number_empty")
    if len(text) != 18:
        raise ValidationError(f"身份证号码应为18位，当前为 {len(text)} 位", code="id_number_length")
    _check_id_body(text[:17], today)
    if text[17] not in ID_CHECK_CHARS:
        raise ValidationError("身份证号码最后一位只能是数字或 X", code="id_number_char")
    expected = _id_check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(
            f"身份证号码校验位错误：最后一位应为「{expected}」，当前为「{text[17]}」", code="id_number_check"
        )
    return text


def mask_id_number(number: str) -> str:
    """Keep the first 6 and last 4 characters: "330183********1234". Short input is masked entirely."""
    text = _normalise(number)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


# ── 电话号码 ─────────────────────────────────────────────────────────────────────────────────────


_MOBILE = re.compile(r"(?:\+?86)?(1\d{10})")
_SERVICE = re.compile(r"([48]00)(\d{7})")
_LANDLINE_SPLIT = re.compile(r"\(?(0\d{2,3})\)?[-\s]?(\d{7,8})(?:(?:-|转|ext\.?)(\d{1,6}))?", re.IGNORECASE)
_LANDLINE_DIGITS = re.compile(r"(0(?:1\d|2\d|[3-9]\d\d))(\d{7,8})")
PHONE_MESSAGE = "电话号码格式不正确：请填写11位手机号或带区号的固定电话（如 0571-12345678）"


def validate_phone(phone: str) -> str:
    """Lenient check of a mainland mobile (returned as 11 digits), a landline with area code (returned as
    "0571-12345678", extension kept as "-123") or a 400/800 number. Raises `ValidationError`."""
    text = _normalise(phone)
    if not text:
        raise ValidationError("电话号码不能为空", code="phone_empty")
    compact = re.sub(r"[\s\-]", "", text)
    if m := _MOBILE.fullmatch(compact):
        return m.group(1)
    if m := _SERVICE.fullmatch(compact):
        return f"{m.group(1)}-{m.group(2)[:3]}-{m.group(2)[3:]}"
    if m := _LANDLINE_DIGITS.fullmatch(compact):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _LANDLINE_SPLIT.fullmatch(text):
        area, local, ext = m.groups()
        if _LANDLINE_DIGITS.fullmatch(area + local):
            return f"{area}-{local}" + (f"-{ext}" if ext else "")
    raise ValidationError(PHONE_MESSAGE, code="phone_invalid")

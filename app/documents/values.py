"""Canonical field values, their printed form, placeholders, and the content hash of an issued document.

Canonical values are what a document stores and hashes: text as given (stripped, "\\n" line ends), dates as
"YYYY-MM-DD", date-times as "YYYY-MM-DD HH:MM" (China time), money as a plain decimal string ("200", "350.5"),
tables as lists of {column: text}. `display` turns them into what the paper shows (2026年3月1日, 200元 …).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from app.documents.templates import PLACEHOLDER, FieldSpec, Template
from app.errors import ValidationError
from app.rules.clocks import format_yuan, to_amount

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def _text(value: Any) -> str:
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def canonical_value(spec: FieldSpec, value: Any) -> Any:
    """`value` in the stored form for the field's kind; `ValidationError` (Chinese) for what cannot be one."""
    if empty(value):
        return [] if spec.kind == "table" else ""
    kind = spec.kind
    if kind == "table":
        if not isinstance(value, list | tuple):
            raise ValidationError(f"「{spec.label}」必须是表格行的列表", code="invalid_field")
        keys = [c.key for c in spec.columns]
        return [{k: _text(row.get(k, "")) if isinstance(row, Mapping) else "" for k in keys} for row in value]
    if kind == "date":
        if isinstance(value, datetime):
            return value.astimezone(CHINA_TZ).date().isoformat() if value.tzinfo else value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(_text(value)[:10]).isoformat()
        except ValueError:
            raise ValidationError(f"「{spec.label}」不是有效日期：{value}", code="invalid_field") from None
    if kind == "datetime":
        if isinstance(value, datetime):
            local = value.astimezone(CHINA_TZ) if value.tzinfo else value
            return local.strftime("%Y-%m-%d %H:%M")
        try:
            return datetime.fromisoformat(_text(value)).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            raise ValidationError(f"「{spec.label}」不是有效时间：{value}", code="invalid_field") from None
    if kind == "money":
        return format_yuan(to_amount(value if isinstance(value, Decimal | int) else _text(value)))
    if kind == "choice":
        text = _text(value)
        if text not in spec.choices:
            raise ValidationError(f"「{spec.label}」只能是：{'、'.join(spec.choices)}", code="invalid_field")
        return text
    return _text(value)


def cn_date(iso: str) -> str:
    d = date.fromisoformat(iso[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(text: str) -> str:
    dt = datetime.fromisoformat(text)
    return f"{dt.year}年{dt.month}月{dt.day}日{dt.hour}时{dt.minute:02d}分"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]


def yuan_upper(amount: str) -> str:
    """Capital Chinese for a whole-yuan amount, e.g. "200" → "贰佰元整" (cents: 角分)."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = int(value), int((value * 100) % 100)
    if whole == 0 and cents == 0:
        return "零元整"
    out = ""
    if whole:
        groups, parts, n = ["", "万", "亿"], [], whole
        while n:
            parts.append(n % 10000)
            n //= 10000
        for gi in range(len(parts) - 1, -1, -1):
            g, chunk, zero = parts[gi], "", False
            for pos in range(3, -1, -1):
                d = g // 10**pos % 10
                if d == 0:
                    zero = bool(chunk)
                    continue
                chunk += ("零" if zero else "") + _DIGITS[d] + _UNITS[pos]
                zero = False
            if g:
                if out and g < 1000:
                    out += "零"
                out += chunk + groups[gi]
        out += "元"
    jiao, fen = divmod(cents, 10)
    if not cents:
        return out + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif out:
        out += "零"
    return out + (_DIGITS[fen] + "分" if fen else "")


def display(spec: FieldSpec, value: Any) -> str:
    """The printed form of a canonical value (tables are drawn by the renderer, not here)."""
    if empty(value):
        return ""
    if spec.kind == "date":
        return cn_date(value)
    if spec.kind == "datetime":
        return cn_datetime(value)
    if spec.kind == "money":
        return f"{value}元（{yuan_upper(value)}）"
    if spec.kind == "table":
        return "；".join("，".join(v for v in row.values() if v) for row in value)
    return str(value)


def substitute(text: str, template: Template, values: Mapping[str, Any], builtins: Mapping[str, str]) -> str:
    """Replace `{key}` by the printed value of field `key` or of a builtin (body.legal_name, number …)."""

    def one(match: Any) -> str:
        name = match.group(1)
        if name in builtins:
            return builtins[name]
        spec = template.by_key.get(name)
        return display(spec, values.get(name)) if spec else match.group(0)

    return PLACEHOLDER.sub(one, text)


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_payload(
    *,
    doc_type: str,
    template_version: int,
    body_id: str,
    body_legal_name: str,
    number: str,
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    """What `content_sha256` covers: the type, the template version, the body, the number and every field."""
    return {
        "doc_type": doc_type,
        "template_version": template_version,
        "body_id": body_id,
        "body_legal_name": body_legal_name,
        "number": number,
        "fields": dict(fields),
    }


def content_sha256(**kwargs: Any) -> str:
    return hashlib.sha256(canonical_json(content_payload(**kwargs)).encode("utf-8")).hexdigest()

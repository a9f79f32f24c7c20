"""The people on an on-site record: the party (当事人: a person or an organisation), the on-site responsible
person (现场负责人) and witnesses (见证人). Pure functions, no store.

What was typed is always kept (an edit is saved even while an ID number is half-typed); `*_problems` give live
Chinese messages per field, and `*_missing` what finalisation refuses. A valid identifier is stored normalised
(GB 11643 ID numbers with an upper-case X, GB 32100 credit codes in upper case).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.errors import ValidationError
from app.rules.validators import validate_credit_code, validate_id_number, validate_phone

PERSON = "person"
ORGANISATION = "organisation"
PARTY_TYPES = (PERSON, ORGANISATION)
SEXES = ("男", "女")

PERSON_FIELDS = ("name", "sex", "id_number", "address", "phone")
ORGANISATION_FIELDS = ("name", "credit_code", "legal_rep", "address", "phone")
ONSITE_FIELDS = ("name", "position", "id_number", "phone")
WITNESS_FIELDS = ("name", "id_number", "phone", "address")


def _text(value: Any) -> str:
    return str(value or "").strip()


def _check(field: str, value: str, problems: dict[str, str], today: date | None) -> str:
    """Validate one identifier-like field; return the value to store (normalised when valid)."""
    if not value:
        return value
    try:
        if field == "id_number":
            return validate_id_number(value, today=today)
        if field == "credit_code":
            return validate_credit_code(value)
        if field == "phone":
            return validate_phone(value)
    except ValidationError as exc:
        problems[field] = exc.message
    return value


def sex_from_id(id_number: str) -> str | None:
    """The 17th digit of a valid 18-digit number: odd 男, even 女."""
    if len(id_number) == 18 and id_number[16].isdigit():
        return "男" if int(id_number[16]) % 2 else "女"
    return None


def clean_party(raw: dict[str, Any], *, today: date | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """(party to store, problems per field). Unknown keys are dropped; the type defaults to organisation."""
    kind = raw.get("type") if raw.get("type") in PARTY_TYPES else ORGANISATION
    fields = PERSON_FIELDS if kind == PERSON else ORGANISATION_FIELDS
    problems: dict[str, str] = {}
    party: dict[str, Any] = {"type": kind}
    for name in fields:
        party[name] = _check(name, _text(raw.get(name)), problems, today)
    if kind == PERSON:
        sex = party["sex"]
        if sex and sex not in SEXES:
            problems["sex"] = "性别只能填写「男」或「女」"
        derived = sex_from_id(party["id_number"]) if "id_number" not in problems else None
        if derived and sex in SEXES and sex != derived:
            problems["sex"] = f"性别与身份证号码不一致（身份证号码显示为{derived}）"
    return party, problems


def party_missing(party: dict[str, Any], *, today: date | None = None) -> list[str]:
    """What finalisation refuses about the party (Chinese sentences)."""
    cleaned, problems = clean_party(party or {}, today=today)
    out: list[str] = []
    person = cleaned["type"] == PERSON
    label = "当事人（公民）" if person else "当事人（单位）"
    required = ("name", "sex", "id_number", "address") if person else ("name", "credit_code", "legal_rep", "address")
    names = {"name": "姓名" if person else "名称", "sex": "性别", "id_number": "身份证号码", "address": "住址" if person
             else "地址", "credit_code": "统一社会信用代码", "legal_rep": "法定代表人（负责人）", "phone": "联系电话"}
    for key in required:
        if not cleaned.get(key):
            out.append(f"{label}未填写{names[key]}")
    for key, message in problems.items():
        if cleaned.get(key):
            out.append(f"{label}{names[key]}有误：{message}")
    return out


def clean_person(raw: dict[str, Any], fields: tuple[str, ...], *, today: date | None = None
                 ) -> tuple[dict[str, Any], dict[str, str]]:
    """An on-site person or a witness: the listed fields, identifiers checked when filled in."""
    problems: dict[str, str] = {}
    person = {name: _check(name, _text(raw.get(name)), problems, today) for name in fields}
    return person, problems


def clean_onsite(raw: dict[str, Any], *, today: date | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    return clean_person(raw or {}, ONSITE_FIELDS, today=today)


def clean_witnesses(raw: list[dict[str, Any]], *, today: date | None = None
                    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Witnesses in order; problems keyed "<index>.<field>". Entirely empty rows are dropped."""
    out: list[dict[str, Any]] = []
    problems: dict[str, str] = {}
    for row in raw or []:
        person, probs = clean_person(row or {}, WITNESS_FIELDS, today=today)
        if not any(person.values()):
            continue
        for key, message in probs.items():
            problems[f"{len(out)}.{key}"] = message
        out.append(person)
    return out, problems


def display_name(party: dict[str, Any]) -> str:
    return _text((party or {}).get("name"))

"""Fictitious but well-formed values for the demo: people's names, phone numbers, 统一社会信用代码 (with the
GB 11714 organisation-code check and the GB 32100 check character), enforcement certificate numbers."""

from __future__ import annotations

import random

from app.demo import resources
from app.rules.validators import CREDIT_CODE_CHARSET, make_credit_code

FUYANG_DIVISION = "330183"  # 行政区划代码 of 富阳区 (the pre-2015 county code still used in registrations)
PHONE_PREFIXES = ("130", "131", "133", "135", "137", "138", "139", "150", "151", "153", "158", "159", "180",
                  "181", "186", "187", "188", "189")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_LETTERS = "".join(c for c in CREDIT_CODE_CHARSET if c.isalpha())

#: registration authority + organisation type (GB 32100 positions 1–2): 91 企业, 92 个体工商户; premises are
#: run by a company, or are a 民办非企业单位 (52, clinics) or a 事业单位 (12, markets run by the township)
CREDIT_KIND_PREFIX = {"企业": "91", "个体工商户": "92", "场所": "91"}
PLACE_PREFIX = {"医疗": "52", "零售": "12"}


def person_name(rng: random.Random) -> str:
    pool = resources.names()
    given = "".join(rng.choice(pool["given_chars"]) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(pool["surnames"]) + given


def phone(rng: random.Random) -> str:
    """An 11-digit mobile number that looks deliberately fake: prefix + "0000" + four digits."""
    return f"{rng.choice(PHONE_PREFIXES)}0000{rng.randrange(10000):04d}"


def org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): post-2015 style "MA" + 6 characters + check character."""
    body = "MA" + "".join(rng.choice("0123456789" + _ORG_LETTERS) for _ in range(6))
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(rng: random.Random, kind: str, industry: str = "") -> str | None:
    """A valid-format 统一社会信用代码 for a target of `kind` (None for 自然人)."""
    if kind not in CREDIT_KIND_PREFIX:
        return None
    prefix = PLACE_PREFIX.get(industry, "91") if kind == "场所" else CREDIT_KIND_PREFIX[kind]
    return make_credit_code(prefix + FUYANG_DIVISION + org_code(rng))


def certificate_no(issue_year: int, serial: int) -> str:
    """An enforcement certificate (执法证) number in the demo's style, e.g. 浙A01-2019-0123."""
    return f"浙A01-{issue_year}-{serial:04d}"

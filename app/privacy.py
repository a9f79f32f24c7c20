"""What logs and diagnostics must never carry, beyond tokens and passwords (`ui.diagnostics.scrub`): phone
numbers, party names and key material.

* Phone numbers: mainland mobiles (1[3-9] + 9 digits, also written +86 / with spaces or dashes) and landlines
  with an area code (0571-1234 5678) → masked to their last four digits.
* Key material: SQLCipher raw keys (`x'<64 hex>'`) and long base64 strings (wrapped keys, salts) → `***`.
  (Bare 64-hex strings stay: they are content hashes, needed for support.)
* Party names: the names of targets, case parties and complainants of the open store (`remember_names`, fed
  from the store in the background after start-up) → `某某`. Names are not recognisable by their shape, so the
  scrubber learns them from the data it protects.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store import Store

MASK = "***"
NAME_MASK = "某某"
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)86[\s-]?)?(?:1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}[\s-]?\d{3,4}[\s-]?\d{4})(?![0-9A-Za-z])"
)
_RAW_KEY = re.compile(r"(?i)x'[0-9a-f]{32,}'")
_BASE64 = re.compile(  # random bytes in base64: mixed case and digits (a file path is not)
    r"(?<![A-Za-z0-9+/=])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[0-9])"
    r"[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])"
)
MIN_NAME = 2

_lock = threading.Lock()
_names: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"{MASK}{digits[-4:]}"


def remember_names(names: Iterable[str | None]) -> int:
    """Add names to scrub from now on; returns how many are known."""
    global _pattern
    fresh = {n.strip() for n in names if n and len(n.strip()) >= MIN_NAME}
    with _lock:
        if not fresh - _names:
            return len(_names)
        _names.update(fresh)
        ordered = sorted(_names, key=len, reverse=True)  # the longest name first: 张三丰 before 张三
        _pattern = re.compile("|".join(re.escape(n) for n in ordered))
        return len(_names)


def names_in(store: Store) -> list[str]:
    """The party names held by `store`: targets and their contacts, case parties, complainants."""
    from sqlalchemy import select

    from app.models import Case, Complainant, Target

    with store.read() as s:
        found: list[str] = []
        for column in (Target.name, Target.contact_name, Case.party_name, Complainant.name):
            found += [v for v in s.scalars(select(column).distinct()) if v]
        return found


def scrub_personal(text: str) -> str:
    """`text` with phone numbers, key material and known party names masked."""
    if not text:
        return text
    text = _RAW_KEY.sub(MASK, text)
    text = _BASE64.sub(MASK, text)
    text = _PHONE.sub(_mask_phone, text)
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(NAME_MASK, text)
    return text

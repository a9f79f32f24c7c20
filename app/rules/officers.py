"""Officer rules: valid enforcement certificates (执法证), the two-certified-officers rule (《行政处罚法》第四十二条)
and recusal (回避, 第四十三条), plus who may be drawn as an inspector in 双随机 draws.

`check_team` separates refusals (the record cannot be finalised) from warnings (shown, not blocking).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from app.errors import OfficerRuleError

MIN_CERTIFIED_OFFICERS = 2
TWO_OFFICERS_MESSAGE = "至少需要两名持有效执法证的执法人员（《行政处罚法》第四十二条）"


@dataclass(frozen=True)
class OfficerRef:
    id: str
    name: str
    certificate_no: str | None
    cert_valid_until: date | None
    fields: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()  # ids of targets in which the officer declared an interest
    unit_id: str | None = None
    grid_id: str | None = None


@dataclass
class TeamCheck:
    """Outcome of `check_team`: Chinese sentences, each naming the officer and the reason."""

    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals


def certificate_valid_on(officer: OfficerRef, day: date) -> bool:
    """A certificate number is recorded and its valid-until date is not before `day`."""
    has_number = bool(officer.certificate_no and officer.certificate_no.strip())
    return has_number and officer.cert_valid_until is not None and officer.cert_valid_until >= day


def certificate_problem(officer: OfficerRef, day: date) -> str | None:
    """Why the officer's certificate is not valid on `day` (Chinese), or None when it is."""
    if not (officer.certificate_no and officer.certificate_no.strip()):
        return f"{officer.name}未登记执法证号"
    if officer.cert_valid_until is None:
        return f"{officer.name}的执法证未登记有效期"
    if officer.cert_valid_until < day:
        return f"{officer.name}的执法证已于 {officer.cert_valid_until.isoformat()} 到期"
    return None


def _unique(officers: Iterable[OfficerRef]) -> list[OfficerRef]:
    seen: set[str] = set()
    result: list[OfficerRef] = []
    for officer in officers:
        if officer.id not in seen:
            seen.add(officer.id)
            result.append(officer)
    return result


def check_team(
    officers: Iterable[OfficerRef],
    day: date,
    target_id: str | None,
    *,
    matter_fields: frozenset[str] = frozenset(),
) -> TeamCheck:
    """Check an inspection team for `target_id` on `day` (the same officer listed twice counts once; an
    officer who must recuse is not counted among the certified officers)."""
    team = _unique(officers)
    check = TeamCheck()
    # an officer who must recuse does not count towards the two certified officers
    certified = eligible_inspectors(team, day, target_id)
    if len(certified) < MIN_CERTIFIED_OFFICERS:
        check.refusals.append(f"{TWO_OFFICERS_MESSAGE}，当前仅有 {len(certified)} 名")
    if target_id is not None:
        for officer in team:
            if target_id in officer.interests:
                check.refusals.append(
                    f"{officer.name}与检查对象存在利害关系，须回避（《行政处罚法》第四十三条）"
                )
    for officer in team:
        problem = certificate_problem(officer, day)
        if problem is not None:
            check.warnings.append(f"{problem}，不能计入持证执法人员")
    if matter_fields:
        wanted = "、".join(sorted(matter_fields))
        for officer in team:
            if not officer.fields & matter_fields:
                check.warnings.append(f"{officer.name}的执法领域不涵盖本事项所属领域（{wanted}）")
    return check


def require_team(
    officers: Iterable[OfficerRef],
    day: date,
    target_id: str | None,
    *,
    matter_fields: frozenset[str] = frozenset(),
) -> TeamCheck:
    """Like `check_team`, but raise `OfficerRuleError` (refusals joined by "；") when anything is refused."""
    check = check_team(officers, day, target_id, matter_fields=matter_fields)
    if check.refusals:
        raise OfficerRuleError("；".join(check.refusals), code="team_refused")
    return check


def eligible_inspectors(officers: Iterable[OfficerRef], day: date, target_id: str | None) -> list[OfficerRef]:
    """Officers who may be drawn to inspect `target_id` on `day`: valid certificate and no declared interest."""
    return [
        o
        for o in _unique(officers)
        if certificate_valid_on(o, day) and (target_id is None or target_id not in o.interests)
    ]

"""Versioned case-law configuration: hearing thresholds and penalty kinds (第六十三条), the legality review
criteria and reviewers (第五十八条) and every statutory period, each edition with the date it takes effect.

The platform publishes editions as synced `case_config` records; the app ships edition 1 in
resources/config/case_law.json. The edition in force on the day of a step (by `effective_from`, never by when
a laptop synced) decides. Pure: the client and the reference platform both call it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from app.errors import ValidationError
from app.resources import resource_dir
from app.rules.clocks import LegalThresholds, PartyType, format_yuan, needs_hearing, to_amount

#: 《行政处罚法》第九条 penalty kinds (plus the catch-all of 第六十三条)
PENALTY_KINDS: tuple[str, ...] = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他较重的行政处罚",
)
CONFISCATION_KINDS = frozenset({"没收违法所得", "没收非法财物"})
DEFAULT_FILE = resource_dir("config", "case_law.json")


@dataclass(frozen=True)
class CaseConfig:
    edition: int
    effective_from: date
    thresholds: LegalThresholds
    confiscation_person: Decimal
    confiscation_organisation: Decimal
    hearing_kinds: frozenset[str]
    hearing_notice_days: int = 7
    service_days: int = 7
    review_after_hearing: bool = True
    review_fine_person: Decimal = Decimal(5000)
    review_fine_organisation: Decimal = Decimal(100000)
    review_complex: bool = True
    review_kinds: frozenset[str] = frozenset()
    reviewer_roles: frozenset[str] = frozenset({"leader"})
    reviewer_usernames: frozenset[str] = field(default_factory=frozenset)

    def may_review(self, role: str, username: str) -> bool:
        return role in self.reviewer_roles or username in self.reviewer_usernames

    def reviewer_phrase(self) -> str:
        labels = {"leader": "队长", "officer": "执法队员", "clerk": "内勤", "centre": "指挥中心"}
        names = [labels.get(r, r) for r in sorted(self.reviewer_roles)] + sorted(self.reviewer_usernames)
        return "、".join(names) or "（未配置）"


@dataclass(frozen=True)
class Penalty:
    """An intended or decided penalty: its kinds, the fine and the value confiscated, in yuan."""

    kinds: tuple[str, ...]
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Penalty:
        kinds = data.get("kinds")
        if not isinstance(kinds, list | tuple) or not kinds or not all(isinstance(k, str) for k in kinds):
            raise ValidationError("请选择处罚种类", code="penalty_kinds")
        unknown = [k for k in kinds if k not in PENALTY_KINDS]
        if unknown:
            raise ValidationError(f"未知的处罚种类：{'、'.join(unknown)}", code="penalty_kinds")
        fine = to_amount(str(data.get("fine_amount") or "0"))
        confiscation = to_amount(str(data.get("confiscation_amount") or "0"))
        if "罚款" in kinds and fine <= 0:
            raise ValidationError("处罚种类含罚款时必须填写罚款金额", code="fine_required")
        if "罚款" not in kinds and fine > 0:
            raise ValidationError("填写了罚款金额，但处罚种类未选择罚款", code="fine_kind_missing")
        return cls(tuple(dict.fromkeys(kinds)), fine, confiscation)

    def to_wire(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "fine_amount": format_yuan(self.fine),
            "confiscation_amount": format_yuan(self.confiscation),
        }

    def label(self) -> str:
        parts = [f"罚款 {format_yuan(self.fine)} 元" if k == "罚款" else k for k in self.kinds]
        return "、".join(parts)


def hearing_reasons(config: CaseConfig, party_type: PartyType | str, penalty: Penalty) -> list[str]:
    """Why 第六十三条 gives the party a right to a hearing for `penalty` (empty: it does not)."""
    party = PartyType(party_type)
    person = party is PartyType.PERSON
    reasons: list[str] = []
    fine_limit = config.thresholds.hearing_fine_threshold(party)
    if "罚款" in penalty.kinds and needs_hearing(party, penalty.fine, config.thresholds):
        reasons.append(
            f"对{party.label}罚款 {format_yuan(penalty.fine)} 元，达到较大数额 {format_yuan(fine_limit)} 元"
        )
    conf_limit = config.confiscation_person if person else config.confiscation_organisation
    if CONFISCATION_KINDS & set(penalty.kinds) and penalty.confiscation >= conf_limit:
        reasons.append(
            f"没收 {format_yuan(penalty.confiscation)} 元，达到较大数额 {format_yuan(conf_limit)} 元"
        )
    reasons.extend(f"拟{kind}" for kind in penalty.kinds if kind in config.hearing_kinds)
    return reasons


def review_reasons(
    config: CaseConfig,
    party_type: PartyType | str,
    penalty: Penalty | None,
    *,
    hearing_held: bool,
    complex_case: bool,
) -> list[str]:
    """Why 第五十八条 requires a legality review (法制审核) before the decision (empty: it does not)."""
    reasons: list[str] = []
    if config.review_after_hearing and hearing_held:
        reasons.append("经过听证程序")
    if config.review_complex and complex_case:
        reasons.append("案情疑难复杂")
    if penalty is not None:
        person = PartyType(party_type) is PartyType.PERSON
        limit = config.review_fine_person if person else config.review_fine_organisation
        if "罚款" in penalty.kinds and penalty.fine >= limit:
            reasons.append(f"罚款数额较大（{format_yuan(penalty.fine)} 元）")
        reasons.extend(f"拟{kind}" for kind in penalty.kinds if kind in config.review_kinds)
    return reasons


# ---- parsing and editions ------------------------------------------------------------------------------


def _int(section: Mapping[str, Any], key: str, default: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"案件配置「{key}」必须是正整数", code="bad_case_config")
    return value


def _amount(section: Mapping[str, Any], key: str, default: Decimal) -> Decimal:
    return to_amount(str(section.get(key, default)))


def _kinds(section: Mapping[str, Any], key: str) -> frozenset[str]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"案件配置「{key}」必须是文字列表", code="bad_case_config")
    unknown = [v for v in value if v not in PENALTY_KINDS]
    if unknown:
        raise ValidationError(f"案件配置中有未知的处罚种类：{'、'.join(unknown)}", code="bad_case_config")
    return frozenset(value)


def parse_config(data: Mapping[str, Any]) -> CaseConfig:
    """One edition from its JSON form; a malformed edition is refused with a Chinese message."""
    try:
        edition = int(data["edition"])
        effective = date.fromisoformat(str(data["effective_from"])[:10])
    except (KeyError, TypeError, ValueError):
        raise ValidationError("案件配置缺少有效的版本号或生效日期", code="bad_case_config") from None
    hearing = data.get("hearing") or {}
    review = data.get("review") or {}
    periods = data.get("periods") or {}
    base = LegalThresholds()
    thresholds = LegalThresholds(
        hearing_fine_person=_amount(hearing, "fine_person", base.hearing_fine_person),
        hearing_fine_organisation=_amount(hearing, "fine_organisation", base.hearing_fine_organisation),
        preservation_days=_int(periods, "preservation_days", base.preservation_days),
        case_decision_days=_int(periods, "case_decision_days", base.case_decision_days),
        limitation_years=_int(periods, "limitation_years", base.limitation_years),
        limitation_years_severe=_int(periods, "limitation_years_severe", base.limitation_years_severe),
        coercive_days=_int(periods, "coercive_days", base.coercive_days),
        coercive_extension_days=_int(periods, "coercive_extension_days", base.coercive_extension_days),
        hearing_request_days=_int(periods, "hearing_request_days", base.hearing_request_days),
        payment_days=_int(periods, "payment_days", base.payment_days),
        late_payment_rate_per_day=_amount(
            periods, "late_payment_rate_per_day", base.late_payment_rate_per_day
        ),
    )
    roles = review.get("reviewer_roles", ["leader"])
    users = review.get("reviewer_usernames", [])
    if not isinstance(roles, list) or not isinstance(users, list):
        raise ValidationError("案件配置的审核人必须是列表", code="bad_case_config")
    return CaseConfig(
        edition=edition,
        effective_from=effective,
        thresholds=thresholds,
        confiscation_person=_amount(hearing, "confiscation_person", thresholds.hearing_fine_person),
        confiscation_organisation=_amount(
            hearing, "confiscation_organisation", thresholds.hearing_fine_organisation
        ),
        hearing_kinds=_kinds(hearing, "penalty_kinds"),
        hearing_notice_days=_int(periods, "hearing_notice_days", 7),
        service_days=_int(periods, "service_days", 7),
        review_after_hearing=bool(review.get("after_hearing", True)),
        review_fine_person=_amount(review, "fine_person", thresholds.hearing_fine_person),
        review_fine_organisation=_amount(review, "fine_organisation", thresholds.hearing_fine_organisation),
        review_complex=bool(review.get("complex", True)),
        review_kinds=_kinds(review, "penalty_kinds"),
        reviewer_roles=frozenset(str(r) for r in roles),
        reviewer_usernames=frozenset(str(u) for u in users),
    )


@cache
def default_config_data() -> dict[str, Any]:
    """The shipped edition as JSON data (the platform seeds its first `case_config` record from it)."""
    data: dict[str, Any] = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


@cache
def default_config() -> CaseConfig:
    return parse_config(default_config_data())


def in_force(editions: Iterable[CaseConfig], day: date) -> CaseConfig:
    """The edition in force on `day`: the latest `effective_from` not after it (the shipped one otherwise)."""
    candidates: Sequence[CaseConfig] = [e for e in editions if e.effective_from <= day]
    if not candidates:
        return default_config()
    return max(candidates, key=lambda e: (e.effective_from, e.edition))

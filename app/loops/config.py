"""Configuration of the loops, read from `resources/config/loops.json` (missing keys take the defaults)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from app.resources import resource_dir
from app.rules.response import UrgentTargets

DEFAULTS: dict[str, Any] = {
    "urgent_targets_seconds": {"respond": 60, "depart": 180, "arrive": 900},
    "complaint_reply_working_days": 15,
    "complainant_roles": ["leader"],
    "tier_patrols_per_month": {"1": 1, "2": 4, "3": 13, "4": 30},
    "patrol_start_time": "09:00",
    "patrol_duration_minutes": 60,
}
ROLES = frozenset({"leader", "officer", "clerk", "centre"})


@dataclass(frozen=True)
class LoopsConfig:
    urgent: UrgentTargets
    complaint_reply_working_days: int
    complainant_roles: frozenset[str]
    tier_patrols_per_month: dict[int, int]
    patrol_start_time: time
    patrol_duration_minutes: int

    def patrols_per_month(self, tier: int) -> int:
        if tier in self.tier_patrols_per_month:
            return self.tier_patrols_per_month[tier]
        known = [t for t in self.tier_patrols_per_month if t <= tier]
        return self.tier_patrols_per_month[max(known)] if known else 1

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> LoopsConfig:
        data = {**DEFAULTS, **{k: v for k, v in raw.items() if not k.startswith("_")}}
        try:
            targets = {**DEFAULTS["urgent_targets_seconds"], **data["urgent_targets_seconds"]}
            urgent = UrgentTargets(int(targets["respond"]), int(targets["depart"]), int(targets["arrive"]))
            roles = frozenset(str(r) for r in data["complainant_roles"])
            tiers = {int(k): int(v) for k, v in data["tier_patrols_per_month"].items()}
            hh, mm = str(data["patrol_start_time"]).split(":")
            config = cls(
                urgent, int(data["complaint_reply_working_days"]), roles, tiers, time(int(hh), int(mm)),
                int(data["patrol_duration_minutes"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValidationError(f"闭环配置文件格式有误：{exc}", code="bad_config") from exc
        if roles - ROLES:
            raise ValidationError(f"闭环配置中有未知角色：{'、'.join(sorted(roles - ROLES))}", code="bad_config")
        if any(v < 0 for v in tiers.values()) or config.complaint_reply_working_days < 0:
            raise ValidationError("闭环配置中的天数和次数不能为负数", code="bad_config")
        return config

    @classmethod
    def load(cls, path: Path | None = None) -> LoopsConfig:
        path = path or resource_dir("config", "loops.json")
        try:
            raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        except (OSError, json.JSONDecodeError) as exc:
            raise ValidationError(f"无法读取闭环配置文件 {path.name}：{exc}", code="bad_config") from exc
        return cls.from_dict(raw)


_CACHED: LoopsConfig | None = None


def config() -> LoopsConfig:
    """The shipped configuration, read once."""
    global _CACHED
    if _CACHED is None:
        _CACHED = LoopsConfig.load()
    return _CACHED

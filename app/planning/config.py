"""Planning configuration: windows, caps, draw defaults and the patrol-tier rule, read from
`resources/config/planning.json` (locality rules are data, not code). Missing keys take the defaults below."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from app.resources import resource_dir

DEFAULTS: dict[str, Any] = {
    "merge_window_days": 7,
    "yearly_cap_per_body": 2,
    "default_duration_minutes": 120,
    "default_start_time": "09:00",
    "draw": {
        "algorithm": "sha256-ctr-fisher-yates-v1",
        "inspectors_per_target": 2,
        "exclude_own_grid": True,
        "exclude_own_unit": False,
        "max_pool": 20000,
    },
    "analysis": {
        "score_weights": {"violations": 1.0, "findings": 0.0, "overdue": 0.5},
        "tiers": [
            {"tier": 1, "label": "常规（每月1次）", "min_score": 0},
            {"tier": 2, "label": "加密（每周1次）", "min_score": 2},
            {"tier": 3, "label": "强化（每周3次）", "min_score": 5},
            {"tier": 4, "label": "重点（每日）", "min_score": 10},
        ],
        "top_matters_per_grid": 3,
        "ranking_limit": 20,
        "overdue_list_limit": 500,
    },
}


@dataclass(frozen=True)
class Tier:
    tier: int
    label: str
    min_score: float


@dataclass(frozen=True)
class TierRule:
    """score = Σ weight × count over the period, divided by the period's length in months; the highest tier
    whose `min_score` the score reaches is suggested."""

    weights: dict[str, float]
    tiers: tuple[Tier, ...]

    def score(self, *, violations: int, findings: int, overdue: int, months: float) -> float:
        months = max(months, 1e-9)
        total = (self.weights.get("violations", 0.0) * violations + self.weights.get("findings", 0.0) * findings
                 + self.weights.get("overdue", 0.0) * overdue)
        return total / months

    def tier_for(self, score: float) -> Tier:
        chosen = self.tiers[0]
        for tier in self.tiers:
            if score >= tier.min_score:
                chosen = tier
        return chosen


@dataclass(frozen=True)
class PlanningConfig:
    merge_window_days: int = 7
    yearly_cap_per_body: int = 2
    default_duration_minutes: int = 120
    default_start_time: time = time(9, 0)
    draw_algorithm: str = "sha256-ctr-fisher-yates-v1"
    inspectors_per_target: int = 2
    exclude_own_grid: bool = True
    exclude_own_unit: bool = False
    max_pool: int = 20000
    tier_rule: TierRule = field(default_factory=lambda: _tier_rule(DEFAULTS["analysis"]))
    top_matters_per_grid: int = 3
    ranking_limit: int = 20
    overdue_list_limit: int = 500

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PlanningConfig:
        data = _merge(DEFAULTS, raw)
        draw, analysis = data["draw"], data["analysis"]
        try:
            hh, mm = (int(p) for p in str(data["default_start_time"]).split(":"))
            cfg = cls(
                merge_window_days=int(data["merge_window_days"]),
                yearly_cap_per_body=int(data["yearly_cap_per_body"]),
                default_duration_minutes=int(data["default_duration_minutes"]),
                default_start_time=time(hh, mm),
                draw_algorithm=str(draw["algorithm"]),
                inspectors_per_target=int(draw["inspectors_per_target"]),
                exclude_own_grid=bool(draw["exclude_own_grid"]),
                exclude_own_unit=bool(draw["exclude_own_unit"]),
                max_pool=int(draw["max_pool"]),
                tier_rule=_tier_rule(analysis),
                top_matters_per_grid=int(analysis["top_matters_per_grid"]),
                ranking_limit=int(analysis["ranking_limit"]),
                overdue_list_limit=int(analysis["overdue_list_limit"]),
            )
        except (TypeError, ValueError, KeyError) as exc:
            raise ValidationError(f"计划配置文件格式有误：{exc}", code="bad_config") from exc
        if cfg.inspectors_per_target < 2:
            raise ValidationError("双随机抽查每个对象至少需要2名检查人员，配置不能小于2", code="bad_config")
        return cfg


def _tier_rule(analysis: dict[str, Any]) -> TierRule:
    tiers = tuple(sorted((Tier(int(t["tier"]), str(t["label"]), float(t["min_score"])) for t in analysis["tiers"]),
                         key=lambda t: t.min_score))
    if not tiers:
        raise ValidationError("巡查频次档位配置为空", code="bad_config")
    weights = {str(k): float(v) for k, v in analysis["score_weights"].items()}
    return TierRule(weights, tiers)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if key.startswith("_"):
            continue
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def config_path() -> Path:
    return resource_dir("config", "planning.json")


def load_config(path: Path | None = None) -> PlanningConfig:
    """The shipped configuration (or the file at `path`); defaults when the file is absent."""
    path = path or config_path()
    if not path.exists():
        return PlanningConfig.from_dict({})
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"计划配置文件不是有效的 JSON：{exc}", code="bad_config") from exc
    return PlanningConfig.from_dict(raw)

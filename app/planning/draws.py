"""双随机一公开: random draws of targets and inspectors, recorded so that anyone can re-run and audit them.

A draw takes a snapshot of its pool (targets passing the filter, certified inspectors, declared interests, the
units posted to each grid, the parameters), hashes it (SHA-256 of canonical JSON), and derives the result from
snapshot + seed alone with `app.planning.prng` ("sha256-ctr-fisher-yates-v1"):

1. the pool's targets (sorted by id) are shuffled; the first `count` (or ⌈proportion × pool⌉) are drawn;
2. for each drawn target in draw order, the inspectors not excluded for it (recusal; optionally those posted to
   the target's grid, or belonging to a unit posted there — 属地单位) are shuffled, and the required number
   (≥ 2) with the fewest assignments so far are taken (ties: shuffled order), spreading the work.

`rerun(draw)` repeats step 1–2 from the stored snapshot and seed. The draw is saved through
`app.changes.record_create`, whose audit event carries the whole record — seed and snapshot hash included.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.models import Matter, Officer, OfficerInterest, RandomDraw, Target, utcnow
from app.planning.catalog import to_ref
from app.planning.config import PlanningConfig, load_config
from app.planning.prng import ALGORITHM, Sha256CounterRng
from app.rules.officers import MIN_CERTIFIED_OFFICERS, certificate_problem
from app.store import Store

SNAPSHOT_VERSION = 1


@dataclass
class DrawSpec:
    township_id: str
    title: str
    item_codes: list[str]
    on_date: date  # the inspection date: certificates must be valid on it
    count: int | None = None
    proportion: float | None = None  # 0 < p ≤ 1, used when `count` is None
    grid_ids: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    risk_grades: list[str] = field(default_factory=list)
    inspector_ids: list[str] | None = None  # None: every active certified officer of the team
    inspectors_per_target: int = 2
    exclude_own_grid: bool = True
    exclude_own_unit: bool = False
    seed: str | None = None
    note: str = ""

    def target_filter(self) -> dict[str, Any]:
        return {"township_id": self.township_id, "grid_ids": sorted(self.grid_ids),
                "industries": sorted(self.industries), "risk_grades": sorted(self.risk_grades)}


@dataclass(frozen=True)
class PoolPreview:
    targets: int
    inspectors: int
    draw_size: int
    excluded_inspectors: list[dict[str, Any]]


@dataclass(frozen=True)
class DrawOutcome:
    result: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def draw_size(pool: int, count: int | None, proportion: float | None) -> int:
    if count is not None:
        if count < 1:
            raise ValidationError("抽取数量至少为1", code="bad_count")
        return min(count, pool)
    if proportion is None or not 0 < proportion <= 1:
        raise ValidationError("请填写抽取数量，或介于0与1之间的抽取比例", code="bad_proportion")
    return min(pool, math.ceil(round(proportion * pool, 9)))


# ---- the pool --------------------------------------------------------------------------------------------


def _validate(session: Session, spec: DrawSpec) -> list[Matter]:
    if not spec.item_codes:
        raise ValidationError("请至少选择一项抽查事项", code="no_items")
    if spec.inspectors_per_target < MIN_CERTIFIED_OFFICERS:
        raise ValidationError("每个检查对象至少需要2名执法检查人员", code="too_few_inspectors")
    matters = {m.code: m for m in session.scalars(select(Matter).where(Matter.code.in_(spec.item_codes)))}
    missing = [c for c in spec.item_codes if c not in matters]
    if missing:
        raise ValidationError(f"事项目录中没有事项：{'、'.join(missing)}", code="unknown_matter")
    not_random = [c for c in spec.item_codes if not matters[c].random_item]
    if not_random:
        raise ValidationError(f"事项 {'、'.join(not_random)} 不在双随机抽查事项清单中", code="not_random_item")
    return [matters[c] for c in dict.fromkeys(spec.item_codes)]


def build_snapshot(session: Session, spec: DrawSpec) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The pool as drawn from, and the inspectors left out of it (with reasons)."""
    items = _validate(session, spec)
    q = select(Target).where(Target.township_id == spec.township_id)
    if spec.grid_ids:
        q = q.where(Target.grid_id.in_(spec.grid_ids))
    if spec.industries:
        q = q.where(Target.industry.in_(spec.industries))
    if spec.risk_grades:
        q = q.where(Target.risk_grade.in_(spec.risk_grades))
    targets = [
        {"id": t.id, "name": t.name, "credit_code": t.credit_code, "grid_id": t.grid_id, "industry": t.industry,
         "risk_grade": t.risk_grade}
        for t in session.scalars(q.order_by(Target.id))
    ]
    team = list(session.scalars(select(Officer).where(Officer.township_id == spec.township_id,
                                                      Officer.active.is_(True)).order_by(Officer.id)))
    wanted = None if spec.inspector_ids is None else set(spec.inspector_ids)
    inspectors: list[dict[str, Any]] = []
    left_out: list[dict[str, Any]] = []
    for o in team:
        if wanted is not None and o.id not in wanted:
            continue
        problem = certificate_problem(to_ref(o), spec.on_date)
        if problem:
            left_out.append({"officer_id": o.id, "name": o.name, "target_id": None, "reason": problem})
            continue
        inspectors.append({"id": o.id, "name": o.name, "certificate_no": o.certificate_no, "unit_id": o.unit_id,
                           "grid_id": o.grid_id, "fields": sorted(o.fields or [])})
    if wanted is not None:
        known = {o.id for o in team}
        for oid in sorted(wanted - known):
            left_out.append({"officer_id": oid, "name": oid, "target_id": None, "reason": "不是本队在岗人员"})
    grid_units: dict[str, set[str]] = {}
    for o in team:
        if o.grid_id and o.unit_id:
            grid_units.setdefault(o.grid_id, set()).add(o.unit_id)
    target_ids = [t["id"] for t in targets]
    inspector_ids = [i["id"] for i in inspectors]
    interests: list[list[str]] = []
    if target_ids and inspector_ids:
        rows = session.execute(select(OfficerInterest.officer_id, OfficerInterest.target_id).where(
            OfficerInterest.officer_id.in_(inspector_ids)))
        pool = set(target_ids)
        interests = sorted([oid, tid] for oid, tid in rows if tid in pool)
    snapshot = {
        "snapshot_version": SNAPSHOT_VERSION,
        "algorithm": ALGORITHM,
        "items": [m.code for m in items],
        "params": {
            "count": spec.count, "proportion": spec.proportion if spec.count is None else None,
            "inspectors_per_target": spec.inspectors_per_target, "exclude_own_grid": spec.exclude_own_grid,
            "exclude_own_unit": spec.exclude_own_unit, "date": spec.on_date.isoformat(),
        },
        "filter": spec.target_filter(),
        "targets": targets,
        "inspectors": inspectors,
        "interests": interests,
        "grid_units": {g: sorted(u) for g, u in sorted(grid_units.items())},
    }
    return snapshot, left_out


# ---- the algorithm ---------------------------------------------------------------------------------------


def compute(snapshot: dict[str, Any], seed: str) -> DrawOutcome:
    """The draw's result from its snapshot and seed alone (pure; see the module docstring)."""
    if snapshot.get("algorithm") != ALGORITHM:
        raise ValidationError(f"不支持的抽取算法：{snapshot.get('algorithm')}", code="bad_algorithm")
    params = snapshot["params"]
    targets: list[dict[str, Any]] = snapshot["targets"]
    inspectors: list[dict[str, Any]] = snapshot["inspectors"]
    interests = {(o, t) for o, t in snapshot["interests"]}
    grid_units = {g: set(u) for g, u in snapshot["grid_units"].items()}
    need = int(params["inspectors_per_target"])
    rng = Sha256CounterRng(seed)
    order = list(range(len(targets)))
    rng.shuffle(order)
    chosen = order[: draw_size(len(targets), params["count"], params["proportion"])] if targets else []
    load = {i["id"]: 0 for i in inspectors}
    result: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    for rank, index in enumerate(chosen, start=1):
        target = targets[index]
        candidates = []
        for insp in inspectors:
            reason = _exclusion(insp, target, interests, grid_units, params)
            if reason:
                exclusions.append({"target_id": target["id"], "officer_id": insp["id"], "name": insp["name"],
                                   "reason": reason})
            else:
                candidates.append(insp["id"])
        rng.shuffle(candidates)
        picked = [oid for _, oid in sorted(enumerate(candidates), key=lambda p: (load[p[1]], p[0]))][:need]
        for oid in picked:
            load[oid] += 1
        result.append({"order": rank, "target_id": target["id"], "officer_ids": picked,
                       "shortfall": len(picked) < need})
    return DrawOutcome(result, exclusions)


def _exclusion(insp: dict[str, Any], target: dict[str, Any], interests: set[tuple[str, str]],
               grid_units: dict[str, set[str]], params: dict[str, Any]) -> str | None:
    if (insp["id"], target["id"]) in interests:
        return "与检查对象存在利害关系，回避"
    grid = target.get("grid_id")
    if params["exclude_own_grid"] and grid and insp.get("grid_id") == grid:
        return "为检查对象所在网格的执法人员，回避"
    if params["exclude_own_unit"] and grid and insp.get("unit_id") in grid_units.get(grid, set()):
        return "所在单位为检查对象所在网格的属地单位，回避"
    return None


def rerun(draw: RandomDraw) -> list[dict[str, Any]]:
    """Re-run a stored draw from its snapshot and seed; refuses a snapshot whose hash no longer matches."""
    if snapshot_sha256(draw.pool_snapshot) != draw.snapshot_sha256:
        raise DomainError("抽取快照的哈希值与记录不符，快照可能已被改动", code="snapshot_tampered")
    if draw.algorithm != draw.pool_snapshot.get("algorithm"):
        raise DomainError("抽取算法与快照记录不符", code="algorithm_mismatch")
    return compute(draw.pool_snapshot, draw.seed).result


# ---- the use cases ---------------------------------------------------------------------------------------


class DrawService:
    """Preview, draw, turn the result into plans; leader only for anything that writes."""

    def __init__(self, store: Store, user: CurrentUser, config: PlanningConfig | None = None) -> None:
        self.store = store
        self.user = user
        self.config = config or load_config()

    def preview(self, spec: DrawSpec) -> PoolPreview:
        with self.store.read() as session:
            snapshot, left_out = build_snapshot(session, spec)
        n = len(snapshot["targets"])
        size = draw_size(n, spec.count, spec.proportion) if n else 0
        return PoolPreview(n, len(snapshot["inspectors"]), size, left_out)

    def draw(self, spec: DrawSpec, *, at: datetime | None = None) -> RandomDraw:
        self._require_leader(spec.township_id)
        if len(spec.title.strip()) == 0:
            raise ValidationError("请填写抽查任务名称", code="no_title")
        seed = spec.seed or secrets.token_hex(16)
        with self.store.write() as session:
            snapshot, left_out = build_snapshot(session, spec)
            if not snapshot["targets"]:
                raise DomainError("符合条件的检查对象为空，请调整筛选条件", code="empty_pool")
            if len(snapshot["inspectors"]) < spec.inspectors_per_target:
                raise DomainError("可抽取的持证执法人员不足，无法抽取", code="too_few_inspectors")
            outcome = compute(snapshot, seed)
            draw = RandomDraw(
                township_id=spec.township_id, title=spec.title.strip(), item_codes=snapshot["items"],
                target_filter=spec.target_filter(), pool_snapshot=snapshot,
                snapshot_sha256=snapshot_sha256(snapshot), algorithm=ALGORITHM, seed=seed,
                exclusions=left_out + outcome.exclusions, result=outcome.result, drawn_at=at or utcnow(),
                drawn_by=self.user.actor, published_at=None, note=spec.note,
            )
            changes.record_create(session, draw, actor=self.user.actor)
            return draw

    def get(self, draw_id: str) -> RandomDraw:
        with self.store.read() as session:
            draw = session.get(RandomDraw, draw_id)
            if draw is None or (self.user.township_id and draw.township_id != self.user.township_id):
                raise DomainError("未找到该抽查记录", code="not_found")
            return draw

    def create_plans(self, draw_id: str, start: datetime, *, duration: int | None = None,
                     slots_per_day: int = 2) -> tuple[list[str], list[str]]:
        """One plan of kind "random" per staffed target; returns (plan ids, problems)."""
        from app.planning.draw_plans import create_plans

        draw = self.get(draw_id)
        self._require_leader(draw.township_id)
        with self.store.write() as session:
            return create_plans(session, draw, start, actor=self.user.actor, config=self.config,
                                duration=duration or self.config.default_duration_minutes,
                                slots_per_day=slots_per_day)

    def _require_leader(self, township_id: str) -> None:
        if not self.user.is_leader:
            raise DomainError("只有队长可以组织双随机抽查", code="forbidden")
        if self.user.township_id and township_id != self.user.township_id:
            raise DomainError("只能在本乡镇（街道）范围内抽查", code="forbidden")

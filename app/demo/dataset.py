"""The demo district as wire data: `build_dataset()` returns, per entity name of `app.entities.SPECS`, the
records exactly as `app.entities.to_wire` shapes them (plus "id" and "version"), deterministic for a seed and a
day. Reference data comes from `resources/demo/`; officers, targets and instructions are generated.

Two entities carry a `version` column of their own: for `catalogue_version` it is the edition number (its
primary key; "id" is the same number as text) and for `matter_empowerment` the catalogue version a row takes
effect from. Every other record has "version": 1.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from app.demo import directory, resources
from app.demo.directory import display_name, place_of
from app.demo.taskgen import (
    CST,
    STATUSES,
    Issue,
    build_events,
    compose_text,
    duration_for,
    pick_issue,
    pick_source,
    priority_for,
)
from app.entities import SPECS

DEMO_PASSWORD = "demo2026"
_ACCOUNTS = (("xindeng.leader", "leader", "xindeng"), ("xindeng.officer", "officer", "xindeng"),
             ("xindeng.clerk", "clerk", "xindeng"), ("yinhu.leader", "leader", "yinhu"))
#: sign-in accounts of demo mode and the reference server; each officer exists in the dataset with `username`
DEMO_ACCOUNTS: list[dict[str, Any]] = [
    {"username": u, "password": DEMO_PASSWORD, "name": directory.ACCOUNT_NAMES[u], "role": role,
     "township_id": tid, "officer_id": "off-" + u.replace(".", "-")}
    for u, role, tid in _ACCOUNTS
] + [{"username": "centre.admin", "password": DEMO_PASSWORD, "name": "区指挥中心值班员", "role": "centre",
      "township_id": None, "officer_id": None}]

REFERENCE_TIME = datetime(2025, 6, 1, 9, 0, tzinfo=CST)  # when the district's reference data was registered
STATUS_WEIGHTS = {"pending": 15, "accepted": 12, "in_progress": 22, "reported": 15, "closed": 28, "returned": 8}
TOWNSHIP_SHARE = {"xindeng": 40, "yinhu": 35}  # percent of instructions; the rest spread over the others
NOTES = ("已电话联系当事人，约定现场检查时间", "需会同市场监管所联合检查", "当事人外出，已留置联系卡")
_NO_TARGET_SPOTS = ("东侧空地", "沿江地块", "山脚", "路口", "后山")


def build_dataset(*, tasks: int = 200, seed: int = 2026, today: date | None = None) -> dict[str, list[dict]]:
    """All demo records by entity name (every name of `SPECS`; empty lists for what the demo lacks)."""
    today = today or date.today()
    rng = random.Random(seed)
    stamp = directory.stamp_of(REFERENCE_TIME)
    data: dict[str, list[dict[str, Any]]] = {name: [] for name in SPECS}
    data["township"] = [_strip({**t, "version": 1, **stamp}, "short") for t in resources.townships()]
    data["department"] = [{**d, "version": 1, **stamp} for d in resources.departments()]
    data["unit"] = [{**u, "version": 1, **stamp} for u in resources.units()]
    data["grid"] = [_strip({**g, "version": 1, **stamp}, "community") for g in resources.grids()]
    cat = resources.catalogue()
    data["catalogue_version"] = [
        {"id": str(v["version"]), "version": v["version"], "effective_date": v["effective_date"],
         "published_at": v["published_at"], "note": v["note"]}
        for v in cat["versions"]
    ]
    added_in = {code: v["version"] for v in cat["versions"] for code in v.get("added", ())}
    data["matter"] = [
        {**m, "since_version": added_in.get(m["code"], 1), "version": 1, **stamp} for m in cat["matters"]
    ]
    data["matter_empowerment"] = [dict(r) for r in resources.empowerments()]
    data["officer"] = directory.build_officers(rng, today, stamp)
    data["target"] = directory.build_targets(rng, stamp)
    data["officer_interest"] = directory.build_interests(rng, data["officer"], data["target"], stamp)
    data["task"] = _build_tasks(rng, tasks, today, data)
    return data


def _strip(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


def catalogue_version_on(day: date) -> int:
    """The catalogue edition in force on `day` (1 before the first edition's date)."""
    current = 1
    for v in resources.catalogue()["versions"]:
        if date.fromisoformat(v["effective_date"]) <= day:
            current = max(current, v["version"])
    return current


def _build_tasks(rng: random.Random, count: int, today: date, data: dict[str, list[dict[str, Any]]]) -> list[dict]:
    now = datetime.combine(today, time(8, 30), CST)
    towns = {t["id"]: t for t in resources.townships()}
    grids = {g["id"]: g for g in resources.grids()}
    fields = {m["code"]: m["field"] for m in data["matter"]}
    staff: dict[str, list[dict[str, Any]]] = {}
    for o in data["officer"]:
        staff.setdefault(o["township_id"], []).append(o)
    by_town: dict[str, list[dict[str, Any]]] = {}
    for t in data["target"]:
        by_town.setdefault(t["township_id"], []).append(t)
    others = sorted(tid for tid in staff if tid not in TOWNSHIP_SHARE)
    share = 100 - sum(TOWNSHIP_SHARE.values())
    town_ids = [*TOWNSHIP_SHARE, *others]
    town_weights = [*TOWNSHIP_SHARE.values(), *([share / len(others)] * len(others))]
    statuses = list(STATUS_WEIGHTS)
    drafts: list[dict[str, Any]] = []
    for n in range(count):
        tid = rng.choices(town_ids, weights=town_weights)[0]
        status = STATUSES[n] if n < len(STATUSES) else rng.choices(statuses, weights=list(STATUS_WEIGHTS.values()))[0]
        town = towns[tid]
        issue, source, target = _issue_and_target(rng, catalogue_version_on(today), by_town[tid])
        priority = priority_for(rng, source)
        dispatched, deadline = _times(rng, status, now, duration_for(priority, source))
        if issue.since_version > catalogue_version_on(dispatched.date()):
            issue, source, target = _issue_and_target(rng, catalogue_version_on(dispatched.date()), by_town[tid])
        if target is not None:
            grid = grids[target["grid_id"]]
            place = place_of(target, town["name"], town["short"])
        else:
            grid = rng.choice([g for g in grids.values() if g["township_id"] == tid])
            place = grid["community"] + rng.choice(_NO_TARGET_SPOTS)
        codes = [issue.matters[0], *rng.sample(issue.matters[1:], rng.randint(0, min(2, len(issue.matters) - 1)))]
        title, description, task_type = compose_text(
            rng, issue=issue, source=source, township=town["name"], place=place, grid_name=grid["name"],
            target_name=display_name(target["name"], town["short"]) if target else None,
            field=fields[codes[0]], deadline=deadline,
        )
        workers = [o for o in staff[tid] if o["role"] != "clerk"]
        assignees = rng.sample(workers, rng.randint(1, min(3, len(workers))))
        leader = next(o for o in staff[tid] if o["role"] == "leader")
        drafts.append({
            "township_id": tid, "status": status, "dispatched": dispatched, "deadline": deadline, "title": title,
            "description": description, "task_type": task_type, "source": source, "priority": priority,
            "grid_id": grid["id"], "target_id": target["id"] if target else None, "codes": sorted(codes),
            "assignees": assignees, "leader": leader["username"], "place": place,
        })
    drafts.sort(key=lambda d: d["dispatched"])
    return [_finish(rng, i, d, now) for i, d in enumerate(drafts)]


def _issue_and_target(
    rng: random.Random, version: int, targets: list[dict[str, Any]]
) -> tuple[Issue, str, dict[str, Any] | None]:
    for _ in range(100):
        issue = pick_issue(rng, version)
        candidates = [t for t in targets if t["industry"] in issue.industries]
        if candidates:
            target: dict[str, Any] | None = rng.choice(candidates)
            if target is not None and target["kind"] == "自然人" and rng.random() < 0.4:
                target = None
            return issue, pick_source(rng, issue), target
    raise RuntimeError("no issue matches the targets of this township")


def _times(rng: random.Random, status: str, now: datetime, duration: timedelta) -> tuple[datetime, datetime]:
    """(dispatched_at, deadline): open tasks overdue, due today or later; finished ones in the past."""
    hours = timedelta(hours=1)
    if status in ("pending", "accepted", "in_progress"):
        kind = rng.choices(("overdue", "today", "later"), weights=(3, 2, 5))[0]
        if kind == "overdue":
            deadline = now - hours * rng.uniform(1, 240)
        elif kind == "today":
            deadline = datetime.combine(now.date(), time(rng.randint(10, 22), rng.choice((0, 30))), CST)
        else:
            deadline = now + hours * rng.uniform(20, 24 * max(2, duration.days + 2))
        latest = min(deadline - duration, now - hours * rng.uniform(2, 30))
        dispatched = _office_hours(rng, latest, latest)
    else:
        back = {"reported": (20, 480), "returned": (4, 240), "closed": (48, 3600)}[status]
        dispatched = _office_hours(rng, now - hours * rng.uniform(*back), now - hours)
        deadline = dispatched + duration
    return dispatched.replace(microsecond=0), deadline.replace(second=0, microsecond=0)


def _office_hours(rng: random.Random, at: datetime, latest: datetime) -> datetime:
    """Most instructions go out between 07:00 and 21:00: a night-time one moves to that day's daytime when
    that is not after `latest`."""
    if 7 <= at.hour < 21 or rng.random() < 0.1:
        return at
    moved = at.replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59))
    return moved if moved <= latest else at


def _finish(rng: random.Random, index: int, d: dict[str, Any], now: datetime) -> dict[str, Any]:
    task_id = f"task-{index + 1:05d}"
    worker = d["assignees"][0]
    events, feedback = build_events(
        rng, task_id=task_id, status=d["status"], dispatched_at=d["dispatched"], now=now,
        worker=(worker["username"], worker["role"]), leader=d["leader"], place=d["place"],
    )
    dispatched = d["dispatched"].isoformat()
    notes = rng.choice(NOTES) if d["status"] in ("accepted", "in_progress") and rng.random() < 0.3 else ""
    return {
        "id": task_id, "version": 1, "created_at": dispatched,
        "updated_at": events[-1]["at"] if events else dispatched,
        "number": f"FYZH-{d['dispatched'].year}-{100 + index:06d}", "title": d["title"],
        "description": d["description"], "task_type": d["task_type"], "source": d["source"],
        "priority": d["priority"], "deadline": d["deadline"].isoformat(), "status": d["status"],
        "township_id": d["township_id"], "grid_id": d["grid_id"], "target_id": d["target_id"],
        "dispatched_at": dispatched, "notes": notes, "feedback": feedback,
        "assignee_ids": sorted(o["id"] for o in d["assignees"]), "matter_codes": d["codes"], "events": events,
    }

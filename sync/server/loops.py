"""The platform's side of the reform loops: checks and effects of laptop-created loop records, and the
supervision queries (interventions and their monthly summary, late urgent responses, overdue 抄告 replies).

Uses only the platform's own records and the pure rules of `app.rules.response`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.rules.response import DEFAULT_URGENT, STAGES, UrgentTargets, is_urgent, reply_overdue, stage_timers
from sync.server.records import load, save_record
from sync.server.storage import Record

CST = timezone(timedelta(hours=8))
OPEN_STATUSES = frozenset({"pending", "accepted", "in_progress"})
CHANNEL_LABELS = {"phone": "电话", "visit": "当面", "message": "短信微信", "written": "书面", "other": "其他"}


class LoopRefused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _same_township(session: Session, entity: str, ref: Any, township: str, label: str) -> Record:
    record = load(session, entity, str(ref)) if isinstance(ref, str) and ref else None
    if record is None or record.deleted:
        raise LoopRefused("bad_request", f"{label}不存在")
    if record.township_id != township:
        raise LoopRefused("forbidden", f"{label}属于其他乡镇")
    return record


def check_create(session: Session, entity: str, data: dict[str, Any], township: str) -> None:
    """Refuse a loop record pointing at another team's records (before it is stored)."""
    if entity == "intervention":
        if not (data.get("inspection_id") or data.get("task_id") or data.get("case_id")):
            raise LoopRefused("bad_request", "干预记录必须关联检查、任务或案件")
        for key, parent, label in (("inspection_id", "inspection", "检查记录"), ("task_id", "task", "任务")):
            if data.get(key):
                _same_township(session, parent, data[key], township, label)
        if data.get("corrects_id"):
            _same_township(session, "intervention", data["corrects_id"], township, "被更正的干预记录")
    elif entity in ("response_checkin", "complaint_reply"):
        _same_township(session, "task", data.get("task_id"), township, "任务")
    elif entity == "grid_tier_change":
        _same_township(session, "grid", data.get("grid_id"), township, "网格")


def after_create(session: Session, entity: str, data: dict[str, Any], township: str) -> None:
    """Effects of a stored loop record: a confirmed tier change sets the grid's patrol tier."""
    if entity == "grid_tier_change":
        grid = _same_township(session, "grid", data.get("grid_id"), township, "网格")
        if grid.data.get("patrol_tier") != data.get("to_tier"):
            save_record(session, grid, {**grid.data, "patrol_tier": int(data["to_tier"])})


# ---- supervision queries ---------------------------------------------------------------------------------


def _records(session: Session, entity: str, township: str | None = None) -> list[Record]:
    query = select(Record).where(Record.entity == entity, Record.deleted.is_(False))
    if township:
        query = query.where(Record.township_id == township)
    return list(session.scalars(query))


def _month(iso: str | None) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(CST).strftime("%Y-%m")


def interventions(session: Session, township: str | None = None, month: str | None = None) -> list[dict[str, Any]]:
    """Every intervention (originals and corrections), newest first, with the township's name."""
    names = {r.id: str(r.data.get("name") or r.id) for r in _records(session, "township")}
    rows = []
    for r in _records(session, "intervention", township):
        d = r.data
        if month and _month(d.get("occurred_at")) != month:
            continue
        rows.append({
            "id": r.id, "township_id": r.township_id, "township": names.get(r.township_id or "", r.township_id),
            "occurred_at": d.get("occurred_at"), "intervener_name": d.get("intervener_name"),
            "intervener_post": d.get("intervener_post") or "", "channel": d.get("channel"),
            "channel_label": CHANNEL_LABELS.get(str(d.get("channel")), str(d.get("channel"))),
            "request": d.get("request"), "response": d.get("response") or "",
            "inspection_id": d.get("inspection_id"), "task_id": d.get("task_id"), "case_id": d.get("case_id"),
            "corrects_id": d.get("corrects_id"), "recorded_by": d.get("recorded_by") or "",
            "recorded_at": d.get("created_at"),
        })
    rows.sort(key=lambda x: (str(x["occurred_at"]), x["id"]), reverse=True)
    return rows


def monthly_summary(session: Session, township: str | None = None) -> list[dict[str, Any]]:
    """Per township and month: interventions (originals) and corrections."""
    counts: dict[tuple[str, str], list[int]] = {}
    names: dict[str, str] = {}
    for row in interventions(session, township):
        key = (str(row["township_id"]), _month(row["occurred_at"]))
        names[key[0]] = str(row["township"])
        acc = counts.setdefault(key, [0, 0])
        acc[1 if row["corrects_id"] else 0] += 1
    return [
        {"township_id": t, "township": names[t], "month": month, "count": n, "corrections": c}
        for (t, month), (n, c) in sorted(counts.items(), key=lambda x: (x[0][1], x[0][0]), reverse=True)
    ]


def urgent_responses(session: Session, now: datetime, township: str | None = None, *, overdue_only: bool = True,
                     targets: UrgentTargets = DEFAULT_URGENT) -> list[dict[str, Any]]:
    """Urgent instructions with their stage timers; a stage is late when checked in late (as the laptop reported
    it) or still missing past its target while the instruction is open."""
    checkins: dict[str, dict[str, dict[str, Any]]] = {}
    for r in sorted(_records(session, "response_checkin", township), key=lambda r: str(r.data.get("at"))):
        checkins.setdefault(str(r.data.get("task_id")), {}).setdefault(str(r.data.get("stage")), r.data)
    out = []
    for task in _records(session, "task", township):
        d = task.data
        if not is_urgent(d.get("priority")) or not d.get("dispatched_at"):
            continue
        dispatched = datetime.fromisoformat(d["dispatched_at"])
        done = {s: datetime.fromisoformat(c["at"]) for s, c in checkins.get(task.id, {}).items()}
        open_task = d.get("status") in OPEN_STATUSES
        timers = stage_timers(dispatched, done, now, targets)
        stages = []
        for t in timers:
            reported = checkins.get(task.id, {}).get(t.stage.value)
            late = bool(reported["overdue"]) if reported else (open_task and t.overdue)
            stages.append({"stage": t.stage.value, "label": t.label, "target_seconds": t.target_seconds,
                           "at": reported["at"] if reported else None,
                           "elapsed_seconds": reported["elapsed_seconds"] if reported else t.elapsed_seconds,
                           "location": (reported or {}).get("location") or "", "late": late})
        late_any = any(s["late"] for s in stages)
        if overdue_only and not late_any:
            continue
        out.append({"task_id": task.id, "number": d.get("number"), "title": d.get("title"),
                    "township_id": task.township_id, "priority": d.get("priority"), "status": d.get("status"),
                    "dispatched_at": d.get("dispatched_at"), "late": late_any, "stages": stages})
    out.sort(key=lambda x: str(x["dispatched_at"]), reverse=True)
    return out


def overdue_notice_replies(session: Session, today: date, township: str | None = None) -> list[dict[str, Any]]:
    replied = {str(r.data.get("referral_id")) for r in _records(session, "notice_reply", township)}
    out = []
    for r in _records(session, "referral", township):
        d = r.data
        if d.get("kind") != "notice":
            continue
        due = date.fromisoformat(d["reply_due"]) if d.get("reply_due") else None
        if reply_overdue(due, r.id in replied, today):
            out.append({"referral_id": r.id, "township_id": r.township_id, "subject": d.get("subject"),
                        "to_department_id": d.get("to_department_id"), "reply_due": d.get("reply_due"),
                        "days_overdue": (today - due).days if due else 0})
    return out


__all__ = ["STAGES", "LoopRefused", "after_create", "check_create", "interventions", "monthly_summary",
           "overdue_notice_replies", "urgent_responses"]

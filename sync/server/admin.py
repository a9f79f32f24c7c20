"""Centre-side administration: what the district command centre does on its platform, as importable functions
(`admin.create_task(engine, …)`) and as `python -m sync.server admin --data-dir DIR <command>`.

Every write goes through `records` so it bumps the record version and publishes a change the laptops pull.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.errors import DomainError
from app.rules.task_states import TaskStatus, transition
from app.task_events import TaskEventWire
from sync.server import records as rec
from sync.server.policy import ROLES
from sync.server.security import hash_password
from sync.server.storage import Record, User, get_meta, set_meta, write_session

CST = timezone(timedelta(hours=8))
CENTRE_ACTOR = "centre.admin"  # the actor recorded on centre steps, as in the demo dataset


class AdminError(Exception):
    """A refused admin command (Chinese message)."""


def _load(session: Session, entity: str, entity_id: str) -> Record:
    record = rec.load(session, entity, entity_id, for_update=True)
    if record is None or record.deleted:
        raise AdminError(f"找不到{entity}「{entity_id}」 ({entity} not found)")
    return record


def parse_time(value: str | datetime) -> datetime:
    """ISO 8601; a time without zone is taken as China Standard Time (UTC+8)."""
    try:
        dt = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        raise AdminError(f"时间格式无效：{value} (use ISO 8601)") from None
    return dt.replace(tzinfo=CST) if dt.tzinfo is None else dt


def _matter_codes(session: Session) -> set[str]:
    rows = session.scalars(select(Record).where(Record.entity == "matter", Record.deleted.is_(False)))
    return {str(r.data.get("code")) for r in rows}


def _next_task_number(session: Session) -> str:
    """FYZH-YYYY-NNNNNN, continuing after the highest number of that year already dispatched."""
    year = datetime.now(CST).year
    key = f"task_counter_{year}"
    stored = get_meta(session, key)
    if stored is None:
        pattern = re.compile(rf"^FYZH-{year}-(\d+)$")
        numbers = (
            str(r.data.get("number") or "")
            for r in session.scalars(select(Record).where(Record.entity == "task"))
        )
        stored = str(max((int(m.group(1)) for n in numbers if (m := pattern.match(n))), default=0))
    count = int(stored) + 1
    set_meta(session, key, str(count))
    return f"FYZH-{year}-{count:06d}"


def create_task(
    engine: Engine,
    township: str,
    title: str,
    *,
    target: str | None = None,
    matters: list[str] | tuple[str, ...] = (),
    deadline: str | datetime | None = None,
    priority: int = 3,
    source: str = "指挥中心",
    task_type: str = "核查",
    description: str = "",
    grid: str | None = None,
) -> dict[str, Any]:
    """Dispatch a new instruction to a township's team; returns its wire data (with "version")."""
    if not title.strip():
        raise AdminError("任务标题不能为空 (title required)")
    with write_session(engine) as session:
        _load(session, "township", township)
        if target is not None:
            target_rec = _load(session, "target", target)
            if target_rec.township_id != township:
                raise AdminError(f"检查对象 {target} 不属于乡镇 {township} (target in another township)")
            grid = grid or target_rec.data.get("grid_id")
        unknown = sorted(set(matters) - _matter_codes(session))
        if unknown:
            raise AdminError(f"未知的事项代码：{'、'.join(unknown)} (unknown matter codes)")
        now = rec.now_iso()
        task_id = uuid.uuid4().hex
        data: dict[str, Any] = {
            "id": task_id,
            "number": _next_task_number(session),
            "title": title.strip(),
            "description": description,
            "task_type": task_type,
            "source": source,
            "priority": int(priority),
            "deadline": parse_time(deadline).isoformat() if deadline else None,
            "status": TaskStatus.PENDING.value,
            "township_id": township,
            "grid_id": grid,
            "target_id": target,
            "dispatched_at": now,
            "notes": "",
            "feedback": "",
            "created_at": now,
            "updated_at": now,
            "assignee_ids": [],
            "matter_codes": sorted(set(matters)),
            "events": [],
        }
        record = rec.create_record(session, "task", task_id, data, township_id=township)
        return {**record.data, "version": record.version}


def _centre_step(task: Record, action: str, reason: str | None = None) -> dict[str, Any]:
    data = dict(task.data)
    try:
        event = transition(
            data.get("status") or "pending",
            action,
            role="centre",
            actor=CENTRE_ACTOR,
            at=datetime.now(UTC),
            reason=reason,
        )
    except DomainError as exc:
        raise AdminError(f"{exc.message} ({exc.code})") from None
    data["events"] = [*(data.get("events") or []), TaskEventWire.of(uuid.uuid4().hex, event).wire()]
    data["status"] = event.to_status.value
    return data


def _save(session: Session, task: Record, data: dict[str, Any]) -> dict[str, Any]:
    rec.save_record(session, task, data)
    return {**task.data, "version": task.version}


def reassign(engine: Engine, task_id: str, township: str) -> dict[str, Any]:
    """Send a task to `township`: a returned task goes back to pending (重新派发); a pending one simply moves."""
    with write_session(engine) as session:
        task = _load(session, "task", task_id)
        _load(session, "township", township)
        status = task.data.get("status") or "pending"
        if status == TaskStatus.RETURNED:
            data = _centre_step(task, "reassign")
        elif status == TaskStatus.PENDING and township != task.township_id:
            data = dict(task.data)
        else:
            raise AdminError(f"只有已退回或待签收的任务可以重新派发（当前 {status}） (cannot reassign)")
        if township != task.township_id:
            data["township_id"] = township
            data["assignee_ids"] = []
            for key, entity in (("target_id", "target"), ("grid_id", "grid")):
                ref = rec.load(session, entity, data[key]) if data.get(key) else None
                if ref is not None and ref.township_id != township:
                    data[key] = None
        return _save(session, task, data)


def set_deadline(engine: Engine, task_id: str, deadline: str | datetime) -> dict[str, Any]:
    with write_session(engine) as session:
        task = _load(session, "task", task_id)
        return _save(session, task, {**task.data, "deadline": parse_time(deadline).isoformat()})


def set_field(
    engine: Engine, task_id: str, field: str, value: Any, *, entity: str = "task"
) -> dict[str, Any]:
    """Overwrite one field as the centre (e.g. to simulate a concurrent edit in tests)."""
    if field in ("id", "version", "township_id"):
        raise AdminError(f"不能直接修改字段 {field} (use reassign)")
    with write_session(engine) as session:
        record = _load(session, entity, task_id)
        return _save(session, record, {**record.data, field: value})


def close(engine: Engine, task_id: str) -> dict[str, Any]:
    """办结: the centre accepts a reported task."""
    with write_session(engine) as session:
        task = _load(session, "task", task_id)
        return _save(session, task, _centre_step(task, "close"))


def reject(engine: Engine, task_id: str, reason: str) -> dict[str, Any]:
    """驳回: the centre sends a reported task back to in-progress, with a reason."""
    with write_session(engine) as session:
        task = _load(session, "task", task_id)
        return _save(session, task, _centre_step(task, "reject", reason))


def empower(
    engine: Engine, township: str, matter: str, *, empowered: bool = True, effective: date | str | None = None
) -> dict[str, Any]:
    """Publish a new catalogue edition in which `matter` is (or, with empowered=False, is no longer) exercised
    by `township` in its own name, taking effect on `effective` (default: today in China time). Laptops apply
    an edition from its effective date on, whenever they sync it. Editions take effect in the order they are
    published: an effective date before the latest edition's is refused. Returns the new empowerment row."""
    with write_session(engine) as session:
        _load(session, "township", township)
        if matter not in _matter_codes(session):
            raise AdminError(f"未知的事项代码：{matter} (unknown matter)")
        editions = list(session.scalars(select(Record).where(Record.entity == "catalogue_version")))
        edition = 1 + max((int(r.data.get("version") or r.version) for r in editions), default=0)
        today = datetime.now(CST).date()
        try:
            day = date.fromisoformat(effective) if isinstance(effective, str) else (effective or today)
        except ValueError:
            raise AdminError(f"生效日期格式应为 YYYY-MM-DD：{effective} (bad date)") from None
        latest = max((date.fromisoformat(str(r.data["effective_date"])) for r in editions
                      if r.data.get("effective_date")), default=None)
        if latest is not None and day < latest:
            raise AdminError(
                f"生效日期 {day.isoformat()} 早于已发布的最新一版（{latest.isoformat()} 施行），"
                f"目录版本须按发布顺序生效 (effective date before the latest edition)"
            )
        verb = "赋权" if empowered else "取消赋权"
        rec.create_record(
            session,
            "catalogue_version",
            str(edition),
            {
                "version": edition,
                "effective_date": date.isoformat(day),
                "published_at": rec.now_iso(),
                "note": f"{verb}：{township} {matter}",
            },
            version=edition,
        )
        row_id = uuid.uuid4().hex
        record = rec.create_record(
            session,
            "matter_empowerment",
            row_id,
            {"township_id": township, "matter_code": matter, "version": edition, "empowered": empowered},
            version=edition,
            township_id=township,
        )
        return dict(record.data)


def deempower(
    engine: Engine, township: str, matter: str, *, effective: date | str | None = None
) -> dict[str, Any]:
    return empower(engine, township, matter, empowered=False, effective=effective)


def add_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    township: str | None = None,
    *,
    name: str | None = None,
    officer_id: str | None = None,
) -> None:
    if role not in ROLES:
        raise AdminError(f"未知角色 {role}（可选 {'/'.join(ROLES)}）(unknown role)")
    if role != "centre" and not township:
        raise AdminError("乡镇队员必须指定乡镇 (township required)")
    if len(password) < 8:
        raise AdminError("密码至少 8 位 (password too short)")
    with write_session(engine) as session:
        if session.get(User, username) is not None:
            raise AdminError(f"用户 {username} 已存在 (user exists)")
        if township:
            _load(session, "township", township)
        session.add(
            User(
                username=username,
                name=name or username,
                role=role,
                township_id=township,
                officer_id=officer_id,
                password_hash=hash_password(password),
            )
        )


def compact(engine: Engine, keep_last: int) -> tuple[int, int]:
    """Drop tombstones older than the last `keep_last` sequence numbers; returns (dropped, horizon)."""
    with write_session(engine) as session:
        return rec.compact(session, keep_last)


def delete(engine: Engine, entity: str, entity_id: str) -> int:
    """Delete a record (publishes a tombstone); returns its new version."""
    with write_session(engine) as session:
        return rec.delete_record(session, _load(session, entity, entity_id)).version

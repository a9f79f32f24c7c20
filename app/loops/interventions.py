"""干预留痕 (plan §14): an officer records an intervention in a case or inspection by a leader or anyone
outside the procedure — who, when, how, what was asked, how the officer responded.

Records are append-only: never edited or deleted. A correction is a new record whose `corrects_id` names the
record it corrects; `effective()` shows the latest correction in place of the original while keeping both.
Counted per township and month in `monthly_summary` (the platform's supervision has the same count).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import changes
from app import models as m
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.store import Store

CST = timezone(timedelta(hours=8))
CHANNELS: dict[str, str] = {"phone": "电话", "visit": "当面", "message": "短信微信", "written": "书面", "other": "其他"}


@dataclass(frozen=True)
class InterventionInput:
    intervener_name: str
    intervener_post: str
    occurred_at: datetime
    channel: str
    request: str
    response: str
    inspection_id: str | None = None
    task_id: str | None = None
    case_id: str | None = None
    corrects_id: str | None = None


@dataclass(frozen=True)
class MonthCount:
    township_id: str
    month: str  # YYYY-MM (China time)
    count: int
    corrections: int


def validate(value: InterventionInput, now: datetime) -> None:
    """Chinese messages for a person; nothing is stored when one is raised."""
    if not value.intervener_name.strip():
        raise ValidationError("请填写干预人姓名", code="intervener_required")
    if value.channel not in CHANNELS:
        raise ValidationError(f"干预方式无效（可选：{'、'.join(CHANNELS.values())}）", code="bad_channel")
    if not value.request.strip():
        raise ValidationError("请填写干预的具体内容（对方提出了什么要求）", code="request_required")
    if value.occurred_at.tzinfo is None:
        raise ValidationError("干预时间缺少时区", code="bad_time")
    if value.occurred_at > now + timedelta(minutes=5):
        raise ValidationError("干预时间不能晚于当前时间", code="future_time")
    if not (value.inspection_id or value.task_id or value.case_id):
        raise ValidationError("干预记录必须关联一个检查、任务或案件", code="subject_required")


class InterventionService:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store = store
        self.user = user

    def record(self, value: InterventionInput, *, now: datetime | None = None) -> m.Intervention:
        """Store one intervention (and queue it for the platform) in one transaction."""
        now = now or datetime.now(UTC)
        validate(value, now)
        with self.store.write() as session:
            township = self._township_of(session, value)
            if value.corrects_id:
                original = session.get(m.Intervention, value.corrects_id)
                if original is None or original.township_id != township:
                    raise ValidationError("要更正的干预记录不存在", code="unknown_intervention")
            row = m.Intervention(
                id=m.new_id(), township_id=township, inspection_id=value.inspection_id, task_id=value.task_id,
                case_id=value.case_id, intervener_name=value.intervener_name.strip(),
                intervener_post=value.intervener_post.strip(), occurred_at=value.occurred_at,
                channel=value.channel, request=value.request.strip(), response=value.response.strip(),
                corrects_id=value.corrects_id, recorded_by=self.user.actor,
            )
            changes.record_create(session, row, actor=self.user.actor)
            return row

    def _township_of(self, session: Session, value: InterventionInput) -> str:
        township: str | None = None
        if value.inspection_id:
            inspection = session.get(m.Inspection, value.inspection_id)
            if inspection is None:
                raise ValidationError("未找到该检查记录", code="unknown_inspection")
            township = inspection.township_id
        if value.task_id:
            task = session.get(m.Task, value.task_id)
            if task is None:
                raise ValidationError("未找到该任务", code="unknown_task")
            township = township or task.township_id
        township = township or self.user.township_id
        if township is None:
            raise ValidationError("无法确定干预记录所属的乡镇", code="no_township")
        if self.user.township_id and township != self.user.township_id:
            raise DomainError("不能为其他乡镇的检查或任务记录干预", code="forbidden")
        return township

    def list_for(self, *, inspection_id: str | None = None, task_id: str | None = None,
                 case_id: str | None = None) -> list[m.Intervention]:
        """Every record of the subject (originals and corrections), oldest first."""
        conds = []
        if inspection_id:
            conds.append(m.Intervention.inspection_id == inspection_id)
        if task_id:
            conds.append(m.Intervention.task_id == task_id)
        if case_id:
            conds.append(m.Intervention.case_id == case_id)
        if not conds:
            return []
        with self.store.read() as session:
            return list(session.scalars(
                select(m.Intervention).where(or_(*conds)).order_by(m.Intervention.occurred_at, m.Intervention.id)
            ))

    def monthly_summary(self) -> list[MonthCount]:
        with self.store.read() as session:
            return monthly_summary(session, self.user.township_id)


def effective(rows: Iterable[m.Intervention]) -> list[tuple[m.Intervention, list[m.Intervention]]]:
    """Originals with their corrections (oldest first); the last correction is the current wording."""
    rows = list(rows)
    by_id = {r.id: r for r in rows}
    chains: dict[str, list[m.Intervention]] = {}
    for r in rows:
        root = r
        seen = {r.id}
        while root.corrects_id and root.corrects_id in by_id and root.corrects_id not in seen:
            root = by_id[root.corrects_id]
            seen.add(root.id)
        if root.id != r.id:
            chains.setdefault(root.id, []).append(r)
    return [(r, sorted(chains.get(r.id, []), key=lambda c: c.created_at)) for r in rows if not r.corrects_id]


def monthly_summary(session: Session, township_id: str | None = None) -> list[MonthCount]:
    """Interventions per township and month of occurrence (China time), newest month first."""
    query = select(m.Intervention.township_id, m.Intervention.occurred_at, m.Intervention.corrects_id)
    if township_id:
        query = query.where(m.Intervention.township_id == township_id)
    counts: dict[tuple[str, str], list[int]] = {}
    for township, at, corrects in session.execute(query):
        key = (township, at.astimezone(CST).strftime("%Y-%m"))
        acc = counts.setdefault(key, [0, 0])
        acc[1 if corrects else 0] += 1
    return [MonthCount(t, month, n, c) for (t, month), (n, c) in sorted(counts.items(), key=lambda x: (x[0][1], x[0][0]), reverse=True)]


def count(session: Session, township_id: str) -> int:
    return session.scalar(
        select(func.count()).select_from(m.Intervention).where(m.Intervention.township_id == township_id)
    ) or 0

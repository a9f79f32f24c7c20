"""From a draw to inspection plans (one "random" plan per drawn target) and to the published result list
(抽查结果公示) as HTML (for QTextDocument → PDF / print) and CSV. Qt-free."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import changes
from app.errors import DomainError
from app.models import Finding, Inspection, InspectionPlan, Matter, Officer, RandomDraw, Target, Township
from app.planning.config import PlanningConfig
from app.planning.planner import CST, PlanDraft, check_plan
from app.store import Store


def _slots(start: datetime, count: int, duration: int, per_day: int) -> list[datetime]:
    """`count` start times: `per_day` slots on each working day from `start` on (no two slots overlap)."""
    gap = timedelta(minutes=max(duration + 30, 300))
    out: list[datetime] = []
    day = start
    while len(out) < count:
        if day.astimezone(CST).weekday() < 5:
            out.extend(day + gap * j for j in range(per_day))
        day += timedelta(days=1)
    return out[:count]


def create_plans(session: Session, draw: RandomDraw, start: datetime, *, actor: str, config: PlanningConfig,
                 duration: int, slots_per_day: int = 2) -> tuple[list[str], list[str]]:
    """Create the plans of a draw that have none yet; returns (new plan ids, problems in Chinese)."""
    done = set(session.scalars(select(InspectionPlan.target_id).where(InspectionPlan.draw_id == draw.id)))
    todo = [e for e in draw.result if e["target_id"] not in done]
    problems: list[str] = []
    items = {m.code: m for m in session.scalars(select(Matter).where(Matter.code.in_(draw.item_codes)))}
    targets = {t.id: t for t in session.scalars(select(Target).where(Target.id.in_([e["target_id"] for e in todo])))}
    staffed = [e for e in todo if not e.get("shortfall")]
    for e in todo:
        if e.get("shortfall"):
            name = targets[e["target_id"]].name if e["target_id"] in targets else e["target_id"]
            problems.append(f"{name}：可抽取的执法人员不足2名，未生成计划")
    created: list[str] = []
    for entry, when in zip(staffed, _slots(start, len(staffed), duration, max(1, slots_per_day)), strict=True):
        target = targets.get(entry["target_id"])
        if target is None:
            problems.append(f"检查对象 {entry['target_id']} 已不在本地数据中，未生成计划")
            continue
        codes = [c for c in draw.item_codes if c in items and
                 (not items[c].industries or target.industry in items[c].industries)] or list(draw.item_codes)
        owners = list(dict.fromkeys(items[c].owner_department_id for c in codes if c in items))
        draft = PlanDraft(target_id=target.id, scheduled_at=when, duration=duration, matter_codes=codes,
                          lead_department_id=owners[0] if owners else None, supporting_department_ids=owners[1:],
                          officer_ids=list(entry["officer_ids"]), kind="random")
        check = check_plan(session, draft, config, township_id=draw.township_id)
        if check.refusals:
            problems.append(f"{target.name}：" + "；".join(i.message for i in check.refusals))
            continue
        plan = InspectionPlan(
            township_id=draw.township_id, target_id=target.id, kind="random", scheduled_at=when,
            duration_minutes=duration, lead_department_id=draft.lead_department_id,
            supporting_department_ids=draft.supporting_department_ids, matter_codes=codes,
            officer_ids=draft.officer_ids, task_ids=[], draw_id=draw.id, status="planned",
            notes=f"双随机抽查「{draw.title}」第 {entry['order']} 号", created_by=actor,
        )
        changes.record_create(session, plan, actor=actor)
        created.append(plan.id)
    return created, problems


# ---- publication (抽查结果公示) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicRow:
    order: int
    target_name: str
    credit_code: str
    address: str
    items: str
    inspectors: str
    scheduled: str
    outcome: str


HEADERS = ("序号", "检查对象名称", "统一社会信用代码", "地址", "抽查事项", "执法检查人员", "检查时间", "检查结果")


def publication_rows(session: Session, draw: RandomDraw) -> list[PublicRow]:
    ids = [e["target_id"] for e in draw.result]
    targets = {t.id: t for t in session.scalars(select(Target).where(Target.id.in_(ids)))}
    officer_ids = {o for e in draw.result for o in e["officer_ids"]}
    officers = {o.id: o for o in session.scalars(select(Officer).where(Officer.id.in_(officer_ids)))}
    matters = dict(session.execute(select(Matter.code, Matter.name).where(
        Matter.code.in_(draw.item_codes))).all())
    plans = {p.target_id: p for p in session.scalars(select(InspectionPlan).where(InspectionPlan.draw_id == draw.id))}
    outcome = _outcomes(session, [p.id for p in plans.values()])
    rows = []
    for e in draw.result:
        t = targets.get(e["target_id"])
        plan = plans.get(e["target_id"])
        codes = plan.matter_codes if plan else draw.item_codes
        people = "、".join(f"{officers[o].name}（{officers[o].certificate_no or '—'}）" if o in officers else o
                          for o in e["officer_ids"])
        if plan is None:
            result = "人员不足，未安排" if e.get("shortfall") else "待安排"
        elif plan.status == "cancelled":
            result = "已取消"
        else:
            result = outcome.get(plan.id, "待检查")
        rows.append(PublicRow(
            e["order"], t.name if t else e["target_id"], (t.credit_code or "") if t else "", t.address if t else "",
            "；".join(matters.get(c, c) for c in codes), people,
            plan.scheduled_at.astimezone(CST).strftime("%Y-%m-%d %H:%M") if plan else "", result,
        ))
    return rows


def _outcomes(session: Session, plan_ids: list[str]) -> dict[str, str]:
    if not plan_ids:
        return {}
    finals = {insp: plan for insp, plan in session.execute(select(Inspection.id, Inspection.plan_id).where(
        Inspection.plan_id.in_(plan_ids), Inspection.status == "finalised")) if plan is not None}
    if not finals:
        return {}
    violations = dict(session.execute(
        select(Finding.inspection_id, func.count()).where(Finding.inspection_id.in_(list(finals)),
                                                          Finding.result == "violation")
        .group_by(Finding.inspection_id)).all())
    out: dict[str, str] = {}
    for insp_id, plan_id in finals.items():
        n = violations.get(insp_id, 0)
        out[plan_id] = f"发现问题 {n} 项，已依法处置" if n else "未发现问题"
    return out


def publication_html(session: Session, draw: RandomDraw) -> str:
    """The 抽查结果公示 as simple HTML that QTextDocument renders (A4, CJK font chosen by the renderer)."""
    township = session.get(Township, draw.township_id)
    rows = publication_rows(session, draw)
    esc = html.escape
    team = township.team_name if township else ""
    head = "".join(f"<th>{esc(h)}</th>" for h in HEADERS)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in (r.order, r.target_name, r.credit_code, r.address,
                                                             r.items, r.inspectors, r.scheduled, r.outcome))
        + "</tr>" for r in rows)
    drawn = draw.drawn_at.astimezone(CST).strftime("%Y年%m月%d日 %H:%M")
    return (
        "<html><body style='font-size:10pt'>"
        f"<h2 align='center'>{esc(team)}“双随机、一公开”抽查结果公示</h2>"
        f"<p><b>抽查任务：</b>{esc(draw.title)}<br/><b>抽取时间：</b>{esc(drawn)}　<b>抽取人：</b>{esc(draw.drawn_by)}<br/>"
        f"<b>抽查对象：</b>共 {len(draw.pool_snapshot.get('targets', []))} 户，抽取 {len(rows)} 户</p>"
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse:collapse'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"<p style='font-size:8pt'>抽取方法：{esc(draw.algorithm)}（SHA-256 计数器伪随机数 + Fisher–Yates 洗牌）；"
        f"随机种子：{esc(draw.seed)}；名录快照 SHA-256：{esc(draw.snapshot_sha256)}。"
        "凭上述快照与种子可复现本次抽取结果。</p>"
        f"<p align='right'>{esc(township.legal_name if township else '')}<br/>"
        f"{datetime.now(CST):%Y年%m月%d日}</p>"
        "</body></html>"
    )


def publication(store: Store, draw_id: str) -> tuple[str, list[PublicRow]]:
    """A draw's 抽查结果公示 as (HTML, rows), read in one transaction."""
    with store.read() as session:
        draw = session.get(RandomDraw, draw_id)
        if draw is None:
            raise DomainError("未找到该次抽取记录", code="not_found")
        return publication_html(session, draw), publication_rows(session, draw)


def write_publication_csv(rows: list[PublicRow], path: Path) -> Path:
    """UTF-8 with BOM so that Excel opens the Chinese text correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for r in rows:
            writer.writerow((r.order, r.target_name, r.credit_code, r.address, r.items, r.inspectors, r.scheduled,
                             r.outcome))
    return path

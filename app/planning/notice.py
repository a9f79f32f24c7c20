"""The printable inspection notice (检查通知) and merged checklist (综合查一次检查表) of a plan, as simple HTML
that QTextDocument renders to A4 (print preview or PDF). Qt-free: the UI only renders it."""

from __future__ import annotations

import html
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department, Matter, Officer, Target, Township
from app.planning.checklist import merged_checklist
from app.planning.planner import CST, PlanDraft, local_day

_STYLE = ("<style>body{font-size:10.5pt} h2{font-size:16pt} h3{font-size:12pt;margin-top:10px}"
          " td,th{padding:3px} .muted{color:#555;font-size:9pt}</style>")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def plan_document_html(session: Session, draft: PlanDraft, township_id: str, *, number: str | None = None) -> str:
    """Notice + checklist of `draft` (saved or not) for the team of `township_id`."""
    township = session.get(Township, township_id)
    target = session.get(Target, draft.target_id) if draft.target_id else None
    depts = dict(session.execute(select(Department.id, Department.name)).all())
    officers = {o.id: o for o in session.scalars(select(Officer).where(Officer.id.in_(draft.officer_ids)))}
    matters = {m.code: m for m in session.scalars(select(Matter).where(Matter.code.in_(draft.matter_codes)))}
    when = draft.scheduled_at.astimezone(CST) if draft.scheduled_at else None
    groups = merged_checklist(session, township_id, draft.matter_codes,
                              day=local_day(draft.scheduled_at) if draft.scheduled_at else None,
                              lead_department_id=draft.lead_department_id)
    team = township.team_name if township else ""
    people = "、".join(f"{_e(officers[o].name)}（执法证号 {_e(officers[o].certificate_no or '—')}）"
                      for o in draft.officer_ids if o in officers)
    supporting = "、".join(_e(depts.get(d, d)) for d in draft.supporting_department_ids) or "—"
    matter_list = "".join(f"<li>{_e(m.code)} {_e(m.name)}</li>" for c in draft.matter_codes if (m := matters.get(c)))
    parts = [
        f"<html><head>{_STYLE}</head><body>",
        f"<h2 align='center'>{_e(team)}<br/>综合查一次检查通知</h2>",
        f"<p align='right' class='muted'>{_e(number or '（计划保存后生成编号）')}</p>",
        f"<p><b>{_e(target.name if target else '')}</b>：</p>",
        "<p>　　根据“综合查一次”工作安排（进一次门、查多项事、一次到位），我队将会同相关部门对你单位开展联合检查。"
        "现将有关事项通知如下：</p>",
        "<table width='100%' border='0'>",
        f"<tr><td width='18%'>检查时间</td><td>{_e(when.strftime('%Y年%m月%d日 %H:%M') if when else '')}"
        f"（预计 {draft.duration} 分钟）</td></tr>",
        f"<tr><td>检查地点</td><td>{_e(target.address if target else '')}</td></tr>",
        f"<tr><td>统一社会信用代码</td><td>{_e(target.credit_code if target else '') or '—'}</td></tr>",
        f"<tr><td>牵头部门</td><td>{_e(depts.get(draft.lead_department_id or '', ''))}</td></tr>",
        f"<tr><td>配合部门</td><td>{supporting}</td></tr>",
        f"<tr><td>执法人员</td><td>{people}</td></tr>",
        "</table>",
        f"<p><b>检查事项：</b></p><ol>{matter_list}</ol>",
        "<p>　　执法人员将出示行政执法证件。你单位如认为执法人员与你单位有直接利害关系，可以申请回避。"
        "请届时安排熟悉情况的人员在场，并准备好相关证照、台账等材料。</p>",
        f"<p align='right'>{_e(township.legal_name if township else '')}<br/>{datetime.now(CST):%Y年%m月%d日}</p>",
        "<hr/>",
        "<h2 align='center'>综合查一次检查表</h2>",
        f"<p class='muted'>检查对象：{_e(target.name if target else '')}　"
        f"检查时间：{_e(when.strftime('%Y-%m-%d %H:%M') if when else '')}　相同检查要点只检查一次</p>",
    ]
    for group in groups:
        lead = "（牵头）" if group.is_lead else ""
        parts.append(f"<h3>{_e(group.department_name)}{lead}</h3>")
        parts.append("<table width='100%' border='1' cellspacing='0' cellpadding='3'>"
                     "<tr><th width='5%'>序号</th><th>检查要点</th><th width='22%'>所属事项</th>"
                     "<th width='24%'>执法主体</th><th width='12%'>检查结果</th></tr>")
        for i, item in enumerate(group.items, start=1):
            parts.append(f"<tr><td align='center'>{i}</td><td>{_e(item.point)}</td>"
                         f"<td>{_e('、'.join(item.matter_codes))}</td><td>{_e(item.body_names)}</td>"
                         "<td>□符合 □不符合 □不涉及</td></tr>")
        parts.append("</table>")
    parts.append("<p>执法人员签名：＿＿＿＿＿＿　＿＿＿＿＿＿　　　被检查单位签名：＿＿＿＿＿＿</p></body></html>")
    return "".join(parts)

"""The self-test's PDF step: a draft 现场检查（勘验）笔录 for a task through the document renderer of
`ui.documents`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.documents.render_input import RenderInput
from app.documents.templates import load_template
from app.readmodels.task_detail import TaskDetail, load_detail
from app.store import Store
from ui.documents.renderer import render_pdf


def _values(d: TaskDetail) -> dict[str, object]:
    start = datetime.now(UTC).replace(microsecond=0)
    target = d.target
    return {
        "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=40)).isoformat(),
        "place": (target.address if target else "") or d.township,
        "matter_name": d.matters[0].name if d.matters else "",
        "party_name": target.name if target else "（自检）",
        "party_id_code": target.credit_code if target else "",
        "party_legal_rep": target.legal_rep if target else "",
        "party_address": target.address if target else "",
        "officers": "自检执法人员（执法证号 自检-0001）、自检执法人员（执法证号 自检-0002）",
        "recorder": "自检",
        "recusal_answer": "不申请回避",
        "findings": f"自检：{d.title}",
    }


def render_task_pdf(store: Store, task_id: str, out: Path) -> str:
    with store.read() as session:
        detail = load_detail(session, task_id)
    body = next((m for m in detail.matters if m.body), None)
    inp = RenderInput(
        template=load_template("onsite_record"),
        values=_values(detail),
        doc_id=f"selftest-{task_id}",
        status="draft",
        body_id=detail.township_id,
        body_legal_name=body.body if body else detail.township,
        seal_name=body.body if body else detail.township,
    )
    out.write_bytes(render_pdf(inp))
    return "用文书渲染器生成《现场检查（勘验）笔录》草稿"


"""The self-test's PDF step: a draft 现场检查（勘验）笔录 for a task through the document renderer of
`ui.documents` when it is available, else a plain QTextDocument PDF of the task detail (and it says which)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.readmodels.task_detail import TaskDetail, load_detail
from app.store import Store


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
    try:
        from app.documents.render_input import RenderInput
        from app.documents.templates import load_template
        from ui.documents.renderer import render_pdf
    except ImportError:
        return _plain_pdf(detail, out)
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


def _plain_pdf(d: TaskDetail, out: Path) -> str:
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    rows = [
        ("编号", d.number),
        ("标题", d.title),
        ("状态", d.status_label),
        ("类型", d.task_type),
        ("来源", d.source),
        ("对象", d.target.name if d.target else ""),
    ]
    body = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows)
    doc = QTextDocument()
    doc.setHtml(f"<h2>任务详情（自检）</h2><table cellpadding='4'>{body}</table>")
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    doc.print_(writer)
    return "未找到文书渲染器，改用 QTextDocument 生成任务详情 PDF"

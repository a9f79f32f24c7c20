"""Centre commands of the reform loops: dispatch a complaint (投诉举报) with its protected complainant, enter a
regulating department's reply to a 抄告 (`notice-reply`), export interventions (干预留痕) to CSV/XLSX with the
monthly summary, and list urgent responses that missed their targets. Functions and their CLI sub-commands
(`python -m sync.server admin … <command>`)."""

from __future__ import annotations

import argparse
import csv
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine

from sync.server import loops as L
from sync.server import records as rec
from sync.server.admin import AdminError, _load, create_task, parse_time
from sync.server.storage import read_session, write_session

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

COMPLAINT_SOURCE = "投诉举报"
EXPORT_COLUMNS = (
    ("township", "乡镇（街道）"), ("occurred_at", "干预时间"), ("intervener_name", "干预人"),
    ("intervener_post", "职务/单位"), ("channel_label", "方式"), ("request", "干预内容"),
    ("response", "执法人员答复"), ("inspection_id", "检查记录"), ("task_id", "任务"), ("case_id", "案件"),
    ("corrects_id", "更正的记录"), ("recorded_by", "记录人"), ("recorded_at", "记录时间"), ("id", "记录编号"),
)


def create_complaint(engine: Engine, township: str, title: str, *, name: str, phone: str = "",
                     id_number: str = "", address: str = "", channel: str = "12345", anonymous: bool = False,
                     **task: Any) -> dict[str, Any]:
    """A 投诉举报 task plus its complainant record (kept apart from the task; never in its description)."""
    if not name.strip() and not anonymous:
        raise AdminError("请填写投诉举报人姓名，或标记为匿名 (complainant name required)")
    secret = [v for v in (name.strip(), phone.strip(), id_number.strip()) if len(v) >= 2]
    if any(s in f"{title}{task.get('description', '')}" for s in secret):
        raise AdminError("任务标题或描述中不能包含投诉举报人的身份信息 (identity in task text)")
    data = create_task(engine, township, title, source=COMPLAINT_SOURCE, **task)
    with write_session(engine) as session:
        cid = uuid.uuid4().hex
        now = rec.now_iso()
        rec.create_record(session, "complainant", cid, {
            "township_id": township, "task_id": data["id"], "name": name.strip(), "phone": phone.strip(),
            "id_number": id_number.strip(), "address": address.strip(), "channel": channel,
            "received_at": data["dispatched_at"], "anonymous": anonymous, "wants_reply": True,
            "created_at": now, "updated_at": now,
        }, township_id=township)
    return {**data, "complainant_id": cid}


def notice_reply(engine: Engine, referral_id: str, content: str, *, replier: str = "", measures: str = "",
                 replied_at: str | datetime | None = None) -> dict[str, Any]:
    """The regulating department's reply to a 抄告: stored as a `notice_reply` the team pulls; the notice is
    marked answered."""
    if not content.strip():
        raise AdminError("请填写反馈内容 (content required)")
    with write_session(engine) as session:
        notice = _load(session, "referral", referral_id)
        if notice.data.get("kind") != "notice":
            raise AdminError(f"{referral_id} 不是抄告单 (not a notice)")
        at = parse_time(replied_at) if replied_at else datetime.now(UTC)
        now = rec.now_iso()
        rid = uuid.uuid4().hex
        record = rec.create_record(session, "notice_reply", rid, {
            "township_id": notice.township_id, "referral_id": referral_id, "case_id": notice.data.get("case_id"),
            "replied_at": at.isoformat(), "replier": replier.strip(), "content": content.strip(),
            "measures": measures.strip(), "created_at": now, "updated_at": now,
        }, township_id=notice.township_id)
        if notice.data.get("status") != "answered":
            rec.save_record(session, notice, {**notice.data, "status": "answered"})
        return {**record.data, "version": record.version}


def export_interventions(engine: Engine, path: Path, *, township: str | None = None,
                         month: str | None = None) -> int:
    """Write the interventions (and, in XLSX, the monthly summary sheet) to `path` (.csv or .xlsx)."""
    with read_session(engine) as session:
        rows = L.interventions(session, township, month)
        summary = L.monthly_summary(session, township)
    suffix = path.suffix.lower()
    header = [label for _, label in EXPORT_COLUMNS]
    body = [[("" if r.get(k) is None else str(r.get(k))) for k, _ in EXPORT_COLUMNS] for r in rows]
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(body)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = cast("Worksheet", book.active)  # a new workbook's one sheet is a worksheet
        sheet.title = "干预留痕"
        sheet.append(header)
        for line in body:
            sheet.append(line)
        months = book.create_sheet("月度汇总")
        months.append(["乡镇（街道）", "月份", "干预记录", "更正记录"])
        for s in summary:
            months.append([s["township"], s["month"], s["count"], s["corrections"]])
        book.save(tmp)
    else:
        raise AdminError("导出文件须为 .csv 或 .xlsx (export to .csv or .xlsx)")
    tmp.replace(path)
    return len(rows)


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("create-complaint", help="派发投诉举报件（举报人信息单独保存）")
    p.add_argument("--township", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--name", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--id-number", default="")
    p.add_argument("--channel", default="12345")
    p.add_argument("--anonymous", action="store_true")
    p.add_argument("--target")
    p.add_argument("--matter", action="append", default=[])
    p.add_argument("--deadline")
    p.add_argument("--priority", type=int, default=3)
    p.add_argument("--description", default="")
    p = sub.add_parser("notice-reply", help="录入管理部门对抄告单的反馈")
    p.add_argument("--referral", required=True)
    p.add_argument("--content", required=True)
    p.add_argument("--replier", default="")
    p.add_argument("--measures", default="")
    p.add_argument("--at")
    p = sub.add_parser("export-interventions", help="导出干预留痕记录（CSV/XLSX）")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--township")
    p.add_argument("--month")
    p = sub.add_parser("urgent-overdue", help="列出紧急指令响应超时")
    p.add_argument("--township")


def run(engine: Engine, args: argparse.Namespace) -> str | None:
    """Execute a loops command; None when `args.command` is not one of them."""
    c = args.command
    if c == "create-complaint":
        t = create_complaint(engine, args.township, args.title, name=args.name, phone=args.phone,
                             id_number=args.id_number, channel=args.channel, anonymous=args.anonymous,
                             target=args.target, matters=args.matter, deadline=args.deadline,
                             priority=args.priority, description=args.description)
        return f"已派发投诉举报件 created complaint task id={t['id']} number={t['number']}"
    if c == "notice-reply":
        r = notice_reply(engine, args.referral, args.content, replier=args.replier, measures=args.measures,
                         replied_at=args.at)
        return f"已录入抄告反馈 notice reply id={r['id']} referral={r['referral_id']}"
    if c == "export-interventions":
        n = export_interventions(engine, args.out, township=args.township, month=args.month)
        return f"已导出干预留痕 {n} 条 exported {n} interventions to {args.out}"
    if c == "urgent-overdue":
        with read_session(engine) as session:
            rows = L.urgent_responses(session, datetime.now(UTC), args.township)
        lines = [f"{r['number']} {r['title']} " + " ".join(
            f"{s['label']}{'超时' if s['late'] else '正常'}" for s in r["stages"]) for r in rows]
        return "\n".join([f"紧急指令响应超时 {len(rows)} 条 late urgent responses: {len(rows)}", *lines])
    return None

"""`verify`, everything: SQLite `integrity_check` and `foreign_key_check`, the audit chain with its keyed MACs
and platform anchors, every evidence blob re-hashed, and unreferenced blobs. Damaged evidence is named by its
record — inspection, checklist item, original file name — not only by hash.

Exit codes (a bit mask, so that several kinds combine; 0 = intact):
    1  the audit chain or its anchors are broken
    4  evidence files are missing or altered
    8  the database file itself is damaged (integrity or foreign-key check failed)
(2 is `python -m lianxuntong`'s code for a store that could not be opened at all.) Warnings — orphan blobs, MACs that
cannot be checked, a key replaced — are reported but do not change the code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app import audit, replica
from app.evidence_hygiene import find_orphans
from app.evidence_store import BlobProblem, blob_path, verify_blobs
from app.models import Evidence, Finding, Inspection, Target, Task
from app.store import Store

EXIT_AUDIT = 1
EXIT_EVIDENCE = 4
EXIT_DATABASE = 8
MAX_LINES = 50


@dataclass
class Problem:
    kind: str  # database / foreign_key / audit / anchor / evidence
    message: str  # Chinese
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class VerifyResult:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    audit_rows: int = 0
    keyed_from: int | None = None
    anchored_seq: int = 0
    anchors: int = 0
    blobs: int = 0
    orphans: list[str] = field(default_factory=list)
    replica: list[str] = field(default_factory=list)  # the last sync's checksum comparison (app.replica)

    @property
    def exit_code(self) -> int:
        code = 0
        for p in self.problems:
            code |= {"audit": EXIT_AUDIT, "anchor": EXIT_AUDIT, "evidence": EXIT_EVIDENCE}.get(p.kind, EXIT_DATABASE)
        return code

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self, *, redact: bool = False) -> str:
        """Machine-readable; `redact` (the diagnostics bundle) drops what names records — file names,
        inspections, checklist items — keeping kinds, hashes, seqs and evidence ids."""
        data = asdict(self)
        data["exit_code"], data["ok"] = self.exit_code, self.ok
        if redact:
            for p in data["problems"]:
                if p["kind"] == "evidence":
                    d = p["detail"]
                    p["message"] = f"证据文件{'缺失' if d['problem'] == 'missing' else '内容已被改动'}：{d['sha256']}"
                    p["detail"] = {"sha256": d["sha256"], "problem": d["problem"],
                                   "evidence_ids": [r["evidence_id"] for r in d.get("records", [])]}
        return json.dumps(data, ensure_ascii=False, indent=2)

    def lines(self) -> list[str]:
        """The Chinese report `python -m lianxuntong verify` prints."""
        db = [p for p in self.problems if p.kind in ("database", "foreign_key")]
        chain = [p for p in self.problems if p.kind in ("audit", "anchor")]
        ev = [p for p in self.problems if p.kind == "evidence"]
        out = ["数据库文件：" + ("完好" if not db else f"损坏（{len(db)} 处）")]
        out += [f"  {p.message}" for p in db[:MAX_LINES]]
        keyed = (f"，第 {self.keyed_from} 条起带密钥签名" if self.keyed_from else "，未带密钥签名（旧版本记录）")
        anchored = f"，平台回执确认至第 {self.anchored_seq} 条" if self.anchored_seq else "，尚无平台回执"
        out.append(f"审计链：已校验 {self.audit_rows} 条{keyed}{anchored}" + ("，完好" if not chain else "，损坏："))
        out += [f"  {p.message}" for p in chain]
        out.append(f"证据文件：已校验 {self.blobs} 个" + ("，完好" if not ev else f"，{len(ev)} 个有问题"))
        out += [f"  {p.message}" for p in ev[:MAX_LINES]]
        if self.orphans:
            out.append(f"未被任何证据记录引用的文件：{len(self.orphans)} 个（不影响记录，超过一天后启动时自动清理）")
        out += self.replica
        out += [f"提示：{w}" for w in self.warnings]
        out.append("结论：" + ("完好" if self.ok else f"发现问题（退出码 {self.exit_code}）"))
        return out


def check_database(store: Store) -> list[Problem]:
    problems: list[Problem] = []
    try:
        with store.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check(100)")]
    except DBAPIError as exc:
        return [_damaged("完整性检查", exc)]
    if rows != ["ok"]:
        problems += [Problem("database", f"完整性检查：{r}") for r in rows]
    try:
        with store.engine.connect() as conn:
            for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                problems.append(Problem("foreign_key", f"表 {table} 第 {rowid} 行引用了不存在的 {parent} 记录",
                                        {"table": table, "rowid": rowid, "parent": parent}))
    except DBAPIError as exc:
        problems.append(_damaged("外键检查", exc))
    return problems


def _damaged(step: str, exc: DBAPIError) -> Problem:
    raw = str(exc.orig)
    what = "数据页结构损坏" if "malformed" in raw else "不是有效的数据库" if "not a database" in raw else "读取出错"
    return Problem("database", f"{step}时发现数据库文件已损坏（{what}），请从备份恢复",
                   {"step": step, "error": raw})


def _evidence_records(store: Store, sha256: str) -> list[dict[str, Any]]:
    """Which records a blob belongs to, in words a person recognises."""
    out = []
    with store.read() as s:
        for ev in s.scalars(select(Evidence).where(Evidence.sha256 == sha256)):
            rec: dict[str, Any] = {"evidence_id": ev.id, "original_name": ev.original_name, "kind": ev.kind}
            insp = s.get(Inspection, ev.inspection_id) if ev.inspection_id else None
            if insp is not None:
                target = s.get(Target, insp.target_id) if insp.target_id else None
                when = insp.started_at.date().isoformat() if insp.started_at else ""
                rec["inspection"] = "，".join(x for x in (target.name if target else "", when, insp.place) if x)
            finding = s.get(Finding, ev.finding_id) if ev.finding_id else None
            if finding is not None:
                rec["checklist_item"] = finding.check_point
            task = s.get(Task, ev.task_id) if ev.task_id else None
            if task is not None:
                rec["task"] = f"{task.number} {task.title}"
            out.append(rec)
    return out


def _describe(rec: dict[str, Any]) -> str:
    parts = [f"原文件名「{rec['original_name']}」"]
    if rec.get("inspection"):
        parts.append(f"检查记录「{rec['inspection']}」")
    if rec.get("checklist_item"):
        parts.append(f"检查项「{rec['checklist_item']}」")
    if rec.get("task"):
        parts.append(f"任务「{rec['task']}」")
    return "，".join(parts)


def _blobs_present(store: Store) -> tuple[int, list[BlobProblem]]:
    """Presence only (no hashing): the quick form for the diagnostics bundle."""
    with store.read() as session:
        hashes = sorted(set(session.scalars(select(Evidence.sha256))))
    missing = [BlobProblem(h, "missing", "") for h in hashes if not blob_path(store.paths.evidence, h).exists()]
    return len(hashes), missing


def run_verify(store: Store, *, progress: Callable[[int, int], None] | None = None,
               hash_blobs: bool = True) -> VerifyResult:
    """Everything; `hash_blobs=False` checks that each blob is present without re-hashing it (seconds, not
    minutes: what the diagnostics bundle runs — the full check is `python -m lianxuntong verify`)."""
    result = VerifyResult()
    result.problems += check_database(store)
    try:
        with store.read() as session:
            chain = audit.verify_chain(session)
            result.replica = replica.describe(replica.last_check(session))
    except DBAPIError as exc:
        result.problems.append(_damaged("校验审计链", exc))
        result.problems[-1].kind = "audit"
        return result
    result.audit_rows, result.keyed_from = chain.checked, chain.keyed_from
    result.anchored_seq, result.anchors = chain.anchored_seq, chain.anchors
    if chain.problem:
        result.problems.append(Problem("audit", chain.problem, {"seq": chain.broken_at}))
    if chain.anchor_problem:
        result.problems.append(Problem("anchor", chain.anchor_problem))
    result.warnings += chain.notes
    if not hash_blobs:
        result.warnings.append("证据文件只检查了是否存在，未重新计算哈希（完整校验：python -m lianxuntong verify）")
    if chain.keyed_from is not None and not chain.macs_checked:
        result.warnings.append("系统钥匙串不可用或没有本机审计密钥，密钥签名未校验")
    try:
        blobs, blob_problems = (verify_blobs(store, progress=progress) if hash_blobs
                                else _blobs_present(store))
    except DBAPIError as exc:
        result.problems.append(_damaged("校验证据文件", exc))
        return result
    result.blobs = blobs
    for bp in blob_problems:
        records = _evidence_records(store, bp.sha256)
        what = "缺失" if bp.problem == "missing" else "内容已被改动"
        named = "；".join(_describe(r) for r in records) or "（无记录）"
        result.problems.append(Problem("evidence", f"证据文件{what}：{named}（{bp.sha256}）",
                                       {"sha256": bp.sha256, "problem": bp.problem, "records": records}))
    try:
        result.orphans = [p.name for p in find_orphans(store)]
    except DBAPIError as exc:
        result.problems.append(_damaged("查找未引用的证据文件", exc))
    return result

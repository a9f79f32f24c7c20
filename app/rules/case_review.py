"""案卷评查 (case-file review) rules, pure: the defect kinds, the configurable weights and the score and verdict
(DOMAIN §6), plus the checks that need nothing but the case's own records — documents in the order of the case
stage machine, clocks exceeded.

Shape of the published review standards: basic standards (any failure → 不合格, score 0), 卷面 (file form,
about 20 points) and 内容 (content, about 80 points) with a deduction per defect. The weights live in
resources/config/case_review.json and are illustrative configuration, not a published standard.
`app.cases.self_check` gathers the records and calls these functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from app.errors import ValidationError
from app.resources import resource_dir
from app.rules.case_stages import MAIN_LINE, CaseStage
from app.rules.clocks import Clock, ClockState

DEFAULT_FILE = resource_dir("config", "case_review.json")

#: defect kind → (Chinese label, the standard it belongs to when the configuration does not say)
KINDS: Mapping[str, str] = {
    "unlawful_body": "执法主体不合法",
    "certificate_invalid": "执法证件无效",
    "too_few_officers": "执法人员不足两名",
    "not_transferred": "应移送未移送",
    "missing_field": "必填项缺失",
    "missing_document": "文书缺失",
    "missing_signature": "签名或送达缺失",
    "missing_page": "页面缺失",
    "document_order": "文书顺序错误",
    "not_issued": "文书未签发",
    "clock_exceeded": "超过法定期限",
    "wrong_body": "文书执法主体与日期不符",
    "evidence_unverified": "证据未通过哈希校验",
    "recording_missing": "缺少全过程音像记录",
    "review_missing": "缺少法制审核",
}
SECTION_LABELS = {"basic": "基本标准", "form": "卷面", "content": "内容"}

#: which stage of the case machine a document type belongs to (its place in the file: 立案 → 调查取证 → 审查 →
#: 决定 → 送达 → 执行). The service receipt follows the document it serves and is ordered by that document.
DOC_STAGES: Mapping[str, CaseStage] = {
    "onsite_record": CaseStage.INVESTIGATING,
    "interview_record": CaseStage.INVESTIGATING,
    "preservation_notice": CaseStage.INVESTIGATING,
    "seizure_decision": CaseStage.INVESTIGATING,
    "penalty_notice": CaseStage.NOTIFIED,
    "penalty_decision": CaseStage.DECIDED,
}


@dataclass(frozen=True)
class ReviewConfig:
    basic: frozenset[str]
    form_points: int
    content_points: int
    deductions: Mapping[str, tuple[str, int]]  # kind → (section, points)
    grades: tuple[tuple[int, str], ...]  # (min score, label), highest first
    recording_activities: tuple[str, ...]
    recording_kinds: frozenset[str]
    served_documents: tuple[str, ...]
    stage_documents: Mapping[CaseStage, str]

    def section(self, kind: str) -> str:
        if kind in self.basic:
            return "basic"
        return self.deductions.get(kind, ("content", 0))[0]

    def points(self, kind: str) -> int:
        return 0 if kind in self.basic else self.deductions.get(kind, ("content", 0))[1]


def parse_review_config(data: Mapping[str, Any]) -> ReviewConfig:
    """The configuration from its JSON shape; a malformed one is refused in Chinese."""
    try:
        basic = frozenset(str(k) for k in data.get("basic", ()))
        deductions: dict[str, tuple[str, int]] = {}
        points: dict[str, int] = {}
        for section in ("form", "content"):
            part = data[section]
            points[section] = int(part["points"])
            for kind, value in dict(part.get("deductions", {})).items():
                deductions[str(kind)] = (section, int(value))
        unknown = sorted((basic | set(deductions)) - set(KINDS))
        if unknown:
            raise ValidationError(f"评查配置含未知的问题类别：{'、'.join(unknown)}", code="bad_review_config")
        if any(v < 0 for _s, v in deductions.values()) or min(points.values()) < 0:
            raise ValidationError("评查配置的分值不能为负数", code="bad_review_config")
        grades = tuple(sorted(((int(g["min"]), str(g["label"])) for g in data.get("grades", ())), reverse=True))
        recording = dict(data.get("recording", {}))
        stages = {CaseStage(k): str(v) for k, v in dict(data.get("stage_documents", {})).items()}
        return ReviewConfig(
            basic=basic,
            form_points=points["form"],
            content_points=points["content"],
            deductions=deductions,
            grades=grades,
            recording_activities=tuple(str(a) for a in recording.get("activities", ())),
            recording_kinds=frozenset(str(k) for k in recording.get("evidence_kinds", ("video", "audio"))),
            served_documents=tuple(str(d) for d in data.get("served_documents", ())),
            stage_documents=stages,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError(f"评查配置无效：{exc}", code="bad_review_config") from exc


@cache
def default_review_config() -> ReviewConfig:
    return parse_review_config(json.loads(DEFAULT_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Defect:
    """One defect of the file: what (kind), where (document: type + number, or 案件; field) and how to fix it."""

    kind: str
    document: str  # "行政处罚决定书 新登镇综执罚决〔2026〕1号", or "案件 …立〔2026〕1号"
    field: str  # the field or record concerned ("当事人签名", "案件办理期限" …)
    problem: str
    fix: str
    document_id: str | None = None

    @property
    def label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class ScoredDefect:
    defect: Defect
    section: str  # basic / form / content
    points: int  # deducted (0 for a basic standard: it fails the whole file)

    @property
    def section_label(self) -> str:
        return SECTION_LABELS[self.section]


@dataclass(frozen=True)
class Score:
    total: int
    form: int
    content: int
    verdict: str  # 优秀 / 合格 / 不合格
    basic_failed: bool
    defects: tuple[ScoredDefect, ...] = field(default_factory=tuple)

def score(defects: Iterable[Defect], config: ReviewConfig) -> Score:
    """Deduct each defect from its section (never below 0); any basic-standard failure → 不合格, score 0."""
    scored = tuple(ScoredDefect(d, config.section(d.kind), config.points(d.kind)) for d in defects)
    lost = {"form": 0, "content": 0}
    for s in scored:
        if s.section in lost:
            lost[s.section] += s.points
    form = max(0, config.form_points - lost["form"])
    content = max(0, config.content_points - lost["content"])
    basic_failed = any(s.section == "basic" for s in scored)
    total = 0 if basic_failed else form + content
    verdict = "不合格"
    if not basic_failed:
        verdict = next((label for low, label in config.grades if total >= low), "不合格")
    return Score(total, form, content, verdict, basic_failed, scored)


# ---- checks on the case's own records ------------------------------------------------------------------------


@dataclass(frozen=True)
class FiledDocument:
    """An issued document of the file as the order check sees it."""

    id: str
    name: str  # "行政处罚决定书 新登镇综执罚决〔2026〕1号"
    doc_type: str
    issued_on: date
    number: str
    serves: str | None = None  # 送达回证: the number of the document it serves


def stage_rank(doc_type: str) -> int | None:
    stage = DOC_STAGES.get(doc_type)
    return MAIN_LINE.index(stage) if stage is not None else None


def order_defects(docs: Sequence[FiledDocument], stage_entered: Mapping[CaseStage, date]) -> list[Defect]:
    """Documents out of the case machine's order: one issued before a document of an earlier stage, before the
    case reached its stage (a 决定书 dated before the decision step), or a 送达回证 dated before what it serves."""
    found: list[Defect] = []
    by_number = {d.number: d for d in docs}
    for doc in docs:
        rank = stage_rank(doc.doc_type)
        if rank is not None:
            earlier = [o for o in docs if (r := stage_rank(o.doc_type)) is not None and r < rank
                       and o.issued_on > doc.issued_on]
            for other in earlier:
                found.append(Defect(
                    "document_order", doc.name, "签发日期",
                    f"签发于{doc.issued_on.isoformat()}，早于程序在先的「{other.name}」（{other.issued_on.isoformat()}）",
                    f"按 立案→调查取证→告知→审查→决定→送达 的顺序核对文书日期；确有错误的，作废后按正确顺序重新出具"
                    f"（{doc.name.split(' ', 1)[0]}应在{other.name.split(' ', 1)[0]}之后）",
                    doc.id,
                ))
            stage = DOC_STAGES[doc.doc_type]
            entered = stage_entered.get(stage)
            if stage is not CaseStage.INVESTIGATING and entered is not None and doc.issued_on < entered:
                found.append(Defect(
                    "document_order", doc.name, "签发日期",
                    f"签发于{doc.issued_on.isoformat()}，早于案件进入「{stage.label}」阶段（{entered.isoformat()}）",
                    f"先在案件中办理「{stage.label}」步骤，再出具本文书；已出具的应作废后重新出具",
                    doc.id,
                ))
        if doc.doc_type == "service_receipt" and doc.serves:
            served = by_number.get(doc.serves)
            if served is not None and doc.issued_on < served.issued_on:
                found.append(Defect(
                    "document_order", doc.name, "送达日期",
                    f"送达回证日期{doc.issued_on.isoformat()}早于被送达的「{served.name}」签发日期"
                    f"（{served.issued_on.isoformat()}）",
                    "文书须先签发后送达：核对送达日期，作废错误的送达回证并按实际送达重新出具",
                    doc.id,
                ))
    return found


def clock_defects(clocks: Iterable[Clock], today: date, where: str) -> list[Defect]:
    """Every case clock that reads overdue today (met late, or still open past its last day)."""
    found = []
    for c in clocks:
        if c.state(today) is not ClockState.OVERDUE:
            continue
        when = f"于{c.done.isoformat()}完成" if c.done else "至今未完成"
        found.append(Defect(
            "clock_exceeded", where, c.name,
            f"{c.name}（{c.basis}）截止{c.due.isoformat()}，{when}",
            "超期已成事实的，在案卷中附情况说明及批准延长的材料；未完成的，立即办理并记录"
            if c.done else f"立即办理「{c.name}」所保障的事项并在案件中记录；需延长的须经负责人批准",
        ))
    return found

"""What follows a violation found on a finalised record, per the matter it falls under:

* 责令（限期）改正 — a `correction_order` draft document (`app.documents.service.DocumentService.create_draft`)
  and a re-check (复查) InspectionPlan of kind "recheck" scheduled on the correction deadline;
* 立案建议 — a case clue (Referral kind "case_clue") when the team's own enforcing body handles the matter;
* 移送 — a transfer (Referral kind "transfer") to the district department that owns the matter, required when the
  jurisdiction authority (`app.law.jurisdiction`) says the matter is not empowered (未赋权) to the empowered (赋权)
  township on the record's day, or may need a major penalty (重大行政处罚);
* 抄告 — a notice to the regulating department (Referral kind "notice") with its reply deadline.

Each option comes pre-filled from the record (party, facts, provisions, deadlines) and says whether it has
already been created, so that reopening the dialog never makes a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import changes
from app.errors import DomainError, ValidationError
from app.identity import CurrentUser
from app.inspections.checklist import MatterInfo, item_key, load_matters
from app.inspections.view import CHINA_TZ, Answer, InspectionSnapshot, local_day, snapshot
from app.law.jurisdiction import Reason
from app.models import Department, Document, InspectionPlan, Referral, Township, new_id, utcnow
from app.rules.clocks import DEFAULT_THRESHOLDS, LegalThresholds, days_after
from app.store import Store

KIND_LABELS = {"correction": "责令（限期）改正", "case_clue": "立案建议", "transfer": "案件移送", "notice": "抄告"}
RECHECK_HOUR = time(9, 0)


@dataclass(frozen=True)
class FollowUpOption:
    kind: str  # correction / case_clue / transfer / notice
    finding_id: str
    matter_code: str
    matter_name: str
    check_point: str
    to_department_id: str | None
    to_department_name: str
    required: bool = False  # a transfer the rules require
    reason: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)
    done: bool = False
    created: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.finding_id}:{self.matter_code}"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _facts(snap: InspectionSnapshot, a: Answer) -> str:
    started = snap.started_at.astimezone(CHINA_TZ).strftime("%Y年%m月%d日%H时%M分") if snap.started_at else ""
    who = "、".join(o.name for o in snap.officers)
    party = str(snap.party.get("name") or snap.target_name)
    fact = (a.fact or a.note).strip().rstrip("。")
    return f"{started}，执法人员{who}在{snap.place}对{party}进行现场检查，发现：{fact}。"


def _matters_of(snap: InspectionSnapshot, a: Answer) -> list[str]:
    if a.key.startswith("obs:"):
        return [a.matter_code] if a.matter_code else []
    item = next((i for i in snap.items if i.key == item_key(a.check_point)), None)
    if item is not None:
        return list(item.matter_codes)
    return [a.matter_code] if a.matter_code else []


def options_for(snap: InspectionSnapshot, matters: dict[str, MatterInfo], township: Township,
                today: date, thresholds: LegalThresholds = DEFAULT_THRESHOLDS) -> list[FollowUpOption]:
    """The follow-up options of every violation on the record (pure; `done` is filled in by the service)."""
    out: list[FollowUpOption] = []
    for a in snap.violations():
        for code in _matters_of(snap, a):
            m = matters.get(code)
            if m is None:
                continue
            facts = _facts(snap, a)
            if m.jurisdiction is None:  # no body on the record's day (e.g. matter not in that edition)
                continue
            by_township = m.jurisdiction.body.is_township
            not_empowered = m.jurisdiction.reason is Reason.NOT_EMPOWERED
            needs_transfer = not_empowered or (m.major_penalty and by_township)
            base: dict[str, Any] = dict(finding_id=a.finding_id, matter_code=code, matter_name=m.name, check_point=a.check_point,
                        to_department_id=m.department_id, to_department_name=m.department_name)
            deadline = days_after(today, thresholds.correction_default_days)
            relied = "《中华人民共和国行政处罚法》第二十八条第一款" + (f"、{m.penalty_basis}" if m.penalty_basis else "")
            out.append(FollowUpOption("correction", **base, defaults={
                "deadline": deadline, "facts": facts, "legal_basis": m.legal_basis, "relied_basis": relied,
                "requirement": f"立即停止违法行为，并于{deadline:%Y年%m月%d日}前改正：{a.check_point}",
            }))
            if needs_transfer:
                reason = (f"该事项未赋权{township.name}，应由{m.department_name}实施" if not_empowered else
                          "该违法行为可能需要给予重大行政处罚（吊销许可证件、责令关闭、较大数额罚款等），"
                          "依规移送区级部门")
                out.append(FollowUpOption("transfer", **base, required=True, reason=reason, defaults={
                    "subject": f"关于{snap.party.get('name') or snap.target_name}涉嫌违法案件的移送",
                    "facts": facts, "reason": reason,
                }))
            else:
                out.append(FollowUpOption("case_clue", **base, defaults={
                    "subject": f"立案建议：{snap.party.get('name') or snap.target_name}（{m.name}）",
                    "facts": facts, "reason": f"涉嫌违反{m.legal_basis or m.name}，建议立案调查",
                }))
            reply_due = days_after(today, thresholds.notice_reply_days)
            out.append(FollowUpOption("notice", **base, defaults={
                "subject": f"关于{snap.party.get('name') or snap.target_name}监管问题的抄告",
                "facts": facts, "reason": "检查中发现监管漏洞，请依职责加强监管并于期限内回复", "reply_due": reply_due,
            }))
    return out


class FollowUpService:
    def __init__(self, store: Store, user: CurrentUser, *, thresholds: LegalThresholds = DEFAULT_THRESHOLDS,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.user = user
        self.thresholds = thresholds
        self.clock = clock

    def options(self, inspection_id: str) -> list[FollowUpOption]:
        with self.store.read() as session:
            return self._options(session, inspection_id)

    def _options(self, session: Session, inspection_id: str) -> list[FollowUpOption]:
        snap = snapshot(session, inspection_id)
        township = session.get(Township, snap.township_id)
        assert township is not None
        codes = sorted({c for a in snap.violations() for c in _matters_of(snap, a)})
        matters = {m.code: m for m in load_matters(session, snap.township_id, codes, snap.day)}
        found = options_for(snap, matters, township, local_day(self.clock()), self.thresholds)
        return [self._with_done(session, inspection_id, o) for o in found]

    def _with_done(self, session: Session, inspection_id: str, o: FollowUpOption) -> FollowUpOption:
        created: dict[str, str] = {}
        if o.kind == "correction":
            for doc in session.scalars(select(Document).where(
                    Document.inspection_id == inspection_id, Document.doc_type == "correction_order",
                    Document.matter_code == o.matter_code)):
                if (doc.fields or {}).get("_finding_id", o.finding_id) == o.finding_id:
                    created["document"] = doc.id
            tag = _tag(o.finding_id, o.matter_code)
            plan = session.scalar(select(InspectionPlan.id).where(
                InspectionPlan.kind == "recheck", InspectionPlan.notes.contains(tag)).limit(1))
            if plan:
                created["plan"] = plan
        else:
            ref = session.scalar(select(Referral.id).where(
                Referral.finding_id == o.finding_id, Referral.kind == o.kind, Referral.matter_code == o.matter_code
            ).limit(1))
            if ref:
                created["referral"] = ref
        done = ("document" in created and "plan" in created) if o.kind == "correction" else bool(created)
        return replace(o, done=done, created=created)

    def create(self, inspection_id: str, option: FollowUpOption, **overrides: Any) -> dict[str, str]:
        """Create the follow-up (what already exists is kept, not duplicated); returns the ids created or
        found: {"document", "plan"} for a correction, {"referral"} otherwise."""
        with self.store.read() as session:
            snap = snapshot(session, inspection_id)
            if not snap.finalised:
                raise DomainError("检查记录完成并锁定后才能办理后续处置", code="not_finalised")
            current = {o.key: o for o in self._options(session, inspection_id)}
        opt = current.get(option.key)
        if opt is None:
            raise ValidationError("该违法事项没有此项后续处置", code="unknown_follow_up")
        values = {**opt.defaults, **overrides}
        if opt.kind == "correction":
            return self._correction(snap, opt, values)
        if opt.created.get("referral"):
            return dict(opt.created)
        with self.store.write() as session:
            reply_due = values.get("reply_due") if opt.kind == "notice" else None
            if reply_due is not None and not isinstance(reply_due, date):
                raise ValidationError("回复期限必须是日期", code="bad_date")
            ref = Referral(
                id=new_id(), kind=opt.kind, township_id=snap.township_id, inspection_id=snap.id,
                finding_id=opt.finding_id, to_department_id=opt.to_department_id, matter_code=opt.matter_code,
                subject=str(values.get("subject", ""))[:200], facts=str(values.get("facts", "")),
                reason=str(values.get("reason", "")), reply_due=reply_due, status="open", created_by=self.user.actor,
            )
            if session.get(Department, ref.to_department_id) is None:
                raise ValidationError("未找到接收部门", code="unknown_department")
            changes.record_create(session, ref, actor=self.user.actor)
            return {"referral": ref.id}

    def _correction(self, snap: InspectionSnapshot, opt: FollowUpOption, values: dict[str, Any]) -> dict[str, str]:
        deadline = values.get("deadline")
        if not isinstance(deadline, date):
            raise ValidationError("请填写改正期限（日期）", code="bad_date")
        if deadline < local_day(self.clock()):
            raise ValidationError("改正期限不能早于今天", code="deadline_past")
        created = dict(opt.created)
        if "document" not in created:
            from app.documents.service import DocumentService
            from app.documents.templates import load_template

            template = load_template("correction_order")
            wanted = {"deadline": deadline.isoformat(), "correction_deadline": deadline.isoformat(),
                      "facts": values.get("facts", ""), "requirement": values.get("requirement", ""),
                      "correction": values.get("requirement", ""), "legal_basis": values.get("legal_basis", ""),
                      "relied_basis": values.get("relied_basis", "")}
            fields = {k: v for k, v in wanted.items() if k in template.by_key and v}
            doc = DocumentService(self.store, self.user).create_draft(
                doc_type="correction_order", township_id=snap.township_id, matter_code=opt.matter_code,
                inspection_id=snap.id, task_id=snap.task_id, fields=fields)
            created["document"] = doc.id
        if "plan" not in created:
            with self.store.write() as session:
                plan = InspectionPlan(
                    id=new_id(), township_id=snap.township_id, target_id=snap.target_id, kind="recheck",
                    scheduled_at=datetime.combine(deadline, RECHECK_HOUR, tzinfo=CHINA_TZ), duration_minutes=60,
                    lead_department_id=opt.to_department_id, supporting_department_ids=[],
                    matter_codes=[opt.matter_code], officer_ids=list(snap.officer_ids),
                    task_ids=[snap.task_id] if snap.task_id else [], status="planned",
                    notes=f"复查：{snap.target_name}责令改正事项「{opt.check_point}」，期限{deadline:%Y-%m-%d}。"
                          f"{_tag(opt.finding_id, opt.matter_code)}",
                    created_by=self.user.actor,
                )
                if snap.target_id is None:
                    raise ValidationError("检查记录没有检查对象，无法安排复查", code="no_target")
                changes.record_create(session, plan, actor=self.user.actor)
                created["plan"] = plan.id
        return created


def _tag(finding_id: str, matter_code: str) -> str:
    return f"[复查来源 {finding_id}/{matter_code}]"

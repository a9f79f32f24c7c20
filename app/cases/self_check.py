"""案卷评查 self-check (DOMAIN §6): before a case file goes to the district's review, list every defect — the
basic standards, missing mandatory fields per document type, missing signatures, service or pages, documents out
of order, clocks exceeded, a document's body wrong for its date, evidence failing its hash, recordings missing
where 第四十七条 requires them, the legality review missing where 第五十八条 requires it — each naming the
document and field and how to fix it, and score the file with the configured weights.

Each question goes to its one authority: the templates' required fields (`app.documents.templates`), the case
machine's stage order (`app.rules.case_review.order_defects` on `MAIN_LINE`), the case clocks
(`app.rules.case_clocks.case_clocks`), the body for the date (`app.documents.issuing.decide`, i.e.
`JurisdictionAuthority.resolve`), the review requirement (`app.rules.case_config.review_reasons`, as the issue
gate asks it), plus the record checks of `app.cases.self_check_records`. Read-only: nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models as m
from app.cases.common import editions, facts_of
from app.cases.self_check_records import (
    FileContext,
    basic_defects,
    case_evidence,
    doc_name,
    evidence_defects,
    page_defects,
    recording_defects,
    signature_defects,
)
from app.documents.issuing import decide
from app.documents.lifecycle import DocStatus, issue_date
from app.documents.templates import TemplateError, load_template
from app.documents.values import empty
from app.errors import DomainError
from app.identity import CurrentUser
from app.rules.case_clocks import case_clocks
from app.rules.case_config import in_force, review_reasons
from app.rules.case_history import CHINA_TZ, event_day, fold
from app.rules.case_review import (
    Defect,
    FiledDocument,
    ReviewConfig,
    Score,
    clock_defects,
    default_review_config,
    order_defects,
    score,
)
from app.rules.case_stages import ENDED, MAIN_LINE, CaseStage
from app.rules.numbering import doc_type_name
from app.store import Store

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CaseReview:
    """The self-check of one case file on `checked_on`."""

    case_id: str
    number: str
    title: str
    party: str
    stage: str
    body: str
    checked_on: date
    score: Score

    @property
    def defects(self) -> list[Defect]:
        return [s.defect for s in self.score.defects]


class SelfCheckService:
    def __init__(self, store: Store, user: CurrentUser, config: ReviewConfig | None = None) -> None:
        self.store = store
        self.user = user
        self.config = config or default_review_config()

    def check(self, case_id: str, today: date | None = None) -> CaseReview:
        today = today or datetime.now(CHINA_TZ).date()
        with self.store.read() as session:
            case = session.get(m.Case, case_id)
            if case is None:
                raise DomainError("未找到该案件", code="not_found")
            if self.user.township_id and case.township_id != self.user.township_id:
                raise DomainError("该案件不属于本队", code="forbidden")
            return self._check(session, case, today)

    def check_open(self, today: date | None = None, progress: Progress | None = None) -> list[CaseReview]:
        """Every open case of the team (not 结案, 移送 or 终止), newest first."""
        today = today or datetime.now(CHINA_TZ).date()
        with self.store.read() as session:
            query = select(m.Case).where(m.Case.status.not_in([s.value for s in ENDED]))
            if self.user.township_id:
                query = query.where(m.Case.township_id == self.user.township_id)
            cases = list(session.scalars(query.order_by(m.Case.filed_on.desc(), m.Case.number.desc())))
            out = []
            for i, case in enumerate(cases, 1):
                out.append(self._check(session, case, today))
                if progress:
                    progress(i, len(cases), case.number)
            return out

    # ---- one file -------------------------------------------------------------------------------------------

    def _check(self, session: Session, case: m.Case, today: date) -> CaseReview:
        events = list(case.events or [])
        history = fold(events)
        eds = editions(session)
        docs = [d for d in session.scalars(
            select(m.Document).where(m.Document.case_id == case.id).order_by(m.Document.created_at, m.Document.id))
            if d.status != DocStatus.VOIDED.value]
        fc = FileContext(case=case, name=f"案件 {case.number}", history=history,
                         config=in_force(eds, case.filed_on), docs=docs, evidence=case_evidence(session, case),
                         review=self.config)
        paths = self.store.paths
        defects = [
            *basic_defects(session, fc),
            *field_defects(fc),
            *signature_defects(session, fc),
            *page_defects(paths.documents, fc),
            *order_defects(_filed(docs), _stage_entered(events)),
            *clock_defects(case_clocks(facts_of(case), events, eds), today, fc.name),
            *body_defects(session, fc),
            *evidence_defects(paths.evidence, fc),
            *recording_defects(fc),
            *review_defects(fc, eds),
        ]
        return CaseReview(case.id, case.number, case.title, case.party_name, CaseStage(case.status).label,
                          case.body_legal_name, today, score(defects, self.config))


def field_defects(fc: FileContext) -> list[Defect]:
    """Required fields of each document's own template version; drafts left in the file; documents the stages
    reached require (事先告知书 once notified, 决定书 once decided)."""
    found: list[Defect] = []
    for doc in fc.docs:
        name = doc_name(doc)
        try:
            template = load_template(doc.doc_type, doc.template_version)
        except TemplateError as exc:
            found.append(Defect("missing_field", name, "文书模板", exc.message, "同步最新的文书模板后重新检查", doc.id))
            continue
        issued = bool(doc.number)
        for spec in template.fields:
            if spec.required and empty((doc.fields or {}).get(spec.key)):
                fix = (f"已签发的文书不可修改：作废后补全「{spec.label}」重新出具" if issued
                       else f"在“文书”中填写「{spec.label}」后签发")
                found.append(Defect("missing_field", name, spec.label, f"「{spec.label}」为必填项，未填写", fix, doc.id))
        if not issued:
            found.append(Defect("not_issued", name, "文书状态", "案卷中的文书仍是草稿，未签发、无文号",
                                "在“文书”中核对后签发，或作废不用的草稿", doc.id))
    reached = {CaseStage(e["to_status"]) for e in fc.case.events or [] if e.get("to_status") in set(CaseStage)}
    for stage, kind in fc.review.stage_documents.items():
        if stage in reached and not any(d.doc_type == kind and d.number for d in fc.docs):
            found.append(Defect("missing_document", fc.name, doc_type_name(kind),
                                f"案件已进入「{stage.label}」阶段，案卷中没有已签发的「{doc_type_name(kind)}」",
                                f"在案件中起草并签发「{doc_type_name(kind)}」"))
    return found


def body_defects(session: Session, fc: FileContext) -> list[Defect]:
    """Each issued document's body against the body the jurisdiction authority names for its issue date."""
    found = []
    for doc in fc.docs:
        day = issue_date(doc.issued_at)
        if not doc.number or day is None:
            continue
        name = doc_name(doc)
        try:
            decision = decide(session, doc_type=doc.doc_type, township_id=doc.township_id,
                              matter_code=doc.matter_code, day=day)
        except DomainError as exc:
            found.append(Defect("wrong_body", name, "执法主体", f"签发日无法确定执法主体：{exc.message}",
                                "核对事项目录版本；无权出具的文书应作废", doc.id))
            continue
        body = decision.body
        if (body.id, body.number_prefix) != (doc.body_id, doc.number_prefix):
            found.append(Defect(
                "wrong_body", name, "执法主体",
                f"签发日（{day.isoformat()}）应以「{body.legal_name}」（{decision.reason_label}，{decision.edition_label}）"
                f"名义出具，文书却署「{doc.body_legal_name}」",
                f"作废本文书，以「{body.legal_name}」名义重新出具（使用其文号）", doc.id))
    return found


def review_defects(fc: FileContext, eds: list) -> list[Defect]:
    """第五十八条: a decided case the criteria require to be reviewed must have a passing legality review."""
    h = fc.history
    if h.decided_on is None:
        return []
    config = in_force(eds, h.decided_on)
    reasons = review_reasons(config, fc.case.party_type, h.decision_penalty or h.notice_penalty,
                             hearing_held=h.hearing_held_on is not None, complex_case=bool(fc.case.complex_case))
    if not reasons or h.review_passed:
        return []
    return [Defect("review_missing", fc.name, "法制审核",
                   f"本案须经法制审核（{'、'.join(reasons)}），作出决定前没有通过的审核意见（《行政处罚法》第五十八条）",
                   f"由{config.reviewer_phrase()}进行法制审核并记录意见；审核通过前作出的决定应依法纠正")]


def _filed(docs: list[m.Document]) -> list[FiledDocument]:
    out = []
    for d in docs:
        day = issue_date(d.issued_at)
        if d.number and day is not None:
            serves = str((d.fields or {}).get("served_doc_number") or "") or None
            out.append(FiledDocument(d.id, doc_name(d), d.doc_type, day, d.number, serves))
    return out


def _stage_entered(events: list[dict]) -> dict[CaseStage, date]:
    entered: dict[CaseStage, date] = {}
    for e in events:
        stage = e.get("to_status")
        if stage in {s.value for s in MAIN_LINE} and CaseStage(stage) not in entered:
            entered[CaseStage(stage)] = event_day(e)
    return entered
